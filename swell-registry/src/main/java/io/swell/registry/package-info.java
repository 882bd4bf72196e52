/**
 * Client of Docker Registry v2 / OCI distribution servers: endpoints, authentication (bearer challenges and basic),
 * manifests, blobs and tags (pull, and push with mounts for mirroring), with upstream errors mapped to distribution
 * error codes. Uses swell-oci, the Jetty client, Jackson and Caffeine.
 */
package io.swell.registry;
