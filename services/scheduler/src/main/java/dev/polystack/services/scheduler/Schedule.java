package dev.polystack.services.scheduler;

import java.util.Map;

/** A schedule as created or updated, with when it fires next. Plain fields for snapshots; guarded by its monitor. */
public final class Schedule {
    public String name;
    public String group;
    public String arn;
    public String description;
    public String expression;
    public String timezone;
    public String state = "ENABLED";
    public String actionAfterCompletion = "NONE";
    public String flexibleMode = "OFF";
    public Integer flexibleWindowMinutes;
    public Long startDate;
    public Long endDate;
    public String kmsKeyArn;
    /** The Target structure as its parameter tree. */
    public Map<String, Object> target;
    public long created;
    public long modified;
    /** The next firing (epoch ms), or 0 when there is none left. */
    public long nextFire;
}
