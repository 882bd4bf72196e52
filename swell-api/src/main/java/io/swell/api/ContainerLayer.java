package io.swell.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A layer to add to an image (or a build context): where to fetch the gzip blob and the digests it must have.
 *
 * @param location    {@code data:<base64 gzip>}, {@code gzip:<base64 of gzip of the blob>} or an http(s) URL
 * @param gzipDigest  sha256 digest of the compressed blob
 * @param gzipSize    size in bytes of the compressed blob
 * @param tarDigest   sha256 digest of the uncompressed tar (the config's diff_id)
 * @param skipHashing sent by some clients; Swell verifies digests regardless
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContainerLayer(String location, String gzipDigest, Long gzipSize, String tarDigest, Boolean skipHashing) {}
