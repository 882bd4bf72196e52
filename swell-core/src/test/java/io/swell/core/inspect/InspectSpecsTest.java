package io.swell.core.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.InspectResponse;
import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import io.swell.oci.MediaTypes;
import io.swell.oci.RawManifest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InspectSpecsTest {
    private static final String CONFIG_DIGEST = Digest.sha256(new byte[] {1}).toString();
    private static final String LAYER_DIGEST = Digest.sha256(new byte[] {2}).toString();

    @Test
    void mapsOciConfigKeysToWaveFieldNames() {
        InspectResponse.ConfigSpec spec = InspectSpecs.config(bytes("""
                {"architecture":"arm64","os":"linux","created":"2024-05-06T07:08:09.123456789+02:00",
                 "container":"abc123",
                 "config":{"Hostname":"h","Domainname":"d","User":"1000:1000","AttachStdin":false,
                  "AttachStdout":true,"AttachStderr":true,"Tty":false,"Env":["PATH=/bin","A=1"],
                  "Cmd":["/bin/sh"],"Image":"sha256:00","WorkingDir":"/work","Entrypoint":["/init"],
                  "Labels":{"org.opencontainers.image.title":"x"},"ExposedPorts":{"80/tcp":{}}},
                 "rootfs":{"type":"layers","diff_ids":["sha256:aa","sha256:bb"]},
                 "history":[{"created_by":"x"}]}
                """));

        assertThat(spec.architecture()).isEqualTo("arm64");
        assertThat(spec.container()).isEqualTo("abc123");
        assertThat(spec.created()).isEqualTo(Instant.parse("2024-05-06T05:08:09.123456789Z"));
        assertThat(spec.rootfs().type()).isEqualTo("layers");
        assertThat(spec.rootfs().diffIds()).containsExactly("sha256:aa", "sha256:bb");
        InspectResponse.RunConfig c = spec.config();
        assertThat(c.hostName()).isEqualTo("h");
        assertThat(c.domainName()).isEqualTo("d");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.attachStdin()).isFalse();
        assertThat(c.attachStdout()).isTrue();
        assertThat(c.attachStderr()).isTrue();
        assertThat(c.tty()).isFalse();
        assertThat(c.env()).containsExactly("PATH=/bin", "A=1");
        assertThat(c.cmd()).containsExactly("/bin/sh");
        assertThat(c.image()).isEqualTo("sha256:00");
        assertThat(c.workingDir()).isEqualTo("/work");
        assertThat(c.entrypoint()).containsExactly("/init");
        assertThat(c.labels()).containsEntry("org.opencontainers.image.title", "x");
    }

    @Test
    void absentKeysStayAbsentAndBadValuesAreDropped() {
        InspectResponse.ConfigSpec spec = InspectSpecs.config(bytes("""
                {"architecture":"amd64","created":"yesterday","config":{"Tty":"yes","User":7}}"""));

        assertThat(spec.created()).isNull();
        assertThat(spec.config().tty()).isNull();
        assertThat(spec.config().user()).isNull();
        assertThat(spec.config().env()).isNull();
        assertThat(spec.rootfs()).isNull();
    }

    @Test
    void anArtifactConfigThatIsNoImageConfigGivesAnEmptySpec() {
        assertThat(InspectSpecs.config(new byte[0])).isEqualTo(new InspectResponse.ConfigSpec(null, null, null, null,
                null));
        assertThat(InspectSpecs.config(bytes("[1,2]")).architecture()).isNull();
        assertThat(InspectSpecs.config(bytes("{}")).config()).isNull();
    }

    @Test
    void describesAManifestWithWhereItsBlobsLive() {
        byte[] manifest = bytes("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "artifactType":"application/vnd.example","annotations":{"a":"b"},
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":1},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":22,
                   "annotations":{"org.opencontainers.image.title":"f.sif"}}]}
                """.formatted(CONFIG_DIGEST, LAYER_DIGEST));
        RawManifest raw = RawManifest.of(manifest, MediaTypes.OCI_MANIFEST);
        ImageRef ref = ImageRef.parse("quay.io/org/tool:1.0");

        InspectResponse.ContainerSpec spec = InspectSpecs.container(ref, URI.create("https://quay.io"), raw,
                bytes("{\"architecture\":\"amd64\"}"));

        assertThat(spec.registry()).isEqualTo("quay.io");
        assertThat(spec.hostName()).isEqualTo("https://quay.io");
        assertThat(spec.imageName()).isEqualTo("org/tool");
        assertThat(spec.reference()).isEqualTo("1.0");
        assertThat(spec.digest()).isEqualTo(raw.digest().toString());
        assertThat(spec.v2()).isTrue();
        assertThat(spec.oci()).isTrue();
        assertThat(spec.v1()).isFalse();
        assertThat(spec.config().architecture()).isEqualTo("amd64");
        InspectResponse.ManifestSpec m = spec.manifest();
        assertThat(m.schemaVersion()).isEqualTo(2);
        assertThat(m.artifactType()).isEqualTo("application/vnd.example");
        assertThat(m.annotations()).containsEntry("a", "b");
        assertThat(m.config().digest()).isEqualTo(CONFIG_DIGEST);
        assertThat(m.config().size()).isEqualTo(1L);
        assertThat(m.layers()).singleElement().satisfies(l -> {
            assertThat(l.digest()).isEqualTo(LAYER_DIGEST);
            assertThat(l.size()).isEqualTo(22L);
            assertThat(l.annotations()).containsEntry("org.opencontainers.image.title", "f.sif");
        });
    }

    @Test
    void describesAnIndexEntryByEntry() {
        byte[] index = bytes("""
                {"schemaVersion":2,"manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":10,
                  "platform":{"architecture":"amd64","os":"linux"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":11,
                  "annotations":{"k":"v"},"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}
                """.formatted(CONFIG_DIGEST, LAYER_DIGEST));
        RawManifest raw = RawManifest.of(index, MediaTypes.OCI_INDEX);

        InspectResponse.IndexSpec spec = InspectSpecs.index(raw);

        assertThat(spec.mediaType()).as("taken from the answer when the document has none")
                .isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(spec.digest()).isEqualTo(raw.digest().toString());
        assertThat(spec.manifests()).hasSize(2);
        assertThat(spec.manifests().get(0).platform())
                .isEqualTo(new InspectResponse.PlatformSpec("amd64", "linux", null));
        assertThat(spec.manifests().get(1).platform().variant()).isEqualTo("v8");
        assertThat(spec.manifests().get(1).annotations()).containsEntry("k", "v");
        assertThat(spec.manifests().get(1).size()).isEqualTo(11L);
    }

    @Test
    void platformQueryAcceptsOnePlatformOnly() {
        assertThat(InspectService.parsePlatform(null)).isNull();
        assertThat(InspectService.parsePlatform(" ")).isNull();
        assertThat(InspectService.parsePlatform("aarch64").architecture()).isEqualTo("arm64");
        assertThatThrownBy(() -> InspectService.parsePlatform("linux/amd64,linux/arm64"))
                .isInstanceOf(SwellException.class)
                .hasMessage("Container multi-platform architecture not allowed");
        assertThatThrownBy(() -> InspectService.parsePlatform("windows/amd64"))
                .isInstanceOf(SwellException.class).hasMessageContaining("Unsupported container platform");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
