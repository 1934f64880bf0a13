package dev.polystack.services.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/** A schedule group (the {@code default} group exists in every account and region). */
public final class ScheduleGroup {
    public String name;
    public String arn;
    public long created;
    public long modified;
    public Map<String, String> tags = new LinkedHashMap<>();
}
