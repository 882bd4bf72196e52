package io.swell.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Makes small busybox-based OCI images without the internet and pushes them with skopeo. */
public final class TestImages {

    /** Media type of the single-platform manifests this class writes. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** Media type of the multi-platform index this class writes. */
    public static final String OCI_INDEX = OciLayout.INDEX_MEDIA_TYPE;
    /** Media type of the image configs this class writes. */
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

    private static final Path AMD64_BUSYBOX = Path.of("/bin/busybox");
    private static final List<String> APPLETS = List.of("sh", "ls", "cat", "echo", "env");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestImages() {
    }

    /** Writes a linux/amd64 busybox image; non-empty {@code extraFiles} (path to bytes) go in a second layer. */
    public static BuiltImage singleArchLayout(Path dir, String tag, Map<String, byte[]> extraFiles) {
        OciLayout layout = new OciLayout(dir);
        List<LayerBuilder> layers = new ArrayList<>();
        layers.add(busyboxLayer(AMD64_BUSYBOX));
        if (!extraFiles.isEmpty()) {
            LayerBuilder extra = new LayerBuilder();
            extraFiles.forEach((path, content) -> extra.file(stripSlash(path), 0644, content));
            layers.add(extra);
        }
        Written written = writeImage(layout, tag, Platform.AMD64, layers, Deflater.DEFAULT_COMPRESSION);
        layout.tag(tag, written.manifest());
        return written.image();
    }

    /** Writes an OCI image index with linux/amd64 and linux/arm64/v8 busybox images. */
    public static BuiltImage multiArchLayout(Path dir, String tag) {
        OciLayout layout = new OciLayout(dir);
        Map<String, BuiltImage> platforms = new LinkedHashMap<>();
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        // Look the arm64 binary up first, so a missing one fails before anything is written.
        Map<Platform, Path> busyboxes = new LinkedHashMap<>();
        busyboxes.put(Platform.AMD64, AMD64_BUSYBOX);
        busyboxes.put(Platform.ARM64, arm64Busybox());
        for (Map.Entry<Platform, Path> busybox : busyboxes.entrySet()) {
            Platform platform = busybox.getKey();
            Written written = writeImage(layout, tag, platform, List.of(busyboxLayer(busybox.getValue())),
                    Deflater.DEFAULT_COMPRESSION);
            platforms.put(platform.toString(), written.image());
            ObjectNode entry = written.manifest().toJson();
            entry.set("platform", platform.toJson());
            manifests.add(entry);
        }
        OciLayout.Descriptor indexBlob = layout.writeJson(OCI_INDEX, index);
        layout.tag(tag, indexBlob);
        return new BuiltImage(dir, tag, indexBlob.digest(), OCI_INDEX, null, List.of(), platforms);
    }

    /**
     * Writes a linux/amd64 image whose only layer holds {@code layerBytes} random bytes, streamed
     * to disk so that even gigabyte layers never sit in memory; each call gives new content.
     */
    public static BuiltImage randomBlobImageLayout(Path dir, String tag, long layerBytes) {
        OciLayout layout = new OciLayout(dir);
        long seed = new SecureRandom().nextLong();
        LayerBuilder layer = new LayerBuilder()
                .file("data/random.bin", 0644, layerBytes, out -> writeRandom(out, seed, layerBytes));
        Written written = writeImage(layout, tag, Platform.AMD64, List.of(layer), Deflater.NO_COMPRESSION);
        layout.tag(tag, written.manifest());
        return written.image();
    }

    /** Pushes every platform of {@code image} to {@code dockerRef}; {@code credentials} is "user:pass" or null. */
    public static void push(BuiltImage image, String dockerRef, String credentials) {
        push(image.layout(), image.tag(), dockerRef, credentials);
    }

    /**
     * Runs {@code skopeo copy --all oci:LAYOUT:TAG docker://REF} over plain HTTP.
     *
     * <p>{@code --preserve-digests} makes skopeo fail rather than silently re-encode, so the
     * digests a test computed are the digests the registry serves.
     */
    public static void push(Path layout, String tag, String dockerRef, String credentials) {
        List<String> args = new ArrayList<>(List.of("--all", "--preserve-digests", "--dest-tls-verify=false"));
        if (credentials == null) {
            // Explicit, so a stray auth.json on the machine can never make an "anonymous" push succeed.
            args.add("--dest-no-creds");
        } else {
            args.addAll(List.of("--dest-creds", credentials));
        }
        args.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + dockerRef));
        Skopeo.copy(args, Duration.ofMinutes(10));
    }

    /**
     * Returns the arm64 busybox made by {@code scripts/test-prereqs-arm64.sh}, under
     * {@code $SWELL_TEST_CACHE} or {@code ~/.cache/swell-test}.
     */
    public static Path arm64Busybox() {
        String cache = System.getenv("SWELL_TEST_CACHE");
        Path root = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "swell-test");
        Path busybox = root.resolve("arm64/bin/busybox");
        if (!Files.isRegularFile(busybox)) {
            throw new IllegalStateException("no arm64 busybox at " + busybox
                    + "; run scripts/test-prereqs-arm64.sh (as root) once to fetch it from Debian");
        }
        return busybox;
    }

    private static LayerBuilder busyboxLayer(Path busybox) {
        if (!Files.isRegularFile(busybox)) {
            throw new IllegalStateException("no busybox at " + busybox + "; install Debian's busybox-static");
        }
        LayerBuilder layer = new LayerBuilder().file("bin/busybox", 0755, busybox);
        APPLETS.forEach(applet -> layer.symlink("bin/" + applet, "busybox"));
        return layer;
    }

    /** An image just written: what callers get back, and the descriptor an index or tag points at. */
    private record Written(BuiltImage image, OciLayout.Descriptor manifest) {
    }

    private static Written writeImage(OciLayout layout, String tag, Platform platform,
            List<LayerBuilder> layerBuilders, int compressionLevel) {
        List<LayerBuilder.Layer> layers = layerBuilders.stream()
                .map(builder -> builder.writeTo(layout, compressionLevel))
                .toList();
        OciLayout.Descriptor config = layout.writeJson(OCI_CONFIG, config(platform, layers));
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
        manifest.set("config", config.toJson());
        ArrayNode layerArray = manifest.putArray("layers");
        layers.forEach(layer -> layerArray.add(layer.blob().toJson()));
        OciLayout.Descriptor written = layout.writeJson(OCI_MANIFEST, manifest);
        List<String> layerDigests = layers.stream().map(layer -> layer.blob().digest()).toList();
        BuiltImage image = new BuiltImage(layout.dir(), tag, written.digest(), OCI_MANIFEST, config.digest(),
                layerDigests, Map.of());
        return new Written(image, written);
    }

    private static ObjectNode config(Platform platform, List<LayerBuilder.Layer> layers) {
        ObjectNode config = JSON.createObjectNode().put("created", LayerBuilder.EPOCH.toString());
        platform.addTo(config);
        ObjectNode runtime = config.putObject("config");
        runtime.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        runtime.putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        ArrayNode history = config.putArray("history");
        for (int i = 0; i < layers.size(); i++) {
            diffIds.add(layers.get(i).diffId());
            history.addObject()
                    .put("created", LayerBuilder.EPOCH.toString())
                    .put("created_by", "swell-testing layer " + (i + 1));
        }
        return config;
    }

    private static void writeRandom(OutputStream out, long seed, long total) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 16];
        for (long left = total; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
    }

    private static String stripSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
