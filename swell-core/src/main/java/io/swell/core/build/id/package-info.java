/**
 * Wave-compatible build identity: the SipHash container id, target image names (conda-derived tags and
 * repository suffixes), the public-repository rewrite, and build/scan id formats. Everything here is pure
 * computation, checked against the golden vectors of Wave's tests, so that Swell and Wave name the same build
 * the same way.
 */
package io.swell.core.build.id;
