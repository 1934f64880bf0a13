package dev.polystack.services.ssm;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.services.ssm.api.CreateMaintenanceWindowRequest;
import dev.polystack.services.ssm.api.DoesNotExistException;
import dev.polystack.services.ssm.api.GetMaintenanceWindowResult;
import dev.polystack.services.ssm.api.MaintenanceWindowFilter;
import dev.polystack.services.ssm.api.MaintenanceWindowIdentity;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Maintenance windows of each account and region: created, read, listed (Name and Enabled filters), tagged, deleted. Nothing runs in them. */
final class MaintenanceWindows {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One window (persisted as is). */
    public static final class Window {
        public String id;
        public String name;
        public String description;
        public String startDate;
        public String endDate;
        public String schedule;
        public String scheduleTimezone;
        public Integer scheduleOffset;
        public int duration;
        public int cutoff;
        public boolean allowUnassociatedTargets;
        public boolean enabled = true;
        public long created;
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    record Snapshot(Map<String, Map<String, Map<String, Window>>> windows) {
    }

    private final AccountRegionStore<Map<String, Window>> stores = new AccountRegionStore<>((a, r) -> new ConcurrentHashMap<>());

    synchronized String create(RequestContext ctx, CreateMaintenanceWindowRequest in) {
        if (in.cutoff() != null && in.duration() != null && in.cutoff() >= in.duration()) {
            throw SsmErrors.validation("The cutoff must be less than the duration.");
        }
        Window w = new Window();
        byte[] id = new byte[9];
        RANDOM.nextBytes(id);
        w.id = "mw-" + HexFormat.of().formatHex(id).substring(0, 17);
        w.name = in.name();
        w.description = in.description();
        w.startDate = in.startDate();
        w.endDate = in.endDate();
        w.schedule = in.schedule();
        w.scheduleTimezone = in.scheduleTimezone();
        w.scheduleOffset = in.scheduleOffset();
        w.duration = in.duration() == null ? 0 : in.duration();
        w.cutoff = in.cutoff() == null ? 0 : in.cutoff();
        w.allowUnassociatedTargets = Boolean.TRUE.equals(in.allowUnassociatedTargets());
        w.created = System.currentTimeMillis();
        w.tags = SsmProvider.tags(in.tags());
        stores.get(ctx).put(w.id, w);
        return w.id;
    }

    synchronized GetMaintenanceWindowResult get(RequestContext ctx, String id) {
        Window w = existing(ctx, id);
        return GetMaintenanceWindowResult.builder().windowId(w.id).name(w.name).description(w.description).startDate(w.startDate)
                .endDate(w.endDate).schedule(w.schedule).scheduleTimezone(w.scheduleTimezone).scheduleOffset(w.scheduleOffset)
                .duration(w.duration).cutoff(w.cutoff).allowUnassociatedTargets(w.allowUnassociatedTargets).enabled(w.enabled)
                .createdDate(Instant.ofEpochMilli(w.created)).modifiedDate(Instant.ofEpochMilli(w.created)).build();
    }

    synchronized List<MaintenanceWindowIdentity> list(RequestContext ctx, List<MaintenanceWindowFilter> filters) {
        List<MaintenanceWindowIdentity> out = new ArrayList<>();
        for (Window w : stores.get(ctx).values()) {
            boolean match = true;
            for (MaintenanceWindowFilter f : filters) {
                List<String> values = SsmProvider.orEmpty(f.values());
                if ("Name".equals(f.key()) && !values.contains(w.name)) match = false;
                if ("Enabled".equals(f.key()) && !values.contains(String.valueOf(w.enabled))) match = false;
            }
            if (match) {
                out.add(MaintenanceWindowIdentity.builder().windowId(w.id).name(w.name).description(w.description).enabled(w.enabled)
                        .duration(w.duration).cutoff(w.cutoff).schedule(w.schedule).scheduleTimezone(w.scheduleTimezone)
                        .scheduleOffset(w.scheduleOffset).endDate(w.endDate).startDate(w.startDate).build());
            }
        }
        return out;
    }

    synchronized void delete(RequestContext ctx, String id) {
        stores.get(ctx).remove(id);
    }

    synchronized void addTags(RequestContext ctx, String id, Map<String, String> tags) {
        existing(ctx, id).tags.putAll(tags);
    }

    synchronized void removeTags(RequestContext ctx, String id, List<String> keys) {
        existing(ctx, id).tags.keySet().removeAll(keys);
    }

    synchronized Map<String, String> tags(RequestContext ctx, String id) {
        return new LinkedHashMap<>(existing(ctx, id).tags);
    }

    private Window existing(RequestContext ctx, String id) {
        Window w = id == null ? null : stores.get(ctx).get(id);
        if (w == null) throw new DoesNotExistException("Maintenance window " + id + " does not exist");
        return w;
    }

    synchronized Snapshot snapshot() {
        Map<String, Map<String, Map<String, Window>>> out = new LinkedHashMap<>();
        stores.all().forEach((account, regions) -> regions.forEach((region, windows) ->
                out.computeIfAbsent(account, a -> new LinkedHashMap<>()).put(region, new LinkedHashMap<>(windows))));
        return new Snapshot(out);
    }

    synchronized void restore(Snapshot s) {
        stores.clear();
        if (s == null || s.windows() == null) return;
        s.windows().forEach((account, regions) -> regions.forEach((region, windows) ->
                stores.put(account, region, new ConcurrentHashMap<>(windows))));
    }

    synchronized void reset() {
        stores.clear();
    }
}
