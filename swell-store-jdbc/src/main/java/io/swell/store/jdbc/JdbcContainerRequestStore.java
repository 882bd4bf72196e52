package io.swell.store.jdbc;

import io.swell.core.store.ContainerRequestRecord;
import io.swell.core.store.ContainerRequestStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/** {@link ContainerRequestStore} over JDBC: one row per token, the record as JSON. */
public final class JdbcContainerRequestStore implements ContainerRequestStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final DataSource db;

    public JdbcContainerRequestStore(DataSource db) {
        this.db = db;
    }

    @Override
    public void insert(ContainerRequestRecord r) {
        String sql = "INSERT INTO container_request (token, created_at, expires_at, revoked, data)"
                + " VALUES (?, ?, ?, FALSE, ?)";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, r.token());
            ps.setTimestamp(2, Timestamp.from(r.createdAt()));
            ps.setTimestamp(3, Timestamp.from(r.expiresAt()));
            ps.setString(4, JSON.writeValueAsString(r));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot store container request: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ContainerRequestRecord> find(String token) {
        String sql = "SELECT data, revoked, source_digest, wave_digest FROM container_request WHERE token = ?";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, token);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ContainerRequestRecord r = JSON.readValue(rs.getString(1), ContainerRequestRecord.class);
                return Optional.of(new ContainerRequestRecord(r.token(), r.createdAt(), r.expiresAt(),
                        rs.getBoolean(2), r.containerImage(), r.platform(), r.containerConfig(), r.towerEndpoint(),
                        r.workspaceId(), r.fingerprint(), r.timestamp(), r.ipAddress(), r.targetImage(),
                        rs.getString(3), rs.getString(4), r.buildId(), r.freeze(), r.mirror()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read container request: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean revoke(String token) {
        return update("UPDATE container_request SET revoked = TRUE WHERE token = ? AND revoked = FALSE", token) > 0;
    }

    @Override
    public void recordDigests(String token, String sourceDigest, String waveDigest) {
        String sql = "UPDATE container_request SET source_digest = ?, wave_digest = ?"
                + " WHERE token = ? AND source_digest IS NULL";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sourceDigest);
            ps.setString(2, waveDigest);
            ps.setString(3, token);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot update container request: " + e.getMessage(), e);
        }
    }

    private int update(String sql, String token) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, token);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot update container request: " + e.getMessage(), e);
        }
    }
}
