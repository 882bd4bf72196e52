package io.swell.core.store;

import java.util.Optional;

/**
 * Keeps container request records by token. Records outlive their token's expiry (they describe what was
 * served); {@link ContainerRequestRecord#isActive} tells whether the token still opens pulls.
 */
public interface ContainerRequestStore {

    /** Stores a new record; the token must not exist yet. */
    void insert(ContainerRequestRecord record);

    Optional<ContainerRequestRecord> find(String token);

    /** Marks a token revoked; false when no such token. */
    boolean revoke(String token);

    /** Records the digests a pull resolved (first pull wins; later calls are cheap no-ops). */
    void recordDigests(String token, String sourceDigest, String waveDigest);
}
