package io.swell.store.jdbc;

import io.swell.core.store.BuildRecord;
import io.swell.core.store.BuildStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link BuildStore} over JDBC. The column {@code current_target} is unique: the build that owns a target image
 * holds it, so two concurrent claims for one target cannot both insert (the loser retries and finds the winner).
 * The build number comes from {@code build_counter} in the same transaction, so a lost claim uses no number.
 */
public final class JdbcBuildStore implements BuildStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ATTEMPTS = 20;
    private final DataSource db;

    public JdbcBuildStore(DataSource db) {
        this.db = db;
    }

    @Override
    public Claim claim(BuildRecord candidate, Instant failedBefore) {
        SQLException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Claim claim = claimOnce(c, candidate, failedBefore);
                    c.commit();
                    return claim;
                } catch (SQLException e) {
                    c.rollback();
                    last = e;
                }
            } catch (SQLException e) {
                last = e;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("Cannot claim build of " + candidate.targetImage() + ": "
                + (last == null ? "contention" : last.getMessage()), last);
    }

    private Claim claimOnce(Connection c, BuildRecord candidate, Instant failedBefore) throws SQLException {
        String target = candidate.targetImage();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT data, state, finished_at FROM build WHERE current_target = ? FOR UPDATE")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    BuildRecord current = read(rs.getString(1), rs.getString(2));
                    boolean oldFailure = current.state() == BuildRecord.State.FAILED
                            && current.finishedAt() != null && current.finishedAt().isBefore(failedBefore);
                    if (!oldFailure) {
                        return new Claim(current, false);
                    }
                    execute(c, "UPDATE build SET current_target = NULL WHERE build_id = ?", current.buildId());
                }
            }
        }
        int number = nextNumber(c, candidate.containerId());
        String base = candidate.buildId();
        String buildId = base.substring(0, base.lastIndexOf('_') + 1) + number;
        BuildRecord created = new BuildRecord(buildId, candidate.containerId(), target, candidate.platform(),
                candidate.containerFile(), candidate.state(), candidate.createdAt(), null, null, null, null,
                candidate.requestIp(), candidate.sourceImage());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO build (build_id, target_image, state,"
                + " finished_at, current_target, data) VALUES (?, ?, ?, NULL, ?, ?)")) {
            ps.setString(1, buildId);
            ps.setString(2, target);
            ps.setString(3, created.state().name());
            ps.setString(4, target);
            ps.setString(5, JSON.writeValueAsString(created));
            ps.executeUpdate();
        }
        return new Claim(created, true);
    }

    private static int nextNumber(Connection c, String containerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_number FROM build_counter WHERE container_id = ? FOR UPDATE")) {
            ps.setString(1, containerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    int next = rs.getInt(1) + 1;
                    try (PreparedStatement up = c.prepareStatement(
                            "UPDATE build_counter SET last_number = ? WHERE container_id = ?")) {
                        up.setInt(1, next);
                        up.setString(2, containerId);
                        up.executeUpdate();
                    }
                    return next;
                }
            }
        }
        execute(c, "INSERT INTO build_counter (container_id, last_number) VALUES (?, 1)", containerId);
        return 1;
    }

    @Override
    public Optional<BuildRecord> find(String buildId) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT data, state FROM build WHERE build_id = ?")) {
            ps.setString(1, buildId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read build " + buildId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<BuildRecord> current(String targetImage) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT data, state FROM build WHERE current_target = ?")) {
            ps.setString(1, targetImage);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the build of " + targetImage + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(String buildId) {
        try (Connection c = db.getConnection()) {
            execute(c, "UPDATE build SET current_target = NULL WHERE build_id = ?", buildId);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot release build " + buildId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void update(BuildRecord r) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE build SET state = ?, finished_at = ?, data = ? WHERE build_id = ?")) {
            ps.setString(1, r.state().name());
            ps.setTimestamp(2, r.finishedAt() == null ? null : Timestamp.from(r.finishedAt()));
            ps.setString(3, JSON.writeValueAsString(r));
            ps.setString(4, r.buildId());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot update build " + r.buildId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<BuildRecord> unfinished() {
        List<BuildRecord> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT data, state FROM build WHERE state IN ('PENDING', 'RUNNING')");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs.getString(1), rs.getString(2)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list builds: " + e.getMessage(), e);
        }
        return out;
    }

    private static BuildRecord read(String json, String state) {
        return JSON.readValue(json, BuildRecord.class).withState(BuildRecord.State.valueOf(state));
    }

    private static void execute(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            ps.executeUpdate();
        }
    }
}
