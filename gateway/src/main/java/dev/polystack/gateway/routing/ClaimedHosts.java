package dev.polystack.gateway.routing;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host names that a provider has claimed for itself ({@link dev.polystack.api.ProviderEnvironment#claimHost}): API
 * Gateway's custom domain names, served on port 4566 when a request's {@code Host} is the domain. Asked before every
 * other rule, since a claim is explicit; with no claims (the usual case) it costs one emptiness check per request.
 */
public final class ClaimedHosts implements RouteRule {
    private final Map<String, String> serviceByHost = new ConcurrentHashMap<>();

    /** {@code service} null releases the claim. */
    public void claim(String host, String service) {
        String name = host.toLowerCase(Locale.ROOT);
        if (service == null) serviceByHost.remove(name);
        else serviceByHost.put(name, service);
    }

    /** Whether a provider claimed this host name (lower case, without port, as {@link RouteInput#host()} gives it). */
    public boolean isClaimed(String host) {
        return !serviceByHost.isEmpty() && host != null && serviceByHost.containsKey(RouteInput.hostName(host));
    }

    @Override
    public String match(RouteInput input) {
        if (serviceByHost.isEmpty()) return null;
        return serviceByHost.get(input.host());
    }
}
