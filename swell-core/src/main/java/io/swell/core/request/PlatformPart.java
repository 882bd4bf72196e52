package io.swell.core.request;

import io.swell.core.store.BuildRecord;
import io.swell.oci.ImageRef;

/**
 * One platform of a multi-platform build.
 *
 * @param platform {@code linux/amd64} or {@code linux/arm64}
 * @param image    where that platform's image is
 * @param build    its build, or {@code null} when the image already existed
 */
record PlatformPart(String platform, ImageRef image, BuildRecord build) {}
