package io.swell.store.jdbc;

import javax.sql.DataSource;

/** The SQL database behind the record stores: embedded H2 on one machine, PostgreSQL for several replicas. */
public interface Database extends AutoCloseable {

    /** Pooled connections for the stores. */
    DataSource dataSource();

    /** Closes the pool. */
    @Override
    void close();
}
