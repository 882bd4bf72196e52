package io.swell.core.sif;

import java.nio.charset.StandardCharsets;

/**
 * A generic JSON data object of a SIF file, such as {@code inspect-metadata.json} or {@code oci-config.json}.
 *
 * @param name the object name stored in the descriptor, at most 127 bytes of UTF-8
 * @param content the JSON text
 */
public record SifJson(String name, String content) {
    public SifJson {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length >= SifDescriptor.NAME_SIZE) {
            throw new IllegalArgumentException("SIF object name must have 1 to 127 bytes: " + name);
        }
        if (content == null) {
            throw new IllegalArgumentException("SIF JSON object " + name + " has no content");
        }
    }
}
