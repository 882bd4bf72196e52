package io.swell.server.views;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds the small HTML pages of {@code /view/...}: a fixed layout, a table of facts, preformatted text. Every value
 * goes through {@link #escape}, so build logs and image names (which users control) are shown, never run.
 */
final class HtmlPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
            table{border-collapse:collapse}td,th{text-align:left;padding:.3rem .8rem;border-bottom:1px solid #ddd}
            th{color:#555;font-weight:600}pre{background:#f6f6f6;padding:1rem;overflow:auto;font-size:.85rem}
            .ok{color:#17732b;font-weight:600}.failed{color:#b3261e;font-weight:600}.running{color:#8a5a00}""";

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private boolean refresh;

    HtmlPage(String title) {
        this.title = title;
    }

    /** Reloads the page every few seconds (while a build or mirror runs). */
    HtmlPage refreshing(boolean on) {
        this.refresh = on;
        return this;
    }

    HtmlPage heading(String text) {
        body.append("<h1>").append(escape(text)).append("</h1>\n");
        return this;
    }

    HtmlPage subheading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    /** Starts the table of facts; rows with a {@code null} value are left out. */
    HtmlPage table() {
        body.append("<table>\n");
        return this;
    }

    HtmlPage row(String name, Object value) {
        if (value != null) {
            body.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(text(value)))
                    .append("</td></tr>\n");
        }
        return this;
    }

    /** A row whose value is shown with a CSS class ({@code ok}, {@code failed}, {@code running}). */
    HtmlPage statusRow(String name, String value, String cssClass) {
        body.append("<tr><th>").append(escape(name)).append("</th><td class=\"").append(cssClass).append("\">")
                .append(escape(value)).append("</td></tr>\n");
        return this;
    }

    /** A row linking to a path of this server. */
    HtmlPage linkRow(String name, String path, String label) {
        body.append("<tr><th>").append(escape(name)).append("</th><td><a href=\"").append(escape(path))
                .append("\">").append(escape(label)).append("</a></td></tr>\n");
        return this;
    }

    HtmlPage endTable() {
        body.append("</table>\n");
        return this;
    }

    HtmlPage preformatted(String text) {
        body.append("<pre>").append(escape(text)).append("</pre>\n");
        return this;
    }

    String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + (refresh ? "<meta http-equiv=\"refresh\" content=\"5\">" : "")
                + "<title>" + escape(title) + " · Swell</title><style>" + STYLE + "</style></head>\n<body>\n"
                + body + "</body></html>\n";
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String text(Object value) {
        return switch (value) {
            case Instant instant -> TIME.format(instant);
            case Duration d -> String.format("%.1f s", d.toMillis() / 1000.0);
            default -> String.valueOf(value);
        };
    }
}
