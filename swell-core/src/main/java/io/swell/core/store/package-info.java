/** Store SPIs: what the services need to keep, implemented by swell-store-* modules. */
package io.swell.core.store;
