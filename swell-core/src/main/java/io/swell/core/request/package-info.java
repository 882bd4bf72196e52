/** Container requests: validation, tokens, injected layers and the records kept for them. */
package io.swell.core.request;
