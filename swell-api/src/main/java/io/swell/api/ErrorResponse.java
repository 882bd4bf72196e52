package io.swell.api;

/** Error body of the JSON API: {@code {"message": "..."}}, as Wave answers. */
public record ErrorResponse(String message) {}
