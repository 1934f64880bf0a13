package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JWT authorizers of HTTP APIs, verified as AWS does: the token (the identity source, {@code Bearer } prefix
 * dropped) must be signed by a key of the issuer's JWKS (found through {@code <issuer>/.well-known/openid-configuration}),
 * unexpired and already valid, with {@code iss} equal to the configured issuer and {@code aud} (without one,
 * {@code client_id}) one of the configured audiences; a route with authorization scopes needs one of them in {@code scope}/{@code scp}.
 * Failures answer 401 with a {@code www-authenticate} header naming the problem, a missing scope 403.
 */
final class JwtAuthorizer {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<JWSAlgorithm> ALGORITHMS = new HashSet<>();

    static {
        ALGORITHMS.addAll(JWSAlgorithm.Family.RSA);
        ALGORITHMS.addAll(JWSAlgorithm.Family.EC);
    }

    /** Keys by issuer: JWKS are fetched once and cached (nimbus refreshes them when an unknown key id comes). */
    private static final Map<String, JWKSource<SecurityContext>> KEYS = new ConcurrentHashMap<>();

    /** The verified claims and scopes, or why the request is refused. */
    record Outcome(Map<String, Object> claims, List<String> scopes, int status, String error) {
        boolean allowed() {
            return status == 0;
        }
    }

    private JwtAuthorizer() {
    }

    static Outcome verify(String token, String issuer, List<String> audiences, List<String> requiredScopes) {
        if (token == null || token.isBlank()) return refuse(401, null);
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) token = token.substring(7).trim();
        SignedJWT signed;
        try {
            signed = SignedJWT.parse(token); // before any key is fetched: a malformed token needs no JWKS
        } catch (ParseException e) {
            return refuse(401, "the token is invalid");
        }
        JWTClaimsSet claims;
        try {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(issuer)));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp")));
            claims = processor.process(signed, null);
        } catch (BadJWTException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            return refuse(401, message.contains("xpired") ? "the token has expired"
                    : message.contains("iss") ? "the token has an invalid issuer" : "the token is invalid");
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            return refuse(401, "the token is invalid");
        }
        // AWS checks aud; client_id (Cognito access tokens) only when the token has no aud
        List<String> tokenAudiences = new ArrayList<>(claims.getAudience() == null ? List.of() : claims.getAudience());
        Object clientId = claims.getClaim("client_id");
        if (tokenAudiences.isEmpty() && clientId != null) tokenAudiences.add(clientId.toString());
        if (audiences != null && !audiences.isEmpty() && tokenAudiences.stream().noneMatch(audiences::contains)) {
            return refuse(401, "the token does not have a valid audience");
        }
        List<String> scopes = scopes(claims);
        if (requiredScopes != null && !requiredScopes.isEmpty() && scopes.stream().noneMatch(requiredScopes::contains)) {
            return refuse(403, null);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> out.put(name, claimText(value)));
        return new Outcome(out, scopes, 0, null);
    }

    /** AWS hands claims to the integration as strings; lists as {@code [a b]}. */
    private static Object claimText(Object value) {
        if (value instanceof Date d) return String.valueOf(d.getTime() / 1000);
        if (value instanceof List<?> l) return "[" + String.join(" ", l.stream().map(String::valueOf).toList()) + "]";
        return String.valueOf(value);
    }

    private static List<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope == null) scope = claims.getClaim("scp");
        if (scope == null) return List.of();
        if (scope instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of(scope.toString().trim().split("\\s+"));
    }

    private static Outcome refuse(int status, String description) {
        return new Outcome(null, null, status, description);
    }

    private static JWKSource<SecurityContext> keys(String issuer) {
        if (issuer == null) throw new IllegalArgumentException("no issuer");
        return KEYS.computeIfAbsent(issuer, i -> {
            try {
                return JWKSourceBuilder.create(new URL(jwksUri(i))).retrying(false).build();
            } catch (Exception e) {
                throw new IllegalStateException("no JWKS for " + i, e);
            }
        });
    }

    /** The issuer's OpenID discovery document names its JWKS; without one, {@code <issuer>/.well-known/jwks.json}. */
    private static String jwksUri(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        try {
            HttpResponse<String> discovery = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (discovery.statusCode() == 200) {
                JsonNode doc = Invocation.JSON.readTree(discovery.body());
                if (doc.hasNonNull("jwks_uri")) return doc.get("jwks_uri").asText();
            }
        } catch (Exception e) {
            // fall back to the conventional location
        }
        return base + "/.well-known/jwks.json";
    }
}
