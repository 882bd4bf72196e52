package io.swell.server.handlers;

import io.swell.core.metrics.UsageMetrics;
import io.swell.server.http.Exchange;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wave's usage metrics API (wave-api.md §1.13, §5.1), for admins (Basic auth):
 * {@code GET /v1alpha2/metrics/{builds|pulls|fusion/pulls|mirrors|scans}[?date=&org=]} answers
 * {@code {metric, count, orgs}}, and {@code /v1alpha3/...} also takes {@code arch} and answers {@code arch} too.
 */
public final class MetricsHandler {
    private final UsageMetrics metrics;
    private final BasicAuth admins;

    public MetricsHandler(UsageMetrics metrics, BasicAuth admins) {
        this.metrics = metrics;
        this.admins = admins;
    }

    public void v2(Exchange ex) {
        answer(ex, false);
    }

    public void v3(Exchange ex) {
        answer(ex, true);
    }

    private void answer(Exchange ex, boolean withArch) {
        admins.require(ex);
        UsageMetrics.Count count = metrics.read(UsageMetrics.Metric.ofPath(ex.param(0)), ex.queryParam("date"),
                ex.queryParam("org"), withArch ? ex.queryParam("arch") : null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metric", count.metric());
        if (withArch) {
            body.put("arch", count.arch());
        }
        body.put("count", count.count());
        body.put("orgs", count.orgs());
        ex.json(200, body);
    }
}
