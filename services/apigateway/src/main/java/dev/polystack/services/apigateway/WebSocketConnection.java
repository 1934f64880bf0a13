package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.WebSocketHandler;
import dev.polystack.api.WebSocketPeer;
import dev.polystack.api.WebSocketUpgrade;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One client connected to a deployed WebSocket API (v2, ProtocolType WEBSOCKET), as AWS serves it: the
 * {@code $connect} route decides the handshake, each message is routed by the API's route selection expression
 * ({@code $request.body.action}: a route key, else {@code $default}) to its integration (Lambda proxy or MOCK), the
 * integration's answer goes back to the client when the route has a route response (two-way), and {@code $disconnect}
 * runs when the connection ends. The backend writes to the client through {@code @connections} ({@link WebSocketConnections}).
 */
final class WebSocketConnection implements WebSocketHandler {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    /** Handshake headers that belong to the client's connection, not to the integration's request. */
    private static final java.util.Set<String> NOT_FORWARDED = java.util.Set.of("host", "connection", "upgrade", "content-length",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "expect", "transfer-encoding");
    /** Message payload size quota of WebSocket APIs (128 KB). */
    static final int MAX_MESSAGE_BYTES = 128 * 1024;

    /**
     * AWS's connection limits, as settings so that tests can prove them in seconds: the 32 KB frame size
     * ({@code APIGATEWAY_WEBSOCKET_MAX_FRAME_BYTES}), the 10-minute idle timeout
     * ({@code APIGATEWAY_WEBSOCKET_IDLE_TIMEOUT}, seconds) and the 2-hour connection duration
     * ({@code APIGATEWAY_WEBSOCKET_MAX_LIFETIME}, seconds). Idle or too old, a connection is closed with 1001.
     */
    record Limits(int maxFrameBytes, Duration idle, Duration lifetime) {
        static Limits of(dev.polystack.api.Config config) {
            return new Limits(config.integer("APIGATEWAY_WEBSOCKET_MAX_FRAME_BYTES", 32 * 1024),
                    Duration.ofSeconds(config.integer("APIGATEWAY_WEBSOCKET_IDLE_TIMEOUT", 600)),
                    Duration.ofSeconds(config.integer("APIGATEWAY_WEBSOCKET_MAX_LIFETIME", 7200)));
        }
    }
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final WebSocketConnections registry;
    private final ProviderEnvironment env;
    private final HttpApiState state;
    private final HttpApi api;
    private final String stage;
    private final Map<String, String> stageVariables;
    private final HttpApi.Deployment deployment;
    private final String id;
    private final HttpRequestData handshake;
    private final Instant connectedAt = Instant.now();
    private volatile Instant lastActiveAt = connectedAt;
    private final Limits limits;
    /** The idle check and the lifetime's end, cancelled when the connection closes. */
    private volatile java.util.concurrent.ScheduledFuture<?> idleTimer;
    private volatile java.util.concurrent.ScheduledFuture<?> lifetimeTimer;
    private volatile WebSocketPeer peer;
    /** What the {@code $connect} authorizer answered (principalId, context): in every later event's requestContext.authorizer. */
    private volatile ObjectNode authorizerContext;

    private WebSocketConnection(WebSocketConnections registry, ProviderEnvironment env, HttpApiState state, HttpApi api,
                                String stage, Map<String, String> stageVariables, HttpApi.Deployment deployment,
                                HttpRequestData handshake) {
        this.registry = registry;
        this.env = env;
        this.state = state;
        this.api = api;
        this.stage = stage;
        this.stageVariables = stageVariables;
        this.deployment = deployment;
        this.handshake = handshake;
        this.id = registry.newId();
        this.limits = Limits.of(env.config());
    }

    /**
     * A client asks to connect to {@code stage}: the stage must be deployed, then the {@code $connect} route (when
     * there is one) must answer 2xx, else the handshake is refused with that status.
     */
    static WebSocketUpgrade open(WebSocketConnections registry, ProviderEnvironment env, HttpApiState state, HttpApi api,
                                 String stageName, HttpRequestData request) {
        HttpApi.Deployment deployment;
        Map<String, String> variables = new LinkedHashMap<>();
        synchronized (api) {
            Map<String, Object> stage = api.stages.get(stageName);
            deployment = stage == null ? null : api.deployments.get(Docs.str(stage, "DeploymentId"));
            Map<String, Object> vars = stage == null ? null : Docs.map(stage, "StageVariables");
            if (vars != null) vars.forEach((k, v) -> variables.put(k, String.valueOf(v)));
        }
        if (deployment == null) return WebSocketUpgrade.refuse(message(403, "Forbidden"));
        WebSocketConnection connection = new WebSocketConnection(registry, env, state, api, stageName, variables, deployment, request);
        Map<String, Object> route = connection.routeByKey("$connect");
        if (route != null && "CUSTOM".equals(route.get("AuthorizationType"))) {
            int refused = connection.authorize(Docs.str(route, "AuthorizerId"));
            if (refused != 0) {
                return WebSocketUpgrade.refuse(message(refused, refused == 401 ? "Unauthorized" : refused == 403 ? "Forbidden" : "Internal server error"));
            }
        }
        if (route != null) {
            Outcome outcome = connection.integrate(route, "$connect", "CONNECT", null, null);
            if (outcome.status() < 200 || outcome.status() > 299) {
                int status = outcome.status() >= 400 && outcome.status() <= 599 ? outcome.status() : 403;
                return WebSocketUpgrade.refuse(message(status, status >= 500 ? "Internal server error" : "Forbidden"));
            }
        }
        return WebSocketUpgrade.accept(connection);
    }

    String id() {
        return id;
    }

    /**
     * A Lambda REQUEST authorizer on {@code $connect}, as AWS runs it: every identity source
     * ({@code route.request.header.X}, {@code route.request.querystring.x}) must be present (else 401), the function gets
     * the CONNECT event with {@code type REQUEST} and the {@code methodArn} of {@code $connect}, and its IAM policy must
     * allow that ARN (else 403; a failing function is 500). Returns 0 when the client may connect.
     */
    private int authorize(String authorizerId) {
        Map<String, Object> authorizer;
        synchronized (api) {
            authorizer = Docs.copy(api.authorizers.get(authorizerId));
        }
        if (authorizer == null || !"REQUEST".equals(authorizer.get("AuthorizerType"))) return 500;
        List<Object> sources = Docs.list(authorizer, "IdentitySource");
        for (Object source : sources == null ? List.of() : sources) {
            String value = identityValue(String.valueOf(source).trim());
            if (value == null || value.isEmpty()) return 401;
        }
        String methodArn = "arn:aws:execute-api:" + state.region + ":" + state.accountId + ":" + api.id + "/" + stage + "/$connect";
        ObjectNode event = event("$connect", "CONNECT", null, null);
        event.put("type", "REQUEST");
        event.put("methodArn", methodArn);
        JsonNode answer;
        try {
            LambdaCalls.Result result = LambdaCalls.invoke(env, state.accountId, state.region,
                    LambdaCalls.functionArn(Docs.str(authorizer, "AuthorizerUri")), Invocation.JSON.writeValueAsBytes(event));
            if (result.functionError() != null) return 500;
            answer = Invocation.JSON.readTree(result.payload());
        } catch (Exception e) {
            return 500;
        }
        if (answer == null || !answer.has("policyDocument")) return 500;
        if (!"Allow".equals(Authorizers.evaluate(answer.get("policyDocument"), methodArn))) return 403;
        ObjectNode context = Invocation.JSON.createObjectNode();
        if (answer.path("context").isObject()) {
            answer.get("context").fields().forEachRemaining(f -> context.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
        }
        if (answer.has("principalId")) context.put("principalId", answer.get("principalId").asText());
        authorizerContext = context;
        return 0;
    }

    /** An identity source's value from the handshake: {@code route.request.header.X} or {@code route.request.querystring.x}. */
    private String identityValue(String source) {
        if (source.startsWith("route.request.header.")) return handshake.header(source.substring("route.request.header.".length()));
        if (source.startsWith("route.request.querystring.")) {
            List<String> values = handshake.queryParameters().get(source.substring("route.request.querystring.".length()));
            return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
        }
        if (source.startsWith("stageVariables.")) return stageVariables.get(source.substring("stageVariables.".length()));
        return null;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    Instant lastActiveAt() {
        return lastActiveAt;
    }

    String sourceIp() {
        String forwarded = handshake.header("X-Forwarded-For");
        return forwarded != null ? forwarded.split(",")[0].trim() : "127.0.0.1";
    }

    String userAgent() {
        return handshake.header("User-Agent");
    }

    // ---- the connection's life ----

    @Override
    public void onOpen(WebSocketPeer peer) {
        this.peer = peer;
        registry.add(this);
        lifetimeTimer = env.scheduler().schedule(() -> closeGoingAway("Connection lifetime exceeded"),
                limits.lifetime().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        scheduleIdleCheck(limits.idle());
    }

    @Override
    public int maxFrameBytes() {
        return limits.maxFrameBytes();
    }

    /** Checks for idleness when the idle time may have passed; messages in between push the next check back. */
    private void scheduleIdleCheck(Duration delay) {
        idleTimer = env.scheduler().schedule(() -> {
            Duration quiet = Duration.between(lastActiveAt, Instant.now());
            if (quiet.compareTo(limits.idle()) >= 0) closeGoingAway("Idle timeout");
            else if (registry.get(id) == this) scheduleIdleCheck(limits.idle().minus(quiet));
        }, Math.max(1, delay.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void closeGoingAway(String reason) {
        WebSocketPeer p = peer;
        if (p != null && registry.get(id) == this) p.close(1001, reason);
    }

    @Override
    public void onText(String text) {
        lastActiveAt = Instant.now();
        if (tooBig(text.length() <= MAX_MESSAGE_BYTES / 4 ? 0 : text.getBytes(StandardCharsets.UTF_8).length)) return;
        onMessage(text, false);
    }

    @Override
    public void onBinary(byte[] data) {
        lastActiveAt = Instant.now();
        if (tooBig(data.length)) return;
        onMessage(Base64.getEncoder().encodeToString(data), true);
    }

    /** AWS's message payload quota: a larger message closes the connection with 1009, as AWS documents. */
    private boolean tooBig(int bytes) {
        if (bytes <= MAX_MESSAGE_BYTES) return false;
        WebSocketPeer p = peer;
        if (p != null) p.close(1009, "Message too big");
        return true;
    }

    @Override
    public void onClose(int code, String reason) {
        registry.remove(this);
        java.util.concurrent.ScheduledFuture<?> idle = idleTimer;
        java.util.concurrent.ScheduledFuture<?> lifetime = lifetimeTimer;
        if (idle != null) idle.cancel(false);
        if (lifetime != null) lifetime.cancel(false);
        Map<String, Object> route = routeByKey("$disconnect");
        if (route == null) return;
        ObjectNode extra = Invocation.JSON.createObjectNode();
        extra.put("disconnectStatusCode", code);
        extra.put("disconnectReason", reason == null ? "" : reason);
        integrate(route, "$disconnect", "DISCONNECT", null, extra);
    }

    /** Writes to the client (PostToConnection); false when the connection is gone. */
    boolean send(byte[] data) {
        WebSocketPeer p = peer;
        if (p == null || registry.get(id) != this) return false;
        lastActiveAt = Instant.now();
        String text = WebSocketConnections.textOrNull(data);
        if (text != null) p.sendText(text);
        else p.sendBinary(data);
        return true;
    }

    /** DeleteConnection: the server closes the connection ({@code $disconnect} runs when it has closed). */
    void disconnect() {
        WebSocketPeer p = peer;
        registry.remove(this);
        if (p != null) p.close(1000, "");
    }

    private void onMessage(String body, boolean base64) {
        String requestId = UUID.randomUUID().toString();
        String routeKey = selectRouteKey(base64 ? null : body);
        Map<String, Object> route = routeByKey(routeKey);
        if (route == null) {
            route = routeByKey("$default");
            routeKey = "$default";
        }
        if (route == null) {
            reply(error("Forbidden", requestId));
            return;
        }
        Outcome outcome = integrate(route, routeKey, "MESSAGE", body, base64 ? base64Flag() : null);
        if (outcome.failed()) {
            reply(error("Internal server error", requestId));
        } else if (twoWay(route) && outcome.body() != null) {
            reply(outcome.body());
        }
    }

    private static ObjectNode base64Flag() {
        ObjectNode extra = Invocation.JSON.createObjectNode();
        extra.put("isBase64Encoded", true);
        return extra;
    }

    private String error(String message, String requestId) {
        ObjectNode out = Invocation.JSON.createObjectNode();
        out.put("message", message);
        out.put("connectionId", id);
        out.put("requestId", requestId);
        return out.toString();
    }

    private void reply(String text) {
        WebSocketPeer p = peer;
        if (p != null) p.sendText(text);
    }

    // ---- routes ----

    private Map<String, Object> routeByKey(String key) {
        if (key == null) return null;
        for (Map<String, Object> route : deployment.routes().values()) {
            if (key.equals(route.get("RouteKey"))) return route;
        }
        return null;
    }

    /**
     * The route key the API's route selection expression picks from a message: {@code $request.body.<path>} (or
     * {@code ${request.body.<path>}}) names a member of the JSON message; a message that is not JSON, or lacks it, has none.
     */
    private String selectRouteKey(String body) {
        String expression = String.valueOf(api.doc.getOrDefault("RouteSelectionExpression", ""));
        if (expression.startsWith("${") && expression.endsWith("}")) expression = "$" + expression.substring(2, expression.length() - 1);
        if (!expression.startsWith("$request.body.") || body == null) return null;
        JsonNode node;
        try {
            node = Invocation.JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
        for (String part : expression.substring("$request.body.".length()).split("\\.")) {
            if (node == null || !node.isObject()) return null;
            node = node.get(part);
        }
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    /** A route answers the client (two-way) when it has a route response, as on AWS. */
    private boolean twoWay(Map<String, Object> route) {
        synchronized (api) {
            Map<String, Map<String, Object>> responses = api.routeResponses.get(Docs.str(route, "RouteId"));
            return responses != null && !responses.isEmpty();
        }
    }

    // ---- integrations ----

    /** What an integration answered: a status, and the body for the client (null: nothing to send). */
    private record Outcome(int status, String body, boolean failed) {
        static Outcome failure() {
            return new Outcome(500, null, true);
        }
    }

    private Outcome integrate(Map<String, Object> route, String routeKey, String eventType, String body, ObjectNode extra) {
        String target = Docs.str(route, "Target");
        Map<String, Object> integration = target == null ? null
                : deployment.integrations().get(target.substring(target.indexOf('/') + 1));
        if (integration == null) return Outcome.failure();
        return switch (String.valueOf(integration.get("IntegrationType"))) {
            case "AWS_PROXY" -> lambda(integration, routeKey, eventType, body, extra);
            case "MOCK" -> mock(integration, routeKey, eventType, body);
            case "HTTP_PROXY", "HTTP" -> http(integration, routeKey, eventType, body);
            default -> Outcome.failure();
        };
    }

    private Outcome lambda(Map<String, Object> integration, String routeKey, String eventType, String body, ObjectNode extra) {
        String functionArn = LambdaCalls.functionArn(Docs.str(integration, "IntegrationUri"));
        if (functionArn == null) return Outcome.failure();
        ObjectNode event = event(routeKey, eventType, body, extra);
        LambdaCalls.Result result;
        try {
            result = LambdaCalls.invoke(env, state.accountId, state.region, functionArn, Invocation.JSON.writeValueAsBytes(event));
        } catch (Exception e) {
            return Outcome.failure();
        }
        if (result.functionError() != null) return Outcome.failure();
        String text = result.text();
        JsonNode answer;
        try {
            answer = text.isBlank() ? null : Invocation.JSON.readTree(text);
        } catch (Exception e) {
            return new Outcome(200, text, false); // not JSON: sent as it is
        }
        if (answer != null && answer.isObject() && answer.has("statusCode")) {
            JsonNode b = answer.get("body");
            String out = b == null || b.isNull() ? null : b.isTextual() ? b.asText() : b.toString();
            if (out != null && answer.path("isBase64Encoded").asBoolean(false)) {
                out = new String(Base64.getDecoder().decode(out), StandardCharsets.UTF_8);
            }
            return new Outcome(answer.get("statusCode").asInt(200), out, false);
        }
        return new Outcome(200, answer == null ? null : answer.isTextual() ? answer.asText() : answer.toString(), false);
    }

    /**
     * HTTP_PROXY and HTTP: the message (for HTTP, the request template rendered over it when there is one) is sent to
     * the integration's URI with its method (POST by default); the endpoint's status and body are the answer, which
     * goes back to the client on a two-way route. {@code $connect} sends the handshake's headers and no body.
     */
    private Outcome http(Map<String, Object> integration, String routeKey, String eventType, String body) {
        String uri = Docs.str(integration, "IntegrationUri");
        String method = Docs.str(integration, "IntegrationMethod");
        if (method == null || method.equals("ANY")) method = "POST";
        String payload = body;
        try {
            if ("HTTP".equals(integration.get("IntegrationType"))) {
                String template = template(Docs.map(integration, "RequestTemplates"));
                if (template != null) {
                    payload = MappingTemplates.render(template, new MappingTemplates.Input(body, Map.of(), Map.of(), Map.of()),
                            templateContext(routeKey, eventType), stageVariables);
                }
            }
            Object timeout = integration.get("TimeoutInMillis");
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
                    .timeout(Duration.ofMillis(timeout instanceof Number n ? n.longValue() : 29000));
            if (eventType.equals("CONNECT")) {
                handshake.headers().forEach((name, values) -> {
                    if (NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) return;
                    for (String v : values) b.header(name, v);
                });
            }
            b.header("connectionId", id);
            b.method(method, payload == null || payload.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(payload));
            HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(response.statusCode(), response.body(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure();
        } catch (Exception e) {
            return Outcome.failure();
        }
    }

    /**
     * MOCK: the request template (picked by the integration's template selection expression, else {@code $default})
     * gives the status ({@code {"statusCode": 200}}); the integration response {@code $default} renders the answer.
     */
    private Outcome mock(Map<String, Object> integration, String routeKey, String eventType, String body) {
        Map<String, Object> context = templateContext(routeKey, eventType);
        MappingTemplates.Input input = new MappingTemplates.Input(body, Map.of(), Map.of(), Map.of());
        int status = 200;
        try {
            String request = template(Docs.map(integration, "RequestTemplates"));
            if (request != null) {
                String rendered = MappingTemplates.render(request, input, context, stageVariables);
                JsonNode parsed = rendered.isBlank() ? null : Invocation.JSON.readTree(rendered);
                if (parsed != null && parsed.has("statusCode")) status = parsed.get("statusCode").asInt(200);
            }
            String response = null;
            synchronized (api) {
                Map<String, Map<String, Object>> responses = api.integrationResponses.get(Docs.str(integration, "IntegrationId"));
                if (responses != null) {
                    for (Map<String, Object> r : responses.values()) {
                        if ("$default".equals(r.get("IntegrationResponseKey")) || response == null) {
                            response = template(Docs.map(r, "ResponseTemplates"));
                        }
                    }
                }
            }
            String out = response == null ? null : MappingTemplates.render(response, input, context, stageVariables);
            return new Outcome(status, out, false);
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return Outcome.failure();
        }
    }

    /** The template for {@code $default}, else the only one. */
    private static String template(Map<String, Object> templates) {
        if (templates == null || templates.isEmpty()) return null;
        Object t = templates.containsKey("$default") ? templates.get("$default") : templates.values().iterator().next();
        return t == null ? null : t.toString();
    }

    private Map<String, Object> templateContext(String routeKey, String eventType) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("connectionId", id);
        context.put("routeKey", routeKey);
        context.put("eventType", eventType);
        context.put("stage", stage);
        context.put("apiId", api.id);
        context.put("requestId", UUID.randomUUID().toString());
        return context;
    }

    /** The Lambda proxy event of a WebSocket API, as AWS sends it for CONNECT, MESSAGE and DISCONNECT. */
    private ObjectNode event(String routeKey, String eventType, String body, ObjectNode extra) {
        ObjectNode event = Invocation.JSON.createObjectNode();
        Instant now = Instant.now();
        if (eventType.equals("CONNECT")) {
            ObjectNode headers = event.putObject("headers");
            ObjectNode multi = event.putObject("multiValueHeaders");
            handshake.headers().forEach((name, values) -> {
                if (values.isEmpty()) return;
                headers.put(name, values.get(0));
                values.forEach(multi.withArray(name)::add);
            });
            Map<String, List<String>> query = handshake.queryParameters();
            if (!query.isEmpty()) {
                ObjectNode single = event.putObject("queryStringParameters");
                ObjectNode multiQuery = event.putObject("multiValueQueryStringParameters");
                query.forEach((name, values) -> {
                    if (values.isEmpty()) return;
                    single.put(name, values.get(values.size() - 1));
                    values.forEach(multiQuery.withArray(name)::add);
                });
            }
        }
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("routeKey", routeKey);
        if (eventType.equals("MESSAGE")) ctx.put("messageId", UUID.randomUUID().toString().substring(0, 13));
        ctx.put("eventType", eventType);
        ctx.put("extendedRequestId", UUID.randomUUID().toString());
        ctx.put("requestTime", REQUEST_TIME.format(now));
        ctx.put("messageDirection", "IN");
        ctx.put("stage", stage);
        ctx.put("connectedAt", connectedAt.toEpochMilli());
        ctx.put("requestTimeEpoch", now.toEpochMilli());
        ObjectNode identity = ctx.putObject("identity");
        identity.put("sourceIp", sourceIp());
        if (userAgent() != null) identity.put("userAgent", userAgent());
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("domainName", handshake.header("Host"));
        ctx.put("connectionId", id);
        ctx.put("apiId", api.id);
        if (authorizerContext != null) ctx.set("authorizer", authorizerContext);
        if (extra != null && extra.has("disconnectStatusCode")) {
            ctx.set("disconnectStatusCode", extra.get("disconnectStatusCode"));
            ctx.set("disconnectReason", extra.get("disconnectReason"));
        }
        if (body != null) event.put("body", body);
        event.put("isBase64Encoded", extra != null && extra.path("isBase64Encoded").asBoolean(false));
        if (!stageVariables.isEmpty()) event.set("stageVariables", Invocation.JSON.valueToTree(stageVariables));
        return event;
    }

    private static HttpResponseData message(int status, String message) {
        return new HttpResponseData(status).header("Content-Type", "application/json")
                .body("{\"message\":\"" + message + "\"}");
    }
}
