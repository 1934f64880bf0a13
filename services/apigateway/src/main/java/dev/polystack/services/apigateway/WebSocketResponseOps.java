package dev.polystack.services.apigateway;

import dev.polystack.services.apigatewayv2.api.*;
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

    static Map<String, Object> createRouteResponse(HttpApiState state, CreateRouteResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            String routeId = in.routeId();
            HttpApiOps.route(api, routeId);
            Map<String, Object> response = new LinkedHashMap<>();
            HttpApiOps.copyFields(CreateRouteResponseRequest.SHAPE, in, response, ROUTE_RESPONSE_FIELDS);
            String id = Ids.of(6);
            response.put("RouteResponseId", id);
            api.routeResponses.computeIfAbsent(routeId, k -> new LinkedHashMap<>()).put(id, response);
            return Docs.copy(response);
        }
    }

    private static Map<String, Object> routeResponse(HttpApi api, String routeId, String routeResponseId) {
        HttpApiOps.route(api, routeId);
        Map<String, Map<String, Object>> responses = api.routeResponses.get(routeId);
        Map<String, Object> response = responses == null ? null : responses.get(routeResponseId);
        if (response == null) throw ApiGatewayErrors.notFound("Invalid RouteResponse identifier specified " + routeResponseId);
        return response;
    }

    static Map<String, Object> getRouteResponse(HttpApiState state, GetRouteResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            return Docs.copy(routeResponse(api, in.routeId(), in.routeResponseId()));
        }
    }

    static Map<String, Object> getRouteResponses(HttpApiState state, GetRouteResponsesRequest in) {
        HttpApi api = state.api(in.apiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            HttpApiOps.route(api, in.routeId());
            api.routeResponses.getOrDefault(in.routeId(), Map.of()).values().forEach(r -> all.add(Docs.copy(r)));
        }
        return HttpApiOps.page(all, in.nextToken(), in.maxResults());
    }

    static Map<String, Object> updateRouteResponse(HttpApiState state, UpdateRouteResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            Map<String, Object> response = routeResponse(api, in.routeId(), in.routeResponseId());
            HttpApiOps.copyFields(UpdateRouteResponseRequest.SHAPE, in, response, ROUTE_RESPONSE_FIELDS);
            return Docs.copy(response);
        }
    }

    static Map<String, Object> deleteRouteResponse(HttpApiState state, DeleteRouteResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            routeResponse(api, in.routeId(), in.routeResponseId());
            api.routeResponses.get(in.routeId()).remove(in.routeResponseId());
        }
        return Map.of();
    }

    // ---- integration responses ----

    static Map<String, Object> createIntegrationResponse(HttpApiState state, CreateIntegrationResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            String integrationId = in.integrationId();
            HttpApiOps.integration(api, integrationId);
            Map<String, Object> response = new LinkedHashMap<>();
            HttpApiOps.copyFields(CreateIntegrationResponseRequest.SHAPE, in, response, INTEGRATION_RESPONSE_FIELDS);
            String id = Ids.of(6);
            response.put("IntegrationResponseId", id);
            api.integrationResponses.computeIfAbsent(integrationId, k -> new LinkedHashMap<>()).put(id, response);
            return Docs.copy(response);
        }
    }

    private static Map<String, Object> integrationResponse(HttpApi api, String integrationId, String integrationResponseId) {
        HttpApiOps.integration(api, integrationId);
        Map<String, Map<String, Object>> responses = api.integrationResponses.get(integrationId);
        Map<String, Object> response = responses == null ? null : responses.get(integrationResponseId);
        if (response == null) {
            throw ApiGatewayErrors.notFound("Invalid IntegrationResponse identifier specified " + integrationResponseId);
        }
        return response;
    }

    static Map<String, Object> getIntegrationResponse(HttpApiState state, GetIntegrationResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            return Docs.copy(integrationResponse(api, in.integrationId(), in.integrationResponseId()));
        }
    }

    static Map<String, Object> getIntegrationResponses(HttpApiState state, GetIntegrationResponsesRequest in) {
        HttpApi api = state.api(in.apiId());
        List<Map<String, Object>> all = new ArrayList<>();
        synchronized (api) {
            HttpApiOps.integration(api, in.integrationId());
            api.integrationResponses.getOrDefault(in.integrationId(), Map.of()).values().forEach(r -> all.add(Docs.copy(r)));
        }
        return HttpApiOps.page(all, in.nextToken(), in.maxResults());
    }

    static Map<String, Object> updateIntegrationResponse(HttpApiState state, UpdateIntegrationResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            Map<String, Object> response = integrationResponse(api, in.integrationId(), in.integrationResponseId());
            HttpApiOps.copyFields(UpdateIntegrationResponseRequest.SHAPE, in, response, INTEGRATION_RESPONSE_FIELDS);
            return Docs.copy(response);
        }
    }

    static Map<String, Object> deleteIntegrationResponse(HttpApiState state, DeleteIntegrationResponseRequest in) {
        HttpApi api = state.api(in.apiId());
        synchronized (api) {
            integrationResponse(api, in.integrationId(), in.integrationResponseId());
            api.integrationResponses.get(in.integrationId()).remove(in.integrationResponseId());
        }
        return Map.of();
    }
}
