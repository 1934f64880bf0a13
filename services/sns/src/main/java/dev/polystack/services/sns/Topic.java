package dev.polystack.services.sns;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An SNS topic. Mutable fields change under the owning {@link SnsRegion}'s lock; readers see safe copies. */
public final class Topic {
    public String arn;
    public String name;
    public boolean fifo;
    public long created;
    /** Attributes set by the user (DisplayName, Policy, DeliveryPolicy, ContentBasedDeduplication ...). */
    public ConcurrentHashMap<String, String> attributes = new ConcurrentHashMap<>();
    public LinkedHashMap<String, String> tags = new LinkedHashMap<>();
    public String dataProtectionPolicy;
    /** Subscription ARNs in creation order. */
    public CopyOnWriteArrayList<String> subscriptions = new CopyOnWriteArrayList<>();
    public AtomicLong sequence = new AtomicLong();
    public AtomicLong subscriptionsDeleted = new AtomicLong();

    /** FIFO deduplication: id → (message id, sequence number, expiry millis). Not persisted. */
    @JsonIgnore
    public final Map<String, Deduplicated> deduplication = new ConcurrentHashMap<>();

    public record Deduplicated(String messageId, String sequenceNumber, long expiresAt) {
    }

    public boolean contentBasedDeduplication() {
        return "true".equalsIgnoreCase(attributes.get("ContentBasedDeduplication"));
    }
}
