package io.swell.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swell.api.SwellException;
import io.swell.oci.Digest;
import io.swell.oci.ImageRef;
import org.junit.jupiter.api.Test;

class ContainerIncludesTest {
    private static final Digest DIGEST = Digest.parse("sha256:" + "ab".repeat(32));

    @Test
    void aBlobLocationNamesTheRegistryRepositoryAndDigest() {
        var blob = new ContainerIncludes.BlobLocation(ImageRef.parse("127.0.0.1:5000/lib/tools:1"), DIGEST);

        assertThat(blob.location()).isEqualTo("docker://127.0.0.1:5000/v2/lib/tools/blobs/" + DIGEST);
        var parsed = ContainerIncludes.BlobLocation.parse(blob.location());
        assertThat(parsed.repository().registry()).isEqualTo("127.0.0.1:5000");
        assertThat(parsed.repository().repository()).isEqualTo("lib/tools");
        assertThat(parsed.digest()).isEqualTo(DIGEST);
    }

    @Test
    void dockerHubImagesKeepTheirLibraryPrefix() {
        var blob = new ContainerIncludes.BlobLocation(ImageRef.parse("busybox"), DIGEST);

        assertThat(blob.location()).isEqualTo("docker://docker.io/v2/library/busybox/blobs/" + DIGEST);
        assertThat(ContainerIncludes.BlobLocation.parse(blob.location()).repository().repository())
                .isEqualTo("library/busybox");
    }

    @Test
    void aMalformedLocationIsABadRequest() {
        for (String bad : new String[] {"docker://", "docker://host/x/blobs/" + DIGEST, "docker://host/v2/blobs/x",
                "docker://host/v2/repo/blobs/not-a-digest"}) {
            assertThatThrownBy(() -> ContainerIncludes.BlobLocation.parse(bad))
                    .as(bad).isInstanceOf(SwellException.class);
        }
    }
}
