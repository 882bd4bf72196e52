/** Per-client rate limits of pulls and builds (Wave's rate-limit settings). Uses only swell-api and Caffeine. */
package io.swell.core.ratelimit;
