package dev.polystack.services.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ServiceException;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Connections and API destinations: their lifecycle (AWS's states and validation texts) and the HTTP call an API
 * destination target makes, with the connection's authorization and parameters added to the target's own
 * (HttpParameters). Calls run on EventBridge's delivery threads (platform threads), never on a request thread.
 */
final class ApiDestinations {
    private static final Pattern NAME = Pattern.compile("[.\\-_A-Za-z0-9]+");
    private static final Pattern CONNECTION_ARN = Pattern.compile(
            "^arn:aws([a-z]|-)*:events:([a-z]|\\d|-)*:([0-9]{12})?:connection/[.\\-_A-Za-z0-9]+/[\\-A-Za-z0-9]+$");
    private static final Set<String> AUTH_TYPES = Set.of("BASIC", "OAUTH_CLIENT_CREDENTIALS", "API_KEY");
    private static final Set<String> METHODS = Set.of("HEAD", "POST", "PATCH", "DELETE", "PUT", "GET", "OPTIONS");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountRegionStore<EventsRegion> store;
    /** OAuth access tokens by connection ARN, fetched on first use. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    /** Invocation rate limits, by API destination ARN. */
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile HttpClient http;

    ApiDestinations(AccountRegionStore<EventsRegion> store) {
        this.store = store;
    }

    // ---------------------------------------------------------------- connections

    Connection createConnection(String account, String region, String name, String description, String authorizationType,
                                Connection auth) {
        List<String> errors = new ArrayList<>();
        checkName(name, errors);
        if (authorizationType == null || !AUTH_TYPES.contains(authorizationType)) {
            errors.add("Value '" + authorizationType + "' at 'authorizationType' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]");
        }
        throwIfAny(errors);
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            if (r.connections.containsKey(name)) {
                throw new ServiceException("ResourceAlreadyExistsException", "Connection " + name + " already exists.");
            }
            long now = System.currentTimeMillis();
            Connection c = auth;
            c.name = name;
            c.description = description;
            c.authorizationType = authorizationType;
            c.arn = EventBridge.arn(account, region, "connection/" + name + "/" + UUID.randomUUID());
            c.secretArn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:events!connection/" + name + "/"
                    + UUID.randomUUID() + "-" + UUID.randomUUID().toString().substring(0, 6);
            // OAuth connections authorize at their first call (the token request); the others are ready at once
            c.state = authorizationType.equals("OAUTH_CLIENT_CREDENTIALS") ? "AUTHORIZING" : "AUTHORIZED";
            c.creationTime = c.lastModifiedTime = c.lastAuthorizedTime = now;
            r.connections.put(name, c);
            return c;
        }
    }

    Connection connection(String account, String region, String name) {
        Connection c = store.get(account, region).connections.get(name == null ? "" : name);
        if (c == null) {
            throw EventBridge.notFound("Failed to describe the connection(s). Connection '" + name + "' does not exist.");
        }
        return c;
    }

    Connection connectionByArn(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !parts[5].startsWith("connection/")) throw EventBridge.validation("Parameter ConnectionArn is not valid.");
        String name = parts[5].substring("connection/".length());
        int slash = name.indexOf('/');
        Connection c = store.get(parts[4], parts[3]).connections.get(slash < 0 ? name : name.substring(0, slash));
        if (c == null || !c.arn.equals(arn)) throw EventBridge.notFound("Connection " + arn + " does not exist.");
        return c;
    }

    /** UpdateConnection: the members given replace the stored ones. */
    Connection updateConnection(String account, String region, String name, String description, String authorizationType,
                                Connection changes) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            Connection c = connection(account, region, name);
            if (description != null) c.description = description;
            if (authorizationType != null) {
                if (!AUTH_TYPES.contains(authorizationType)) {
                    throw EventBridge.validation("1 validation error detected: Value '" + authorizationType + "' at 'authorizationType' "
                            + "failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]");
                }
                c.authorizationType = authorizationType;
            }
            if (changes.username != null) c.username = changes.username;
            if (changes.password != null) c.password = changes.password;
            if (changes.apiKeyName != null) c.apiKeyName = changes.apiKeyName;
            if (changes.apiKeyValue != null) c.apiKeyValue = changes.apiKeyValue;
            if (changes.oauthEndpoint != null) c.oauthEndpoint = changes.oauthEndpoint;
            if (changes.oauthHttpMethod != null) c.oauthHttpMethod = changes.oauthHttpMethod;
            if (changes.clientId != null) c.clientId = changes.clientId;
            if (changes.clientSecret != null) c.clientSecret = changes.clientSecret;
            if (changes.oauthParameters != null) c.oauthParameters = changes.oauthParameters;
            if (changes.invocationParameters != null) c.invocationParameters = changes.invocationParameters;
            tokens.remove(c.arn);
            c.lastModifiedTime = System.currentTimeMillis();
            return c;
        }
    }

    /** DeauthorizeConnection: its credentials are forgotten until an update brings new ones. */
    Connection deauthorizeConnection(String account, String region, String name) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            Connection c = connection(account, region, name);
            c.state = "DEAUTHORIZED";
            tokens.remove(c.arn);
            c.lastModifiedTime = System.currentTimeMillis();
            return c;
        }
    }

    Connection deleteConnection(String account, String region, String name) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            Connection c = connection(account, region, name);
            r.connections.remove(c.name);
            tokens.remove(c.arn);
            c.state = "DELETING";
            return c;
        }
    }

    EventBridge.Page<Connection> listConnections(String account, String region, String prefix, String state, Integer limit,
                                                 String token) {
        List<Connection> all = store.get(account, region).connections.values().stream()
                .filter(c -> prefix == null || c.name.startsWith(prefix)).filter(c -> state == null || state.equals(c.state)).toList();
        return EventBridge.page(all, limit, token);
    }

    // ---------------------------------------------------------------- API destinations

    ApiDestination createApiDestination(String account, String region, String name, String description, String connectionArn,
                                        String endpoint, String method, Integer rateLimit) {
        List<String> errors = new ArrayList<>();
        checkName(name, errors);
        checkDestination(connectionArn, method, errors);
        throwIfAny(errors);
        connectionByArn(connectionArn);
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            if (r.apiDestinations.containsKey(name)) {
                throw new ServiceException("ResourceAlreadyExistsException", "An api-destination " + name + " already exists.");
            }
            ApiDestination d = new ApiDestination();
            d.name = name;
            d.arn = EventBridge.arn(account, region, "api-destination/" + name + "/" + UUID.randomUUID());
            d.description = description;
            d.connectionArn = connectionArn;
            d.invocationEndpoint = endpoint;
            d.httpMethod = method;
            d.invocationRateLimitPerSecond = rateLimit == null ? 300 : rateLimit;
            d.creationTime = d.lastModifiedTime = System.currentTimeMillis();
            r.apiDestinations.put(name, d);
            return d;
        }
    }

    ApiDestination apiDestination(String account, String region, String name) {
        ApiDestination d = store.get(account, region).apiDestinations.get(name == null ? "" : name);
        if (d == null) {
            throw EventBridge.notFound("Failed to describe the api-destination(s). An api-destination '" + name + "' does not exist.");
        }
        return d;
    }

    ApiDestination updateApiDestination(String account, String region, String name, String description, String connectionArn,
                                        String endpoint, String method, Integer rateLimit) {
        List<String> errors = new ArrayList<>();
        checkDestination(connectionArn, method, errors);
        throwIfAny(errors);
        if (connectionArn != null) connectionByArn(connectionArn);
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            ApiDestination d = apiDestination(account, region, name);
            if (description != null) d.description = description;
            if (connectionArn != null) d.connectionArn = connectionArn;
            if (endpoint != null) d.invocationEndpoint = endpoint;
            if (method != null) d.httpMethod = method;
            if (rateLimit != null) d.invocationRateLimitPerSecond = rateLimit;
            d.lastModifiedTime = System.currentTimeMillis();
            return d;
        }
    }

    void deleteApiDestination(String account, String region, String name) {
        EventsRegion r = store.get(account, region);
        synchronized (r) {
            r.apiDestinations.remove(apiDestination(account, region, name).name);
        }
    }

    EventBridge.Page<ApiDestination> listApiDestinations(String account, String region, String prefix, String connectionArn,
                                                         Integer limit, String token) {
        List<ApiDestination> all = store.get(account, region).apiDestinations.values().stream()
                .filter(d -> prefix == null || d.name.startsWith(prefix))
                .filter(d -> connectionArn == null || connectionArn.equals(d.connectionArn)).toList();
        return EventBridge.page(all, limit, token);
    }

    // ---------------------------------------------------------------- invocation

    /**
     * Sends one event to an API destination target. A 5xx or 429 answer (or no answer) is thrown as a retryable
     * error, any other 4xx as a final one, so the target's retry policy and dead-letter queue apply as to any target.
     */
    void invoke(String destinationArn, Target.Http params, String payload) {
        ApiDestination d = byArn(destinationArn);
        if (d == null) throw EventBridge.notFound("An api-destination '" + nameOf(destinationArn) + "' does not exist.");
        Connection c = connectionByArn(d.connectionArn);
        if ("DEAUTHORIZED".equals(c.state)) throw new ServiceException("ConnectionDeauthorized", "The connection is deauthorized.");

        String url = d.invocationEndpoint;
        if (params != null && params.pathParameterValues() != null) {
            for (String value : params.pathParameterValues()) url = url.replaceFirst("\\*", java.util.regex.Matcher.quoteReplacement(value));
        }
        List<String> query = new ArrayList<>();
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Amazon/EventBridge/ApiDestinations");
        String body = payload;
        if (c.invocationParameters != null) {
            c.invocationParameters.headers.forEach(p -> request.setHeader(p.key(), p.value()));
            c.invocationParameters.queryString.forEach(p -> query.add(encode(p.key()) + "=" + encode(p.value())));
            body = withBodyParameters(body, c.invocationParameters.body);
        }
        if (params != null && params.headerParameters() != null) params.headerParameters().forEach(request::setHeader);
        if (params != null && params.queryStringParameters() != null) {
            params.queryStringParameters().forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        }
        authorize(c, request);
        if (!query.isEmpty()) url += (url.contains("?") ? "&" : "?") + String.join("&", query);
        boolean bodyless = d.httpMethod.equals("GET") || d.httpMethod.equals("HEAD");
        request.uri(URI.create(url)).method(d.httpMethod, bodyless ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        int status;
        try {
            status = client().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new ServiceException("InternalException", "The API destination did not answer: " + e.getMessage(), 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("InternalException", "Interrupted", 500);
        }
        if (status >= 400) {
            if (status == 401 || status == 403) tokens.remove(c.arn);
            throw new ServiceException(status == 429 ? "ThrottlingException" : "SdkClientException",
                    "The API destination answered HTTP " + status + ".", status >= 500 || status == 429 ? 500 : 400);
        }
    }

    private ApiDestination byArn(String destinationArn) {
        String[] parts = destinationArn.split(":", 6);
        return parts.length < 6 ? null : store.get(parts[4], parts[3]).apiDestinations.get(nameOf(destinationArn));
    }

    private static String nameOf(String destinationArn) {
        String[] parts = destinationArn.split(":", 6);
        String resource = parts.length == 6 ? parts[5] : "";
        String name = resource.startsWith("api-destination/") ? resource.substring("api-destination/".length()) : resource;
        return name.indexOf('/') >= 0 ? name.substring(0, name.indexOf('/')) : name;
    }

    /**
     * When the next invocation of a destination may go (epoch ms; now or later), keeping to its
     * {@code InvocationRateLimitPerSecond}: a token bucket holding at most one second's worth, refilled at the rate.
     * Each call takes a token; one that finds none reserves the next to come, so invocations over the rate are
     * delayed, in order, never dropped.
     */
    long reserve(String destinationArn, long now) {
        ApiDestination d = byArn(destinationArn);
        if (d == null) return now;   // the invocation itself answers that it is gone
        int rate = d.invocationRateLimitPerSecond == null || d.invocationRateLimitPerSecond < 1 ? 300 : d.invocationRateLimitPerSecond;
        return buckets.computeIfAbsent(destinationArn, k -> new TokenBucket()).reserve(rate, now);
    }

    /** A destination's token bucket (its own monitor guards it). */
    private static final class TokenBucket {
        private double tokens = Double.NaN;   // full on first use
        private long refilledAt;

        synchronized long reserve(int rate, long now) {
            if (Double.isNaN(tokens)) {
                tokens = rate;
                refilledAt = now;
            }
            if (now > refilledAt) {
                tokens = Math.min(rate, tokens + (now - refilledAt) * rate / 1000.0);
                refilledAt = now;
            }
            tokens -= 1;
            return tokens >= 0 ? now : now + (long) Math.ceil(-tokens * 1000.0 / rate);
        }
    }

    private void authorize(Connection c, HttpRequest.Builder request) {
        switch (c.authorizationType) {
            case "BASIC" -> request.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (c.username + ":" + c.password).getBytes(StandardCharsets.UTF_8)));
            case "API_KEY" -> request.setHeader(c.apiKeyName, c.apiKeyValue);
            case "OAUTH_CLIENT_CREDENTIALS" -> request.setHeader("Authorization", "Bearer " + token(c));
            default -> {
            }
        }
    }

    /** The connection's OAuth access token: client credentials sent to its authorization endpoint, cached. */
    private String token(Connection c) {
        String cached = tokens.get(c.arn);
        if (cached != null) return cached;
        List<String> form = new ArrayList<>(List.of("grant_type=client_credentials"));
        HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (c.clientId + ":" + c.clientSecret).getBytes(StandardCharsets.UTF_8)));
        String url = c.oauthEndpoint;
        if (c.oauthParameters != null) {
            c.oauthParameters.headers.forEach(p -> request.setHeader(p.key(), p.value()));
            c.oauthParameters.body.forEach(p -> form.add(encode(p.key()) + "=" + encode(p.value())));
            List<String> query = c.oauthParameters.queryString.stream().map(p -> encode(p.key()) + "=" + encode(p.value())).toList();
            if (!query.isEmpty()) url += (url.contains("?") ? "&" : "?") + String.join("&", query);
        }
        String method = c.oauthHttpMethod == null ? "POST" : c.oauthHttpMethod;
        if (method.equals("GET")) {
            url += (url.contains("?") ? "&" : "?") + String.join("&", form);
            request.GET();
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(String.join("&", form)));
        }
        try {
            HttpResponse<String> answer = client().send(request.uri(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode token = answer.statusCode() < 300 ? JSON.readTree(answer.body()).path("access_token") : null;
            if (token == null || !token.isTextual()) {
                throw new ServiceException("InternalException", "The OAuth endpoint answered HTTP " + answer.statusCode() + ".", 500);
            }
            tokens.put(c.arn, token.asText());
            c.state = "AUTHORIZED";
            c.lastAuthorizedTime = System.currentTimeMillis();
            return token.asText();
        } catch (java.io.IOException e) {
            throw new ServiceException("InternalException", "The OAuth endpoint did not answer: " + e.getMessage(), 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("InternalException", "Interrupted", 500);
        }
    }

    /** The connection's body parameters join a JSON object payload (AWS adds them as members). */
    private static String withBodyParameters(String payload, List<Connection.Parameter> parameters) {
        if (parameters.isEmpty()) return payload;
        try {
            JsonNode node = JSON.readTree(payload);
            if (!(node instanceof ObjectNode object)) return payload;
            parameters.forEach(p -> object.put(p.key(), p.value()));
            return object.toString();
        } catch (java.io.IOException e) {
            return payload;
        }
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                c = http;
            }
        }
        return c;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- validation

    private static void checkName(String name, List<String> errors) {
        if (name == null || name.isEmpty() || name.length() > 64 || !NAME.matcher(name).matches()) {
            errors.add("Value '" + name + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + "[\\.\\-_A-Za-z0-9]+");
        }
    }

    private static void checkDestination(String connectionArn, String method, List<String> errors) {
        if (connectionArn != null && !CONNECTION_ARN.matcher(connectionArn).matches()) {
            errors.add("Value '" + connectionArn + "' at 'connectionArn' failed to satisfy constraint: Member must satisfy regular "
                    + "expression pattern: ^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$");
        }
        if (method != null && !METHODS.contains(method)) {
            errors.add("Value '" + method + "' at 'httpMethod' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS]");
        }
    }

    private static void throwIfAny(List<String> errors) {
        if (errors.isEmpty()) return;
        throw EventBridge.validation(errors.size() + " validation error" + (errors.size() > 1 ? "s" : "") + " detected: "
                + String.join("; ", errors));
    }
}
