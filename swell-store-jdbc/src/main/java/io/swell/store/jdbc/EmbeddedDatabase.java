package io.swell.store.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The H2 database file under the data directory ({@code MODE=PostgreSQL}, so the SQL stays portable to the
 * PostgreSQL store), with its schema created at open.
 */
public final class EmbeddedDatabase implements Database {
    private final JdbcConnectionPool pool;

    private EmbeddedDatabase(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /** Opens (creating if needed) {@code <dir>/swell.mv.db}. */
    public static EmbeddedDatabase open(Path dir) {
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("swell")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "swell", "");
        pool.setMaxConnections(16);
        EmbeddedDatabase db = new EmbeddedDatabase(pool);
        db.createSchema();
        return db;
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    private void createSchema() {
        Schema.create(pool, null);
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
