package io.swell.core.build;

import io.swell.registry.RegistryCredentials;
import java.nio.file.Path;

/** Where a build puts its image. */
public sealed interface PushTarget {

    /**
     * A registry: {@code image} is {@code host[:port]/repository:tag}.
     *
     * @param credentials for the push, or {@code null}
     * @param plainHttp   whether the registry is reached over http
     */
    record Registry(String image, RegistryCredentials credentials, boolean plainHttp) implements PushTarget {
        @Override
        public String toString() {
            return "Registry[" + image + "]";
        }
    }

    /**
     * An OCI image layout directory (https://github.com/opencontainers/image-spec/blob/main/image-layout.md), from
     * which Swell imports the image into its built-in image store.
     */
    record Layout(Path directory, String tag) implements PushTarget {}

    /**
     * A squashfs of the built root filesystem, handed to {@code image} to package and publish (Singularity SIF).
     *
     * @param description where it goes, for logs (e.g. {@code oras://host/repo:tag})
     */
    record Squashfs(SquashfsImage image, String description) implements PushTarget {
        @Override
        public String toString() {
            return "Squashfs[" + description + "]";
        }
    }
}
