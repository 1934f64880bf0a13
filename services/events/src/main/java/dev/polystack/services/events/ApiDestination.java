package dev.polystack.services.events;

/** An API destination: an HTTP endpoint that rules target, called with its connection's authorization. */
public final class ApiDestination {
    public String name;
    public String arn;
    public String description;
    public String connectionArn;
    public String invocationEndpoint;
    public String httpMethod;
    /** Invocations beyond it are delayed to keep to it ({@link ApiDestinations#reserve}); 300 by default. */
    public Integer invocationRateLimitPerSecond;
    public String state = "ACTIVE";
    public long creationTime;
    public long lastModifiedTime;
}
