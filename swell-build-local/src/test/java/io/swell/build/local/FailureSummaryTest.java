package io.swell.build.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which line of buildah's output becomes the one-line reason of a failed build. */
class FailureSummaryTest {

    private final FailureSummary summary = new FailureSummary();

    @Test
    void prefersBuildahsFinalErrorLineOverEarlierMentions() {
        summary.offer("STEP 2/2: RUN make");
        summary.offer("make: *** [all] Error 2");
        summary.offer("subprocess exited with status 2");
        summary.offer("Error: building at STEP \"RUN make\": exit status 2");
        summary.offer("0 errors in the cleanup");

        assertThat(summary.summary()).isEqualTo("Error: building at STEP \"RUN make\": exit status 2");
    }

    @Test
    void fallsBackToLastLineMentioningAnError() {
        summary.offer("Copying blob sha256:abc");
        summary.offer("writing blob: error uploading: unauthorized");
        summary.offer("done");

        assertThat(summary.summary()).isEqualTo("writing blob: error uploading: unauthorized");
    }

    @Test
    void isNullWhenNothingLooksLikeAnError() {
        summary.offer("STEP 1/1: FROM x");

        assertThat(summary.summary()).isNull();
    }

    @Test
    void explainsExecFormatErrorOfForeignPlatform() {
        // What buildah 1.28 prints for --platform linux/arm64 on amd64 without qemu (one line, sic).
        summary.offer("process failed to start with error: fork/exec /bin/sh: exec format errorprocess exited with"
                + " error: exec: not startedsubprocess exited with status 1");
        summary.offer("Error: building at STEP \"RUN echo hi\": exit status 1");

        assertThat(summary.summary())
                .isEqualTo("Error: building at STEP \"RUN echo hi\": exit status 1" + FailureSummary.EXEC_FORMAT_HINT);
    }

    @Test
    void cutsVeryLongLines() {
        summary.offer("Error: " + "x".repeat(1000));

        assertThat(summary.summary()).hasSize(FailureSummary.MAX_LENGTH).endsWith("...");
    }
}
