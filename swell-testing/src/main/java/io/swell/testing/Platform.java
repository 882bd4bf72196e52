package io.swell.testing;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The two platforms the test images come in. */
enum Platform {
    AMD64("amd64", null),
    ARM64("arm64", "v8");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String architecture;
    private final String variant;

    Platform(String architecture, String variant) {
        this.architecture = architecture;
        this.variant = variant;
    }

    /** Adds architecture, os and (if any) variant, as both image configs and index entries spell them. */
    void addTo(ObjectNode node) {
        node.put("architecture", architecture).put("os", "linux");
        if (variant != null) {
            node.put("variant", variant);
        }
    }

    ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        addTo(node);
        return node;
    }

    @Override
    public String toString() {
        return "linux/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
