package io.swell.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @TempDir
    Path tmp;

    @Test
    void closeKillsTheWholeTreeAndKeepsTheLog() throws Exception {
        // The shell ignores SIGTERM so the forced kill is exercised too; its child sleeps on.
        ManagedProcess process = ManagedProcess.start(List.of("/bin/sh", "-c",
                "trap '' TERM; echo started; sleep 300 & echo child $!; wait"), tmp.resolve("log/out.log"));
        ProcessHandle child = awaitChild(process);

        process.stop(Duration.ofMillis(300));

        assertThat(process.isAlive()).isFalse();
        assertThat(child.isAlive()).isFalse();
        assertThat(process.logTail(5)).contains("started").contains("child " + child.pid());
        assertThat(process.logTail(1)).startsWith("child");
    }

    @Test
    void toolFailuresCarryStderr() {
        assertThatThrownBy(() -> ToolCommand.run(Duration.ofSeconds(10),
                List.of("/bin/sh", "-c", "echo boom >&2; exit 3")))
                .isInstanceOfSatisfying(ToolFailedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.stderr()).contains("boom");
                });
        assertThat(ToolCommand.run(Duration.ofSeconds(10), List.of("/bin/echo", "ok"))).isEqualTo("ok\n");
    }

    @Test
    void toolTimeoutsAreReported() {
        assertThatThrownBy(() -> ToolCommand.run(Duration.ofMillis(200), List.of("sleep", "30")))
                .isInstanceOfSatisfying(ToolFailedException.class, e -> assertThat(e.exitCode()).isEqualTo(-1));
    }

    @Test
    void freePortsCanBeBound() throws Exception {
        int port = FreePorts.pick();
        try (ServerSocket socket = new ServerSocket(port, 1, FreePorts.loopback())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    private static ProcessHandle awaitChild(ManagedProcess process) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var child = ProcessHandle.of(process.pid()).flatMap(h -> h.children().findFirst());
            if (child.isPresent() && process.logTail(5).contains("child")) {
                return child.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no child process; log: " + process.logTail(10));
    }
}
