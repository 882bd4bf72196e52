package io.swell.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The H2 database file under the data directory ({@code MODE=PostgreSQL}, so the SQL stays portable to the
 * PostgreSQL store), with its schema created at open.
 */
public final class EmbeddedDatabase implements AutoCloseable {
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

    public DataSource dataSource() {
        return pool;
    }

    private void createSchema() {
        String sql;
        try (InputStream in = EmbeddedDatabase.class.getResourceAsStream("/db/embedded-schema.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            String withoutComments = sql.lines().filter(l -> !l.strip().startsWith("--"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            for (String statement : withoutComments.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement.strip());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the embedded database schema: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
