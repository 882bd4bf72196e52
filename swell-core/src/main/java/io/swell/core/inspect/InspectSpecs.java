package io.swell.core.inspect;

import io.swell.api.InspectResponse.ConfigSpec;
import io.swell.api.InspectResponse.ContainerSpec;
import io.swell.api.InspectResponse.IndexEntry;
import io.swell.api.InspectResponse.IndexSpec;
import io.swell.api.InspectResponse.ManifestSpec;
import io.swell.api.InspectResponse.ObjectRef;
import io.swell.api.InspectResponse.PlatformSpec;
import io.swell.api.InspectResponse.RootFs;
import io.swell.api.InspectResponse.RunConfig;
import io.swell.api.SwellException;
import io.swell.oci.Descriptor;
import io.swell.oci.ImageConfig;
import io.swell.oci.ImageIndex;
import io.swell.oci.ImageManifest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.OciJson;
import io.swell.oci.RawManifest;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns manifests, indexes and image configs into the inspect answer's spec records, mapping OCI's capitalised
 * config keys ({@code Env}, {@code WorkingDir}, {@code Hostname}...) to Wave's lower-camel field names.
 */
final class InspectSpecs {

    private InspectSpecs() {}

    /** The spec of an index or manifest list. */
    static IndexSpec index(RawManifest raw) {
        ImageIndex index = OciJson.index(raw.bytes());
        List<IndexEntry> entries = new ArrayList<>();
        for (Descriptor d : index.manifests() == null ? List.<Descriptor>of() : index.manifests()) {
            Descriptor.Platform p = d.platform();
            entries.add(new IndexEntry(d.mediaType(), d.digest(), d.size(), d.annotations(),
                    p == null ? null : new PlatformSpec(p.architecture(), p.os(), emptyToNull(p.variant()))));
        }
        return new IndexSpec(index.schemaVersion(), mediaType(index.mediaType(), raw), raw.digest().toString(),
                entries);
    }

    /**
     * The spec of one image.
     *
     * @param ref         the image asked for (its reference is the tag or digest asked)
     * @param apiBase     base URL of the registry's API, e.g. {@code https://registry-1.docker.io}
     * @param raw         the image manifest (not an index)
     * @param configBytes the config blob it points at; anything that is not a JSON object (an artifact's empty
     *                    config, for example) gives an empty config spec
     */
    static ContainerSpec container(ImageRef ref, URI apiBase, RawManifest raw, byte[] configBytes) {
        ImageManifest manifest = OciJson.manifest(raw.bytes());
        String mediaType = mediaType(manifest.mediaType(), raw);
        List<ObjectRef> layers = new ArrayList<>();
        for (Descriptor layer : manifest.layers() == null ? List.<Descriptor>of() : manifest.layers()) {
            layers.add(objectRef(layer));
        }
        var manifestSpec = new ManifestSpec(manifest.schemaVersion(), mediaType,
                manifest.config() == null ? null : objectRef(manifest.config()), layers, manifest.annotations(),
                manifest.artifactType());
        return new ContainerSpec(ref.registry(), apiBase.toString(), ref.repository(), ref.reference(),
                raw.digest().toString(), config(configBytes), manifestSpec, manifest.schemaVersion() == 1,
                manifest.schemaVersion() == 2, MediaTypes.OCI_MANIFEST.equals(mediaType));
    }

    /** The config spec of a config blob; an unreadable one is an empty spec rather than an error. */
    static ConfigSpec config(byte[] bytes) {
        ImageConfig config;
        try {
            config = bytes == null || bytes.length == 0 ? null : OciJson.config(bytes);
        } catch (SwellException notAnImageConfig) {
            config = null;
        }
        if (config == null) {
            return new ConfigSpec(null, null, null, null, null);
        }
        Map<String, Object> other = orEmpty(config.other());
        RootFs rootfs = config.rootfs() == null ? null
                : new RootFs(config.rootfs().type(), config.rootfs().diffIds());
        return new ConfigSpec(config.architecture(), runConfig(config.config()), string(other, "container"),
                instant(string(other, "created")), rootfs);
    }

    private static RunConfig runConfig(ImageConfig.RunConfig c) {
        if (c == null) {
            return null;
        }
        Map<String, Object> o = orEmpty(c.other());
        return new RunConfig(string(o, "Hostname"), string(o, "Domainname"), string(o, "User"),
                bool(o, "AttachStdin"), bool(o, "AttachStdout"), bool(o, "AttachStderr"), bool(o, "Tty"), c.env(),
                c.cmd(), string(o, "Image"), c.workingDir(), c.entrypoint(), labels(o.get("Labels")));
    }

    private static ObjectRef objectRef(Descriptor d) {
        return new ObjectRef(d.mediaType(), d.digest(), d.size(), d.annotations());
    }

    /** The document's own media type, else the one the registry answered with. */
    private static String mediaType(String inDocument, RawManifest raw) {
        return inDocument != null ? inDocument : raw.mediaType();
    }

    private static String string(Map<String, Object> map, String key) {
        return map.get(key) instanceof String s ? s : null;
    }

    private static Boolean bool(Map<String, Object> map, String key) {
        return map.get(key) instanceof Boolean b ? b : null;
    }

    private static Map<String, String> labels(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        map.forEach((k, v) -> labels.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        return labels;
    }

    /** An RFC 3339 time as an instant (wave-cli reads {@code created} as an ISO instant); unreadable is null. */
    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, Object> orEmpty(Map<String, Object> map) {
        return map == null ? Map.of() : map;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
