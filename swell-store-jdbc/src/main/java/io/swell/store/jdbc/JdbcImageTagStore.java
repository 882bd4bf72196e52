package io.swell.store.jdbc;

import io.swell.core.store.ImageTagStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link ImageTagStore} over JDBC. */
public final class JdbcImageTagStore implements ImageTagStore {
    private final DataSource db;

    public JdbcImageTagStore(DataSource db) {
        this.db = db;
    }

    @Override
    public void put(String repository, String tag, TaggedManifest manifest) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM image_tag WHERE repository = ? AND tag = ?");
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO image_tag (repository, tag, digest, media_type) VALUES (?, ?, ?, ?)")) {
                del.setString(1, repository);
                del.setString(2, tag);
                del.executeUpdate();
                ins.setString(1, repository);
                ins.setString(2, tag);
                ins.setString(3, manifest.digest());
                ins.setString(4, manifest.mediaType());
                ins.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tag " + repository + ":" + tag + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<TaggedManifest> find(String repository, String tag) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT digest, media_type FROM image_tag WHERE repository = ? AND tag = ?")) {
            ps.setString(1, repository);
            ps.setString(2, tag);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new TaggedManifest(rs.getString(1), rs.getString(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read tag " + repository + ":" + tag + ": " + e.getMessage(), e);
        }
    }
}
