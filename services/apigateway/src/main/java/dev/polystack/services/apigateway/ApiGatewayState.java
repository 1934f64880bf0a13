package dev.polystack.services.apigateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One account's API Gateway in one region: REST APIs, API keys, usage plans and account settings. */
final class ApiGatewayState {
    final String accountId;
    final String region;
    final Map<String, RestApi> restApis = new ConcurrentHashMap<>();
    final Map<String, Map<String, Object>> apiKeys = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> usagePlans = new LinkedHashMap<>();
    /** usage plan id → key id → usage plan key document. */
    final Map<String, Map<String, Map<String, Object>>> usagePlanKeys = new LinkedHashMap<>();
    final Map<String, Object> account = new LinkedHashMap<>();

    ApiGatewayState(String accountId, String region) {
        this.accountId = accountId;
        this.region = region;
    }

    RestApi api(String apiId) {
        RestApi api = apiId == null ? null : restApis.get(apiId);
        if (api == null) throw ApiGatewayErrors.apiNotFound(accountId, apiId);
        return api;
    }
}
