package dev.polystack.protocol.xml;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;
import dev.polystack.protocol.BotocoreCatalog;
import dev.polystack.protocol.model.ServiceModel;

import java.util.Map;

/** Real botocore specifications for tests (found by walking up to {@code vendor/python/botocore/data}). */
public final class TestSpecs {
    private static final BotocoreCatalog CATALOG = BotocoreCatalog.fromEnvironment();

    private TestSpecs() {
    }

    /** The compiled model (with the project's overlays) of an installed service. */
    public static ServiceModel model(String service) {
        return CATALOG.model(service);
    }

    /** A form POST as botocore sends query requests. */
    public static HttpRequestData form(String body) {
        return HttpRequestData.of("POST", "/", Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static RequestContext context(HttpRequestData request) {
        return new RequestContext("000000000000", "us-east-1", "test", "req-1", null, request);
    }
}
