/**
 * The composition root and the only module that knows Jetty and the config format: typed config, the route
 * table, handlers (one service call each), the error mapper and the command line.
 */
package io.swell.server;
