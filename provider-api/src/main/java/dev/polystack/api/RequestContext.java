package dev.polystack.api;

import java.util.Objects;

/**
 * Who is calling, where, and how: built by the gateway for each request (and by providers for
 * in-process calls with {@link #internal}). {@link #response()} lets a provider set a status or
 * headers that the output shape cannot express (S3's 206 for ranges).
 */
public final class RequestContext {
    private final String accountId;
    private final String region;
    private final String service;
    private final String requestId;
    private final String accessKeyId;
    private final HttpRequestData request;
    private final HttpResponseData response = new HttpResponseData();
    private volatile String operation;
    private volatile String protocol;
    private Delivery delivery;

    /**
     * A message one service delivers on its own behalf to another (SNS to an SQS queue, an S3 notification, an
     * EventBridge target): the delivering service's principal ({@code sns.amazonaws.com}), the resource the message
     * comes from ({@code aws:SourceArn}) and its account ({@code aws:SourceAccount}). With {@code ENFORCE_IAM=1} the
     * target's resource policy must allow that principal for that source, as on AWS, or the delivery is refused.
     */
    public record Delivery(String servicePrincipal, String sourceArn, String sourceAccount) {
    }

    public RequestContext(String accountId, String region, String service, String requestId,
                          String accessKeyId, HttpRequestData request) {
        this.accountId = Objects.requireNonNull(accountId);
        this.region = Objects.requireNonNull(region);
        this.service = service;
        this.requestId = requestId;
        this.accessKeyId = accessKeyId;
        this.request = request;
    }

    /** A context for an in-process call from one service to another (no HTTP request behind it). */
    public static RequestContext internal(String accountId, String region, String service) {
        return new RequestContext(accountId, region, service, java.util.UUID.randomUUID().toString(), null,
                HttpRequestData.of("POST", "/", java.util.Map.of(), new byte[0]));
    }

    /** A context for a delivery in process (see {@link Delivery}): the target's account and region. */
    public static RequestContext delivery(String accountId, String region, String service, Delivery delivery) {
        RequestContext ctx = internal(accountId, region, service);
        ctx.delivery = Objects.requireNonNull(delivery);
        return ctx;
    }

    /** The delivery this in-process call makes, or null for any other request. */
    public Delivery delivery() { return delivery; }

    public String accountId() { return accountId; }

    public String region() { return region; }

    /** {@code aws}, {@code aws-cn}, {@code aws-us-gov} from the region. */
    public String partition() {
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        return "aws";
    }

    public String service() { return service; }

    public String requestId() { return requestId; }

    /** The access key from the signature, or null for unsigned requests. */
    public String accessKeyId() { return accessKeyId; }

    public HttpRequestData request() { return request; }

    /** Response status and headers a provider wants beyond the output shape. Status 0 = the protocol's default. */
    public HttpResponseData response() { return response; }

    public String operation() { return operation; }

    public void operation(String operation) { this.operation = operation; }

    /**
     * The protocol the request came in, as botocore names it ({@code json}, {@code query}, {@code rest-xml}, ...):
     * chosen once per request by the gateway's codec, so that a provider whose service speaks several (SQS) can
     * word its answers for it without reading headers. Null for in-process calls.
     */
    public String protocol() { return protocol; }

    public void protocol(String protocol) { this.protocol = protocol; }
}
