package dev.polystack.gateway.platform;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.ServiceProvider;
import dev.polystack.gateway.dispatch.ProviderRegistry;

import java.util.List;
import java.util.function.Supplier;

/**
 * Mounts providers' {@link ServiceProvider#internalRoutes()} and the gateway extensions' routes.
 * {@code /_aws/<service>/...} creates that service's provider if needed (providers are lazy); other paths are
 * matched against providers that already exist.
 */
public final class InternalRoutes implements PlatformRoute {
    private final ProviderRegistry registry;
    private final Supplier<List<InternalRoute>> extensionRoutes;

    public InternalRoutes(ProviderRegistry registry, Supplier<List<InternalRoute>> extensionRoutes) {
        this.registry = registry;
        this.extensionRoutes = extensionRoutes;
    }

    @Override
    public HttpResponseData handle(HttpRequestData request) {
        HttpResponseData answer = match(extensionRoutes.get(), request);
        if (answer != null) return answer;
        String owner = awsPathService(request.path());
        if (owner != null && registry.availability(owner) == ProviderRegistry.Availability.OFFERED) {
            answer = match(registry.obtain(owner).internalRoutes(), request);
            if (answer != null) return answer;
        }
        for (String service : registry.offeredServices()) {
            ServiceProvider provider = registry.existing(service);
            if (provider == null || service.equals(owner)) continue;
            answer = match(provider.internalRoutes(), request);
            if (answer != null) return answer;
        }
        return null;
    }

    /** {@code /_aws/sqs/messages} → {@code sqs}. */
    public static String awsPathService(String path) {
        if (!path.startsWith("/_aws/")) return null;
        int end = path.indexOf('/', 6);
        String name = end < 0 ? path.substring(6) : path.substring(6, end);
        if (name.equals("execute-api")) return "apigateway"; // /_aws/execute-api/<api-id>/<stage>/...
        return name.isEmpty() ? null : name;
    }

    public static HttpResponseData match(List<InternalRoute> routes, HttpRequestData request) {
        for (InternalRoute route : routes) {
            if (route.method() != null && !route.method().equalsIgnoreCase(request.method())) continue;
            if (!request.path().startsWith(route.pathPrefix())) continue;
            HttpResponseData response = route.handler().apply(request);
            if (response != null) return response;
        }
        return null;
    }
}
