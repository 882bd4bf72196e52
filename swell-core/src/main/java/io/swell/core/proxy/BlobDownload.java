package io.swell.core.proxy;

import io.swell.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upstream blob being written to the cache while any number of readers stream it from the growing file.
 * The digest is checked at the end; only then does the file take its final name, and a mismatch fails every
 * reader (their clients see a broken transfer and retry) instead of serving wrong bytes.
 */
final class BlobDownload {
    private static final int CHUNK = 256 * 1024;

    private final Digest digest;
    private final Path temp;
    private final Path target;
    private final long expectedLength;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private volatile long written;
    private volatile boolean finished;
    private volatile IOException failure;

    BlobDownload(Digest digest, Path temp, Path target, long expectedLength) throws IOException {
        this.digest = digest;
        this.temp = temp;
        this.target = target;
        this.expectedLength = expectedLength;
        Files.createFile(temp);
    }

    long expectedLength() {
        return expectedLength;
    }

    /** Copies the upstream body into the file, then verifies and renames it; returns the final size. */
    long run(InputStream upstream) {
        MessageDigest md = digest.newDigester();
        try (upstream; FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[CHUNK];
            for (int n; (n = upstream.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                advance(written + n);
            }
            if (expectedLength >= 0 && written != expectedLength) {
                throw new IOException("upstream sent " + written + " bytes, expected " + expectedLength);
            }
            Digest actual = Digest.of(md);
            if (!actual.equals(digest)) {
                throw new IOException("upstream blob has digest " + actual + ", expected " + digest);
            }
            lock.lock();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                finished = true;
                progress.signalAll();
            } finally {
                lock.unlock();
            }
            return written;
        } catch (IOException e) {
            fail(e);
            return -1;
        }
    }

    private void advance(long value) {
        lock.lock();
        try {
            written = value;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void fail(IOException e) {
        lock.lock();
        try {
            failure = e;
            finished = true;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // Nothing can be served from it anyway.
        }
    }

    boolean failed() {
        return failure != null;
    }

    /** A stream of the blob from its first byte, following the download as it grows. */
    InputStream newReader() throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException("blob download failed: " + failure.getMessage(), failure);
            }
            // Opened under the lock so the rename cannot slip between the check and the open.
            return new Reader(FileChannel.open(finished ? target : temp, StandardOpenOption.READ));
        } finally {
            lock.unlock();
        }
    }

    private void awaitBeyond(long position) throws IOException {
        lock.lock();
        try {
            while (written <= position && !finished) {
                progress.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the blob download", e);
        } finally {
            lock.unlock();
        }
    }

    private final class Reader extends InputStream {
        private final FileChannel channel;
        private long position;

        Reader(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (true) {
                long available = written - position;
                if (available > 0) {
                    int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, available)), position);
                    if (n > 0) {
                        position += n;
                        return n;
                    }
                }
                if (finished) {
                    if (failure != null) {
                        throw new IOException("blob download failed: " + failure.getMessage(), failure);
                    }
                    if (position >= written) {
                        return -1;
                    }
                    continue;
                }
                awaitBeyond(position);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
