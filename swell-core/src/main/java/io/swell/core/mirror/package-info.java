/**
 * Mirroring: copying an image with every platform from one registry to another over the registry API, digests
 * preserved. Uses swell-registry's {@link io.swell.registry.RegistryClient} and the swell-oci model only.
 */
package io.swell.core.mirror;
