package dev.polystack.gateway.routing;

/** One way of telling which service a request is for; the router asks its rules in order. */
@FunctionalInterface
public interface RouteRule {

    /** The botocore service name, or null when this rule cannot tell. */
    String match(RouteInput input);
}
