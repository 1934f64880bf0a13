package dev.polystack.services.apigateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.apigateway.Docs.str;

/** API Gateway v2 management of WebSocket APIs' route responses and integration responses. */
final class WebSocketResponseOps {
    private static final List<String> ROUTE_RESPONSE_FIELDS = List.of("ModelSelectionExpression", "ResponseModels",
            "ResponseParameters", "RouteResponseKey");
    private static final List<String> INTEGRATION_RESPONSE_FIELDS = List.of("ContentHandlingStrategy", "IntegrationResponseKey",
            "ResponseParameters", "ResponseTemplates", "TemplateSelectionExpression");

    private WebSocketResponseOps() {
    }

    // ---- route responses ----

    static Map<String, Object> createRouteResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            String routeId = str(in, "RouteId");
            HttpApiOps.route(api, routeId);
            Map<String, Object> response = new LinkedHashMap<>();
            HttpApiOps.copyFields(in, response, ROUTE_RESPONSE_FIELDS);
            String id = Ids.of(6);
            response.put("RouteResponseId", id);
            api.routeResponses.computeIfAbsent(routeId, k -> new LinkedHashMap<>()).put(id, response);
            return Docs.copy(response);
        }
    }

    private static Map<String, Object> routeResponse(HttpApi api, Map<String, Object> in) {
        String routeId = str(in, "RouteId");
        HttpApiOps.route(api, routeId);
        Map<String, Map<String, Object>> responses = api.routeResponses.get(routeId);
        Map<String, Object> response = responses == null ? null : responses.get(str(in, "RouteResponseId"));
        if (response == null) throw ApiGatewayErrors.notFound("Invalid RouteResponse identifier specified " + str(in, "RouteResponseId"));
        return response;
    }

    static Map<String, Object> getRouteResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            return Docs.copy(routeResponse(api, in));
        }
    }

    static Map<String, Object> getRouteResponses(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            HttpApiOps.route(api, str(in, "RouteId"));
            api.routeResponses.getOrDefault(str(in, "RouteId"), Map.of()).values().forEach(r -> all.add(Docs.copy(r)));
        }
        return HttpApiOps.page(all, in);
    }

    static Map<String, Object> updateRouteResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            Map<String, Object> response = routeResponse(api, in);
            HttpApiOps.copyFields(in, response, ROUTE_RESPONSE_FIELDS);
            return Docs.copy(response);
        }
    }

    static Map<String, Object> deleteRouteResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            routeResponse(api, in);
            api.routeResponses.get(str(in, "RouteId")).remove(str(in, "RouteResponseId"));
        }
        return Map.of();
    }

    // ---- integration responses ----

    static Map<String, Object> createIntegrationResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            String integrationId = str(in, "IntegrationId");
            HttpApiOps.integration(api, integrationId);
            Map<String, Object> response = new LinkedHashMap<>();
            HttpApiOps.copyFields(in, response, INTEGRATION_RESPONSE_FIELDS);
            String id = Ids.of(6);
            response.put("IntegrationResponseId", id);
            api.integrationResponses.computeIfAbsent(integrationId, k -> new LinkedHashMap<>()).put(id, response);
            return Docs.copy(response);
        }
    }

    private static Map<String, Object> integrationResponse(HttpApi api, Map<String, Object> in) {
        String integrationId = str(in, "IntegrationId");
        HttpApiOps.integration(api, integrationId);
        Map<String, Map<String, Object>> responses = api.integrationResponses.get(integrationId);
        Map<String, Object> response = responses == null ? null : responses.get(str(in, "IntegrationResponseId"));
        if (response == null) {
            throw ApiGatewayErrors.notFound("Invalid IntegrationResponse identifier specified " + str(in, "IntegrationResponseId"));
        }
        return response;
    }

    static Map<String, Object> getIntegrationResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            return Docs.copy(integrationResponse(api, in));
        }
    }

    static Map<String, Object> getIntegrationResponses(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            HttpApiOps.integration(api, str(in, "IntegrationId"));
            api.integrationResponses.getOrDefault(str(in, "IntegrationId"), Map.of()).values().forEach(r -> all.add(Docs.copy(r)));
        }
        return HttpApiOps.page(all, in);
    }

    static Map<String, Object> updateIntegrationResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            Map<String, Object> response = integrationResponse(api, in);
            HttpApiOps.copyFields(in, response, INTEGRATION_RESPONSE_FIELDS);
            return Docs.copy(response);
        }
    }

    static Map<String, Object> deleteIntegrationResponse(HttpApiState state, Map<String, Object> in) {
        HttpApi api = state.api(str(in, "ApiId"));
        synchronized (api) {
            integrationResponse(api, in);
            api.integrationResponses.get(str(in, "IntegrationId")).remove(str(in, "IntegrationResponseId"));
        }
        return Map.of();
    }
}
