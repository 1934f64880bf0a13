package dev.polystack.services.kinesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Kinesis data stream and its shards (open and closed), consumers and settings. Changed holding its region's lock. */
public final class Stream {
    public String name;
    public String arn;
    public String status = "ACTIVE";
    public String mode = "PROVISIONED";
    public int retentionHours = 24;
    public String encryptionType = "NONE";
    public String keyId;
    public long createdAt;
    public int nextShardIndex;
    public List<String> enhancedMetrics = new ArrayList<>();
    public Map<String, String> tags = new LinkedHashMap<>();
    public Map<String, Object> resourcePolicy;
    /** Shards by id in creation order; replaced as a whole on resharding, so writers read it without the lock. */
    public volatile LinkedHashMap<String, Shard> shards = new LinkedHashMap<>();
    public Map<String, Consumer> consumers = new LinkedHashMap<>();

    public record Consumer(String name, String arn, long createdAt) {
    }
}
