package dev.polystack.services.scheduler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Schedules (by group, then name) and groups of one account and region. */
public final class SchedulerRegion {
    /** How long a ClientToken makes its request idempotent (AWS documents no window; SDK retries end in minutes). */
    static final long CLIENT_TOKEN_MILLIS = 8 * 3600_000L;

    public final Map<String, ScheduleGroup> groups = new ConcurrentHashMap<>();
    /** Key: group + "/" + name. */
    public final Map<String, Schedule> schedules = new ConcurrentHashMap<>();
    /** Requests already done, by operation, resource and ClientToken: the ARN answered and when (not persisted). */
    final Map<String, Done> done = new ConcurrentHashMap<>();

    record Done(String arn, long at) {
    }

    /** The ARN a request with this ClientToken answered before, null when it is new (or had no token). */
    String replay(String operation, String resource, String clientToken) {
        if (clientToken == null) return null;
        Done d = done.get(operation + "\u0000" + resource + "\u0000" + clientToken);
        return d == null || System.currentTimeMillis() - d.at() > CLIENT_TOKEN_MILLIS ? null : d.arn();
    }

    void remember(String operation, String resource, String clientToken, String arn) {
        if (clientToken != null) done.put(operation + "\u0000" + resource + "\u0000" + clientToken, new Done(arn, System.currentTimeMillis()));
    }

    void forgetExpiredTokens(long now) {
        done.values().removeIf(d -> now - d.at() > CLIENT_TOKEN_MILLIS);
    }
}
