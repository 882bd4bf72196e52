package io.swell.core.build.id;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The package names guessed from a conda environment file, which Wave puts into image names and tags
 * ({@code ContainerHelper.guessCondaRecipeName}).
 *
 * @param names    in non-split mode {@code name-version} entries, in split mode bare names; de-duplicated
 * @param versions in split mode the distinct versions in first-seen order (null for "no version"); else null
 */
public record CondaRecipeNames(List<String> names, List<String> versions) {

    /** Larger files get no guessed name (the tag is the bare id) rather than an expensive parse. */
    static final int MAX_YAML_CHARS = 1 << 20;
    private static final int MAX_JOINED = 5;
    private static final int KEPT_WHEN_PRUNED = 4;

    public CondaRecipeNames {
        names = List.copyOf(names);
        // List.copyOf rejects null elements, and "no version" is a null element
        versions = versions == null ? null : Collections.unmodifiableList(new ArrayList<>(versions));
    }

    /**
     * Guesses the names of a conda file, or nothing if it is empty, not a YAML mapping, names nothing, or
     * cannot be read at all (Wave swallows every error here; a name is only a nicety).
     *
     * @param split whether to separate names from versions (imageSuffix) or keep {@code name-version} (tagPrefix)
     */
    public static Optional<CondaRecipeNames> guess(String condaFile, boolean split) {
        if (condaFile == null || condaFile.isEmpty() || condaFile.length() > MAX_YAML_CHARS) {
            return Optional.empty();
        }
        try {
            return fromDocument(parse(condaFile), split);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The names joined with {@code _}, as the tag (non-split) or image name (split) wants them; with more than
     * five names, the first four and then {@code _pruned}.
     */
    public String joined() {
        if (names.size() > MAX_JOINED) {
            return String.join("_", names.subList(0, KEPT_WHEN_PRUNED)) + "_pruned";
        }
        return String.join("_", names);
    }

    private static Object parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_YAML_CHARS);
        // SafeConstructor: a conda file comes from the client and must never instantiate arbitrary classes
        return new Yaml(new SafeConstructor(options)).load(text);
    }

    private static Optional<CondaRecipeNames> fromDocument(Object document, boolean split) {
        if (!(document instanceof Map<?, ?> root)) {
            return Optional.empty();
        }
        Object name = root.get("name");
        if (isTruthy(name)) {
            List<String> versions = new ArrayList<>();
            versions.add(null);
            return Optional.of(new CondaRecipeNames(List.of(String.valueOf(name)), split ? versions : null));
        }
        if (!(root.get("dependencies") instanceof List<?> dependencies)) {
            return Optional.empty();
        }
        List<String> items = new ArrayList<>();
        if (!flatten(dependencies, items)) {
            return Optional.empty();
        }
        Set<String> names = new LinkedHashSet<>();
        Set<String> versions = new LinkedHashSet<>();
        for (String item : items) {
            // "pip:" marks a pip package, but "pip::x" is package x of a conda channel named pip
            if (item.startsWith("pip:") && !(item.length() > 4 && item.charAt(4) == ':')) {
                item = item.substring(4);
            }
            if (item.startsWith("http://") || item.startsWith("https://")) {
                continue;
            }
            int channel = item.indexOf("::");
            if (channel >= 0) {
                item = item.substring(channel + 2);
            }
            List<String> pieces = specPieces(item);
            if (pieces.isEmpty()) {
                continue;
            }
            String pkg = pieces.get(0);
            String version = pieces.size() > 1 ? pieces.get(1) : null;
            if (split) {
                names.add(pkg);
                versions.add(version);
            } else {
                names.add(version == null ? pkg : pkg + "-" + version);
            }
        }
        if (names.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CondaRecipeNames(new ArrayList<>(names), split ? new ArrayList<>(versions) : null));
    }

    /** Collects the string items of a dependency list; false if an item is neither a string nor {pip: [..]}. */
    private static boolean flatten(List<?> list, List<String> out) {
        for (Object item : list) {
            if (item instanceof String s) {
                out.add(s);
            } else if (item instanceof List<?> nested) {
                if (!flatten(nested, out)) {
                    return false;
                }
            } else if (item instanceof Map<?, ?> map && map.size() == 1
                    && map.get("pip") instanceof List<?> pip) {
                for (Object p : pip) {
                    out.add("pip:" + p);
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** Splits a package spec on any run of {@code =}, {@code >}, {@code <}, dropping empty pieces. */
    private static List<String> specPieces(String spec) {
        List<String> pieces = new ArrayList<>();
        for (String piece : spec.split("[=<>]+")) {
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
        }
        return pieces;
    }

    /** Groovy truth, which Wave applies to the top-level {@code name}. */
    private static boolean isTruthy(Object value) {
        return switch (value) {
            case null -> false;
            case String s -> !s.isEmpty();
            case Boolean b -> b;
            case Number n -> n.doubleValue() != 0;
            case Collection<?> c -> !c.isEmpty();
            case Map<?, ?> m -> !m.isEmpty();
            default -> true;
        };
    }
}
