package io.swell.core.mirror;

/**
 * What a copy did.
 *
 * @param digest       digest of the top manifest or index, the same in source and target
 * @param blobsCopied  blobs streamed from the source to the target
 * @param blobsSkipped blobs the target already had
 * @param blobsMounted blobs linked from the source repository by a cross-repository mount (same registry)
 * @param bytesCopied  bytes of the blobs streamed (mounted and skipped blobs cost none)
 */
public record CopyResult(String digest, int blobsCopied, int blobsSkipped, int blobsMounted, long bytesCopied) {}
