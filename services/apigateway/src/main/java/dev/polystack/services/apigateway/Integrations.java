package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.HttpResponseData;
import dev.polystack.services.apigateway.Invocation.IntegrationFailure;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.polystack.services.apigateway.Invocation.str;

/** Runs a method's integration and maps the answer back to the client. */
final class Integrations {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern LAMBDA_URI = Pattern.compile("arn:aws[a-z-]*:apigateway:[^:]*:lambda:path/[^/]+/functions/(.+)/invocations");
    private static final Pattern AWS_URI = Pattern.compile("arn:aws[a-z-]*:apigateway:([^:]*):([^:]*):(path|action)/(.+)");
    /** Headers a proxy does not forward (hop-by-hop, or set by the HTTP client itself). */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "keep-alive", "te", "trailer", "proxy-connection");
    /** JSON services reached with {@code action/X}: their X-Amz-Target prefix. */
    private static final Map<String, String> JSON_TARGETS = Map.of(
            "dynamodb", "DynamoDB_20120810", "kinesis", "Kinesis_20131202", "events", "AWSEvents",
            "states", "AWSStepFunctions", "logs", "Logs_20140328", "firehose", "Firehose_20150804",
            "secretsmanager", "secretsmanager", "ssm", "AmazonSSM");

    private final Invocation inv;

    Integrations(Invocation inv) {
        this.inv = inv;
    }

    HttpResponseData run(Map<String, Object> integration, String resourcePath) {
        String type = str(integration, "type");
        return switch (type) {
            case "MOCK" -> mock(integration);
            case "AWS_PROXY" -> lambdaProxy(integration, resourcePath);
            case "HTTP_PROXY" -> httpProxy(integration);
            case "HTTP" -> http(integration);
            case "AWS" -> aws(integration);
            default -> inv.gatewayError("API_CONFIGURATION_ERROR", "Internal server error");
        };
    }

    // ---- MOCK ----

    private HttpResponseData mock(Map<String, Object> integration) {
        String rendered = requestTemplate(integration);
        int status = 200;
        if (rendered != null && !rendered.isBlank()) {
            try {
                JsonNode node = Invocation.JSON.readTree(rendered);
                if (node.has("statusCode")) status = node.get("statusCode").asInt(200);
            } catch (Exception e) {
                // AWS accepts loose JSON ({statusCode: 200}); read the code from the text instead.
                Matcher m = Pattern.compile("statusCode\"?\\s*:\\s*\"?(\\d{3})").matcher(rendered);
                if (m.find()) status = Integer.parseInt(m.group(1));
                else return inv.gatewayError("API_CONFIGURATION_ERROR", "Internal server error");
            }
        }
        return mapResponse(integration, Integer.toString(status), "", Map.of());
    }

    // ---- Lambda proxy ----

    private HttpResponseData lambdaProxy(Map<String, Object> integration, String resourcePath) {
        String functionArn = lambdaArn(integration);
        ObjectNode event = ProxyEvents.restEvent(inv, resourcePath);
        byte[] payload;
        try {
            payload = Invocation.JSON.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        LambdaCalls.Result result = inv.invokeLambda(functionArn, payload, timeout(integration));
        if (result.functionError() != null) return inv.plain(502, "{\"message\": \"Internal server error\"}");
        return ProxyEvents.restResponse(inv, result.payload());
    }

    private String lambdaArn(Map<String, Object> integration) {
        String uri = inv.withStageVariables(str(integration, "uri"));
        Matcher m = uri == null ? null : LAMBDA_URI.matcher(uri);
        if (m == null || !m.matches()) throw new IntegrationFailure("API_CONFIGURATION_ERROR", "Internal server error");
        return m.group(1);
    }

    // ---- HTTP ----

    private HttpResponseData httpProxy(Map<String, Object> integration) {
        URI target = targetUri(integration, true);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout(integration));
        inv.request().headers().forEach((name, values) -> {
            if (NOT_FORWARDED.contains(name.toLowerCase())) return;
            for (String v : values) b.header(name, v);
        });
        addMappedHeaders(integration, b);
        byte[] body = inv.request().bodyBytes();
        b.method(methodFor(integration), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response = send(b.build());
        HttpResponseData out = new HttpResponseData(response.statusCode());
        response.headers().map().forEach((name, values) -> {
            if (NOT_FORWARDED.contains(name.toLowerCase()) || name.startsWith(":")) return;
            for (String v : values) out.addHeader(name, v);
        });
        return inv.withRequestHeaders(out.body(response.body()));
    }

    private HttpResponseData http(Map<String, Object> integration) {
        URI target = targetUri(integration, false);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout(integration));
        addMappedHeaders(integration, b);
        String rendered = requestTemplate(integration);
        byte[] body = rendered == null ? inv.request().bodyBytes() : rendered.getBytes(StandardCharsets.UTF_8);
        if (inv.headers().get("Content-Type") != null) b.setHeader("Content-Type", inv.headers().get("Content-Type"));
        b.method(methodFor(integration), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> response = send(b.build());
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> responseHeaders.put(k, String.join(",", v)));
        return mapResponse(integration, Integer.toString(response.statusCode()), new String(response.body(), StandardCharsets.UTF_8), responseHeaders);
    }

    private String methodFor(Map<String, Object> integration) {
        String m = str(integration, "httpMethod");
        return m == null || m.equals("ANY") ? inv.request().method().toUpperCase() : m;
    }

    private static Duration timeout(Map<String, Object> integration) {
        Object t = integration.get("timeoutInMillis");
        return Duration.ofMillis(t instanceof Number n ? n.longValue() : 29000);
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new IntegrationFailure("INTEGRATION_TIMEOUT", "Endpoint request timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntegrationFailure("INTEGRATION_FAILURE", "Internal server error");
        } catch (Exception e) {
            throw new IntegrationFailure("INTEGRATION_FAILURE", "Internal server error");
        }
    }

    /** The integration URI with path parameters put in, plus the request's query string (proxy) or mapped ones. */
    private URI targetUri(Map<String, Object> integration, boolean proxy) {
        String uri = inv.withStageVariables(str(integration, "uri"));
        Map<String, String> pathValues = new LinkedHashMap<>(inv.pathParameters());
        Map<String, String> queryValues = new LinkedHashMap<>(proxy ? inv.query() : Map.of());
        Map<String, Object> params = Docs.map(integration, "requestParameters");
        if (params != null) {
            params.forEach((k, v) -> {
                String value = inv.requestValue(String.valueOf(v));
                if (value == null) return;
                if (k.startsWith("integration.request.path.")) pathValues.put(k.substring("integration.request.path.".length()), value);
                else if (k.startsWith("integration.request.querystring.")) queryValues.put(k.substring("integration.request.querystring.".length()), value);
            });
        }
        for (Map.Entry<String, String> e : pathValues.entrySet()) {
            uri = uri.replace("{" + e.getKey() + "+}", e.getValue()).replace("{" + e.getKey() + "}", encodePath(e.getValue()));
        }
        if (!queryValues.isEmpty()) {
            StringBuilder q = new StringBuilder();
            queryValues.forEach((k, v) -> q.append(q.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            uri = uri + (uri.contains("?") ? "&" : "?") + q;
        }
        try {
            return URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IntegrationFailure("API_CONFIGURATION_ERROR", "Internal server error");
        }
    }

    /** Percent-encodes each segment; slashes (a greedy parameter's value) stay separators. */
    private static String encodePath(String value) {
        StringJoiner out = new StringJoiner("/");
        for (String segment : value.split("/", -1)) out.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        return out.toString();
    }

    private void addMappedHeaders(Map<String, Object> integration, HttpRequest.Builder b) {
        Map<String, Object> params = Docs.map(integration, "requestParameters");
        if (params == null) return;
        params.forEach((k, v) -> {
            if (!k.startsWith("integration.request.header.")) return;
            String value = inv.requestValue(String.valueOf(v));
            if (value != null) b.setHeader(k.substring("integration.request.header.".length()), value);
        });
    }

    // ---- AWS (non-proxy) ----

    private HttpResponseData aws(Map<String, Object> integration) {
        String uri = inv.withStageVariables(str(integration, "uri"));
        Matcher lambda = uri == null ? null : LAMBDA_URI.matcher(uri);
        String rendered = requestTemplate(integration);
        String body = rendered == null ? inv.bodyText() : rendered;
        if (lambda != null && lambda.matches()) {
            LambdaCalls.Result result = inv.invokeLambda(lambda.group(1), body.getBytes(StandardCharsets.UTF_8), timeout(integration));
            if (result.functionError() != null) {
                String errorMessage = "";
                try {
                    JsonNode node = Invocation.JSON.readTree(result.payload());
                    if (node.has("errorMessage")) errorMessage = node.get("errorMessage").asText();
                } catch (Exception ignored) {
                    errorMessage = result.text();
                }
                return mapError(integration, errorMessage, result.text());
            }
            return mapResponse(integration, null, result.text(), Map.of());
        }
        Matcher m = uri == null ? null : AWS_URI.matcher(uri);
        if (m == null || !m.matches()) throw new IntegrationFailure("API_CONFIGURATION_ERROR", "Internal server error");
        return awsService(integration, m.group(1), m.group(2), m.group(3), m.group(4), body);
    }

    /**
     * Any other AWS service: the request goes to this gateway over loopback, shaped as that service's clients send
     * it (path, or action as X-Amz-Target / Action=), so it is served by whichever provider serves that service.
     * The service and action come from the user's integration URI and the body from their mapping template, so this
     * call stays generic (raw HTTP in that service's own protocol) rather than typed.
     */
    private HttpResponseData awsService(Map<String, Object> integration, String region, String service, String kind, String rest, String body) {
        String regionName = region == null || region.isEmpty() ? inv.state().region : region;
        String base = "http://127.0.0.1:" + inv.env().config().gatewayPort();
        HttpRequest.Builder b;
        String method = methodFor(integration);
        if (kind.equals("path")) {
            b = HttpRequest.newBuilder(URI.create(base + "/" + rest));
        } else {
            String action = rest.contains("&") ? rest.substring(0, rest.indexOf('&')) : rest;
            String target = JSON_TARGETS.get(service);
            if (target != null) {
                b = HttpRequest.newBuilder(URI.create(base + "/"));
                b.header("X-Amz-Target", target + "." + action);
                b.header("Content-Type", service.equals("dynamodb") || service.equals("kinesis") ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1");
            } else {
                b = HttpRequest.newBuilder(URI.create(base + "/?Action=" + URLEncoder.encode(action, StandardCharsets.UTF_8)
                        + (rest.contains("&") ? rest.substring(rest.indexOf('&')) : "")));
            }
        }
        b.timeout(timeout(integration));
        // The credential scope routes the request; a 12-digit access key selects the API's account.
        b.header("Authorization", "AWS4-HMAC-SHA256 Credential=" + inv.state().accountId + "/20200101/" + regionName + "/" + service + "/aws4_request, SignedHeaders=host, Signature=0");
        addMappedHeaders(integration, b);
        b.method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<byte[]> response = send(b.build());
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> responseHeaders.put(k, String.join(",", v)));
        return mapResponse(integration, Integer.toString(response.statusCode()), new String(response.body(), StandardCharsets.UTF_8), responseHeaders);
    }

    // ---- templates and integration responses ----

    /**
     * The rendered request template for the request's content type, or null to pass the body through. With no
     * template for the type, passthroughBehavior decides: WHEN_NO_MATCH passes, WHEN_NO_TEMPLATES passes only when
     * there are none at all, NEVER refuses (415).
     */
    private String requestTemplate(Map<String, Object> integration) {
        Map<String, Object> templates = Docs.map(integration, "requestTemplates");
        String contentType = contentType(inv.headers().get("Content-Type"));
        Object template = templates == null ? null : templates.get(contentType);
        if (template == null && templates != null && inv.headers().get("Content-Type") == null) template = templates.get("application/json");
        if (template == null) {
            String behavior = String.valueOf(integration.getOrDefault("passthroughBehavior", "WHEN_NO_MATCH"));
            boolean none = templates == null || templates.isEmpty();
            if (behavior.equals("NEVER") || behavior.equals("WHEN_NO_TEMPLATES") && !none) {
                throw new IntegrationFailure("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
            }
            return null;
        }
        return MappingTemplates.render(String.valueOf(template), inv.templateInput(inv.bodyText()), inv.context(), inv.stageVariables());
    }

    private static String contentType(String header) {
        if (header == null) return "application/json";
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase();
    }

    /** Picks the integration response whose selection pattern matches the status (HTTP, MOCK) or default. */
    private HttpResponseData mapResponse(Map<String, Object> integration, String status, String body, Map<String, String> responseHeaders) {
        Map<String, Object> chosen = select(integration, status);
        if (chosen == null) return inv.gatewayError("API_CONFIGURATION_ERROR", "Internal server error");
        return render(chosen, body, responseHeaders);
    }

    /** Lambda (AWS) errors: the selection pattern is matched against the function's errorMessage. */
    private HttpResponseData mapError(Map<String, Object> integration, String errorMessage, String body) {
        Map<String, Object> responses = Docs.map(integration, "integrationResponses");
        if (responses != null) {
            for (Object o : responses.values()) {
                @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) o;
                String pattern = str(r, "selectionPattern");
                if (pattern != null && !pattern.isEmpty() && Invocation.selects(pattern, errorMessage)) return render(r, body, Map.of());
            }
        }
        Map<String, Object> fallback = select(integration, null);
        if (fallback == null) return inv.gatewayError("API_CONFIGURATION_ERROR", "Internal server error");
        return render(fallback, body, Map.of());
    }

    private static Map<String, Object> select(Map<String, Object> integration, String status) {
        Map<String, Object> responses = Docs.map(integration, "integrationResponses");
        if (responses == null) return null;
        Map<String, Object> fallback = null;
        for (Object o : responses.values()) {
            @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) o;
            String pattern = str(r, "selectionPattern");
            if (pattern == null || pattern.isEmpty()) {
                if (fallback == null) fallback = r;
            } else if (status != null && Invocation.selects(pattern, status)) {
                return r;
            }
        }
        return fallback;
    }

    private HttpResponseData render(Map<String, Object> response, String body, Map<String, String> integrationHeaders) {
        HttpResponseData out = new HttpResponseData(Integer.parseInt(str(response, "statusCode")));
        Map<String, Object> templates = Docs.map(response, "responseTemplates");
        String text = body;
        String contentType = "application/json";
        if (templates != null && !templates.isEmpty()) {
            String accept = inv.headers().get("Accept");
            String key = accept != null && templates.containsKey(contentType(accept)) ? contentType(accept)
                    : templates.containsKey("application/json") ? "application/json" : templates.keySet().iterator().next();
            contentType = key;
            Object template = templates.get(key);
            if (template != null && !String.valueOf(template).isEmpty()) {
                text = MappingTemplates.render(String.valueOf(template), inv.templateInput(body), inv.context(), inv.stageVariables());
            }
        }
        out.header("Content-Type", contentType);
        Map<String, Object> params = Docs.map(response, "responseParameters");
        if (params != null) {
            params.forEach((k, v) -> {
                if (!k.startsWith("method.response.header.")) return;
                String value = responseValue(String.valueOf(v), body, integrationHeaders);
                if (value != null) out.header(k.substring("method.response.header.".length()), value);
            });
        }
        String contentHandling = str(response, "contentHandling");
        byte[] bytes = "CONVERT_TO_BINARY".equals(contentHandling) ? Base64.getDecoder().decode(text.trim()) : text.getBytes(StandardCharsets.UTF_8);
        return inv.withRequestHeaders(out.body(bytes));
    }

    private String responseValue(String expression, String body, Map<String, String> integrationHeaders) {
        if (expression.startsWith("integration.response.header.")) {
            String name = expression.substring("integration.response.header.".length());
            for (Map.Entry<String, String> e : integrationHeaders.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
            }
            return null;
        }
        if (expression.equals("integration.response.body")) return body;
        if (expression.startsWith("integration.response.body.")) {
            try {
                JsonNode node = Invocation.JSON.readTree(body);
                for (String part : expression.substring("integration.response.body.".length()).split("\\.")) {
                    node = node == null ? null : node.get(part);
                }
                return node == null ? null : node.isValueNode() ? node.asText() : node.toString();
            } catch (Exception e) {
                return null;
            }
        }
        return inv.requestValue(expression);
    }
}
