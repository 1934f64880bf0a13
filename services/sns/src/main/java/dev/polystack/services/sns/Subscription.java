package dev.polystack.services.sns;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A subscription of an endpoint to a topic. */
public final class Subscription {
    public String arn;
    public String topicArn;
    public String protocol;
    public String endpoint;
    public String owner;
    public long created;
    public volatile boolean pendingConfirmation;
    public String token;
    /** User-settable attributes: RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy ... */
    public ConcurrentHashMap<String, String> attributes = new ConcurrentHashMap<>();

    /** Compiled from the FilterPolicy attribute; rebuilt after loading. */
    @JsonIgnore
    public volatile FilterPolicy filterPolicy;

    /** Throttling (the delivery policy's maxReceivesPerSecond): System.nanoTime() of the next free slot. */
    @JsonIgnore
    final AtomicLong nextDeliverySlot = new AtomicLong(Long.MIN_VALUE);

    public boolean raw() {
        return "true".equalsIgnoreCase(attributes.get("RawMessageDelivery"));
    }

    public boolean filtersBody() {
        return "MessageBody".equals(attributes.get("FilterPolicyScope"));
    }
}
