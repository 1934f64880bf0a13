package dev.polystack.services.secretsmanager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A secret and its versions (persisted as is; guarded by the engine's lock). */
public final class Secret {
    public String name;
    public String arn;
    public String description;
    /** As the caller named it; null = the default key {@code alias/aws/secretsmanager}. */
    public String kmsKeyId;
    public long created;
    public long lastChanged;
    public long lastAccessed;
    /** When a scheduled deletion takes effect (epoch ms); 0 = not scheduled. */
    public long deletionDate;
    public long deletedDate;
    public Map<String, String> tags = new LinkedHashMap<>();
    /** Whether the secret ever had tags: AWS then answers "Tags": [] once they are all removed, else no Tags at all. */
    public boolean tagged;
    /** Version id → version, oldest first. */
    public Map<String, SecretVersion> versions = new LinkedHashMap<>();
    public String rotationLambdaArn;
    public Integer rotationDays;
    public String rotationDuration;
    public String rotationSchedule;
    /** null until rotation was ever configured (DescribeSecret leaves the field out). */
    public Boolean rotationEnabled;
    public long lastRotated;
    public long nextRotation;
    public String policy;
    /** Replicas of this primary: region → KMS key (null = default). */
    public Map<String, String> replicas = new LinkedHashMap<>();
    /** Set on a replica: the primary's region. */
    public String primaryRegion;

    boolean deleted() {
        return deletionDate != 0;
    }

    boolean replica() {
        return primaryRegion != null;
    }

    SecretVersion staged(String stage) {
        for (SecretVersion v : versions.values()) if (v.stages.contains(stage)) return v;
        return null;
    }

    Secret copy() {
        Secret c = new Secret();
        c.name = name;
        c.arn = arn;
        c.description = description;
        c.kmsKeyId = kmsKeyId;
        c.created = created;
        c.lastChanged = lastChanged;
        c.lastAccessed = lastAccessed;
        c.deletionDate = deletionDate;
        c.deletedDate = deletedDate;
        c.tags = new LinkedHashMap<>(tags);
        c.tagged = tagged;
        for (var e : versions.entrySet()) c.versions.put(e.getKey(), e.getValue().copy());
        c.rotationLambdaArn = rotationLambdaArn;
        c.rotationDays = rotationDays;
        c.rotationDuration = rotationDuration;
        c.rotationSchedule = rotationSchedule;
        c.rotationEnabled = rotationEnabled;
        c.lastRotated = lastRotated;
        c.nextRotation = nextRotation;
        c.policy = policy;
        c.replicas = new LinkedHashMap<>(replicas);
        c.primaryRegion = primaryRegion;
        return c;
    }

    List<SecretVersion> versionList() {
        return new ArrayList<>(versions.values());
    }
}
