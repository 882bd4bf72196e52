package io.swell.core.build.template;

import io.swell.api.SwellException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/** Builds the {@code conda.yml} of a package build from validated entries or from the user's base64 file. */
final class CondaEnvironmentFile {

    /**
     * Channels used when entries come without any. Wave itself adds none (its clients send them); Swell uses the
     * wave-cli defaults so that a bare {@code ["samtools"]} request still resolves.
     */
    static final List<String> DEFAULT_CHANNELS = List.of("conda-forge", "bioconda");

    private static final int MAX_YAML_CHARS = 1 << 20;

    private CondaEnvironmentFile() {}

    /** The yaml for {@code entries} (already validated conda/pip specs) and {@code channels} (validated). */
    static String fromEntries(List<String> entries, List<String> channels) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("channels", channels.isEmpty() ? DEFAULT_CHANNELS : channels);
        List<Object> dependencies = new ArrayList<>();
        List<String> pip = new ArrayList<>();
        for (String entry : entries) {
            if (entry.startsWith("pip:")) {
                pip.add(entry.substring(4));
            } else {
                dependencies.add(entry);
            }
        }
        if (!pip.isEmpty()) {
            dependencies.add(Map.of("pip", pip));
        }
        root.put("dependencies", dependencies);
        return dump(root);
    }

    /**
     * The decoded user file; when {@code channels} adds channels the file lacks, they are appended to its
     * {@code channels} list and the document is re-serialised, otherwise the file is kept byte for byte.
     */
    static String fromEnvironment(String base64, List<String> channels) {
        String text;
        try {
            text = new String(Base64.getDecoder().decode(base64.replaceAll("\\s", "")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SwellException.badRequest(
                    "Invalid 'packages.environment' attribute - make sure it is encoded as a base64 string");
        }
        if (channels.isEmpty()) {
            return text;
        }
        Map<String, Object> root = parse(text);
        List<Object> merged = new ArrayList<>();
        Object existing = root.get("channels");
        if (existing instanceof List<?> list) {
            merged.addAll(list);
        } else if (existing != null) {
            throw SwellException.badRequest("Invalid 'packages.environment' attribute - 'channels' must be a list");
        }
        int before = merged.size();
        for (String channel : channels) {
            if (!merged.contains(channel)) {
                merged.add(channel);
            }
        }
        if (merged.size() == before) {
            return text;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        if (!root.containsKey("channels")) {
            copy.put("channels", merged);
        }
        for (Map.Entry<String, Object> e : root.entrySet()) {
            copy.put(e.getKey(), e.getKey().equals("channels") ? merged : e.getValue());
        }
        return dump(copy);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_YAML_CHARS);
        Object document;
        try {
            // SafeConstructor: the file comes from the client and must never instantiate arbitrary classes
            document = new Yaml(new SafeConstructor(options)).load(text);
        } catch (RuntimeException e) {
            throw SwellException.badRequest("Invalid 'packages.environment' attribute - not a valid YAML file");
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw SwellException.badRequest("Invalid 'packages.environment' attribute - expected a conda environment file");
        }
        return (Map<String, Object>) map;
    }

    private static String dump(Map<String, Object> root) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        options.setSplitLines(false);
        return new Yaml(new Representer(options), options).dump(root);
    }
}
