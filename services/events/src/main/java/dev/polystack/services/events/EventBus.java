package dev.polystack.services.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An event bus and its rules. The compiled matcher is rebuilt whenever the enabled pattern rules change
 * ({@link #matcher}), so PutEvents reads one immutable machine without locks.
 */
public final class EventBus {
    public String name;
    public String arn;
    public String description;
    public String kmsKeyIdentifier;
    /** The DeadLetterConfig's queue ARN, null when none. */
    public String deadLetterArn;
    /** The resource policy as a JSON object (Version, Statement), null when none: a JSON tree, read without casts. */
    public ObjectNode policy;
    public long creationTime;
    public long lastModifiedTime;
    public Map<String, String> tags = new LinkedHashMap<>();
    /** Rules by name, sorted as ListRules returns them; read by PutEvents without the lock. */
    public ConcurrentSkipListMap<String, Rule> rules = new ConcurrentSkipListMap<>();

    @JsonIgnore
    public volatile EventPatterns.Matcher matcher = EventPatterns.Matcher.EMPTY;

    /** Recompiles the matcher from the enabled pattern rules; call with the bus locked after any change. */
    /** Snapshots before the typed provider kept the whole DeadLetterConfig object. */
    @com.fasterxml.jackson.annotation.JsonSetter("deadLetterConfig")
    void readDeadLetterConfig(Map<String, Object> config) {
        if (config != null && config.get("Arn") != null) deadLetterArn = String.valueOf(config.get("Arn"));
    }

    public void rebuildMatcher() {
        matcher = EventPatterns.Matcher.of(rules.values().stream()
                .filter(r -> r.enabled() && r.eventPattern != null).map(r -> Map.entry(r.name, r.eventPattern)).toList());
    }

    public List<Rule> rulesNamed(List<String> names) {
        return names.stream().map(rules::get).filter(r -> r != null).toList();
    }
}
