package io.swell.core.sif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks SifWriter output with Debian's siftool (package siftool) and a squashfs made by mksquashfs. */
class SifWriterTest {
    private static final String DEFINITION = "Bootstrap: docker\nFrom: alpine:3.21\n\n%environment\n  export A=1\n";
    private static final SifJson METADATA = new SifJson("inspect-metadata.json",
            "{\"data\":{\"attributes\":{\"labels\":{\"a\":\"b\"}}},\"type\":\"container\"}");
    private static final SifJson OCI_CONFIG = new SifJson("oci-config.json", "{\"Env\":[\"PATH=/bin\"]}");

    @TempDir
    Path tmp;
    private Path squashfs;

    @BeforeEach
    void makeSquashfs() throws IOException {
        Path root = tmp.resolve("rootfs");
        for (String dir : List.of(".singularity.d/actions", ".singularity.d/env", ".singularity.d/libs", "etc",
                "bin", "tmp")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve(".singularity.d/runscript"), "#!/bin/sh\nexec /bin/sh \"$@\"\n");
        Files.writeString(root.resolve(".singularity.d/env/90-environment.sh"), "export A=1\n");
        Files.writeString(root.resolve("etc/hosts"), "");
        Files.writeString(root.resolve("bin/hello"), "hello world\n".repeat(1000));
        squashfs = tmp.resolve("rootfs.sqfs");
        run("mksquashfs", root.toString(), squashfs.toString(), "-noappend", "-mkfs-time", "0", "-all-time", "0",
                "-quiet");
    }

    @Test
    void siftoolReadsAnAmd64ImageWithJsonObjects() throws IOException {
        Path sif = tmp.resolve("image.sif");
        // given out of order on purpose: singularity writes the JSON objects sorted by name
        long size = SifWriter.system().write(new SifContent(DEFINITION, List.of(OCI_CONFIG, METADATA), squashfs,
                SifArch.AMD64), sif);
        assertThat(size).isEqualTo(Files.size(sif));

        String list = siftool("list", sif);
        assertThat(list).containsPattern("1 +\\|1 +\\|NONE +\\|32176-\\d+ +\\|Def.FILE")
                .containsPattern("2 +\\|1 +\\|NONE +\\|\\d+-\\d+ +\\|JSON.Generic")
                .containsPattern("3 +\\|1 +\\|NONE +\\|\\d+-\\d+ +\\|JSON.Generic")
                .containsPattern("4 +\\|1 +\\|NONE +\\|\\d+-" + size + " +\\|FS \\(Squashfs/\\*System/amd64\\)");
        assertThat(siftool("header", sif)).contains("Primary Architecture: amd64", "Descriptors Free:     44",
                "Data Offset:          32176");
        assertThat(siftool("info 2", sif)).contains("Name:         inspect-metadata.json");
        assertThat(siftool("info 3", sif)).contains("Name:         oci-config.json");
        assertThat(siftool("info 4", sif)).containsPattern("Filesystem Type: +Squashfs")
                .containsPattern("Partition Type: +\\*System").containsPattern("Architecture: +amd64");

        assertThat(siftool("dump 1", sif)).isEqualTo(DEFINITION);
        assertThat(siftool("dump 2", sif)).isEqualTo(METADATA.content());
        assertThat(siftool("dump 3", sif)).isEqualTo(OCI_CONFIG.content());
        assertThat(dump(4, sif)).isEqualTo(Files.readAllBytes(squashfs));
        long partitionOffset = Long.parseLong(siftool("info 4", sif).replaceAll("(?s).*Offset: +(\\d+).*", "$1"));
        assertThat(partitionOffset % 4096).isZero();
    }

    @Test
    void siftoolReadsAnArm64ImageWithoutJson() throws IOException {
        Path sif = tmp.resolve("arm.sif");
        SifWriter.system().write(new SifContent(DEFINITION, List.of(), squashfs, SifArch.fromPlatform("linux/arm64")),
                sif);
        String list = siftool("list", sif);
        assertThat(list).contains("Def.FILE", "FS (Squashfs/*System/arm64)").doesNotContain("JSON");
        assertThat(siftool("header", sif)).contains("Primary Architecture: arm64");
        assertThat(siftool("info 2", sif)).containsPattern("Architecture: +arm64");
        assertThat(siftool("dump 1", sif)).isEqualTo(DEFINITION);
        assertThat(dump(2, sif)).isEqualTo(Files.readAllBytes(squashfs));
    }

    @Test
    void matchesSiftoolByteForByte() throws IOException {
        Path def = Files.writeString(tmp.resolve("image.def"), DEFINITION);
        Path metadata = Files.writeString(tmp.resolve("inspect-metadata.json"), METADATA.content());
        Path config = Files.writeString(tmp.resolve("oci-config.json"), OCI_CONFIG.content());
        Path reference = tmp.resolve("reference.sif");
        byte[] expected = null;
        // siftool stamps each object with the time it is added: a run that crossed a second boundary has mixed
        // times, which SifWriter (one time for the whole file, like singularity build) cannot match. Run again.
        for (int attempt = 0; attempt < 5 && (expected == null || !oneTimeStamp(expected, 4)); attempt++) {
            Files.deleteIfExists(reference);
            siftool("new", reference);
            siftool("add --datatype 1 --groupid 1", reference, def);
            siftool("add --datatype 6 --groupid 1 --filename inspect-metadata.json", reference, metadata);
            siftool("add --datatype 6 --groupid 1 --filename oci-config.json", reference, config);
            siftool("add --datatype 4 --parttype 2 --partfs 1 --partarch 4 --groupid 1", reference, squashfs);
            expected = Files.readAllBytes(reference);
        }

        // take siftool's random id and time so that only the launch script differs, which siftool leaves empty
        ByteBuffer header = ByteBuffer.wrap(expected);
        UUID id = new UUID(header.getLong(48), header.getLong(56));
        long time = header.order(ByteOrder.LITTLE_ENDIAN).getLong(64);
        Path sif = tmp.resolve("image.sif");
        new SifWriter(Clock.fixed(Instant.ofEpochSecond(time), ZoneOffset.UTC), () -> id)
                .write(new SifContent(DEFINITION, List.of(OCI_CONFIG, METADATA), squashfs, SifArch.ARM64), sif);
        byte[] launchScript = SifWriter.LAUNCH_SCRIPT.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(launchScript, 0, expected, 0, launchScript.length);
        assertThat(Arrays.equals(Files.readAllBytes(sif), expected)).as("SIF equals siftool's").isTrue();
    }

    /** Whether the header and the first {@code objects} descriptors all carry the same created/modified time. */
    private static boolean oneTimeStamp(byte[] sif, int objects) {
        ByteBuffer b = ByteBuffer.wrap(sif).order(ByteOrder.LITTLE_ENDIAN);
        long time = b.getLong(64);
        boolean same = b.getLong(72) == time;
        for (int i = 0; i < objects; i++) {
            int descriptor = 4096 + i * SifDescriptor.SIZE;
            same &= b.getLong(descriptor + 41) == time && b.getLong(descriptor + 49) == time;
        }
        return same;
    }

    @Test
    void reproducibleWriterGivesIdenticalFiles() throws IOException {
        SifContent content = new SifContent(DEFINITION, List.of(METADATA), squashfs, SifArch.AMD64);
        Path first = tmp.resolve("first.sif");
        Path second = tmp.resolve("second.sif");
        SifWriter.reproducible().write(content, first);
        SifWriter.reproducible().write(content, second);
        byte[] bytes = Files.readAllBytes(first);
        assertThat(Arrays.equals(bytes, Files.readAllBytes(second))).as("identical SIF files").isTrue();

        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getLong(48)).isZero();
        assertThat(header.getLong(56)).isZero();
        assertThat(header.getLong(64)).isEqualTo(SifWriter.GO_ZERO_TIME);
        assertThat(new String(bytes, 0, 32, StandardCharsets.US_ASCII)).startsWith("#!/usr/bin/env run-singularity\n");
        // siftool omits the id and creation time of a deterministic image
        assertThat(siftool("header", first)).doesNotContain("ID:", "Created At:");
    }

    @Test
    void refusesAFileThatIsNotASquashfs() throws IOException {
        Path notSquashfs = Files.writeString(tmp.resolve("rootfs.tar"), "not a squashfs");
        SifContent content = new SifContent(DEFINITION, List.of(), notSquashfs, SifArch.AMD64);
        assertThatThrownBy(() -> SifWriter.system().write(content, tmp.resolve("x.sif")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a squashfs");
        assertThat(tmp.resolve("x.sif")).doesNotExist();
    }

    @Test
    void mapsPlatformsAndRejectsOthers() {
        assertThat(SifArch.fromPlatform("linux/amd64")).isEqualTo(SifArch.AMD64);
        assertThat(SifArch.fromPlatform("linux/arm64/v8")).isEqualTo(SifArch.ARM64);
        assertThat(SifArch.fromPlatform("arm64")).isEqualTo(SifArch.ARM64);
        assertThatThrownBy(() -> SifArch.fromPlatform("linux/s390x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SifJson("x".repeat(128), "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SifContent(DEFINITION, List.of(METADATA, METADATA), squashfs, SifArch.AMD64))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Runs siftool with a space-separated command and the given file arguments and returns its output. */
    private String siftool(String command, Object... files) throws IOException {
        return new String(siftoolBytes(command, files), StandardCharsets.UTF_8);
    }

    private byte[] dump(int id, Path sif) throws IOException {
        return siftoolBytes("dump " + id, sif);
    }

    private byte[] siftoolBytes(String command, Object... files) throws IOException {
        List<String> args = new ArrayList<>(List.of("siftool"));
        args.addAll(List.of(command.split(" ")));
        for (Object file : files) {
            args.add(file.toString());
        }
        return run(args.toArray(String[]::new));
    }

    private byte[] run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(tmp.resolve("stderr.txt").toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            int code = process.waitFor();
            assertThat(code).as("%s failed: %s", String.join(" ", command),
                    Files.readString(tmp.resolve("stderr.txt"))).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
