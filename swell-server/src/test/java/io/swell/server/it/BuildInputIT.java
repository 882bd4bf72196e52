package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a build request is refused for: a container file that is not strict base64 or too long, a container image
 * next to it, a build context that would write outside its directory, a bad build repository or platform. None
 * of these runs buildah.
 */
class BuildInputIT {

    private static final String FILE = "FROM 127.0.0.1:1/lib/busybox:1\nRUN echo never-built\n";

    @TempDir
    static Path tmp;

    private static SwellInstance swell;

    @BeforeAll
    static void start() {
        swell = SwellInstance.start(tmp.resolve("swell"));
    }

    @AfterAll
    static void stop() {
        if (swell != null) {
            swell.close();
        }
    }

    @Test
    void aContainerFileThatIsNotBase64IsRefused() {
        String plain = "FROM busybox\nRUN echo hi\n";
        String unpadded = Builds.base64(FILE).replaceAll("=+$", "");
        String wrapped = Base64.getMimeEncoder().encodeToString(FILE.repeat(10).getBytes(StandardCharsets.UTF_8));
        assertThat(unpadded).as("the test needs an input that needs padding").isNotEqualTo(Builds.base64(FILE));
        assertThat(wrapped).contains("\r\n");

        for (String containerFile : new String[] {plain, "not base64!!", unpadded, wrapped}) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("containerFile", containerFile);

            Http.Answer answer = post(body);

            assertThat(answer.status()).as("%s -> %s", containerFile, answer).isEqualTo(400);
            assertThat(answer.message()).as(containerFile).contains("base64");
        }
    }

    @Test
    void aContainerFileOverTheLimitIsRefused() {
        String big = FILE + "# " + "x".repeat(7600) + "\n";
        String encoded = Builds.base64(big);
        assertThat(encoded.length()).isGreaterThan(10_000);

        Http.Answer answer = post(Builds.request(big));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("10000");
    }

    @Test
    void aContainerFileWithAContainerImageIsRefused() {
        ObjectNode body = Builds.request(FILE).put("containerImage", "127.0.0.1:1/lib/busybox:1");

        Http.Answer answer = post(body);

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("containerImage").contains("containerFile");
    }

    @Test
    void aContainerFileReadingCredentialsIsRefused() {
        Http.Answer answer = post(Builds.request(FILE + "RUN cat /root/.docker/config.json\n"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("not allowed");
    }

    @Test
    void badBuildRepositoriesAreRefused() {
        for (String repository : new String[] {"127.0.0.1:5000/builds:v1", "http://127.0.0.1:5000/builds",
                "docker://127.0.0.1:5000/builds", "127.0.0.1:5000/builds@sha256:" + "a".repeat(64),
                swell.host() + "/not-the-build-store"}) {
            Http.Answer answer = post(Builds.request(FILE).put("buildRepository", repository));

            assertThat(answer.status()).as("%s -> %s", repository, answer).isEqualTo(400);
            assertThat(answer.message()).as(repository).isNotBlank();
        }
    }

    @Test
    void anUnsupportedPlatformIsRefused() {
        Http.Answer answer = post(Builds.request(FILE).put("containerPlatform", "linux/s390x"));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("s390x");
    }

    @Test
    void aBuildContextWithWrongDigestsIsRefused() {
        LayerTarball context = LayerTarball.ofTextFiles(Map.of("/a.txt", "a\n"));
        ObjectNode json = context.json();
        json.put("tarDigest", LayerTarball.sha256("other".getBytes(StandardCharsets.UTF_8)));
        ObjectNode body = Builds.request(FILE);
        body.set("buildContext", json);

        Http.Answer answer = post(body);

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.message()).contains("buildContext").contains("tarDigest");
    }

    @Test
    void anEscapingBuildContextIsRefusedAtRequest() throws IOException {
        for (Entry bad : escapingEntries()) {
            Http.Answer answer = post(Builds.request(FILE + "# " + bad.name() + "\n", tarball(bad)));

            assertThat(answer.status()).as("%s -> %s", bad.name(), answer).isEqualTo(400);
            assertThat(answer.message()).as(bad.name()).contains("Invalid build context");
        }
        try (Stream<Path> files = Files.walk(swell.dataDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("nothing of the contexts landed anywhere in the data dir")
                    .doesNotContain("escape.txt", "evil-link", "passwd-link");
        }
        assertThat(Path.of("/tmp/escape.txt")).doesNotExist();
    }

    /** One odd tar entry: a file (linkTarget null) or a symbolic link. */
    private record Entry(String name, String linkTarget) {
    }

    private static Entry[] escapingEntries() {
        return new Entry[] {
            new Entry("../escape.txt", null),
            new Entry("sub/../../escape.txt", null),
            new Entry("../../../../../../tmp/escape.txt", null),
            new Entry("passwd-link", "/etc/passwd"),
            new Entry("evil-link", "../../../../../../etc/passwd"),
        };
    }

    /** A tar.gz with a harmless file and {@code bad}. */
    private static LayerTarball tarball(Entry bad) {
        try {
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
                out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                byte[] ok = "fine\n".getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry fine = new TarArchiveEntry("fine.txt");
                fine.setSize(ok.length);
                out.putArchiveEntry(fine);
                out.write(ok);
                out.closeArchiveEntry();
                if (bad.linkTarget() == null) {
                    byte[] data = "escaped\n".getBytes(StandardCharsets.UTF_8);
                    // preserveAbsolutePath keeps the name exactly as given (no normalisation of leading parts).
                    TarArchiveEntry entry = new TarArchiveEntry(bad.name(), true);
                    entry.setSize(data.length);
                    out.putArchiveEntry(entry);
                    out.write(data);
                } else {
                    TarArchiveEntry entry = new TarArchiveEntry(bad.name(), TarArchiveEntry.LF_SYMLINK, true);
                    entry.setLinkName(bad.linkTarget());
                    out.putArchiveEntry(entry);
                }
                out.closeArchiveEntry();
            }
            ByteArrayOutputStream gzip = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
                out.write(tar.toByteArray());
            }
            return new LayerTarball(gzip.toByteArray(), LayerTarball.sha256(tar.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Http.Answer post(JsonNode body) {
        return Http.postJson(swell.uri(Builds.V2), body);
    }
}
