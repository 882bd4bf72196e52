package io.swell.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** Creates the tables of {@code db/schema.sql} when they are missing; the same SQL serves H2 and PostgreSQL. */
final class Schema {
    private Schema() {}

    /**
     * Runs every statement of the schema script ({@code CREATE ... IF NOT EXISTS}) in one transaction.
     *
     * @param lockFirst a statement that serialises replicas starting at once (PostgreSQL's {@code IF NOT EXISTS}
     *                  is not safe against a concurrent create), or {@code null}
     */
    static void create(DataSource dataSource, String lockFirst) {
        String sql;
        try (InputStream in = Schema.class.getResourceAsStream("/db/schema.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String withoutComments = sql.lines().filter(l -> !l.strip().startsWith("--"))
                .collect(Collectors.joining("\n"));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            if (lockFirst != null) {
                s.execute(lockFirst);
            }
            for (String statement : withoutComments.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement.strip());
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database schema: " + e.getMessage(), e);
        }
    }
}
