/**
 * Application services of Swell, framework-free and built by constructor injection: container requests, the
 * registry proxy and augmentation, and the narrow store SPIs they need. Uses swell-api, swell-oci and
 * swell-registry; never the HTTP server or the config format.
 */
package io.swell.core;
