package dev.polystack.gateway.routing;

import dev.polystack.api.HttpRequestData;

/**
 * The router's answer.
 *
 * @param service     the botocore service name; null when the request names a service nobody knows
 * @param request     the request to hand on (S3 virtual-host requests rewritten to path style)
 * @param credential  the request's credential (account and region come from it)
 * @param unknownName for an unknown service: the name the request used (its signing name), else null
 * @param region      the credential scope's region, else the one the Host names ({@link HostRegion}), else null
 */
public record Route(String service, HttpRequestData request, Credential credential, String unknownName, String region) {
    public boolean known() {
        return service != null;
    }
}
