package dev.polystack.gateway.platform;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.gateway.Version;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET/HEAD /_localstack/health} (also under LocalStack's old {@code /health}):
 * {@code {"services": {name: state}, "edition": "community", "version": ...}} plus fields contributed by
 * extensions (persistence status).
 */
public final class HealthEndpoint implements PlatformRoute {
    private final Supplier<Map<String, String>> states;
    private final List<Supplier<Map<String, Object>>> extraFields;

    public HealthEndpoint(Supplier<Map<String, String>> states, List<Supplier<Map<String, Object>>> extraFields) {
        this.states = states;
        this.extraFields = extraFields;
    }

    @Override
    public HttpResponseData handle(HttpRequestData request) {
        String path = request.path();
        if (!path.equals("/_localstack/health") && !path.equals("/_localstack/health/")) return null;
        String method = request.method();
        if (method.equals("HEAD")) return new HttpResponseData(200).header("Content-Type", "application/json");
        if (!method.equals("GET")) return Json.response(405, Map.of("error", "method not allowed"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("services", states.get());
        body.put("edition", "community");
        body.put("version", Version.VALUE);
        for (Supplier<Map<String, Object>> extra : extraFields) body.putAll(extra.get());
        return Json.response(200, body);
    }
}
