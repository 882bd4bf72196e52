package io.swell.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swell.api.ErrorCode;
import io.swell.api.SwellException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The codec between manifest/config bytes and the typed records. Output is compact and deterministic (record
 * component order, then unknown fields in their original order), so the same input always yields the same digest.
 */
public final class OciJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private OciJson() {}

    public static ImageManifest manifest(byte[] bytes) {
        return read(bytes, ImageManifest.class, "manifest");
    }

    public static ImageIndex index(byte[] bytes) {
        return read(bytes, ImageIndex.class, "index");
    }

    public static ImageConfig config(byte[] bytes) {
        return read(bytes, ImageConfig.class, "image config");
    }

    /** The {@code mediaType} field of a manifest document, or {@code null} when it has none. */
    public static String mediaTypeOf(byte[] bytes) {
        try {
            var node = MAPPER.readTree(bytes);
            var mt = node.get("mediaType");
            return mt == null || !mt.isString() ? null : mt.asString();
        } catch (JacksonException e) {
            return null;
        }
    }

    /** True when the document is a JSON object with the given top-level field. */
    public static boolean hasField(byte[] bytes, String field) {
        try {
            return MAPPER.readTree(bytes).has(field);
        } catch (JacksonException e) {
            return false;
        }
    }

    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    private static <T> T read(byte[] bytes, Class<T> type, String what) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new SwellException(ErrorCode.UNSUPPORTED, "Malformed " + what + ": " + e.getOriginalMessage());
        }
    }
}
