package dev.polystack.gateway.routing;

import dev.polystack.api.HttpRequestData;
import dev.polystack.protocol.ServiceCatalog;

import java.util.List;

/**
 * Finds the service a request is for, the way LocalStack does: an ordered list of rules, first answer wins,
 * S3 as the last resort. Signed requests whose signing name no installed service has (and that no other
 * rule places) are reported as unknown rather than sent to S3.
 */
public final class ServiceRouter {
    private final ServiceCatalog catalog;
    private final List<RouteRule> rules;
    private final ClaimedHosts claimedHosts;

    public ServiceRouter(ServiceCatalog catalog) {
        this(catalog, new ClaimedHosts());
    }

    /** @param claimedHosts host names providers claimed (custom domains): asked before every other rule */
    public ServiceRouter(ServiceCatalog catalog, ClaimedHosts claimedHosts) {
        this.catalog = catalog;
        this.claimedHosts = claimedHosts;
        List<RouteRule> specific = List.of(new TargetPrefixRule(), new HostRule(), new PathPrefixRule(), new ActionRule());
        this.rules = concat(claimedHosts, concat(new CredentialScopeRule(specific), specific));
    }

    public ClaimedHosts claimedHosts() {
        return claimedHosts;
    }

    public Route route(HttpRequestData request) {
        Credential credential = Credential.of(request);
        RouteInput input = new RouteInput(request, credential, catalog);
        for (RouteRule rule : rules) {
            String service = rule.match(input);
            if (service != null) return routed(service, input);
        }
        String signingName = credential.service();
        if (signingName != null && !isS3Name(signingName)) {
            return new Route(null, request, credential, signingName, region(input));
        }
        return routed("s3", input);
    }

    private static Route routed(String service, RouteInput input) {
        HttpRequestData request = input.request();
        if (service.equals("s3")) request = S3VirtualHost.toPathStyle(request, input.host());
        return new Route(service, request, input.credential(), null, region(input));
    }

    private static String region(RouteInput input) {
        String scoped = input.credential().region();
        return scoped != null ? scoped : HostRegion.of(input.host());
    }

    private static boolean isS3Name(String signingName) {
        return signingName.equals("s3") || signingName.startsWith("s3-");
    }

    private static List<RouteRule> concat(RouteRule first, List<RouteRule> rest) {
        RouteRule[] all = new RouteRule[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) all[i + 1] = rest.get(i);
        return List.of(all);
    }
}
