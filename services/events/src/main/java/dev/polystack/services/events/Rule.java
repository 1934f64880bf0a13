package dev.polystack.services.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.LinkedHashMap;
import java.util.Map;

/** A rule on an event bus: an event pattern or a schedule, and its targets by id (in insertion order). */
public final class Rule {
    public String name;
    public String arn;
    public String eventBusName;
    public String eventPattern;
    public String scheduleExpression;
    public String state = "ENABLED";
    public String description;
    public String roleArn;
    public String managedBy;
    public String createdBy;
    public Map<String, String> tags = new LinkedHashMap<>();
    /** Targets by id; replaced as a whole on change (copy on write), so delivery reads it without the lock. */
    public volatile LinkedHashMap<String, Target> targets = new LinkedHashMap<>();
    /** When a schedule rule fires next (epoch ms); recomputed on load. */
    @JsonIgnore
    public long nextFire;

    public boolean enabled() {
        return "ENABLED".equals(state);
    }
}
