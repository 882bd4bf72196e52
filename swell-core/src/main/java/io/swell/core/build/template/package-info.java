/**
 * Container files generated from a request's {@code packages}: Swell's own templates (resource files under
 * {@code templates/}), a tiny placeholder renderer, and the validation that keeps user values from adding
 * instructions to the generated file. Everything here is pure computation.
 */
package io.swell.core.build.template;
