package io.swell.core.sif;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything that goes into one SIF file, laid out as {@code singularity build} does.
 *
 * @param definition the full definition file text, stored as the Def.FILE object
 * @param json generic JSON objects; written in alphabetical order of name like singularity does
 * @param squashfs the root filesystem made beforehand by {@code mksquashfs}, stored as the primary partition
 * @param arch the architecture of the root filesystem
 */
public record SifContent(String definition, List<SifJson> json, Path squashfs, SifArch arch) {
    public SifContent {
        if (definition == null || squashfs == null || arch == null) {
            throw new IllegalArgumentException("SIF content needs a definition, a squashfs file and an architecture");
        }
        json = json == null ? List.of() : List.copyOf(json);
        if (json.stream().map(SifJson::name).distinct().count() != json.size()) {
            throw new IllegalArgumentException("SIF JSON object names must be unique");
        }
    }
}
