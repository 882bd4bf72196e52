/**
 * The pure image model: references, digests, platforms, manifests, indexes and configs as typed records that keep
 * unknown fields, and the pure functions that augment them. No I/O; may use swell-api and Jackson only.
 */
package io.swell.oci;
