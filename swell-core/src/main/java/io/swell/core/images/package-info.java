/** The built-in image store: where builds go when no build repository is configured, served by Swell's /v2. */
package io.swell.core.images;
