package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.HttpResponseData;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Lambda authorizers (TOKEN and REQUEST): the function is called with AWS's event, its IAM policy is evaluated
 * against the method ARN, and its principal and context reach the integration ({@code $context.authorizer}).
 */
final class Authorizers {
    private final Invocation inv;

    Authorizers(Invocation inv) {
        this.inv = inv;
    }

    /** Null when the request may go on; otherwise the answer AWS gives (401, 403, 500). */
    HttpResponseData authorize(String authorizerId, String resourcePath) {
        Map<String, Object> authorizer;
        synchronized (inv.api()) {
            authorizer = Docs.copy(inv.api().authorizers.get(authorizerId));
        }
        if (authorizer == null) return inv.gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null);
        String type = Invocation.str(authorizer, "type");
        String methodArn = inv.methodArn(resourcePath);
        ObjectNode event = Invocation.JSON.createObjectNode();
        if ("TOKEN".equals(type)) {
            String source = Invocation.str(authorizer, "identitySource");
            String token = source == null ? null : inv.requestValue(source);
            if (token == null || token.isEmpty()) return inv.gatewayError("UNAUTHORIZED", "Unauthorized");
            String expression = Invocation.str(authorizer, "identityValidationExpression");
            if (expression != null && !expression.isEmpty() && !matches(expression, token)) return inv.gatewayError("UNAUTHORIZED", "Unauthorized");
            event.put("type", "TOKEN");
            event.put("methodArn", methodArn);
            event.put("authorizationToken", token);
        } else if ("REQUEST".equals(type)) {
            String sources = Invocation.str(authorizer, "identitySource");
            if (sources != null) {
                for (String source : sources.split(",")) {
                    String value = inv.requestValue(source.trim());
                    if (!source.isBlank() && (value == null || value.isEmpty())) return inv.gatewayError("UNAUTHORIZED", "Unauthorized");
                }
            }
            ObjectNode proxy = ProxyEvents.restEvent(inv, resourcePath);
            event.put("type", "REQUEST");
            event.put("methodArn", methodArn);
            proxy.fieldNames().forEachRemaining(name -> {
                if (!name.equals("body") && !name.equals("isBase64Encoded")) event.set(name, proxy.get(name));
            });
        } else {
            return null; // COGNITO_USER_POOLS authorizers are stored; tokens are not verified here.
        }
        String functionArn = functionArn(Invocation.str(authorizer, "authorizerUri"));
        if (functionArn == null) return inv.gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null);
        LambdaCalls.Result result;
        try {
            result = inv.invokeLambda(functionArn, Invocation.JSON.writeValueAsBytes(event));
        } catch (Invocation.IntegrationFailure | com.fasterxml.jackson.core.JsonProcessingException e) {
            return inv.gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null);
        }
        JsonNode answer;
        try {
            answer = Invocation.JSON.readTree(result.payload());
        } catch (Exception e) {
            return inv.gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null);
        }
        if (result.functionError() != null) {
            String message = answer != null && answer.has("errorMessage") ? answer.get("errorMessage").asText() : "";
            if (message.equals("Unauthorized")) return inv.gatewayError("UNAUTHORIZED", "Unauthorized");
            return inv.gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null);
        }
        if (answer == null || !answer.has("policyDocument")) return inv.gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null);
        String effect = evaluate(answer.get("policyDocument"), methodArn);
        if (!"Allow".equals(effect)) {
            String message = "Deny".equals(effect) ? "User is not authorized to access this resource with an explicit deny"
                    : "User is not authorized to access this resource";
            return inv.plain(403, "{\"Message\":" + Invocation.quoted(message) + "}");
        }
        Map<String, Object> authorizerContext = new LinkedHashMap<>();
        if (answer.has("principalId")) authorizerContext.put("principalId", answer.get("principalId").asText());
        JsonNode ctx = answer.get("context");
        if (ctx != null && ctx.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = ctx.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                authorizerContext.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        inv.context().put("authorizer", authorizerContext);
        return null;
    }

    /**
     * A Cognito user pool authorizer ({@code COGNITO_USER_POOLS}): the token in the identity source must be a JWT signed
     * by its issuer's JWKS, unexpired, and issued by one of the authorizer's user pools ({@code providerARNs}); with
     * the method's {@code authorizationScopes}, it needs one of them in {@code scope} (an access token). Cognito is not
     * native here, so a pool's issuer is taken from the token: any issuer URL ending in {@code /<pool id>} of a listed
     * pool (AWS's {@code https://cognito-idp.<region>.amazonaws.com/<pool id>}, LocalStack's, or a test's own
     * JWKS server). Refusals are AWS's 401 {@code Unauthorized}; the claims reach the integration as
     * {@code $context.authorizer.claims}.
     */
    HttpResponseData cognito(String authorizerId, List<String> methodScopes) {
        Map<String, Object> authorizer;
        synchronized (inv.api()) {
            authorizer = Docs.copy(inv.api().authorizers.get(authorizerId));
        }
        if (authorizer == null) return inv.gatewayError("AUTHORIZER_CONFIGURATION_ERROR", null);
        String source = Invocation.str(authorizer, "identitySource");
        String token = inv.requestValue(source == null ? "method.request.header.Authorization" : source);
        if (token == null || token.isEmpty()) return inv.gatewayError("UNAUTHORIZED", "Unauthorized");
        String issuer = poolIssuer(token, Docs.list(authorizer, "providerARNs"));
        if (issuer == null) return inv.gatewayError("UNAUTHORIZED", "Unauthorized");
        JwtAuthorizer.Outcome outcome = JwtAuthorizer.verify(token, issuer, List.of(), methodScopes);
        if (!outcome.allowed()) return inv.gatewayError("UNAUTHORIZED", "Unauthorized");
        Map<String, Object> authorizerContext = new LinkedHashMap<>();
        authorizerContext.put("claims", outcome.claims());
        inv.context().put("authorizer", authorizerContext);
        return null;
    }

    /** The token's (unverified) issuer when it names one of the user pools, else null. */
    private static String poolIssuer(String token, List<Object> providerArns) {
        if (providerArns == null) return null;
        String bare = token.regionMatches(true, 0, "Bearer ", 0, 7) ? token.substring(7).trim() : token;
        String issuer;
        try {
            issuer = com.nimbusds.jwt.SignedJWT.parse(bare).getJWTClaimsSet().getIssuer();
        } catch (java.text.ParseException e) {
            return null;
        }
        if (issuer == null) return null;
        String trimmed = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        String poolId = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        for (Object arn : providerArns) {
            String a = String.valueOf(arn);
            if (a.endsWith(":userpool/" + poolId)) return issuer;
        }
        return null;
    }

    private static String functionArn(String authorizerUri) {
        if (authorizerUri == null) return null;
        int start = authorizerUri.indexOf("/functions/");
        int end = authorizerUri.lastIndexOf("/invocations");
        if (start < 0 || end < start) return null;
        return authorizerUri.substring(start + "/functions/".length(), end);
    }

    private static boolean matches(String regex, String text) {
        try {
            return Pattern.compile(regex).matcher(text).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** "Deny" if any statement denies the ARN, else "Allow" if one allows it, else null. */
    static String evaluate(JsonNode policy, String methodArn) {
        JsonNode statements = policy.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements != null && statements.isArray()) statements.forEach(list::add);
        else if (statements != null && statements.isObject()) list.add(statements);
        boolean allowed = false;
        for (JsonNode s : list) {
            boolean actionMatches = anyMatches(s.get("Action"), "execute-api:Invoke");
            boolean resourceMatches = anyMatches(s.get("Resource"), methodArn);
            if (!actionMatches || !resourceMatches) continue;
            String effect = s.has("Effect") ? s.get("Effect").asText() : "";
            if (effect.equalsIgnoreCase("Deny")) return "Deny";
            if (effect.equalsIgnoreCase("Allow")) allowed = true;
        }
        return allowed ? "Allow" : null;
    }

    private static boolean anyMatches(JsonNode patterns, String value) {
        if (patterns == null) return false;
        if (patterns.isArray()) {
            for (JsonNode p : patterns) if (wildcard(p.asText(), value)) return true;
            return false;
        }
        return wildcard(patterns.asText(), value);
    }

    /** IAM wildcards: {@code *} any run of characters, {@code ?} one. */
    static boolean wildcard(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') regex.append(".*");
            else if (c == '?') regex.append('.');
            else regex.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(value).matches();
    }
}
