package io.swell.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageAugmenterTest {
    private static final String CONFIG = """
            {"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z",
             "config":{"Env":["PATH=/bin","A=1"],"Entrypoint":["/init"],"Cmd":["sh"],"Labels":{"k":"v"}},
             "rootfs":{"type":"layers","diff_ids":["sha256:%s"]},
             "history":[{"created_by":"base"}],"x-custom":{"n":[1,2]}}
            """.formatted("1".repeat(64));
    private static final String MANIFEST = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":10},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":5}],
             "annotations":{"a":"b"},"unknownField":true}
            """.formatted("2".repeat(64), "3".repeat(64));

    private final ConfigChanges.AddedLayer layer = new ConfigChanges.AddedLayer(
            Digest.parse("sha256:" + "4".repeat(64)), 123, Digest.parse("sha256:" + "5".repeat(64)));

    @Test
    void augmentsConfigAndManifestKeepingUnknownFields() {
        var changes = new ConfigChanges(List.of("/new"), List.of("run"), List.of("A=2", "B=3"), "/work",
                List.of(layer));
        RawManifest upstream = RawManifest.of(MANIFEST.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        var result = ImageAugmenter.augment(upstream, CONFIG.getBytes(StandardCharsets.UTF_8), changes);

        ImageConfig cfg = OciJson.config(result.config());
        assertThat(cfg.config().entrypoint()).containsExactly("/new");
        assertThat(cfg.config().cmd()).containsExactly("run");
        assertThat(cfg.config().workingDir()).isEqualTo("/work");
        assertThat(cfg.config().env()).containsExactly("PATH=/bin", "A=2", "B=3", "WAVE_ENTRY_CHAIN=/init");
        assertThat(cfg.config().other()).containsEntry("Labels", Map.of("k", "v"));
        assertThat(cfg.rootfs().diffIds()).containsExactly("sha256:" + "1".repeat(64), "sha256:" + "5".repeat(64));
        assertThat(cfg.history()).hasSize(2);
        assertThat(cfg.other()).containsKeys("created", "x-custom");
        assertThat(result.configDigest()).isEqualTo(Digest.sha256(result.config()));

        ImageManifest m = OciJson.manifest(result.manifest().bytes());
        assertThat(m.config().digest()).isEqualTo(result.configDigest().toString());
        assertThat(m.config().size()).isEqualTo(result.config().length);
        assertThat(m.layers()).hasSize(2);
        assertThat(m.layers().get(1).mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(m.layers().get(1).size()).isEqualTo(123);
        assertThat(m.other()).containsEntry("unknownField", true);
        assertThat(m.annotations()).containsEntry("a", "b");
        assertThat(result.manifest().digest()).isEqualTo(Digest.sha256(result.manifest().bytes()));
    }

    @Test
    void isDeterministic() {
        var changes = new ConfigChanges(null, null, List.of("X=1"), null, List.of(layer));
        RawManifest upstream = RawManifest.of(MANIFEST.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        var a = ImageAugmenter.augment(upstream, CONFIG.getBytes(StandardCharsets.UTF_8), changes);
        var b = ImageAugmenter.augment(upstream, CONFIG.getBytes(StandardCharsets.UTF_8), changes);
        assertThat(a.manifest().digest()).isEqualTo(b.manifest().digest());
        assertThat(OciJson.config(a.config()).config().cmd()).containsExactly("sh");
    }

    @Test
    void dockerManifestsGetDockerLayerType() {
        String docker = MANIFEST.replace(MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
        var result = ImageAugmenter.augment(RawManifest.of(docker.getBytes(StandardCharsets.UTF_8),
                MediaTypes.DOCKER_MANIFEST), CONFIG.getBytes(StandardCharsets.UTF_8),
                new ConfigChanges(null, null, null, null, List.of(layer)));
        assertThat(OciJson.manifest(result.manifest().bytes()).layers().get(1).mediaType())
                .isEqualTo(MediaTypes.DOCKER_LAYER_GZIP);
        assertThat(result.manifest().mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
    }

    @Test
    void rewritesIndexEntriesAndDropsOthers() {
        String amd = "sha256:" + "a".repeat(64);
        String arm = "sha256:" + "b".repeat(64);
        String index = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,
                  "platform":{"architecture":"amd64","os":"linux"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":2,
                  "platform":{"architecture":"arm64","os":"linux","variant":"v8"},"annotations":{"x":"y"}}]}
                """.formatted(amd, arm);
        RawManifest replacement = RawManifest.of("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        RawManifest out = ImageAugmenter.rewriteIndex(
                RawManifest.of(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX),
                d -> Platform.LINUX_ARM64.matches(d.platform()), Map.of(arm, replacement));
        ImageIndex idx = OciJson.index(out.bytes());
        assertThat(idx.manifests()).hasSize(1);
        assertThat(idx.manifests().get(0).digest()).isEqualTo(replacement.digest().toString());
        assertThat(idx.manifests().get(0).size()).isEqualTo(2);
        assertThat(idx.manifests().get(0).annotations()).containsEntry("x", "y");
        assertThat(idx.manifests().get(0).platform().variant()).isEqualTo("v8");
    }
}
