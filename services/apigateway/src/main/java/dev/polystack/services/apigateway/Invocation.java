package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ServiceException;
import dev.polystack.services.apigateway.RestApi.FrozenResource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Serves a deployed REST API: finds the stage's deployment, the resource and method, checks the API key and the
 * authorizer, runs the integration (MOCK, AWS_PROXY, AWS, HTTP, HTTP_PROXY) and maps its answer back. Errors of
 * API Gateway itself are rendered through the API's gateway responses, as AWS does.
 */
final class Invocation {
    private static final Logger LOG = Logger.getLogger(Invocation.class.getName());
    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final ApiGatewayState state;
    private final RestApi api;
    private final ProviderEnvironment env;
    private final HttpRequestData request;
    private final String stageName;
    private final String path;
    private final String requestId = UUID.randomUUID().toString();
    private final Instant start = Instant.now();
    private final Map<String, Object> context = new LinkedHashMap<>();
    private Map<String, String> stageVariables = Map.of();
    private boolean canaryRequest;
    private Map<String, Object> accessLogSettings;
    private Map<String, String> pathParameters = Map.of();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    Invocation(ApiGatewayState state, RestApi api, ProviderEnvironment env, HttpRequestData request, String stageName, String path) {
        this.state = state;
        this.api = api;
        this.env = env;
        this.request = request;
        this.stageName = stageName;
        this.path = path.isEmpty() ? "/" : path;
        request.queryParameters().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(v.size() - 1)));
        request.headers().forEach((k, v) -> headers.put(k, String.join(",", v)));
    }

    HttpResponseData serve() {
        HttpResponseData answer = respond();
        AccessLogs.write(env, accessLogSettings, context, answer, api.id, stageName);
        return answer;
    }

    private HttpResponseData respond() {
        Map<String, Object> stage;
        RestApi.Deployment deployment;
        synchronized (api) {
            stage = api.stages.get(stageName);
            deployment = stage == null ? null : api.deployments.get(String.valueOf(stage.get("deploymentId")));
            if (stage != null) stageVariables = stringMap(Docs.map(stage, "variables"));
            if (stage != null && Docs.map(stage, "accessLogSettings") != null) accessLogSettings = Docs.copy(Docs.map(stage, "accessLogSettings"));
            Map<String, Object> canary = stage == null ? null : Docs.map(stage, "canarySettings");
            RestApi.Deployment canaryDeployment = canary == null ? null : api.deployments.get(String.valueOf(canary.get("deploymentId")));
            if (canaryDeployment != null && takesCanary(canary.get("percentTraffic"))) {
                // The canary's share of requests is served by its deployment, with its stage variable overrides.
                canaryRequest = true;
                deployment = canaryDeployment;
                Map<String, String> variables = new LinkedHashMap<>(stageVariables);
                variables.putAll(stringMap(Docs.map(canary, "stageVariableOverrides")));
                stageVariables = variables;
            }
        }
        fillContext();
        if (stage == null || deployment == null) return plain(403, "{\"message\":\"Forbidden\"}");
        ResourceMatcher.Match match = ResourceMatcher.match(deployment.resources.values(), path);
        if (match == null) return gatewayError("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token");
        FrozenResource resource = match.resource();
        pathParameters = match.pathParameters();
        Map<String, Object> method = resource.methods().get(request.method().toUpperCase());
        if (method == null) method = resource.methods().get("ANY");
        if (method == null) return gatewayError("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token");
        context.put("resourceId", resource.id());
        context.put("resourcePath", resource.path());
        try {
            if (Docs.bool(method, "apiKeyRequired", false) && !KeyOps.keyAllowed(state, api.id, stageName, headers.get("x-api-key"))) {
                return gatewayError("INVALID_API_KEY", "Forbidden");
            }
            if ("CUSTOM".equals(method.get("authorizationType"))) {
                HttpResponseData denied = new Authorizers(this).authorize(str(method, "authorizerId"), resource.path());
                if (denied != null) return denied;
            } else if ("COGNITO_USER_POOLS".equals(method.get("authorizationType"))) {
                List<Object> scopes = Docs.list(method, "authorizationScopes");
                HttpResponseData denied = new Authorizers(this).cognito(str(method, "authorizerId"),
                        scopes == null ? List.of() : scopes.stream().map(String::valueOf).toList());
                if (denied != null) return denied;
            }
            HttpResponseData invalid = RequestValidation.check(this, method);
            if (invalid != null) return invalid;
            Map<String, Object> integration = Docs.map(method, "methodIntegration");
            if (integration == null) return gatewayError("API_CONFIGURATION_ERROR", "Internal server error");
            return new Integrations(this).run(integration, resource.path());
        } catch (IntegrationFailure e) {
            return gatewayError(e.responseType, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "API Gateway invocation of " + api.id + "/" + stageName + path + " failed", e);
            return gatewayError("API_CONFIGURATION_ERROR", "Internal server error");
        }
    }

    /** Whether this request is one of the canary's {@code percentTraffic} percent (chosen at random, as AWS does). */
    private static boolean takesCanary(Object percentTraffic) {
        double percent = percentTraffic instanceof Number n ? n.doubleValue() : 0;
        return percent > 0 && java.util.concurrent.ThreadLocalRandom.current().nextDouble(100) < percent;
    }

    private void fillContext() {
        context.put("isCanaryRequest", String.valueOf(canaryRequest));
        context.put("accountId", state.accountId);
        context.put("apiId", api.id);
        context.put("domainName", str(headers, "Host"));
        context.put("domainPrefix", api.id);
        context.put("extendedRequestId", requestId);
        context.put("httpMethod", request.method().toUpperCase());
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("sourceIp", "127.0.0.1");
        identity.put("userAgent", headers.get("User-Agent"));
        identity.put("apiKey", headers.get("x-api-key"));
        context.put("identity", identity);
        context.put("path", "/" + stageName + (path.equals("/") ? "/" : path));
        context.put("protocol", "HTTP/1.1");
        context.put("requestId", requestId);
        context.put("requestTime", REQUEST_TIME.format(start));
        context.put("requestTimeEpoch", start.toEpochMilli());
        context.put("stage", stageName);
    }

    // ---- what the helpers read ----

    ApiGatewayState state() { return state; }

    RestApi api() { return api; }

    ProviderEnvironment env() { return env; }

    HttpRequestData request() { return request; }

    String stageName() { return stageName; }

    String path() { return path; }

    String requestId() { return requestId; }

    Map<String, Object> context() { return context; }

    Map<String, String> stageVariables() { return stageVariables; }

    Map<String, String> pathParameters() { return pathParameters; }

    Map<String, String> query() { return query; }

    Map<String, String> headers() { return headers; }

    String bodyText() {
        return new String(request.bodyBytes(), StandardCharsets.UTF_8);
    }

    MappingTemplates.Input templateInput(String body) {
        return new MappingTemplates.Input(body, pathParameters, query, headers);
    }

    /** {@code ${stageVariables.x}} in URIs and function names. */
    String withStageVariables(String text) {
        if (text == null || !text.contains("${stageVariables.")) return text;
        String out = text;
        for (Map.Entry<String, String> e : stageVariables.entrySet()) out = out.replace("${stageVariables." + e.getKey() + "}", e.getValue());
        return out;
    }

    /** {@code arn:aws:execute-api:region:account:api/stage/METHOD/path}, as authorizers and permissions see it. */
    String methodArn(String resourcePath) {
        return "arn:aws:execute-api:" + state.region + ":" + state.accountId + ":" + api.id + "/" + stageName + "/"
                + request.method().toUpperCase() + (path.equals("/") ? "/" : path);
    }

    /** Calls a Lambda function (an authorizer) synchronously through whichever provider serves Lambda, without a limit. */
    LambdaCalls.Result invokeLambda(String functionArn, byte[] payload) {
        try {
            return LambdaCalls.invoke(env, state.accountId, state.region, functionArn, payload);
        } catch (ServiceException e) {
            LOG.log(Level.FINE, "Lambda invocation from API Gateway failed", e);
            throw new IntegrationFailure("INTEGRATION_FAILURE", "Internal server error");
        }
    }

    /**
     * Calls a Lambda function synchronously through whichever provider serves Lambda, waiting at most the integration's
     * timeout (AWS's 504 {@code Endpoint request timed out} after it).
     */
    LambdaCalls.Result invokeLambda(String functionArn, byte[] payload, java.time.Duration timeout) {
        try {
            return LambdaCalls.invoke(env, state.accountId, state.region, functionArn, payload, timeout);
        } catch (LambdaCalls.TimedOut e) {
            throw new IntegrationFailure("INTEGRATION_TIMEOUT", "Endpoint request timed out");
        } catch (ServiceException e) {
            LOG.log(Level.FINE, "Lambda invocation from API Gateway failed", e);
            throw new IntegrationFailure("INTEGRATION_FAILURE", "Internal server error");
        }
    }

    // ---- answers ----

    /** An error of API Gateway itself, through the API's gateway response for the type (or AWS's default). */
    HttpResponseData gatewayError(String responseType, String message) {
        Map<String, Object> response;
        synchronized (api) {
            response = Docs.copy(ComponentOps.gatewayResponse(api, responseType));
        }
        String status = str(response, "statusCode");
        if (status == null) status = ComponentOps.DEFAULT_RESPONSES.get(responseType);
        if (status == null) status = responseType.equals("DEFAULT_5XX") ? "500" : "400";
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("messageString", quoted(message));
        error.put("responseType", responseType);
        context.put("error", error);
        HttpResponseData out = new HttpResponseData(Integer.parseInt(status));
        Map<String, Object> templates = Docs.map(response, "responseTemplates");
        String template = templates == null ? null : str(templates, "application/json");
        String body = template == null ? "{\"message\":" + quoted(message) + "}" : MappingTemplates.render(template, templateInput(""), context, stageVariables);
        out.header("Content-Type", "application/json");
        Map<String, Object> params = Docs.map(response, "responseParameters");
        if (params != null) {
            params.forEach((k, v) -> {
                if (k.startsWith("gatewayresponse.header.")) {
                    String value = requestValue(String.valueOf(v));
                    if (value != null) out.header(k.substring("gatewayresponse.header.".length()), value);
                }
            });
        }
        return withRequestHeaders(out.body(body));
    }

    static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            return "\"\"";
        }
    }

    HttpResponseData plain(int status, String body) {
        HttpResponseData out = new HttpResponseData(status);
        out.header("Content-Type", "application/json");
        return withRequestHeaders(out.body(body));
    }

    HttpResponseData withRequestHeaders(HttpResponseData out) {
        out.header("x-amzn-RequestId", requestId);
        out.header("x-amz-apigw-id", requestId.substring(0, 8));
        return out;
    }

    /**
     * A value a mapping names: {@code 'literal'}, {@code method.request.header|querystring|path.x},
     * {@code stageVariables.x}, {@code context.x}; null when the request has none.
     */
    String requestValue(String expression) {
        if (expression == null) return null;
        if (expression.length() >= 2 && expression.startsWith("'") && expression.endsWith("'")) {
            return expression.substring(1, expression.length() - 1);
        }
        if (expression.startsWith("method.request.header.")) return headers.get(expression.substring("method.request.header.".length()));
        if (expression.startsWith("method.request.multivalueheader.")) return headers.get(expression.substring("method.request.multivalueheader.".length()));
        if (expression.startsWith("method.request.querystring.")) return query.get(expression.substring("method.request.querystring.".length()));
        if (expression.startsWith("method.request.multivaluequerystring.")) return query.get(expression.substring("method.request.multivaluequerystring.".length()));
        if (expression.startsWith("method.request.path.")) return pathParameters.get(expression.substring("method.request.path.".length()));
        if (expression.equals("method.request.body")) return bodyText();
        if (expression.startsWith("stageVariables.")) return stageVariables.get(expression.substring("stageVariables.".length()));
        if (expression.startsWith("context.")) {
            Object v = contextValue(expression.substring("context.".length()));
            return v == null ? null : v.toString();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Object contextValue(String dotted) {
        Object at = context;
        for (String part : dotted.split("\\.")) {
            if (!(at instanceof Map<?, ?> m)) return null;
            at = ((Map<String, Object>) m).get(part);
        }
        return at;
    }

    /** Whether an integration response's selection pattern matches (a Java regex over the whole text). */
    static boolean selects(String pattern, String text) {
        try {
            return Pattern.compile(pattern, Pattern.DOTALL).matcher(text == null ? "" : text).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    static String str(Map<String, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private static Map<String, String> stringMap(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m != null) m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** An API Gateway failure with its gateway response type (INTEGRATION_FAILURE, INTEGRATION_TIMEOUT ...). */
    static final class IntegrationFailure extends RuntimeException {
        final String responseType;

        IntegrationFailure(String responseType, String message) {
            super(message, null, false, false);
            this.responseType = responseType;
        }
    }

}
