package io.swell.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.core.store.BuildRecord;
import io.swell.core.store.BuildStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcBuildStoreTest {
    @TempDir
    Path dir;
    private EmbeddedDatabase db;
    private JdbcBuildStore store;

    @BeforeEach
    void open() {
        db = EmbeddedDatabase.open(dir);
        store = new JdbcBuildStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static BuildRecord candidate(String id, String target) {
        return new BuildRecord("bd-" + id + "_0", id, target, "linux/amd64", "FROM x", BuildRecord.State.PENDING,
                Instant.now(), null, null, null, null, "127.0.0.1", null);
    }

    @Test
    void twentyConcurrentClaimsMakeOneBuild() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BuildStore.Claim>> claims = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                claims.add(pool.submit(() -> {
                    go.await();
                    return store.claim(candidate("abc", "reg/repo:abc"), Instant.now());
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<BuildStore.Claim> f : claims) {
                BuildStore.Claim c = f.get();
                assertThat(c.record().buildId()).isEqualTo("bd-abc_1");
                created += c.created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        }
    }

    @Test
    void aRecentFailureIsAnsweredAndAnOldOneIsRetriedWithTheNextNumber() {
        BuildRecord first = store.claim(candidate("abc", "reg/repo:abc"), Instant.now()).record();
        Instant failedAt = Instant.now();
        store.update(first.finished(false, failedAt, 1, "RUN failed", null));

        BuildStore.Claim recent = store.claim(candidate("abc", "reg/repo:abc"), failedAt.minusSeconds(60));
        assertThat(recent.created()).isFalse();
        assertThat(recent.record().state()).isEqualTo(BuildRecord.State.FAILED);
        assertThat(recent.record().reason()).isEqualTo("RUN failed");

        BuildStore.Claim retry = store.claim(candidate("abc", "reg/repo:abc"), failedAt.plusSeconds(1));
        assertThat(retry.created()).isTrue();
        assertThat(retry.record().buildId()).isEqualTo("bd-abc_2");
        assertThat(store.find("bd-abc_1")).hasValueSatisfying(r -> assertThat(r.isDone()).isTrue());
    }

    @Test
    void aSuccessIsReusedAndUnfinishedBuildsAreListed() {
        BuildRecord a = store.claim(candidate("aaa", "reg/repo:aaa"), Instant.now()).record();
        BuildRecord b = store.claim(candidate("bbb", "reg/repo:bbb"), Instant.now()).record();
        store.update(b.withState(BuildRecord.State.RUNNING));
        store.update(a.finished(true, Instant.now(), 0, null, "sha256:" + "d".repeat(64)));

        BuildStore.Claim again = store.claim(candidate("aaa", "reg/repo:aaa"), Instant.now());
        assertThat(again.created()).isFalse();
        assertThat(again.record().digest()).isEqualTo("sha256:" + "d".repeat(64));
        assertThat(store.unfinished()).extracting(BuildRecord::buildId).containsExactly("bd-bbb_1");
    }

    @Test
    void recordsSurviveReopening() {
        BuildRecord a = store.claim(candidate("ccc", "reg/repo:ccc"), Instant.now()).record();
        db.close();
        db = EmbeddedDatabase.open(dir);
        store = new JdbcBuildStore(db.dataSource());
        assertThat(store.find(a.buildId())).hasValueSatisfying(r -> {
            assertThat(r.targetImage()).isEqualTo("reg/repo:ccc");
            assertThat(r.state()).isEqualTo(BuildRecord.State.PENDING);
        });
    }
}
