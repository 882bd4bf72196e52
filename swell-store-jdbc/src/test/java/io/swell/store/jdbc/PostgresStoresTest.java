package io.swell.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.swell.testing.LocalPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL server (Debian's), one fresh database per test. */
class PostgresStoresTest extends JdbcStoresContract {
    private static LocalPostgres server;
    private String url;

    @BeforeAll
    static void startServer() {
        server = LocalPostgres.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Database open() {
        if (url == null) {
            url = server.newDatabase();
        }
        return PostgresDatabase.open(url, LocalPostgres.USER, null, 8);
    }

    @Test
    void replicasStartingTogetherCreateTheSchemaOnce() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Database>> opened = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                opened.add(pool.submit(() -> {
                    go.await();
                    return open();
                }));
            }
            go.countDown();
            for (Future<Database> f : opened) {
                try (Database replica = f.get()) {
                    assertThat(new JdbcImageTagStore(replica.dataSource()).find("r", "t")).isEmpty();
                }
            }
        }
    }
}
