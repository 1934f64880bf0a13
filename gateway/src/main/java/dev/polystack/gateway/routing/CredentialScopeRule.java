package dev.polystack.gateway.routing;

import dev.polystack.protocol.ServiceInfo;

import java.util.List;

/**
 * SigV4 (header or presigned): the credential scope's signing name. When several services share a signing
 * name (s3 and s3control, ses and sesv2), the other rules break the tie among them; failing that, the
 * service named like the signing name wins.
 */
public final class CredentialScopeRule implements RouteRule {
    private final List<RouteRule> tieBreakers;

    public CredentialScopeRule(List<RouteRule> tieBreakers) {
        this.tieBreakers = List.copyOf(tieBreakers);
    }

    @Override
    public String match(RouteInput input) {
        String signingName = input.credential().service();
        if (signingName == null) return null;
        List<ServiceInfo> candidates = input.catalog().bySigningName(signingName);
        if (candidates == null || candidates.isEmpty()) return null;
        if (candidates.size() == 1) return candidates.get(0).service();
        for (RouteRule rule : tieBreakers) {
            String service = rule.match(input);
            if (service != null && contains(candidates, service)) return service;
        }
        return contains(candidates, signingName) ? signingName : candidates.get(0).service();
    }

    private static boolean contains(List<ServiceInfo> services, String name) {
        for (ServiceInfo s : services) {
            if (s.service().equals(name)) return true;
        }
        return false;
    }
}
