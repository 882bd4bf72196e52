package io.swell.core.build.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

    @Test
    void replacesPlaceholdersVerbatimWithoutRescanning() {
        String out = TemplateRenderer.render("FROM {{image}}\nRUN {{cmd}} {{image}}\n",
                Map.of("image", "alpine:3", "cmd", "echo {{image}} $HOME"));
        assertThat(out).isEqualTo("FROM alpine:3\nRUN echo {{image}} $HOME alpine:3\n");
    }

    @Test
    void keepsSectionsWithValuesAndDropsEmptyOnes() {
        String template = "a\n{{#x}}\nx={{x}}\n{{/x}}\n{{^x}}\nno x\n{{/x}}\n{{#y}}\ny\n{{#x}}\nnested\n{{/x}}\n{{/y}}\nz\n";
        assertThat(TemplateRenderer.render(template, Map.of("x", "1", "y", ""))).isEqualTo("a\nx=1\nz\n");
        assertThat(TemplateRenderer.render(template, Map.of("x", "", "y", "on"))).isEqualTo("a\nno x\ny\nz\n");
    }

    @Test
    void missingValueIsAnError() {
        assertThatThrownBy(() -> TemplateRenderer.render("FROM {{image}}", Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("image");
        assertThatThrownBy(() -> TemplateRenderer.render("{{#flag}}\nx\n{{/flag}}", Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("flag");
    }

    @Test
    void malformedOrUnbalancedMarkersAreErrors() {
        assertThatThrownBy(() -> TemplateRenderer.render("FROM {{ image }}", Map.of("image", "x")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TemplateRenderer.render("FROM {{Image}}", Map.of("Image", "x")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TemplateRenderer.render("x {{#a}} y\n{{/a}}", Map.of("a", "1")))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TemplateRenderer.render("{{#a}}\nx\n", Map.of("a", "1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unclosed");
        assertThatThrownBy(() -> TemplateRenderer.render("{{#a}}\nx\n{{/b}}\n", Map.of("a", "1", "b", "1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unbalanced");
    }

    @Test
    void listsPlaceholdersAndSections() {
        assertThat(TemplateRenderer.placeholders("{{#a}}\n{{b}} {{a}}\n{{/a}}\n{{^c}}\n{{/c}}"))
                .containsExactly("a", "b", "c");
    }

    @Test
    void loadsResourcesAndFailsOnUnknownOnes() {
        assertThat(TemplateRenderer.load("conda-micromamba-v2.Dockerfile")).contains("{{mamba_image}}");
        assertThatThrownBy(() -> TemplateRenderer.load("nope.Dockerfile")).isInstanceOf(IllegalStateException.class);
    }
}
