/** Usage counters (Wave's metrics API). Uses swell-api, the store SPI and SLF4J. */
package io.swell.core.metrics;
