package dev.polystack.gateway.routing;

import dev.polystack.protocol.ServiceInfo;

/** JSON protocols: {@code X-Amz-Target: AmazonSQS.ListQueues} names the service by its target prefix. */
public final class TargetPrefixRule implements RouteRule {
    @Override
    public String match(RouteInput input) {
        String prefix = input.targetPrefix();
        if (prefix == null) return null;
        ServiceInfo info = input.catalog().byTargetPrefix(prefix);
        return info == null ? null : info.service();
    }
}
