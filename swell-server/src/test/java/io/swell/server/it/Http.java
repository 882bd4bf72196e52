package io.swell.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Plain HTTP/1.1 calls to Swell and what came back, with the JSON and registry-error shapes tests check. */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every manifest and index type a registry client accepts. */
    static final String ACCEPT_MANIFESTS = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Http() {
    }

    /** One HTTP answer, body fully read. */
    record Answer(int status, HttpHeaders headers, byte[] body) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }

        /** The {@code code} of the first error of a {@code /v2} error body. */
        String registryErrorCode() {
            JsonNode errors = json().path("errors");
            assertThat(errors.isArray() && !errors.isEmpty()).as("registry error body: %s", text()).isTrue();
            return errors.get(0).path("code").asString();
        }

        /** The {@code message} of an API error body. */
        String message() {
            return json().path("message").asString();
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers.map() + "\n" + text();
        }
    }

    static Answer get(URI uri, String... headerPairs) {
        return send("GET", uri, null, headerPairs);
    }

    static Answer head(URI uri, String... headerPairs) {
        return send("HEAD", uri, null, headerPairs);
    }

    static Answer postJson(URI uri, String json) {
        return send("POST", uri, json, "Content-Type", "application/json");
    }

    static Answer postJson(URI uri, JsonNode json) {
        return postJson(uri, JSON.writeValueAsString(json));
    }

    /** Sends {@code method} with an optional body and header name/value pairs. */
    static Answer send(String method, URI uri, String body, String... headerPairs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(2))
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i < headerPairs.length; i += 2) {
            request.header(headerPairs[i], headerPairs[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + uri, e);
        }
    }

    /** The string values of a JSON array (empty when the node is missing). */
    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    /** A container request body naming {@code image}, to which tests add fields. */
    static ObjectNode containerRequest(String image) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("containerImage", image);
        return body;
    }

    /** POSTs a container request to {@code path} on {@code swell}, asserts a 200 and returns the answer's JSON. */
    static JsonNode submit(SwellInstance swell, String path, JsonNode body) {
        Answer answer = postJson(swell.uri(path), body);
        assertThat(answer.status()).as("answer to %s: %s", path, answer).isEqualTo(200);
        return answer.json();
    }

    /** POSTs to the v2 endpoint; see {@link #submit(SwellInstance, String, JsonNode)}. */
    static JsonNode submit(SwellInstance swell, JsonNode body) {
        return submit(swell, "/v1alpha2/container", body);
    }
}
