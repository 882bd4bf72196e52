package io.swell.core.build.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code {{name}}} placeholders and whole-line {@code {{#name}}…{{/name}}} sections of a template.
 *
 * <p>A section keeps its lines when its value is non-empty; {@code {{^name}}…{{/name}}} keeps them when it is
 * empty. Values are inserted verbatim (callers validate them first) and are never re-scanned. A placeholder or
 * section without a value, a malformed or unbalanced marker is an {@link IllegalStateException}: a bug in the
 * template or its caller, never a user error.
 */
public final class TemplateRenderer {

    private static final Pattern VALUE = Pattern.compile("\\{\\{([a-z][a-z0-9_]*)\\}\\}");
    private static final Pattern SECTION = Pattern.compile("\\{\\{([#^/])([a-z][a-z0-9_]*)\\}\\}");
    private static final Pattern ANY = Pattern.compile("\\{\\{([#^/]?)([a-z][a-z0-9_]*)\\}\\}");

    private TemplateRenderer() {}

    /** Reads the template resource {@code templates/<name>} as UTF-8. */
    public static String load(String name) {
        String path = "/templates/" + name;
        try (InputStream in = TemplateRenderer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing template resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read template resource " + path, e);
        }
    }

    /** The names of every placeholder and section used by {@code template}, in order of first use. */
    public static Set<String> placeholders(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ANY.matcher(template);
        while (m.find()) {
            names.add(m.group(2));
        }
        return names;
    }

    /** Renders {@code template} with {@code values}; see the class comment for the rules. */
    public static String render(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 256);
        Deque<String> open = new ArrayDeque<>();
        Deque<Boolean> kept = new ArrayDeque<>();
        boolean keeping = true;
        String[] lines = template.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher section = SECTION.matcher(line.strip());
            if (section.matches()) {
                String name = section.group(2);
                switch (section.group(1)) {
                    case "/" -> {
                        if (!name.equals(open.peek())) {
                            throw new IllegalStateException("Unbalanced section end {{/" + name + "}} at line " + (i + 1));
                        }
                        open.pop();
                        keeping = kept.pop();
                    }
                    default -> {
                        boolean present = !value(values, name).isEmpty();
                        open.push(name);
                        kept.push(keeping);
                        keeping = keeping && (section.group(1).equals("#") == present);
                    }
                }
                continue;
            }
            checkMarkers(line, i + 1);
            if (keeping) {
                out.append(replace(line, values));
                if (i < lines.length - 1) {
                    out.append('\n');
                }
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException("Unclosed section {{#" + open.peek() + "}}");
        }
        return out.toString();
    }

    private static String replace(String line, Map<String, String> values) {
        Matcher m = VALUE.matcher(line);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value(values, m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void checkMarkers(String line, int number) {
        String rest = VALUE.matcher(line).replaceAll("");
        if (rest.contains("{{") || rest.contains("}}")) {
            throw new IllegalStateException("Malformed or misplaced placeholder at template line " + number + ": " + line);
        }
    }

    private static String value(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("No value for template placeholder '" + name + "'");
        }
        return value;
    }
}
