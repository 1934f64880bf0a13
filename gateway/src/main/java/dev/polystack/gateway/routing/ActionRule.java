package dev.polystack.gateway.routing;

import dev.polystack.protocol.ServiceCatalog;
import dev.polystack.protocol.ServiceInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Query and EC2 protocols: {@code Action=...&Version=2012-11-05} in the query or the form body. The API
 * version picks the service; when several share one (rds, neptune, docdb), the one whose endpoint prefix is
 * its own name wins.
 */
public final class ActionRule implements RouteRule {
    /** Links AWS hands to people carry an Action but no Version: SNS's SubscribeURL and UnsubscribeURL. */
    private static final Map<String, String> UNVERSIONED_LINKS = Map.of("ConfirmSubscription", "sns", "Unsubscribe", "sns");

    private volatile Map<String, String> byVersion;
    private volatile ServiceCatalog indexed;

    @Override
    public String match(RouteInput input) {
        if (input.action() == null) return null;
        String version = input.formOrQueryParameter("Version");
        if (version == null) return UNVERSIONED_LINKS.get(input.action());
        return versionIndex(input.catalog()).get(version);
    }

    private Map<String, String> versionIndex(ServiceCatalog catalog) {
        Map<String, String> index = byVersion;
        if (index == null || indexed != catalog) {
            index = buildIndex(catalog);
            byVersion = index;
            indexed = catalog;
        }
        return index;
    }

    static Map<String, String> buildIndex(ServiceCatalog catalog) {
        Map<String, List<ServiceInfo>> candidates = new HashMap<>();
        for (ServiceInfo s : catalog.all()) {
            if (s.protocols() != null && (s.protocols().contains("query") || s.protocols().contains("ec2"))
                    || "query".equals(s.protocol()) || "ec2".equals(s.protocol())) {
                candidates.computeIfAbsent(s.apiVersion(), v -> new ArrayList<>()).add(s);
            }
        }
        Map<String, String> index = new HashMap<>();
        candidates.forEach((version, services) -> {
            ServiceInfo best = services.get(0);
            for (ServiceInfo s : services) {
                if (s.service().equals(s.endpointPrefix())) {
                    best = s;
                    break;
                }
            }
            index.put(version, best.service());
        });
        return Map.copyOf(index);
    }
}
