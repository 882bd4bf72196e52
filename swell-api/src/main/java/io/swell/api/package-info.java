/**
 * Wire records of Swell's JSON API (the Wave API shapes) and the one error hierarchy shared by all modules.
 * May use only the JDK and Jackson annotations.
 */
package io.swell.api;
