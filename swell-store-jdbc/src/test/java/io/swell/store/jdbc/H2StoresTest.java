package io.swell.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 database. */
class H2StoresTest extends JdbcStoresContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return EmbeddedDatabase.open(dir);
    }
}
