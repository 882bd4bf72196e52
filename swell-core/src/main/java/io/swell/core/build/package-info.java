/**
 * Container builds: identity, lifecycle (dedup, queue, timeout, records, logs) and the {@link
 * io.swell.core.build.BuildStrategy} SPI that runs one build (local buildah by default; Kubernetes Jobs at scale).
 */
package io.swell.core.build;
