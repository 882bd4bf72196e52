package io.swell.store.jdbc;

import io.swell.core.store.UsageCounterStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/** Usage counters in the {@code usage_counter} table: one row per counter name. */
public final class JdbcUsageCounterStore implements UsageCounterStore {
    private static final int MAX_ATTEMPTS = 5;

    private final DataSource db;

    public JdbcUsageCounterStore(DataSource db) {
        this.db = db;
    }

    @Override
    public void add(Map<String, Long> deltas) {
        SQLException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try {
                    for (Map.Entry<String, Long> delta : deltas.entrySet()) {
                        add(c, delta.getKey(), delta.getValue());
                    }
                    c.commit();
                    return;
                } catch (SQLException e) {
                    // Two replicas inserting the same new counter: one loses on the key and adds again.
                    c.rollback();
                    last = e;
                }
            } catch (SQLException e) {
                last = e;
            }
        }
        throw new IllegalStateException("Cannot update usage counters: " + last.getMessage(), last);
    }

    private static void add(Connection c, String name, long delta) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE usage_counter SET total = total + ? WHERE name = ?")) {
            up.setLong(1, delta);
            up.setString(2, name);
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO usage_counter (name, total) VALUES (?, ?)")) {
            in.setString(1, name);
            in.setLong(2, delta);
            in.executeUpdate();
        }
    }

    @Override
    public long get(String name) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT total FROM usage_counter WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read usage counter " + name + ": " + e.getMessage(), e);
        }
    }
}
