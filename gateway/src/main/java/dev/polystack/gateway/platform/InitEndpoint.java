package dev.polystack.gateway.platform;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;

import java.util.Locale;
import java.util.Map;

/** {@code GET /_localstack/init} (all stages) and {@code GET /_localstack/init/<stage>} (one stage). */
public final class InitEndpoint implements PlatformRoute {
    private static final String PREFIX = "/_localstack/init";

    private final InitHooks hooks;

    public InitEndpoint(InitHooks hooks) {
        this.hooks = hooks;
    }

    @Override
    public HttpResponseData handle(HttpRequestData request) {
        String path = request.path();
        if (!path.startsWith(PREFIX)) return null;
        String rest = path.substring(PREFIX.length());
        if (rest.isEmpty() || rest.equals("/")) return Json.response(200, hooks.status());
        String name = rest.substring(1).replace("/", "").toUpperCase(Locale.ROOT);
        for (InitHooks.Stage stage : InitHooks.Stage.values()) {
            if (stage.name().equals(name)) return Json.response(200, hooks.status(stage));
        }
        return Json.response(404, Map.of("error", "unknown init stage '" + rest.substring(1) + "'"));
    }
}
