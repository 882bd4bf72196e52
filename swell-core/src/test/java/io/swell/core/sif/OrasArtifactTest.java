package io.swell.core.sif;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.oci.Digest;
import io.swell.oci.MediaTypes;
import io.swell.oci.RawManifest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OrasArtifactTest {

    @Test
    void theManifestIsTheOciFormOfWhatSingularityPushes() {
        Digest sif = Digest.sha256("not really a sif".getBytes(StandardCharsets.UTF_8));

        RawManifest manifest = OrasArtifact.manifest(sif, 16);

        assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(new String(manifest.bytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.sylabs.sif.config.v1+json\","
                + "\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\","
                + "\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.sylabs.sif.layer.v1.sif\","
                + "\"digest\":\"" + sif + "\",\"size\":16,"
                + "\"annotations\":{\"org.opencontainers.image.title\":\"image.sif\"}}]}");
        assertThat(manifest.digest()).isEqualTo(Digest.sha256(manifest.bytes()));
    }
}
