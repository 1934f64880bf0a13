package dev.polystack.services.apigateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One API Gateway v2 API (HTTP or WebSocket): its document and its routes, integrations,
 * stages, deployments and authorizers, each kept in its output form (PascalCase member names, as botocore's
 * apigatewayv2 shapes name them). Mutations hold the API's monitor.
 */
final class HttpApi {
    final String id;
    final Map<String, Object> doc;
    final Map<String, Map<String, Object>> routes = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> integrations = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> stages = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> authorizers = new LinkedHashMap<>();
    /** WebSocket APIs: route id → route response id → route response (a route with one answers the client). */
    final Map<String, Map<String, Map<String, Object>>> routeResponses = new LinkedHashMap<>();
    /** WebSocket APIs: integration id → integration response id → integration response (MOCK answers from its template). */
    final Map<String, Map<String, Map<String, Object>>> integrationResponses = new LinkedHashMap<>();
    /** Deployment id → document and the routes and integrations as deployed. */
    final Map<String, Deployment> deployments = new LinkedHashMap<>();

    HttpApi(String id, Map<String, Object> doc) {
        this.id = id;
        this.doc = doc;
    }

    boolean isHttp() {
        return "HTTP".equals(doc.get("ProtocolType"));
    }

    record Deployment(Map<String, Object> doc, Map<String, Map<String, Object>> routes, Map<String, Map<String, Object>> integrations) {
    }

    Deployment snapshot(Map<String, Object> doc) {
        return new Deployment(doc, Docs.copy(routes), Docs.copy(integrations));
    }
}
