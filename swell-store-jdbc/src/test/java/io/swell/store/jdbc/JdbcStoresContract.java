package io.swell.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.core.store.BuildRecord;
import io.swell.core.store.BuildStore;
import io.swell.core.store.ContainerRequestRecord;
import io.swell.core.store.ImageTagStore;
import io.swell.api.ContainerConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every SQL database behind the stores must have; run against embedded H2 ({@link H2StoresTest}) and
 * a real PostgreSQL server ({@link PostgresStoresTest}).
 */
abstract class JdbcStoresContract {
    protected Database db;
    private JdbcBuildStore store;

    /** Opens the test's database; a second call in one test opens the same database again. */
    abstract Database open();

    @BeforeEach
    void openStores() {
        db = open();
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
        db = open();
        store = new JdbcBuildStore(db.dataSource());
        assertThat(store.find(a.buildId())).hasValueSatisfying(r -> {
            assertThat(r.targetImage()).isEqualTo("reg/repo:ccc");
            assertThat(r.state()).isEqualTo(BuildRecord.State.PENDING);
        });
    }

    @Test
    void containerRequestsAreFoundRevokedAndGetTheirDigests() {
        var requests = new JdbcContainerRequestStore(db.dataSource());
        Instant now = Instant.parse("2026-11-23T00:00:00Z");
        requests.insert(new ContainerRequestRecord("tok1", now, now.plusSeconds(3600), false, "reg/img:1",
                "linux/amd64", new ContainerConfig(null, List.of("sh"), List.of("A=1"), null, null), null, 7L, "fp",
                "ts", "10.0.0.1", "swell/wt/tok1/img:1", null, null, null, false, false));

        requests.recordDigests("tok1", "sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64));

        assertThat(requests.find("tok1")).hasValueSatisfying(r -> {
            assertThat(r.containerConfig().cmd()).containsExactly("sh");
            assertThat(r.workspaceId()).isEqualTo(7L);
            assertThat(r.expiresAt()).isEqualTo(now.plusSeconds(3600));
            assertThat(r.sourceDigest()).isEqualTo("sha256:" + "1".repeat(64));
            assertThat(r.waveDigest()).isEqualTo("sha256:" + "2".repeat(64));
        });
        assertThat(requests.revoke("tok1")).isTrue();
        assertThat(requests.revoke("tok1")).isFalse();
        assertThat(requests.find("tok1")).hasValueSatisfying(r -> assertThat(r.revoked()).isTrue());
        assertThat(requests.find("nope")).isEmpty();
    }

    @Test
    void aTagPointsAtTheLastManifestPutUnderIt() {
        var tags = new JdbcImageTagStore(db.dataSource());
        tags.put("swell/build", "t1", new ImageTagStore.TaggedManifest("sha256:" + "a".repeat(64), "m1"));
        tags.put("swell/build", "t1", new ImageTagStore.TaggedManifest("sha256:" + "b".repeat(64), "m2"));

        assertThat(tags.find("swell/build", "t1"))
                .contains(new ImageTagStore.TaggedManifest("sha256:" + "b".repeat(64), "m2"));
        assertThat(tags.find("swell/build", "t2")).isEmpty();
        assertThat(tags.find("other", "t1")).isEmpty();
    }

    @Test
    void usageCountersGrowFromNothingAlsoWhenWrittenConcurrently() throws Exception {
        var counters = new JdbcUsageCounterStore(db.dataSource());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                writers.add(pool.submit(() -> {
                    go.await();
                    counters.add(java.util.Map.of("pulls", 2L, "pulls/d/2026-11-23", 1L));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> w : writers) {
                w.get();
            }
        }
        assertThat(counters.get("pulls")).isEqualTo(16);
        assertThat(counters.get("pulls/d/2026-11-23")).isEqualTo(8);
        assertThat(counters.get("builds")).isZero();
    }
}
