/**
 * The embedded store, for one machine with no server to run: H2 in file mode for records and plain files for
 * content. Uses swell-core's SPIs, H2 and Jackson.
 */
package io.swell.store.jdbc;
