package io.swell.core.sif;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** Writes a SIF container file (spec version 01) laid out like {@code singularity build}, without singularity. */
public final class SifWriter {
    /** The launch script singularity writes so that a SIF file can be run as a program. */
    public static final String LAUNCH_SCRIPT = "#!/usr/bin/env run-singularity\n";
    /** Go's zero time in unix seconds, which the sif library uses as the time of deterministic images. */
    public static final long GO_ZERO_TIME = -62135596800L;

    private static final byte[] MAGIC = "SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION = "01\0".getBytes(StandardCharsets.US_ASCII);
    private static final int LAUNCH_SCRIPT_SIZE = 32;
    private static final int DESCRIPTORS_TOTAL = 48;
    private static final int DESCRIPTORS_OFFSET = 4096;
    private static final int DATA_OFFSET = DESCRIPTORS_OFFSET + DESCRIPTORS_TOTAL * SifDescriptor.SIZE;
    private static final int PARTITION_ALIGNMENT = 4096;
    // squashfs superblock magic "hsqs"; the singularity runtime refuses a primary partition without it
    private static final byte[] SQUASHFS_MAGIC = {'h', 's', 'q', 's'};

    private final Clock clock;
    private final Supplier<UUID> ids;

    /**
     * A writer that stamps images with the clock's time (whole seconds) and an id from {@code ids}.
     */
    public SifWriter(Clock clock, Supplier<UUID> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    /** A writer with the current time and random ids, like a plain {@code singularity build}. */
    public static SifWriter system() {
        return new SifWriter(Clock.systemUTC(), UUID::randomUUID);
    }

    /** A writer for reproducible images: the nil UUID and Go's zero time, as the sif library's deterministic mode. */
    public static SifWriter reproducible() {
        return new SifWriter(Clock.fixed(Instant.ofEpochSecond(GO_ZERO_TIME), ZoneOffset.UTC), () -> new UUID(0, 0));
    }

    /**
     * Writes the SIF file, replacing {@code target}; the squashfs is streamed, not loaded into memory.
     *
     * @return the size of the written file in bytes
     */
    public long write(SifContent content, Path target) throws IOException {
        long time = clock.instant().getEpochSecond();
        List<byte[]> smallObjects = new ArrayList<>();
        List<SifDescriptor> descriptors = new ArrayList<>();
        long end = DATA_OFFSET;
        smallObjects.add(content.definition().getBytes(StandardCharsets.UTF_8));
        descriptors.add(smallDescriptor(SifDescriptor.DEFFILE, 1, end, smallObjects.getFirst().length, time, ""));
        end += smallObjects.getFirst().length;
        for (SifJson json : content.json().stream().sorted(Comparator.comparing(SifJson::name)).toList()) {
            byte[] bytes = json.content().getBytes(StandardCharsets.UTF_8);
            smallObjects.add(bytes);
            descriptors.add(smallDescriptor(SifDescriptor.GENERIC_JSON, descriptors.size() + 1, end, bytes.length,
                    time, json.name()));
            end += bytes.length;
        }
        if (descriptors.size() >= DESCRIPTORS_TOTAL) {
            throw new IllegalArgumentException("Too many SIF objects: " + (descriptors.size() + 1));
        }
        try (FileChannel squashfs = FileChannel.open(content.squashfs(), StandardOpenOption.READ)) {
            long squashfsSize = squashfs.size();
            checkSquashfs(squashfs, content.squashfs());
            long partitionOffset = align(end, PARTITION_ALIGNMENT);
            long padding = partitionOffset - end;
            descriptors.add(new SifDescriptor(SifDescriptor.PARTITION, descriptors.size() + 1, partitionOffset,
                    squashfsSize, padding + squashfsSize, time, "", content.arch()));
            long fileSize = partitionOffset + squashfsSize;
            ByteBuffer head = header(content.arch(), time, descriptors.size(), fileSize - DATA_OFFSET);
            for (SifDescriptor descriptor : descriptors) {
                descriptor.encode(head);
            }
            try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, head.clear());
                for (byte[] bytes : smallObjects) {
                    writeFully(out, ByteBuffer.wrap(bytes));
                }
                writeFully(out, ByteBuffer.allocate((int) padding));
                copy(squashfs, squashfsSize, out);
                return out.size();
            }
        }
    }

    private ByteBuffer header(SifArch arch, long time, int objects, long dataSize) {
        // the header and the descriptor table together fill exactly the bytes before the data offset
        ByteBuffer head = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
        head.put(LAUNCH_SCRIPT.getBytes(StandardCharsets.US_ASCII)).position(LAUNCH_SCRIPT_SIZE);
        head.put(MAGIC).put(VERSION).put(arch.codeBytes());
        UUID id = ids.get();
        // the UUID is stored as raw RFC 4122 bytes, i.e. big-endian, unlike every other field
        head.order(ByteOrder.BIG_ENDIAN).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        head.order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(time).putLong(time);
        head.putLong(DESCRIPTORS_TOTAL - objects).putLong(DESCRIPTORS_TOTAL).putLong(DESCRIPTORS_OFFSET);
        head.putLong((long) DESCRIPTORS_TOTAL * SifDescriptor.SIZE).putLong(DATA_OFFSET).putLong(dataSize);
        head.position(DESCRIPTORS_OFFSET);
        return head;
    }

    private static SifDescriptor smallDescriptor(int type, int id, long offset, long size, long time, String name) {
        // objects other than partitions are not aligned, so they carry no padding
        return new SifDescriptor(type, id, offset, size, size, time, name, null);
    }

    private static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private static void checkSquashfs(FileChannel squashfs, Path path) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(SQUASHFS_MAGIC.length);
        while (magic.hasRemaining() && squashfs.read(magic, magic.position()) > 0) {
            // read until the magic is complete or the file ends
        }
        if (!magic.flip().equals(ByteBuffer.wrap(SQUASHFS_MAGIC))) {
            throw new IllegalArgumentException("Not a squashfs file: " + path);
        }
    }

    private static void copy(FileChannel from, long size, FileChannel to) throws IOException {
        long done = 0;
        while (done < size) {
            long n = from.transferTo(done, size - done, to);
            if (n <= 0) {
                throw new IOException("Squashfs file shrank while writing the SIF: " + done + " of " + size);
            }
            done += n;
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
