package dev.polystack.services.apigateway;

import dev.polystack.api.model.Shape;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.apigatewayv2.api.*;
import dev.polystack.api.Config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.polystack.services.apigateway.Docs.str;

/** API Gateway v2 management: APIs, routes, integrations, stages, deployments, authorizers, tags. */
final class HttpApiOps {
    private static final Set<String> ROUTE_METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY");
    private static final List<String> API_FIELDS = List.of("ApiKeySelectionExpression", "CorsConfiguration", "CredentialsArn", "Description",
            "DisableSchemaValidation", "DisableExecuteApiEndpoint", "IpAddressType", "Name", "RouteSelectionExpression", "Version");
    private static final List<String> ROUTE_FIELDS = List.of("ApiKeyRequired", "AuthorizationScopes", "AuthorizationType", "AuthorizerId",
            "ModelSelectionExpression", "OperationName", "RequestModels", "RequestParameters", "RouteKey", "RouteResponseSelectionExpression", "Target");
    private static final List<String> INTEGRATION_FIELDS = List.of("ConnectionId", "ConnectionType", "ContentHandlingStrategy", "CredentialsArn",
            "Description", "IntegrationMethod", "IntegrationSubtype", "IntegrationType", "IntegrationUri", "PassthroughBehavior",
            "PayloadFormatVersion", "RequestParameters", "RequestTemplates", "ResponseParameters", "TemplateSelectionExpression",
            "TimeoutInMillis", "TlsConfig");
    private static final List<String> STAGE_FIELDS = List.of("AccessLogSettings", "AutoDeploy", "ClientCertificateId", "DefaultRouteSettings",
            "DeploymentId", "Description", "RouteSettings", "StageVariables");
    private static final List<String> AUTHORIZER_FIELDS = List.of("AuthorizerCredentialsArn", "AuthorizerPayloadFormatVersion",
            "AuthorizerResultTtlInSeconds", "AuthorizerType", "AuthorizerUri", "EnableSimpleResponses", "IdentitySource",
            "IdentityValidationExpression", "JwtConfiguration", "Name");

    private final Config config;

    HttpApiOps(Config config) {
        this.config = config;
    }

    /** Copies these members of a request into a stored document (the request's tree, by the generic converter). */
    static <T> void copyFields(Shape<T> shape, T request, Map<String, Object> doc, List<String> fields) {
        Map<String, Object> in = TreeConverter.toTree(shape, request);
        for (String f : fields) {
            Object v = in.get(f);
            if (v != null) doc.put(f, Docs.copy(v));
        }
    }

    // ---- APIs ----

    Map<String, Object> createApi(HttpApiState state, CreateApiRequest in) {
        String protocol = in.protocolTypeAsString();
        if (!"HTTP".equals(protocol) && !"WEBSOCKET".equals(protocol)) {
            throw ApiGatewayErrors.badRequest("Invalid protocol type specified: " + protocol);
        }
        if ("WEBSOCKET".equals(protocol) && in.routeSelectionExpression() == null) {
            throw ApiGatewayErrors.badRequest("RouteSelectionExpression is required for WebSocket APIs");
        }
        String id = Ids.apiId();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ApiId", id);
        doc.put("ApiEndpoint", ("HTTP".equals(protocol) ? config.externalScheme() : "ws") + "://" + id + ".execute-api." + config.externalHost());
        doc.put("ApiKeySelectionExpression", "$request.header.x-api-key");
        doc.put("CreatedDate", Docs.nowSeconds());
        doc.put("DisableExecuteApiEndpoint", false);
        doc.put("IpAddressType", "ipv4");
        doc.put("ProtocolType", protocol);
        doc.put("RouteSelectionExpression", "$request.method $request.path");
        copyFields(CreateApiRequest.SHAPE, in, doc, API_FIELDS);
        Map<String, ?> tags = in.tags();
        doc.put("Tags", tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags));
        HttpApi api = new HttpApi(id, doc);
        String target = in.target();
        if (target != null && "HTTP".equals(protocol)) {
            quickCreate(api, target, in.routeKey());
            autoDeploy(api);
        }
        state.apis.put(id, api);
        return Docs.copy(doc);
    }

    /** CreateApi with {@code Target}: an integration, a route (default {@code $default}) and an auto-deployed {@code $default} stage. */
    private static void quickCreate(HttpApi api, String target, String routeKey) {
        Map<String, Object> integration = new LinkedHashMap<>();
        String integrationId = Ids.of(7);
        integration.put("IntegrationId", integrationId);
        boolean lambda = target.startsWith("arn:");
        integration.put("IntegrationType", lambda ? "AWS_PROXY" : "HTTP_PROXY");
        integration.put("IntegrationUri", target);
        integration.put("IntegrationMethod", lambda ? "POST" : "ANY");
        integration.put("PayloadFormatVersion", lambda ? "2.0" : "1.0");
        integration.put("TimeoutInMillis", 30000);
        integration.put("ConnectionType", "INTERNET");
        integration.put("ApiGatewayManaged", true);
        api.integrations.put(integrationId, integration);
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("RouteId", Ids.of(7));
        route.put("RouteKey", routeKey == null ? "$default" : routeKey);
        route.put("Target", "integrations/" + integrationId);
        route.put("AuthorizationType", "NONE");
        route.put("ApiKeyRequired", false);
        route.put("ApiGatewayManaged", true);
        api.routes.put((String) route.get("RouteId"), route);
        Map<String, Object> stage = newStage("$default", true, null);
        stage.put("ApiGatewayManaged", true);
        api.stages.put("$default", stage);
    }

    Map<String, Object> getApi(HttpApiState state, GetApiRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            return Docs.copy(api.doc);
        }
    }

    Map<String, Object> getApis(HttpApiState state, GetApisRequest in) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (HttpApi api : state.apis.values()) {
            synchronized (api) {
                all.add(Docs.copy(api.doc));
            }
        }
        return page(all, in.nextToken(), in.maxResults());
    }

    Map<String, Object> updateApi(HttpApiState state, UpdateApiRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            copyFields(UpdateApiRequest.SHAPE, in, api.doc, API_FIELDS);
            return Docs.copy(api.doc);
        }
    }

    Map<String, Object> deleteApi(HttpApiState state, DeleteApiRequest in) {
        HttpApi api = state.api(in.apiId());
        state.apis.remove(api.id);
        return Map.of();
    }

    Map<String, Object> deleteCorsConfiguration(HttpApiState state, DeleteCorsConfigurationRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            api.doc.remove("CorsConfiguration");
        }
        return Map.of();
    }

    // ---- routes ----

    private static void checkRouteKey(HttpApi api, String routeKey) {
        if (routeKey == null || routeKey.isEmpty()) throw ApiGatewayErrors.badRequest("Route key must not be empty");
        if (routeKey.startsWith("$")) return;
        if (!api.isHttp()) return; // WebSocket route keys are free-form (matched by the route selection expression)
        int space = routeKey.indexOf(' ');
        if (space < 0 || !ROUTE_METHODS.contains(routeKey.substring(0, space)) || !routeKey.substring(space + 1).startsWith("/")) {
            throw ApiGatewayErrors.badRequest("Unable to create route. Route key must be '$default' or have the form '<HTTP method> <resource path>'");
        }
    }

    Map<String, Object> createRoute(HttpApiState state, CreateRouteRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            String routeKey = in.routeKey();
            checkRouteKey(api, routeKey);
            for (Map<String, Object> r : api.routes.values()) {
                if (routeKey.equals(r.get("RouteKey"))) throw ApiGatewayErrors.conflict("Unable to create route " + routeKey + ". The route already exists.");
            }
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("RouteId", Ids.of(7));
            route.put("ApiKeyRequired", false);
            route.put("AuthorizationType", "NONE");
            copyFields(CreateRouteRequest.SHAPE, in, route, ROUTE_FIELDS);
            checkTarget(api, str(route, "Target"));
            api.routes.put((String) route.get("RouteId"), route);
            autoDeploy(api);
            return Docs.copy(route);
        }
    }

    private static void checkTarget(HttpApi api, String target) {
        if (target == null) return;
        if (!target.startsWith("integrations/") || !api.integrations.containsKey(target.substring("integrations/".length()))) {
            throw ApiGatewayErrors.badRequest("Invalid integration target specified: " + target);
        }
    }

    static Map<String, Object> route(HttpApi api, String id) {
        Map<String, Object> r = id == null ? null : api.routes.get(id);
        if (r == null) throw ApiGatewayErrors.notFound("Invalid Route identifier specified " + id);
        return r;
    }

    Map<String, Object> getRoute(HttpApiState state, GetRouteRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            return Docs.copy(route(api, in.routeId()));
        }
    }

    Map<String, Object> getRoutes(HttpApiState state, GetRoutesRequest in) {
        HttpApi api = state.api(in.apiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.routes.values().forEach(r -> all.add(Docs.copy(r)));
        }
        return page(all, in.nextToken(), in.maxResults());
    }

    Map<String, Object> updateRoute(HttpApiState state, UpdateRouteRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            Map<String, Object> route = route(api, in.routeId());
            if (in.routeKey() != null) checkRouteKey(api, in.routeKey());
            checkTarget(api, in.target());
            copyFields(UpdateRouteRequest.SHAPE, in, route, ROUTE_FIELDS);
            autoDeploy(api);
            return Docs.copy(route);
        }
    }

    Map<String, Object> deleteRoute(HttpApiState state, DeleteRouteRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            route(api, in.routeId());
            api.routes.remove(in.routeId());
            autoDeploy(api);
        }
        return Map.of();
    }

    // ---- integrations ----

    Map<String, Object> createIntegration(HttpApiState state, CreateIntegrationRequest in) {
        HttpApi api = state.api(in.apiId());
        String type = in.integrationTypeAsString();
        if (type == null || !Set.of("AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK").contains(type)) {
            throw ApiGatewayErrors.badRequest("Invalid integration type specified: " + type);
        }
        synchronized (api) {
            Map<String, Object> integration = new LinkedHashMap<>();
            integration.put("IntegrationId", Ids.of(7));
            integration.put("ConnectionType", "INTERNET");
            copyFields(CreateIntegrationRequest.SHAPE, in, integration, INTEGRATION_FIELDS);
            if (api.isHttp()) {
                if (type.equals("AWS_PROXY") && integration.get("PayloadFormatVersion") == null && integration.get("IntegrationSubtype") == null) {
                    throw ApiGatewayErrors.badRequest("PayloadFormatVersion is a required parameter for integration type AWS_PROXY.");
                }
                integration.putIfAbsent("PayloadFormatVersion", "1.0");
                integration.putIfAbsent("TimeoutInMillis", 30000);
                if (type.equals("HTTP_PROXY")) integration.putIfAbsent("IntegrationMethod", "ANY");
            } else {
                integration.putIfAbsent("PassthroughBehavior", "WHEN_NO_MATCH");
                integration.putIfAbsent("TimeoutInMillis", 29000);
            }
            integration.put("IntegrationResponseSelectionExpression", api.isHttp() ? null : "${integration.response.statuscode}");
            integration.values().removeIf(v -> v == null);
            api.integrations.put((String) integration.get("IntegrationId"), integration);
            autoDeploy(api);
            return Docs.copy(integration);
        }
    }

    static Map<String, Object> integration(HttpApi api, String id) {
        Map<String, Object> i = id == null ? null : api.integrations.get(id);
        if (i == null) throw ApiGatewayErrors.notFound("Invalid Integration identifier specified " + id);
        return i;
    }

    Map<String, Object> getIntegration(HttpApiState state, GetIntegrationRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            return Docs.copy(integration(api, in.integrationId()));
        }
    }

    Map<String, Object> getIntegrations(HttpApiState state, GetIntegrationsRequest in) {
        HttpApi api = state.api(in.apiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.integrations.values().forEach(i -> all.add(Docs.copy(i)));
        }
        return page(all, in.nextToken(), in.maxResults());
    }

    Map<String, Object> updateIntegration(HttpApiState state, UpdateIntegrationRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            Map<String, Object> integration = integration(api, in.integrationId());
            copyFields(UpdateIntegrationRequest.SHAPE, in, integration, INTEGRATION_FIELDS);
            autoDeploy(api);
            return Docs.copy(integration);
        }
    }

    Map<String, Object> deleteIntegration(HttpApiState state, DeleteIntegrationRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            String id = in.integrationId();
            integration(api, id);
            for (Map<String, Object> r : api.routes.values()) {
                if (("integrations/" + id).equals(r.get("Target"))) {
                    throw ApiGatewayErrors.conflict("Cannot delete an integration that is the target of a route");
                }
            }
            api.integrations.remove(id);
        }
        return Map.of();
    }

    // ---- stages and deployments ----

    private static Map<String, Object> newStage(String name, boolean autoDeploy, Map<String, ?> variables) {
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("StageName", name);
        stage.put("AutoDeploy", autoDeploy);
        long now = Docs.nowSeconds();
        stage.put("CreatedDate", now);
        stage.put("LastUpdatedDate", now);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("DetailedMetricsEnabled", false);
        stage.put("DefaultRouteSettings", settings);
        stage.put("RouteSettings", new LinkedHashMap<>());
        stage.put("StageVariables", variables == null ? new LinkedHashMap<>() : new LinkedHashMap<>(variables));
        stage.put("Tags", new LinkedHashMap<>());
        return stage;
    }

    Map<String, Object> createStage(HttpApiState state, CreateStageRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            String name = in.stageName();
            if (api.stages.containsKey(name)) throw ApiGatewayErrors.conflict("Stage " + name + " already exists");
            String deploymentId = in.deploymentId();
            if (deploymentId != null && !api.deployments.containsKey(deploymentId)) {
                throw ApiGatewayErrors.badRequest("Deployment id does not exist");
            }
            Map<String, Object> stage = newStage(name, java.util.Objects.requireNonNullElse(in.autoDeploy(), false), in.stageVariables());
            copyFields(CreateStageRequest.SHAPE, in, stage, STAGE_FIELDS);
            Map<String, ?> tags = in.tags();
            if (tags != null) stage.put("Tags", new LinkedHashMap<>(tags));
            api.stages.put(name, stage);
            if (Docs.bool(stage, "AutoDeploy", false)) autoDeploy(api);
            return Docs.copy(stage);
        }
    }

    private static Map<String, Object> stage(HttpApi api, String name) {
        Map<String, Object> s = name == null ? null : api.stages.get(name);
        if (s == null) throw ApiGatewayErrors.notFound("Invalid stage identifier specified");
        return s;
    }

    Map<String, Object> getStage(HttpApiState state, GetStageRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            return Docs.copy(stage(api, in.stageName()));
        }
    }

    Map<String, Object> getStages(HttpApiState state, GetStagesRequest in) {
        HttpApi api = state.api(in.apiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.stages.values().forEach(s -> all.add(Docs.copy(s)));
        }
        return page(all, in.nextToken(), in.maxResults());
    }

    Map<String, Object> updateStage(HttpApiState state, UpdateStageRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            Map<String, Object> stage = stage(api, in.stageName());
            copyFields(UpdateStageRequest.SHAPE, in, stage, STAGE_FIELDS);
            stage.put("LastUpdatedDate", Docs.nowSeconds());
            return Docs.copy(stage);
        }
    }

    Map<String, Object> deleteStage(HttpApiState state, DeleteStageRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            stage(api, in.stageName());
            api.stages.remove(in.stageName());
        }
        return Map.of();
    }

    Map<String, Object> createDeployment(HttpApiState state, CreateDeploymentRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            String stageName = in.stageName();
            if (stageName != null) stage(api, stageName);
            Map<String, Object> doc = deploymentDoc(in.description(), false);
            api.deployments.put((String) doc.get("DeploymentId"), api.snapshot(doc));
            if (stageName != null) api.stages.get(stageName).put("DeploymentId", doc.get("DeploymentId"));
            return Docs.copy(doc);
        }
    }

    private static Map<String, Object> deploymentDoc(String description, boolean auto) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("AutoDeployed", auto);
        doc.put("CreatedDate", Docs.nowSeconds());
        doc.put("DeploymentId", Ids.shortId());
        doc.put("DeploymentStatus", "DEPLOYED");
        Docs.putIfPresent(doc, "Description", description);
        return doc;
    }

    /** Stages with AutoDeploy get a new deployment whenever routes or integrations change. */
    static void autoDeploy(HttpApi api) {
        for (Map<String, Object> stage : api.stages.values()) {
            if (!Docs.bool(stage, "AutoDeploy", false)) continue;
            Map<String, Object> doc = deploymentDoc("Automatic deployment triggered by changes to the Api configuration", true);
            api.deployments.put((String) doc.get("DeploymentId"), api.snapshot(doc));
            stage.put("DeploymentId", doc.get("DeploymentId"));
            stage.put("LastDeploymentStatusMessage", "Successfully deployed stage with deployment ID '" + doc.get("DeploymentId") + "'");
        }
    }

    Map<String, Object> getDeployment(HttpApiState state, GetDeploymentRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            HttpApi.Deployment d = api.deployments.get(in.deploymentId());
            if (d == null) throw ApiGatewayErrors.notFound("Invalid Deployment identifier specified " + in.deploymentId());
            return Docs.copy(d.doc());
        }
    }

    Map<String, Object> getDeployments(HttpApiState state, GetDeploymentsRequest in) {
        HttpApi api = state.api(in.apiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.deployments.values().forEach(d -> all.add(Docs.copy(d.doc())));
        }
        return page(all, in.nextToken(), in.maxResults());
    }

    Map<String, Object> deleteDeployment(HttpApiState state, DeleteDeploymentRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            if (api.deployments.remove(in.deploymentId()) == null) {
                throw ApiGatewayErrors.notFound("Invalid Deployment identifier specified " + in.deploymentId());
            }
        }
        return Map.of();
    }

    // ---- authorizers ----

    Map<String, Object> createAuthorizer(HttpApiState state, CreateAuthorizerRequest in) {
        HttpApi api = state.api(in.apiId());
        String type = in.authorizerTypeAsString();
        if ("JWT".equals(type) && in.jwtConfiguration() == null) {
            throw ApiGatewayErrors.badRequest("JwtConfiguration is required for authorizer type JWT");
        }
        synchronized (api) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("AuthorizerId", Ids.of(6));
            copyFields(CreateAuthorizerRequest.SHAPE, in, a, AUTHORIZER_FIELDS);
            api.authorizers.put((String) a.get("AuthorizerId"), a);
            return Docs.copy(a);
        }
    }

    private static Map<String, Object> authorizer(HttpApi api, String id) {
        Map<String, Object> a = id == null ? null : api.authorizers.get(id);
        if (a == null) throw ApiGatewayErrors.notFound("Invalid Authorizer identifier specified " + id);
        return a;
    }

    Map<String, Object> getAuthorizer(HttpApiState state, GetAuthorizerRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            return Docs.copy(authorizer(api, in.authorizerId()));
        }
    }

    Map<String, Object> getAuthorizers(HttpApiState state, GetAuthorizersRequest in) {
        HttpApi api = state.api(in.apiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            api.authorizers.values().forEach(a -> all.add(Docs.copy(a)));
        }
        return page(all, in.nextToken(), in.maxResults());
    }

    Map<String, Object> updateAuthorizer(HttpApiState state, UpdateAuthorizerRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            Map<String, Object> a = authorizer(api, in.authorizerId());
            copyFields(UpdateAuthorizerRequest.SHAPE, in, a, AUTHORIZER_FIELDS);
            return Docs.copy(a);
        }
    }

    Map<String, Object> deleteAuthorizer(HttpApiState state, DeleteAuthorizerRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            authorizer(api, in.authorizerId());
            api.authorizers.remove(in.authorizerId());
        }
        return Map.of();
    }

    // ---- tags ----

    private static Map<String, Object> tagTarget(HttpApiState state, String arn) {
        int at = arn == null ? -1 : arn.indexOf("::/apis/");
        if (at < 0) throw ApiGatewayErrors.notFound("Invalid resource identifier specified " + arn);
        String[] parts = arn.substring(at + "::/apis/".length()).split("/");
        HttpApi api = state.api(parts[0]);
        if (parts.length == 1) return api.doc;
        if (parts.length == 3 && parts[1].equals("stages")) return stage(api, parts[2]);
        throw ApiGatewayErrors.notFound("Invalid resource identifier specified " + arn);
    }

    Map<String, Object> tagResource(HttpApiState state, TagResourceRequest in) {
        Map<String, Object> doc = tagTarget(state, in.resourceArn());
        synchronized (state) {
            Map<String, ?> tags = in.tags();
            if (tags != null) Docs.mapOrNew(doc, "Tags").putAll(tags);
        }
        return Map.of();
    }

    Map<String, Object> untagResource(HttpApiState state, UntagResourceRequest in) {
        Map<String, Object> doc = tagTarget(state, in.resourceArn());
        synchronized (state) {
            Map<String, Object> tags = Docs.map(doc, "Tags");
            List<?> keys = in.tagKeys();
            if (tags != null && keys != null) keys.forEach(tags::remove);
        }
        return Map.of();
    }

    Map<String, Object> getTags(HttpApiState state, GetTagsRequest in) {
        Map<String, Object> doc = tagTarget(state, in.resourceArn());
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (state) {
            Map<String, Object> tags = Docs.map(doc, "Tags");
            out.put("Tags", tags == null ? new LinkedHashMap<>() : Docs.copy(tags));
        }
        return out;
    }

    /** v2 listings: {@code Items} and {@code NextToken} (an offset), {@code MaxResults} as a string. */
    static Map<String, Object> page(List<Map<String, Object>> all, String token, String maxResults) {
        int start = 0;
        if (token != null) {
            try {
                start = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw ApiGatewayErrors.badRequest("Invalid NextToken");
            }
        }
        int max = Integer.MAX_VALUE;
        if (maxResults != null) {
            try {
                max = Math.max(1, Integer.parseInt(maxResults));
            } catch (NumberFormatException e) {
                throw ApiGatewayErrors.badRequest("Invalid MaxResults");
            }
        }
        int end = (int) Math.min(all.size(), (long) start + max);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Items", start >= all.size() ? List.of() : all.subList(start, end));
        if (end < all.size()) out.put("NextToken", Integer.toString(end));
        return out;
    }
}
