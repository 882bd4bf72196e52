package io.swell.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds RS256 JWTs in the shape Docker distribution's token authentication expects. */
final class TokenSigner {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKey key;
    private final String issuer;

    TokenSigner(SigningKey key, String issuer) {
        this.key = key;
        this.issuer = issuer;
    }

    /** One {@code access} claim entry, e.g. repository "public/app" with actions [pull]. */
    record Access(String type, String name, List<String> actions) {

        /** Parses "type:name:a,b"; the name may itself contain colons, so split on the first and last. */
        static Access parse(String scope) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last == first) {
                return null;
            }
            String actions = scope.substring(last + 1);
            return new Access(scope.substring(0, first), scope.substring(first + 1, last),
                    actions.isEmpty() ? List.of() : List.of(actions.split(",")));
        }
    }

    String sign(String subject, String audience, List<Access> access, int lifetimeSeconds) {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        // distribution trusts a token when the x5c chain verifies against its rootcertbundle.
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(key.certificateDer()));

        long now = System.currentTimeMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", issuer)
                .put("sub", subject)
                .put("aud", audience)
                .put("exp", now + lifetimeSeconds)
                // Backdated a little so a registry whose clock lags still accepts it at once.
                .put("nbf", now - 10)
                .put("iat", now)
                .put("jti", UUID.randomUUID().toString());
        ArrayNode accessArray = claims.putArray("access");
        for (Access entry : access) {
            ObjectNode node = accessArray.addObject().put("type", entry.type()).put("name", entry.name());
            ArrayNode actions = node.putArray("actions");
            entry.actions().forEach(actions::add);
        }

        String signingInput = encode(header) + "." + encode(claims);
        byte[] signature = key.signRs256(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + URL.encodeToString(signature);
    }

    private static String encode(ObjectNode node) {
        return URL.encodeToString(JSON.writeValueAsBytes(node));
    }
}
