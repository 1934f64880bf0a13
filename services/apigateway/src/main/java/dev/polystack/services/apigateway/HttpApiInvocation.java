package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ServiceException;
import dev.polystack.services.apigateway.RestApi.FrozenResource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Serves an HTTP API (v2): stage from the path unless {@code $default}, the route by its route key (method and
 * path template, {@code ANY}, then {@code $default}), CORS preflights from the API's CorsConfiguration, Lambda
 * REQUEST authorizers, and the integration (Lambda proxy with payload 1.0 or 2.0, HTTP proxy).
 */
final class HttpApiInvocation {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer");

    private final HttpApiState state;
    private final HttpApi api;
    private final ProviderEnvironment env;
    private final HttpRequestData request;
    private final String requestId = UUID.randomUUID().toString();
    private final Instant start = Instant.now();

    HttpApiInvocation(HttpApiState state, HttpApi api, ProviderEnvironment env, HttpRequestData request) {
        this.state = state;
        this.api = api;
        this.env = env;
        this.request = request;
    }

    private record Target(String stageName, Map<String, Object> stage, HttpApi.Deployment deployment, String path) {
    }

    private record RouteMatch(Map<String, Object> route, Map<String, String> pathParameters) {
    }

    HttpResponseData serve(String fullPath) {
        Target target;
        synchronized (api) {
            target = target(fullPath);
        }
        return serve(target);
    }

    /** A request for a known stage (a custom domain's API mapping): {@code path} is what follows the base path. */
    HttpResponseData serveStage(String stageName, String path) {
        Target target;
        synchronized (api) {
            target = stageName == null ? null : target(stageName, path);
        }
        return serve(target);
    }

    private HttpResponseData serve(Target target) {
        Map<String, Object> cors;
        synchronized (api) {
            cors = Docs.copy(Docs.map(api.doc, "CorsConfiguration"));
        }
        if (target == null) return json(404, "{\"message\":\"Not Found\"}");
        if (cors != null && request.method().equalsIgnoreCase("OPTIONS") && request.header("Access-Control-Request-Method") != null) {
            return preflight(cors);
        }
        RouteMatch match = route(target.deployment().routes().values(), target.path());
        if (match == null) return withCors(cors, json(404, "{\"message\":\"Not Found\"}"));
        Map<String, Object> route = match.route();
        Map<String, Object> authorizerContext = null;
        String authType = String.valueOf(route.getOrDefault("AuthorizationType", "NONE"));
        if (authType.equals("JWT")) {
            HttpResponseData denied = authorizeJwt(Docs.str(route, "AuthorizerId"), Docs.list(route, "AuthorizationScopes"));
            if (denied != null) return withCors(cors, denied);
        } else if (authType.equals("CUSTOM")) {
            Object result = authorize(Docs.str(route, "AuthorizerId"), target, match);
            if (result instanceof HttpResponseData denied) return withCors(cors, denied);
            @SuppressWarnings("unchecked") Map<String, Object> ctx = (Map<String, Object>) result;
            authorizerContext = ctx;
        }
        String targetRef = Docs.str(route, "Target");
        Map<String, Object> integration = targetRef == null ? null
                : target.deployment().integrations().get(targetRef.substring(targetRef.indexOf('/') + 1));
        if (integration == null) return withCors(cors, json(500, "{\"message\":\"Internal Server Error\"}"));
        String type = Docs.str(integration, "IntegrationType");
        HttpResponseData answer = switch (type) {
            case "AWS_PROXY" -> integration.get("IntegrationSubtype") != null ? awsService(integration, target, match)
                    : lambda(integration, target, match, authorizerContext);
            case "HTTP_PROXY" -> httpProxy(integration, match);
            default -> json(500, "{\"message\":\"Internal Server Error\"}");
        };
        return withCors(cors, answer);
    }

    /** The stage (from the first path part, else {@code $default}) and the deployment it serves. */
    private Target target(String fullPath) {
        String path = fullPath.isEmpty() ? "/" : fullPath;
        String first = path.length() > 1 ? path.substring(1).split("/", 2)[0] : "";
        String stageName;
        String rest;
        if (!first.isEmpty() && !first.equals("$default") && api.stages.containsKey(first)) {
            stageName = first;
            rest = path.substring(1 + first.length());
            if (rest.isEmpty()) rest = "/";
        } else if (api.stages.containsKey("$default")) {
            stageName = "$default";
            rest = path;
        } else {
            return null;
        }
        return target(stageName, rest);
    }

    private Target target(String stageName, String rest) {
        Map<String, Object> stage = api.stages.get(stageName);
        if (stage == null) return null;
        HttpApi.Deployment deployment = api.deployments.get(Docs.str(stage, "DeploymentId"));
        if (deployment == null) return null;
        return new Target(stageName, Docs.copy(stage), deployment, rest);
    }

    /** Method-and-path routes first (exact method before ANY, most specific path), then {@code $default}. */
    private RouteMatch route(Iterable<Map<String, Object>> routes, String path) {
        String method = request.method().toUpperCase();
        RouteMatch best = null;
        int bestRank = -1;
        Map<String, Object> fallback = null;
        for (Map<String, Object> route : routes) {
            String key = Docs.str(route, "RouteKey");
            if (key == null) continue;
            if (key.equals("$default")) {
                fallback = route;
                continue;
            }
            int space = key.indexOf(' ');
            if (space < 0) continue;
            String routeMethod = key.substring(0, space);
            if (!routeMethod.equals(method) && !routeMethod.equals("ANY")) continue;
            String template = key.substring(space + 1);
            ResourceMatcher.Match m = ResourceMatcher.match(List.of(new FrozenResource(template, template, Map.of())), path);
            if (m == null) continue;
            ResourceMatcher.Match rankOf = m;
            int rank = (routeMethod.equals(method) ? 1 : 0) + 2 * specificity(template);
            if (rank > bestRank) {
                bestRank = rank;
                best = new RouteMatch(route, rankOf.pathParameters());
            }
        }
        if (best != null) return best;
        return fallback == null ? null : new RouteMatch(fallback, Map.of());
    }

    /** Literal parts count most, then variables; a greedy part least. */
    private static int specificity(String template) {
        int score = 0;
        for (String part : template.split("/")) {
            if (part.isEmpty()) continue;
            score += part.endsWith("+}") ? 1 : part.startsWith("{") ? 10 : 100;
        }
        return score;
    }

    // ---- Lambda ----

    private HttpResponseData lambda(Map<String, Object> integration, Target target, RouteMatch match, Map<String, Object> authorizer) {
        String uri = Docs.str(integration, "IntegrationUri");
        String functionArn = LambdaCalls.functionArn(uri);
        boolean v2 = "2.0".equals(integration.get("PayloadFormatVersion"));
        ObjectNode event = v2 ? eventV2(target, match, authorizer) : eventV1(target, match, authorizer);
        LambdaCalls.Result result;
        try {
            Object timeout = integration.get("TimeoutInMillis");
            result = LambdaCalls.invoke(env, state.accountId, state.region, functionArn, Invocation.JSON.writeValueAsBytes(event),
                    java.time.Duration.ofMillis(timeout instanceof Number n ? n.longValue() : 30000));
        } catch (LambdaCalls.TimedOut e) {
            return json(503, "{\"message\":\"Service Unavailable\"}"); // what HTTP APIs answer when the integration times out
        } catch (ServiceException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
        if (result.functionError() != null) return json(500, "{\"message\":\"Internal Server Error\"}");
        return v2 ? responseV2(result.payload()) : responseV1(result.payload());
    }

    private ObjectNode requestContext(Target target, String routeKey, Map<String, Object> authorizer, boolean v2) {
        ObjectNode ctx = Invocation.JSON.createObjectNode();
        ctx.put("accountId", state.accountId);
        ctx.put("apiId", api.id);
        if (authorizer != null) ctx.set("authorizer", v2 ? Invocation.JSON.createObjectNode().set("lambda", Invocation.JSON.valueToTree(authorizer))
                : Invocation.JSON.valueToTree(authorizer));
        // a JWT authorizer's claims: authorizer.jwt.{claims,scopes} in payload 2.0, authorizer.{claims,scopes} in 1.0
        if (jwt != null) ctx.set("authorizer", v2 ? Invocation.JSON.createObjectNode().set("jwt", Invocation.JSON.valueToTree(jwt))
                : Invocation.JSON.valueToTree(jwt));
        String host = request.header("Host");
        ctx.put("domainName", host);
        ctx.put("domainPrefix", api.id);
        if (v2) {
            ObjectNode http = ctx.putObject("http");
            http.put("method", request.method().toUpperCase());
            http.put("path", request.path());
            http.put("protocol", "HTTP/1.1");
            http.put("sourceIp", "127.0.0.1");
            http.put("userAgent", request.header("User-Agent"));
        } else {
            ctx.put("httpMethod", request.method().toUpperCase());
            ObjectNode identity = ctx.putObject("identity");
            identity.put("sourceIp", "127.0.0.1");
            identity.put("userAgent", request.header("User-Agent"));
            ctx.put("path", request.path());
            ctx.put("protocol", "HTTP/1.1");
            ctx.put("resourcePath", routeKey.contains(" ") ? routeKey.substring(routeKey.indexOf(' ') + 1) : routeKey);
        }
        ctx.put("requestId", requestId);
        ctx.put("routeKey", routeKey);
        ctx.put("stage", target.stageName());
        ctx.put(v2 ? "time" : "requestTime", TIME.format(start));
        ctx.put(v2 ? "timeEpoch" : "requestTimeEpoch", start.toEpochMilli());
        return ctx;
    }

    private ObjectNode eventV2(Target target, RouteMatch match, Map<String, Object> authorizer) {
        ObjectNode e = Invocation.JSON.createObjectNode();
        String routeKey = Docs.str(match.route(), "RouteKey");
        e.put("version", "2.0");
        e.put("routeKey", routeKey);
        e.put("rawPath", request.path());
        e.put("rawQueryString", request.rawQuery());
        ObjectNode headers = Invocation.JSON.createObjectNode();
        ArrayNode cookies = Invocation.JSON.createArrayNode();
        request.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Cookie")) {
                for (String v : values) for (String c : v.split(";")) if (!c.isBlank()) cookies.add(c.trim());
            } else {
                headers.put(name.toLowerCase(), String.join(",", values));
            }
        });
        if (!cookies.isEmpty()) e.set("cookies", cookies);
        e.set("headers", headers);
        Map<String, List<String>> query = request.queryParameters();
        if (!query.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            query.forEach((k, v) -> q.put(k, String.join(",", v)));
        }
        if (!match.pathParameters().isEmpty()) match.pathParameters().forEach(e.putObject("pathParameters")::put);
        Map<String, Object> variables = Docs.map(target.stage(), "StageVariables");
        if (variables != null && !variables.isEmpty()) variables.forEach((k, v) -> ((ObjectNode) e.with("stageVariables")).put(k, String.valueOf(v)));
        e.set("requestContext", requestContext(target, routeKey, authorizer, true));
        putBody(e);
        return e;
    }

    private ObjectNode eventV1(Target target, RouteMatch match, Map<String, Object> authorizer) {
        ObjectNode e = Invocation.JSON.createObjectNode();
        String routeKey = Docs.str(match.route(), "RouteKey");
        e.put("version", "1.0");
        e.put("resource", routeKey.contains(" ") ? routeKey.substring(routeKey.indexOf(' ') + 1) : routeKey);
        e.put("path", request.path());
        e.put("httpMethod", request.method().toUpperCase());
        ObjectNode headers = e.putObject("headers");
        ObjectNode multi = e.putObject("multiValueHeaders");
        request.headers().forEach((name, values) -> {
            if (values.isEmpty()) return;
            headers.put(name, values.get(values.size() - 1));
            ArrayNode all = multi.putArray(name);
            values.forEach(all::add);
        });
        Map<String, List<String>> query = request.queryParameters();
        if (query.isEmpty()) {
            e.putNull("queryStringParameters");
            e.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = e.putObject("queryStringParameters");
            ObjectNode multiQuery = e.putObject("multiValueQueryStringParameters");
            query.forEach((k, v) -> {
                single.put(k, v.get(v.size() - 1));
                ArrayNode all = multiQuery.putArray(k);
                v.forEach(all::add);
            });
        }
        e.set("requestContext", requestContext(target, routeKey, authorizer, false));
        if (match.pathParameters().isEmpty()) e.putNull("pathParameters");
        else match.pathParameters().forEach(e.putObject("pathParameters")::put);
        Map<String, Object> variables = Docs.map(target.stage(), "StageVariables");
        if (variables == null || variables.isEmpty()) e.putNull("stageVariables");
        else variables.forEach((k, v) -> ((ObjectNode) e.with("stageVariables")).put(k, String.valueOf(v)));
        putBody(e);
        return e;
    }

    private void putBody(ObjectNode e) {
        byte[] body = request.bodyBytes();
        if (body.length == 0) {
            e.put("isBase64Encoded", false);
            return;
        }
        String type = request.header("Content-Type");
        boolean text = type == null || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("x-www-form-urlencoded") || type.contains("javascript");
        if (text) {
            e.put("body", new String(body, StandardCharsets.UTF_8));
            e.put("isBase64Encoded", false);
        } else {
            e.put("body", Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", true);
        }
    }

    /**
     * Payload 2.0: an object with {@code statusCode} is a full response (headers, cookies, body, isBase64Encoded);
     * anything else is the body of a 200 JSON response, as AWS infers it.
     */
    private HttpResponseData responseV2(byte[] payload) {
        JsonNode node;
        try {
            node = payload.length == 0 ? null : Invocation.JSON.readTree(payload);
        } catch (Exception e) {
            return withIds(new HttpResponseData(200).header("Content-Type", "application/json").body(payload));
        }
        if (node == null || !node.isObject() || !node.has("statusCode")) {
            String body = node == null ? "" : node.isTextual() ? node.asText() : node.toString();
            return withIds(new HttpResponseData(200).header("Content-Type", "application/json").body(body));
        }
        HttpResponseData out = new HttpResponseData(node.get("statusCode").asInt(200));
        JsonNode headers = node.get("headers");
        if (headers != null && headers.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> h = it.next();
                out.header(h.getKey(), h.getValue().asText());
            }
        }
        JsonNode cookies = node.get("cookies");
        if (cookies != null && cookies.isArray()) cookies.forEach(c -> out.addHeader("Set-Cookie", c.asText()));
        byte[] body = bodyOf(node);
        if (body == null) return json(500, "{\"message\":\"Internal Server Error\"}");
        if (out.header("Content-Type") == null) out.header("Content-Type", "application/json");
        return withIds(out.body(body));
    }

    private HttpResponseData responseV1(byte[] payload) {
        JsonNode node;
        try {
            node = Invocation.JSON.readTree(payload);
        } catch (Exception e) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
        if (node == null || !node.isObject()) return json(500, "{\"message\":\"Internal Server Error\"}");
        HttpResponseData out = new HttpResponseData(node.path("statusCode").asInt(200));
        JsonNode headers = node.get("headers");
        if (headers != null && headers.isObject()) headers.fields().forEachRemaining(h -> out.header(h.getKey(), h.getValue().asText()));
        JsonNode multi = node.get("multiValueHeaders");
        if (multi != null && multi.isObject()) {
            multi.fields().forEachRemaining(h -> {
                out.headers().keySet().removeIf(k -> k.equalsIgnoreCase(h.getKey()));
                h.getValue().forEach(v -> out.addHeader(h.getKey(), v.asText()));
            });
        }
        byte[] body = bodyOf(node);
        if (body == null) return json(500, "{\"message\":\"Internal Server Error\"}");
        if (out.header("Content-Type") == null) out.header("Content-Type", "application/json");
        return withIds(out.body(body));
    }

    private static byte[] bodyOf(JsonNode node) {
        JsonNode body = node.get("body");
        if (body == null || body.isNull()) return new byte[0];
        String text = body.isTextual() ? body.asText() : body.toString();
        if (node.path("isBase64Encoded").asBoolean(false)) {
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- AWS service integrations (IntegrationSubtype) ----

    /** The integration's RequestParameters, each resolved against this request, sent as the subtype's action. */
    private HttpResponseData awsService(Map<String, Object> integration, Target target, RouteMatch match) {
        Map<String, String> parameters = new LinkedHashMap<>();
        Map<String, Object> mapping = Docs.map(integration, "RequestParameters");
        if (mapping != null) {
            for (Map.Entry<String, Object> e : mapping.entrySet()) {
                String value = ParameterMapping.resolve(String.valueOf(e.getValue()), request, match.pathParameters(),
                        Docs.map(target.stage(), "StageVariables"), contextVariables(target, match));
                if (value != null) parameters.put(e.getKey(), value);
            }
        }
        return withIds(AwsServiceIntegrations.invoke(env, state.accountId, state.region,
                Docs.str(integration, "IntegrationSubtype"), parameters));
    }

    /** The {@code $context} variables a parameter mapping may name. */
    private Map<String, String> contextVariables(Target target, RouteMatch match) {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("accountId", state.accountId);
        ctx.put("apiId", api.id);
        ctx.put("requestId", requestId);
        ctx.put("routeKey", Docs.str(match.route(), "RouteKey"));
        ctx.put("stage", target.stageName());
        ctx.put("httpMethod", request.method().toUpperCase());
        ctx.put("path", request.path());
        ctx.put("requestTimeEpoch", Long.toString(start.toEpochMilli()));
        ctx.put("domainName", request.header("Host"));
        return ctx;
    }

    // ---- HTTP proxy ----

    private HttpResponseData httpProxy(Map<String, Object> integration, RouteMatch match) {
        String uri = Docs.str(integration, "IntegrationUri");
        for (Map.Entry<String, String> p : match.pathParameters().entrySet()) {
            uri = uri.replace("{" + p.getKey() + "+}", p.getValue()).replace("{" + p.getKey() + "}", p.getValue());
        }
        if (!request.rawQuery().isEmpty()) uri = uri + (uri.contains("?") ? "&" : "?") + request.rawQuery();
        Object timeout = integration.get("TimeoutInMillis");
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMillis(timeout instanceof Number n ? n.longValue() : 30000));
        } catch (IllegalArgumentException e) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
        request.headers().forEach((name, values) -> {
            if (NOT_FORWARDED.contains(name.toLowerCase())) return;
            for (String v : values) b.header(name, v);
        });
        String method = Docs.str(integration, "IntegrationMethod");
        if (method == null || method.equals("ANY")) method = request.method().toUpperCase();
        byte[] body = request.bodyBytes();
        b.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponseData out = new HttpResponseData(response.statusCode());
            response.headers().map().forEach((name, values) -> {
                if (NOT_FORWARDED.contains(name.toLowerCase()) || name.startsWith(":")) return;
                for (String v : values) out.addHeader(name, v);
            });
            return withIds(out.body(response.body()));
        } catch (HttpTimeoutException e) {
            return json(503, "{\"message\":\"Service Unavailable\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return json(500, "{\"message\":\"Internal Server Error\"}");
        } catch (Exception e) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
    }

    // ---- authorizers ----

    /** A Lambda REQUEST authorizer: simple responses ({@code isAuthorized}) or an IAM policy; returns the context or a refusal. */
    /** The verified JWT's claims and scopes, for the integration's request context ({@code authorizer.jwt}). */
    private Map<String, Object> jwt;

    /** A JWT authorizer: null when the token passes (its claims kept in {@link #jwt}), else AWS's 401 or 403. */
    @SuppressWarnings("unchecked")
    private HttpResponseData authorizeJwt(String authorizerId, List<Object> routeScopes) {
        Map<String, Object> authorizer;
        synchronized (api) {
            authorizer = Docs.copy(api.authorizers.get(authorizerId));
        }
        if (authorizer == null) return json(500, "{\"message\":\"Internal Server Error\"}");
        List<Object> sources = Docs.list(authorizer, "IdentitySource");
        String source = sources == null || sources.isEmpty() ? "$request.header.Authorization" : String.valueOf(sources.get(0));
        String token = source.startsWith("$request.header.") ? request.header(source.substring("$request.header.".length()))
                : source.startsWith("$request.querystring.") ? request.queryParameter(source.substring("$request.querystring.".length())) : null;
        Map<String, Object> config = Docs.map(authorizer, "JwtConfiguration");
        List<Object> audiences = config == null ? null : Docs.list(config, "Audience");
        JwtAuthorizer.Outcome outcome = JwtAuthorizer.verify(token, config == null ? null : Docs.str(config, "Issuer"),
                audiences == null ? List.of() : audiences.stream().map(String::valueOf).toList(),
                routeScopes == null ? List.of() : routeScopes.stream().map(String::valueOf).toList());
        if (outcome.status() == 403) return json(403, "{\"message\":\"Forbidden\"}");
        if (!outcome.allowed()) {
            HttpResponseData out = json(401, "{\"message\":\"Unauthorized\"}");
            if (outcome.error() != null) {
                out.header("www-authenticate", "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + outcome.error() + "\"");
            }
            return out;
        }
        jwt = new LinkedHashMap<>();
        jwt.put("claims", outcome.claims());
        jwt.put("scopes", outcome.scopes().isEmpty() ? null : outcome.scopes());
        return null;
    }

    private Object authorize(String authorizerId, Target target, RouteMatch match) {
        Map<String, Object> authorizer;
        synchronized (api) {
            authorizer = Docs.copy(api.authorizers.get(authorizerId));
        }
        if (authorizer == null) return json(500, "{\"message\":\"Internal Server Error\"}");
        List<Object> sources = Docs.list(authorizer, "IdentitySource");
        for (Object source : sources == null ? List.of() : sources) {
            String s = String.valueOf(source);
            String value = s.startsWith("$request.header.") ? request.header(s.substring("$request.header.".length()))
                    : s.startsWith("$request.querystring.") ? request.queryParameter(s.substring("$request.querystring.".length())) : "";
            if (value == null || value.isEmpty()) return json(401, "{\"message\":\"Unauthorized\"}");
        }
        String uri = Docs.str(authorizer, "AuthorizerUri");
        String functionArn = LambdaCalls.functionArn(uri);
        boolean v2 = "2.0".equals(authorizer.get("AuthorizerPayloadFormatVersion"));
        ObjectNode event = v2 ? eventV2(target, match, null) : eventV1(target, match, null);
        event.put("type", "REQUEST");
        String routeArn = "arn:aws:execute-api:" + state.region + ":" + state.accountId + ":" + api.id + "/" + target.stageName() + "/"
                + request.method().toUpperCase() + target.path();
        event.put(v2 ? "routeArn" : "methodArn", routeArn);
        LambdaCalls.Result result;
        JsonNode answer;
        try {
            result = LambdaCalls.invoke(env, state.accountId, state.region, functionArn, Invocation.JSON.writeValueAsBytes(event));
            answer = Invocation.JSON.readTree(result.payload());
        } catch (Exception e) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
        if (result.functionError() != null || answer == null) return json(500, "{\"message\":\"Internal Server Error\"}");
        boolean allowed;
        if (Docs.bool(authorizer, "EnableSimpleResponses", false)) {
            allowed = answer.path("isAuthorized").asBoolean(false);
        } else {
            allowed = answer.has("policyDocument") && "Allow".equals(Authorizers.evaluate(answer.get("policyDocument"), routeArn));
        }
        if (!allowed) return json(403, "{\"message\":\"Forbidden\"}");
        Map<String, Object> context = new LinkedHashMap<>();
        JsonNode ctx = answer.get("context");
        if (ctx != null && ctx.isObject()) ctx.fields().forEachRemaining(f -> context.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
        if (answer.has("principalId")) context.put("principalId", answer.get("principalId").asText());
        return context;
    }

    // ---- answers ----

    private HttpResponseData preflight(Map<String, Object> cors) {
        HttpResponseData out = new HttpResponseData(204);
        String origin = request.header("Origin");
        List<Object> origins = Docs.list(cors, "AllowOrigins");
        if (origin != null && origins != null && (origins.contains("*") || origins.contains(origin))) {
            out.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
            List<Object> methods = Docs.list(cors, "AllowMethods");
            if (methods != null) out.header("Access-Control-Allow-Methods", join(methods));
            List<Object> headers = Docs.list(cors, "AllowHeaders");
            if (headers != null) out.header("Access-Control-Allow-Headers", join(headers));
            if (cors.get("MaxAge") != null) out.header("Access-Control-Max-Age", String.valueOf(cors.get("MaxAge")));
            if (Docs.bool(cors, "AllowCredentials", false)) out.header("Access-Control-Allow-Credentials", "true");
        }
        return withIds(out);
    }

    private HttpResponseData withCors(Map<String, Object> cors, HttpResponseData out) {
        String origin = request.header("Origin");
        if (cors == null || origin == null) return out;
        List<Object> origins = Docs.list(cors, "AllowOrigins");
        if (origins != null && (origins.contains("*") || origins.contains(origin))) {
            out.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
            List<Object> expose = Docs.list(cors, "ExposeHeaders");
            if (expose != null) out.header("Access-Control-Expose-Headers", join(expose));
            if (Docs.bool(cors, "AllowCredentials", false)) out.header("Access-Control-Allow-Credentials", "true");
        }
        return out;
    }

    private static String join(List<Object> values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        return String.join(",", out);
    }

    private HttpResponseData json(int status, String body) {
        return withIds(new HttpResponseData(status).header("Content-Type", "application/json").body(body));
    }

    private HttpResponseData withIds(HttpResponseData out) {
        out.header("apigw-requestid", requestId.substring(0, 16));
        return out;
    }
}
