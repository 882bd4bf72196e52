package io.swell.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * A PostgreSQL database shared by several Swell replicas: the same tables and SQL as the embedded store, so claims
 * ({@code SELECT ... FOR UPDATE}, unique keys) serialise builds across replicas.
 */
public final class PostgresDatabase implements Database {
    /** Any constant: replicas starting together take this advisory lock before creating the schema. */
    private static final long SCHEMA_LOCK = 0x5377656c6cL;

    private final HikariDataSource pool;

    private PostgresDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Connects (failing fast when the server cannot be reached) and creates the tables when missing.
     *
     * @param url      {@code jdbc:postgresql://host:port/database}
     * @param password may be {@code null}
     */
    public static PostgresDatabase open(String url, String user, String password, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxConnections);
        config.setPoolName("swell-store");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Schema.create(pool, "SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresDatabase(pool);
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
