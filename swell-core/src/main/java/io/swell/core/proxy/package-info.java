/**
 * The registry proxy: resolving {@code /v2} paths, caching upstream manifests, serving augmented manifests and
 * streaming or caching upstream blobs so that each blob is fetched from upstream once.
 */
package io.swell.core.proxy;
