/** Image inspection for the inspect API: upstream manifests, indexes and configs described as Wave's specs. */
package io.swell.core.inspect;
