/**
 * The local build strategy: runs {@code buildah} as a child process (chroot isolation, storage under Swell's data
 * dir) to build one Containerfile and push the image. Uses swell-core's {@code io.swell.core.build} SPI,
 * swell-registry's credentials record, slf4j and the JDK; nothing else.
 */
package io.swell.build.local;
