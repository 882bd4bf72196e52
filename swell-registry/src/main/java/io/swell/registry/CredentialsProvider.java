package io.swell.registry;

import java.util.Optional;

/** Finds the credentials to use for a registry host ({@code host[:port]}, {@code docker.io} for Docker Hub). */
@FunctionalInterface
public interface CredentialsProvider {
    CredentialsProvider NONE = host -> Optional.empty();

    Optional<RegistryCredentials> forRegistry(String registryHost);
}
