package dev.polystack.services.apigateway;

import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.apigateway.api.*;
import dev.polystack.services.apigateway.RestApi.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.polystack.services.apigateway.Docs.str;

/** Methods, method responses, integrations and integration responses of a resource. */
final class MethodOps {
    static final List<String> HTTP_METHODS = List.of("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY");
    private static final Set<String> INTEGRATION_TYPES = Set.of("HTTP", "MOCK", "AWS_PROXY", "HTTP_PROXY", "AWS");
    private static final Pattern STATUS_CODE = Pattern.compile("[1-5]\\d\\d");
    private static final Pattern AWS_INTEGRATION_ARN = Pattern.compile("arn:aws[a-z-]*:apigateway:([^:]*):([^:]*):(path|action)/(.+)");

    private MethodOps() {
    }

    /** The API and resource of a method-level call: an unknown API reads as an unknown resource, as AWS answers. */
    private static Resource resourceOf(ApiGatewayState state, String restApiId, String resourceId) {
        return RestApiOps.resource(apiOf(state, restApiId), resourceId);
    }

    private static RestApi apiOf(ApiGatewayState state, String restApiId) {
        RestApi api = restApiId == null ? null : state.restApis.get(restApiId);
        if (api == null) throw ApiGatewayErrors.resourceNotFound();
        return api;
    }

    static Map<String, Object> method(Resource r, String httpMethod) {
        Map<String, Object> m = httpMethod == null ? null : r.methods.get(httpMethod.toUpperCase());
        if (m == null) throw ApiGatewayErrors.methodNotFound();
        return m;
    }

    // ---- methods ----

    static Map<String, Object> putMethod(ApiGatewayState state, PutMethodRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Resource r = resourceOf(state, in.restApiId(), in.resourceId());
            String httpMethod = in.httpMethod();
            if (httpMethod == null || !HTTP_METHODS.contains(httpMethod.toUpperCase())) {
                throw ApiGatewayErrors.badRequest("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY");
            }
            String authorizationType = in.authorizationType();
            String authorizerId = in.authorizerId();
            checkAuthorizer(api, authorizationType, authorizerId);
            String validatorId = in.requestValidatorId();
            if (validatorId != null && !api.validators.containsKey(validatorId)) {
                throw ApiGatewayErrors.badRequest("Invalid Request Validator identifier specified");
            }
            Map<String, ?> models = in.requestModels();
            if (models != null) {
                for (Object model : models.values()) {
                    if (!api.models.containsKey(String.valueOf(model)) && !"Empty".equals(model) && !"Error".equals(model)) {
                        throw ApiGatewayErrors.badRequest("Invalid model identifier specified: " + model);
                    }
                }
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("httpMethod", httpMethod.toUpperCase());
            doc.put("authorizationType", authorizationType);
            Docs.putIfPresent(doc, "authorizerId", authorizerId);
            doc.put("apiKeyRequired", java.util.Objects.requireNonNullElse(in.apiKeyRequired(), false));
            Docs.putIfPresent(doc, "requestValidatorId", validatorId);
            Docs.putIfPresent(doc, "operationName", in.operationName());
            Map<String, ?> params = in.requestParameters();
            if (params != null && !params.isEmpty()) doc.put("requestParameters", new LinkedHashMap<>(params));
            if (models != null && !models.isEmpty()) doc.put("requestModels", new LinkedHashMap<>(models));
            List<?> scopes = in.authorizationScopes();
            if (scopes != null && !scopes.isEmpty()) doc.put("authorizationScopes", new ArrayList<>(scopes));
            r.methods.put(httpMethod.toUpperCase(), doc);
            return Docs.copy(doc);
        }
    }

    private static void checkAuthorizer(RestApi api, String authorizationType, String authorizerId) {
        if (("CUSTOM".equals(authorizationType) || "COGNITO_USER_POOLS".equals(authorizationType))
                && (authorizerId == null || !api.authorizers.containsKey(authorizerId))) {
            throw ApiGatewayErrors.badRequest("Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.");
        }
    }

    static Map<String, Object> getMethod(ApiGatewayState state, GetMethodRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            return Docs.copy(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()));
        }
    }

    static Map<String, Object> deleteMethod(ApiGatewayState state, DeleteMethodRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Resource r = resourceOf(state, in.restApiId(), in.resourceId());
            method(r, in.httpMethod());
            r.methods.remove(in.httpMethod().toUpperCase());
        }
        return Map.of();
    }

    static Map<String, Object> updateMethod(ApiGatewayState state, UpdateMethodRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateMethodInput", null);
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> live = method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod());
            Map<String, Object> doc = Docs.copy(live);
            for (Patch.Op op : ops) {
                String member = op.member();
                String key = op.key();
                switch (member) {
                    case "authorizationType", "authorizerId", "operationName", "requestValidatorId" -> {
                        if (op.op().equals("remove")) doc.remove(member);
                        else doc.put(member, op.value());
                    }
                    case "apiKeyRequired" -> doc.put(member, Boolean.parseBoolean(op.value()));
                    case "requestParameters" -> {
                        if (key == null) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                        Map<String, Object> params = Docs.mapOrNew(doc, member);
                        if (op.op().equals("remove")) params.remove(key);
                        else params.put(key, Boolean.parseBoolean(op.value()));
                        if (params.isEmpty()) doc.remove(member);
                    }
                    case "requestModels" -> {
                        if (key == null) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                        Map<String, Object> models = Docs.mapOrNew(doc, member);
                        if (op.op().equals("remove")) models.remove(key);
                        else {
                            if (!api.models.containsKey(op.value()) && !"Empty".equals(op.value()) && !"Error".equals(op.value())) {
                                throw ApiGatewayErrors.badRequest("Invalid model identifier specified: " + op.value());
                            }
                            models.put(key, op.value());
                        }
                        if (models.isEmpty()) doc.remove(member);
                    }
                    case "authorizationScopes" -> {
                        List<Object> scopes = Docs.list(doc, member);
                        if (scopes == null) {
                            scopes = new ArrayList<>();
                            doc.put(member, scopes);
                        }
                        if (op.op().equals("remove")) scopes.remove(op.value());
                        else if (!scopes.contains(op.value())) scopes.add(op.value());
                        if (scopes.isEmpty()) doc.remove(member);
                    }
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                }
            }
            checkAuthorizer(api, str(doc, "authorizationType"), str(doc, "authorizerId"));
            if (!"CUSTOM".equals(doc.get("authorizationType")) && !"COGNITO_USER_POOLS".equals(doc.get("authorizationType"))) {
                doc.remove("authorizerId");
            }
            live.clear();
            live.putAll(doc);
            Map<String, Object> out = Docs.copy(live);
            out.remove("methodIntegration");
            out.remove("methodResponses");
            return out;
        }
    }

    // ---- method responses ----

    static void checkStatusCode(String statusCode) {
        if (statusCode == null || !STATUS_CODE.matcher(statusCode).matches()) {
            new Validation().pattern(statusCode, "statusCode", "[1-5]\\d\\d").throwIfAny();
        }
    }

    static Map<String, Object> putMethodResponse(ApiGatewayState state, PutMethodResponseRequest in) {
        String statusCode = in.statusCode();
        checkStatusCode(statusCode);
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> m = method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod());
            Map<String, Object> doc = new LinkedHashMap<>();
            Map<String, ?> params = in.responseParameters();
            Map<String, ?> models = in.responseModels();
            if (params != null) doc.put("responseParameters", new LinkedHashMap<>(params));
            if (models != null) doc.put("responseModels", new LinkedHashMap<>(models));
            doc.put("statusCode", statusCode);
            Docs.mapOrNew(m, "methodResponses").put(statusCode, doc);
            return Docs.copy(doc);
        }
    }

    private static Map<String, Object> methodResponse(Map<String, Object> method, String statusCode) {
        Map<String, Object> responses = Docs.map(method, "methodResponses");
        Object r = responses == null ? null : responses.get(statusCode);
        if (r == null) throw ApiGatewayErrors.statusCodeNotFound();
        @SuppressWarnings("unchecked") Map<String, Object> doc = (Map<String, Object>) r;
        return doc;
    }

    static Map<String, Object> getMethodResponse(ApiGatewayState state, GetMethodResponseRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            return Docs.copy(methodResponse(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()), in.statusCode()));
        }
    }

    static Map<String, Object> deleteMethodResponse(ApiGatewayState state, DeleteMethodResponseRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> m = method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod());
            methodResponse(m, in.statusCode());
            Docs.map(m, "methodResponses").remove(in.statusCode());
            if (Docs.map(m, "methodResponses").isEmpty()) m.remove("methodResponses");
        }
        return Map.of();
    }

    static Map<String, Object> updateMethodResponse(ApiGatewayState state, UpdateMethodResponseRequest in) {
        Validation v = new Validation();
        String statusCode = in.statusCode();
        List<Patch.Op> ops;
        try {
            ops = Patch.read(in.patchOperations(), "updateMethodResponseInput", v);
        } finally {
            if (statusCode == null || !STATUS_CODE.matcher(statusCode).matches()) v.pattern(statusCode, "statusCode", "[1-5]\\d\\d");
            v.throwIfAny();
        }
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> live = methodResponse(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()), statusCode);
            Map<String, Object> doc = Docs.copy(live);
            for (Patch.Op op : ops) {
                String member = op.member();
                String key = op.key();
                if (!member.equals("responseParameters") && !member.equals("responseModels") || key == null) {
                    throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                }
                Map<String, Object> target = Docs.mapOrNew(doc, member);
                if (op.op().equals("remove")) target.remove(key);
                else target.put(key, member.equals("responseParameters") ? (Object) Boolean.parseBoolean(op.value()) : op.value());
            }
            live.clear();
            live.putAll(doc);
            return Docs.copy(live);
        }
    }

    // ---- integrations ----

    static Map<String, Object> putIntegration(ApiGatewayState state, PutIntegrationRequest in) {
        String type = in.typeAsString();
        if (type == null || !INTEGRATION_TYPES.contains(type)) {
            throw ApiGatewayErrors.enumValue(type, "putIntegrationInput.type", "HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS");
        }
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Resource r = resourceOf(state, in.restApiId(), in.resourceId());
            Map<String, Object> m = method(r, in.httpMethod());
            String integrationMethod = in.integrationHttpMethod();
            String uri = in.uri();
            if (!type.equals("MOCK")) {
                if (integrationMethod == null || integrationMethod.isEmpty()) {
                    throw ApiGatewayErrors.badRequest("Enumeration value for HttpMethod must be non-empty");
                }
                checkUri(type, uri, in.connectionTypeAsString());
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("type", type);
            if (!type.equals("MOCK")) doc.put("httpMethod", integrationMethod.toUpperCase());
            Docs.putIfPresent(doc, "uri", uri);
            String connectionType = in.connectionTypeAsString();
            if (connectionType != null) doc.put("connectionType", connectionType);
            Docs.putIfPresent(doc, "connectionId", in.connectionId());
            Docs.putIfPresent(doc, "credentials", in.credentials());
            putMapIfAny(doc, "requestParameters", in.requestParameters());
            putMapIfAny(doc, "requestTemplates", in.requestTemplates());
            doc.put("passthroughBehavior", java.util.Objects.requireNonNullElse(in.passthroughBehavior(), "WHEN_NO_MATCH"));
            Docs.putIfPresent(doc, "contentHandling", in.contentHandlingAsString());
            doc.put("timeoutInMillis", in.timeoutInMillis() instanceof Number n ? n.intValue() : 29000);
            doc.put("cacheNamespace", java.util.Objects.requireNonNullElse(in.cacheNamespace(), r.id));
            List<?> cacheKeys = in.cacheKeyParameters();
            doc.put("cacheKeyParameters", cacheKeys == null ? new ArrayList<>() : new ArrayList<>(cacheKeys));
            if (in.tlsConfig() != null) doc.put("tlsConfig", TreeConverter.toTree(TlsConfig.SHAPE, in.tlsConfig()));
            Map<String, Object> previous = Docs.map(m, "methodIntegration");
            if (previous != null && previous.get("integrationResponses") != null) {
                doc.put("integrationResponses", previous.get("integrationResponses"));
            }
            m.put("methodIntegration", doc);
            return Docs.copy(doc);
        }
    }

    private static void putMapIfAny(Map<String, Object> doc, String key, Map<String, ?> value) {
        if (value != null && !value.isEmpty()) doc.put(key, new LinkedHashMap<>(value));
    }

    private static void checkUri(String type, String uri, String connectionType) {
        if (type.equals("HTTP") || type.equals("HTTP_PROXY")) {
            if ("VPC_LINK".equals(connectionType)) return;
            if (uri == null || !(uri.startsWith("http://") || uri.startsWith("https://"))) {
                throw ApiGatewayErrors.badRequest("Invalid HTTP endpoint specified for URI");
            }
            return;
        }
        if (uri == null || !uri.startsWith("arn:")) throw ApiGatewayErrors.badRequest("Invalid ARN specified in the request");
        var matcher = AWS_INTEGRATION_ARN.matcher(uri);
        if (!matcher.matches()) throw ApiGatewayErrors.badRequest("AWS ARN for integration must contain path or action");
        if (type.equals("AWS_PROXY") && !matcher.group(2).equals("lambda") && !matcher.group(2).equals("firehose")) {
            throw ApiGatewayErrors.badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
        }
    }

    static Map<String, Object> integration(Map<String, Object> method) {
        Map<String, Object> integration = Docs.map(method, "methodIntegration");
        if (integration == null) throw ApiGatewayErrors.integrationNotFound();
        return integration;
    }

    static Map<String, Object> getIntegration(ApiGatewayState state, GetIntegrationRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            return Docs.copy(integration(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod())));
        }
    }

    static Map<String, Object> deleteIntegration(ApiGatewayState state, DeleteIntegrationRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> m = method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod());
            integration(m);
            m.remove("methodIntegration");
        }
        return Map.of();
    }

    static Map<String, Object> updateIntegration(ApiGatewayState state, UpdateIntegrationRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateIntegrationInput", null);
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> live = integration(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()));
            Map<String, Object> doc = Docs.copy(live);
            for (Patch.Op op : ops) {
                String member = op.member();
                String key = op.key();
                switch (member) {
                    case "uri", "httpMethod", "credentials", "connectionId", "connectionType", "passthroughBehavior", "contentHandling", "cacheNamespace" -> {
                        if (op.op().equals("remove")) doc.remove(member);
                        else doc.put(member, op.value());
                    }
                    case "timeoutInMillis" -> {
                        try {
                            doc.put(member, Integer.parseInt(op.value()));
                        } catch (NumberFormatException e) {
                            throw ApiGatewayErrors.badRequest("Invalid timeout specified: " + op.value());
                        }
                    }
                    case "requestParameters", "requestTemplates" -> {
                        if (key == null) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                        Map<String, Object> target = Docs.mapOrNew(doc, member);
                        if (op.op().equals("remove")) target.remove(key);
                        else target.put(key, op.value());
                        if (target.isEmpty()) doc.remove(member);
                    }
                    case "cacheKeyParameters" -> {
                        List<Object> keys = Docs.list(doc, member);
                        if (keys == null) {
                            keys = new ArrayList<>();
                            doc.put(member, keys);
                        }
                        if (op.op().equals("remove")) keys.remove(key);
                        else if (key != null && !keys.contains(key)) keys.add(key);
                    }
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                }
            }
            live.clear();
            live.putAll(doc);
            return Docs.copy(live);
        }
    }

    // ---- integration responses ----

    static Map<String, Object> putIntegrationResponse(ApiGatewayState state, PutIntegrationResponseRequest in) {
        String statusCode = in.statusCode();
        checkStatusCode(statusCode);
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> integration = integration(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()));
            Map<String, ?> params = in.responseParameters();
            Map<String, ?> templates = in.responseTemplates();
            if (params != null && params.values().stream().anyMatch(v -> v == null || v.toString().isEmpty())) {
                throw ApiGatewayErrors.badRequest("Invalid null or empty value in responseParameters");
            }
            if (templates != null && templates.values().stream().anyMatch(v -> v == null)) {
                throw ApiGatewayErrors.badRequest("Invalid null or empty value in responseTemplates");
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            putMapIfAny(doc, "responseParameters", params);
            putMapIfAny(doc, "responseTemplates", templates);
            Docs.putIfPresent(doc, "selectionPattern", in.selectionPattern());
            Docs.putIfPresent(doc, "contentHandling", in.contentHandlingAsString());
            doc.put("statusCode", statusCode);
            Docs.mapOrNew(integration, "integrationResponses").put(statusCode, doc);
            return Docs.copy(doc);
        }
    }

    private static Map<String, Object> integrationResponse(Map<String, Object> integration, String statusCode) {
        Map<String, Object> responses = Docs.map(integration, "integrationResponses");
        Object r = responses == null ? null : responses.get(statusCode);
        if (r == null) throw ApiGatewayErrors.statusCodeNotFound();
        @SuppressWarnings("unchecked") Map<String, Object> doc = (Map<String, Object>) r;
        return doc;
    }

    static Map<String, Object> getIntegrationResponse(ApiGatewayState state, GetIntegrationResponseRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> integration = integration(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()));
            return Docs.copy(integrationResponse(integration, in.statusCode()));
        }
    }

    static Map<String, Object> deleteIntegrationResponse(ApiGatewayState state, DeleteIntegrationResponseRequest in) {
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> integration = integration(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()));
            integrationResponse(integration, in.statusCode());
            Docs.map(integration, "integrationResponses").remove(in.statusCode());
            if (Docs.map(integration, "integrationResponses").isEmpty()) integration.remove("integrationResponses");
        }
        return Map.of();
    }

    static Map<String, Object> updateIntegrationResponse(ApiGatewayState state, UpdateIntegrationResponseRequest in) {
        List<Patch.Op> ops = Patch.read(in.patchOperations(), "updateIntegrationResponseInput", null);
        RestApi api = apiOf(state, in.restApiId());
        synchronized (api) {
            Map<String, Object> integration = integration(method(resourceOf(state, in.restApiId(), in.resourceId()), in.httpMethod()));
            Map<String, Object> live = integrationResponse(integration, in.statusCode());
            Map<String, Object> doc = Docs.copy(live);
            for (Patch.Op op : ops) {
                String member = op.member();
                String key = op.key();
                switch (member) {
                    case "selectionPattern", "contentHandling" -> {
                        if (op.op().equals("remove")) doc.remove(member);
                        else doc.put(member, op.value());
                    }
                    case "responseParameters", "responseTemplates" -> {
                        if (key == null) throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                        Map<String, Object> target = Docs.mapOrNew(doc, member);
                        if (op.op().equals("remove")) target.remove(key);
                        else target.put(key, op.value());
                    }
                    default -> throw ApiGatewayErrors.badRequest("Invalid patch path " + op.path());
                }
            }
            live.clear();
            live.putAll(doc);
            return Docs.copy(live);
        }
    }
}
