package dev.polystack.services.scheduler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Schedules (by group, then name) and groups of one account and region. */
public final class SchedulerRegion {
    public final Map<String, ScheduleGroup> groups = new ConcurrentHashMap<>();
    /** Key: group + "/" + name. */
    public final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
}
