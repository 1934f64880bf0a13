package dev.polystack.services.apigateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One account's API Gateway v2 APIs in one region. */
final class HttpApiState {
    final String accountId;
    final String region;
    final Map<String, HttpApi> apis = new ConcurrentHashMap<>();

    HttpApiState(String accountId, String region) {
        this.accountId = accountId;
        this.region = region;
    }

    HttpApi api(String id) {
        HttpApi api = id == null ? null : apis.get(id);
        if (api == null) throw ApiGatewayErrors.notFound("Invalid API identifier specified " + accountId + ":" + id);
        return api;
    }
}
