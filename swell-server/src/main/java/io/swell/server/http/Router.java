package io.swell.server.http;

import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Swell's route table over a Jetty core handler: routes are declared once, as data, and tried in order. A path
 * that matches with another method is a 405; no match is a 404. Every failure goes through {@link ErrorMapper}.
 */
public final class Router extends Handler.Abstract {
    private final List<Route> routes;
    private final ErrorMapper errors;

    /** Handles one matched request; must answer through the exchange exactly once. */
    @FunctionalInterface
    public interface RouteHandler {
        void handle(Exchange exchange) throws Exception;
    }

    /** A route: methods, a path pattern whose groups become parameters, and its handler. */
    public record Route(Set<String> methods, Pattern path, RouteHandler handler) {
        public static Route of(String methods, String regex, RouteHandler handler) {
            return new Route(Set.of(methods.split(",")), Pattern.compile(regex), handler);
        }
    }

    public Router(List<Route> routes, ErrorMapper errors) {
        super(InvocationType.BLOCKING);
        this.routes = List.copyOf(routes);
        this.errors = errors;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        SecurityHeaders.apply(response);
        boolean pathMatched = false;
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (!m.matches()) {
                continue;
            }
            pathMatched = true;
            if (!route.methods().contains(request.getMethod())) {
                continue;
            }
            List<String> params = new ArrayList<>(m.groupCount());
            for (int i = 1; i <= m.groupCount(); i++) {
                params.add(m.group(i));
            }
            Exchange exchange = new Exchange(request, response, callback, params);
            try {
                route.handler().handle(exchange);
            } catch (Throwable t) {
                errors.handle(exchange, t);
            }
            return true;
        }
        Exchange exchange = new Exchange(request, response, callback, List.of());
        errors.handle(exchange, pathMatched
                ? new SwellException(ErrorCode.METHOD_NOT_ALLOWED, "Method " + request.getMethod()
                        + " is not allowed on " + (path.startsWith("/v2") ? "this read-only registry" : path))
                : SwellException.notFound("Not found: " + path));
        return true;
    }
}
