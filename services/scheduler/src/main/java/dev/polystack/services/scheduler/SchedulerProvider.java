package dev.polystack.services.scheduler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Page;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.schedule.ScheduleExpression;
import dev.polystack.services.scheduler.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Native EventBridge Scheduler on the typed {@link SchedulerApi}: schedule groups, schedules with
 * {@link ScheduleSpec} expressions in their time zone, start and end dates, flexible time windows (a firing lands at
 * a random point of the window, as on AWS), {@code ActionAfterCompletion}, and targets run by {@link TargetInvoker}
 * with the retry policy and dead-letter queue. A one-second tick fires what is due.
 */
public final class SchedulerProvider implements SchedulerApi, ServiceProvider, Persistable {
    private static final System.Logger LOG = System.getLogger(SchedulerProvider.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String DEFAULT_GROUP = "default";

    private final ProviderEnvironment env;
    private final TargetInvoker invoker;
    private final AccountRegionStore<SchedulerRegion> stores = new AccountRegionStore<>((a, r) -> new SchedulerRegion());
    private final ScheduledFuture<?> ticker;

    public SchedulerProvider(ProviderEnvironment env) {
        this.env = env;
        this.invoker = env == null ? null : new TargetInvoker(env);
        this.ticker = env == null ? null : env.scheduler().scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public String service() {
        return "scheduler";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    @Override
    public void close() {
        if (ticker != null) ticker.cancel(false);
    }

    private SchedulerRegion region(RequestContext ctx) {
        SchedulerRegion r = stores.get(ctx);
        r.groups.computeIfAbsent(DEFAULT_GROUP, n -> group(ctx, n));
        return r;
    }

    private static ScheduleGroup group(RequestContext ctx, String name) {
        ScheduleGroup g = new ScheduleGroup();
        g.name = name;
        g.arn = "arn:" + ctx.partition() + ":scheduler:" + ctx.region() + ":" + ctx.accountId() + ":schedule-group/" + name;
        g.created = g.modified = System.currentTimeMillis();
        return g;
    }

    private static String groupName(String g) {
        return g == null || g.isEmpty() ? DEFAULT_GROUP : g;
    }

    private static ScheduleGroup existingGroup(SchedulerRegion r, String name) {
        ScheduleGroup g = r.groups.get(name);
        if (g == null) throw new ResourceNotFoundException("Schedule group " + name + " does not exist.");
        return g;
    }

    private static Schedule existing(SchedulerRegion r, String group, String name) {
        existingGroup(r, group);
        Schedule s = r.schedules.get(group + "/" + name);
        if (s == null) throw new ResourceNotFoundException("Schedule " + name + " does not exist.");
        return s;
    }

    // ---------------------------------------------------------------- schedules

    @Override
    public CreateScheduleOutput createSchedule(RequestContext ctx, CreateScheduleInput in) {
        SchedulerRegion r = region(ctx);
        String group = groupName(in.groupName());
        String key = group + "/" + in.name();
        // A retried request (same ClientToken, as the SDKs send on retries) answers as the first did.
        String replay = r.replay("CreateSchedule", key, in.clientToken());
        if (replay != null) return CreateScheduleOutput.builder().scheduleArn(replay).build();
        existingGroup(r, group);
        Schedule s = new Schedule();
        s.name = in.name();
        s.group = group;
        s.arn = "arn:" + ctx.partition() + ":scheduler:" + ctx.region() + ":" + ctx.accountId() + ":schedule/" + group + "/" + in.name();
        s.created = System.currentTimeMillis();
        define(s, in.scheduleExpression(), in.scheduleExpressionTimezone(), in.description(), in.stateAsString(),
                in.actionAfterCompletionAsString(), in.flexibleTimeWindow(), in.startDate(), in.endDate(), in.kmsKeyArn(), in.target());
        synchronized (r.done) {   // one of two concurrent retries creates, the other replays
            replay = r.replay("CreateSchedule", key, in.clientToken());
            if (replay != null) return CreateScheduleOutput.builder().scheduleArn(replay).build();
            if (r.schedules.putIfAbsent(key, s) != null) throw new ConflictException("Schedule " + s.name + " already exists.");
            r.remember("CreateSchedule", key, in.clientToken(), s.arn);
        }
        return CreateScheduleOutput.builder().scheduleArn(s.arn).build();
    }

    @Override
    public UpdateScheduleOutput updateSchedule(RequestContext ctx, UpdateScheduleInput in) {
        Schedule s = existing(region(ctx), groupName(in.groupName()), in.name());
        synchronized (s) {
            define(s, in.scheduleExpression(), in.scheduleExpressionTimezone(), in.description(), in.stateAsString(),
                    in.actionAfterCompletionAsString(), in.flexibleTimeWindow(), in.startDate(), in.endDate(), in.kmsKeyArn(), in.target());
        }
        return UpdateScheduleOutput.builder().scheduleArn(s.arn).build();
    }

    /** Create and Update replace the whole definition (AWS's update is a full replacement too). */
    private static void define(Schedule s, String expression, String timezone, String description, String state, String after,
                               FlexibleTimeWindow window, Instant start, Instant end, String kms, Target target) {
        ScheduleExpression spec = ScheduleSpec.parse(expression, timezone);
        if (window != null && "FLEXIBLE".equals(window.modeAsString()) && window.maximumWindowInMinutes() == null) {
            throw new ValidationException("MaximumWindowInMinutes is required when Mode is FLEXIBLE.");
        }
        if (start != null && end != null && !start.isBefore(end)) {
            throw new ValidationException("The provided start date must be before the end date.");
        }
        s.expression = expression;
        s.timezone = timezone;
        s.description = description;
        s.state = state == null ? "ENABLED" : state;
        s.actionAfterCompletion = after == null ? "NONE" : after;
        s.flexibleMode = window == null || window.modeAsString() == null ? "OFF" : window.modeAsString();
        s.flexibleWindowMinutes = window == null ? null : window.maximumWindowInMinutes();
        s.startDate = start == null ? null : start.toEpochMilli();
        s.endDate = end == null ? null : end.toEpochMilli();
        s.kmsKeyArn = kms;
        s.target = TreeConverter.toTree(Target.SHAPE, target);
        s.modified = System.currentTimeMillis();
        s.nextFire = next(s, spec, Instant.ofEpochMilli(Math.max(s.modified, s.startDate == null ? 0 : s.startDate) - 1));
    }

    /** The next firing after {@code after} (inside the start/end dates, shifted within a flexible window), 0 for none. */
    private static long next(Schedule s, ScheduleExpression spec, Instant after) {
        Instant t = spec.nextAfter(after);
        if (t == null) return 0;
        if (s.endDate != null && t.toEpochMilli() > s.endDate) return 0;
        long at = t.toEpochMilli();
        if ("FLEXIBLE".equals(s.flexibleMode) && s.flexibleWindowMinutes != null && s.flexibleWindowMinutes > 0) {
            at += ThreadLocalRandom.current().nextLong(s.flexibleWindowMinutes * 60_000L);
        }
        return at;
    }

    @Override
    public GetScheduleOutput getSchedule(RequestContext ctx, GetScheduleInput in) {
        Schedule s = existing(region(ctx), groupName(in.groupName()), in.name());
        synchronized (s) {
            FlexibleTimeWindow window = FlexibleTimeWindow.builder().mode(s.flexibleMode).maximumWindowInMinutes(s.flexibleWindowMinutes).build();
            return GetScheduleOutput.builder().name(s.name).groupName(s.group).arn(s.arn).description(s.description)
                    .scheduleExpression(s.expression).scheduleExpressionTimezone(s.timezone).state(s.state)
                    .actionAfterCompletion(s.actionAfterCompletion).flexibleTimeWindow(window)
                    .startDate(s.startDate == null ? null : Instant.ofEpochMilli(s.startDate))
                    .endDate(s.endDate == null ? null : Instant.ofEpochMilli(s.endDate)).kmsKeyArn(s.kmsKeyArn)
                    .target(TreeConverter.fromTree(Target.SHAPE, s.target))
                    .creationDate(Instant.ofEpochMilli(s.created)).lastModificationDate(Instant.ofEpochMilli(s.modified)).build();
        }
    }

    @Override
    public ListSchedulesOutput listSchedules(RequestContext ctx, ListSchedulesInput in) {
        SchedulerRegion r = region(ctx);
        if (in.groupName() != null) existingGroup(r, in.groupName());
        List<Schedule> all = new ArrayList<>();
        for (Schedule s : r.schedules.values()) {
            if (in.groupName() != null && !in.groupName().equals(s.group)) continue;
            if (in.namePrefix() != null && !s.name.startsWith(in.namePrefix())) continue;
            if (in.stateAsString() != null && !in.stateAsString().equals(s.state)) continue;
            all.add(s);
        }
        all.sort(Comparator.comparing(SchedulerProvider::pageKey));
        Page<Schedule> page = Page.of(all, SchedulerProvider::pageKey, in.nextToken(), pageSize(in.maxResults()), SchedulerProvider::invalidToken);
        List<ScheduleSummary> out = new ArrayList<>();
        for (Schedule s : page.items()) {
            out.add(ScheduleSummary.builder().name(s.name).groupName(s.group).arn(s.arn).state(s.state)
                    .creationDate(Instant.ofEpochMilli(s.created)).lastModificationDate(Instant.ofEpochMilli(s.modified))
                    .target(TargetSummary.builder().arn(String.valueOf(s.target.get("Arn"))).build()).build());
        }
        return ListSchedulesOutput.builder().schedules(out).nextToken(page.nextToken()).build();
    }

    /** Listing order: by group, then name (the NUL sorts a group before any longer group name it prefixes). */
    private static String pageKey(Schedule s) {
        return s.group + "\u0000" + s.name;
    }

    private static int pageSize(Integer maxResults) {
        return maxResults == null ? 100 : maxResults;   // botocore bounds MaxResults to 1..100
    }

    private static ValidationException invalidToken(String token) {
        return new ValidationException("The NextToken provided is invalid.");
    }

    @Override
    public DeleteScheduleOutput deleteSchedule(RequestContext ctx, DeleteScheduleInput in) {
        SchedulerRegion r = region(ctx);
        String key = groupName(in.groupName()) + "/" + in.name();
        synchronized (r.done) {
            if (r.replay("DeleteSchedule", key, in.clientToken()) != null) return DeleteScheduleOutput.builder().build();
            Schedule s = existing(r, groupName(in.groupName()), in.name());
            r.schedules.remove(key, s);
            r.remember("DeleteSchedule", key, in.clientToken(), s.arn);
        }
        return DeleteScheduleOutput.builder().build();
    }

    // ---------------------------------------------------------------- groups

    @Override
    public CreateScheduleGroupOutput createScheduleGroup(RequestContext ctx, CreateScheduleGroupInput in) {
        SchedulerRegion r = region(ctx);
        ScheduleGroup g = group(ctx, in.name());
        if (in.tags() != null) for (Tag t : in.tags()) g.tags.put(t.key(), t.value());
        synchronized (r.done) {
            String replay = r.replay("CreateScheduleGroup", g.name, in.clientToken());
            if (replay != null) return CreateScheduleGroupOutput.builder().scheduleGroupArn(replay).build();
            if (r.groups.putIfAbsent(g.name, g) != null) throw new ConflictException("Schedule group " + g.name + " already exists.");
            r.remember("CreateScheduleGroup", g.name, in.clientToken(), g.arn);
        }
        return CreateScheduleGroupOutput.builder().scheduleGroupArn(g.arn).build();
    }

    @Override
    public GetScheduleGroupOutput getScheduleGroup(RequestContext ctx, GetScheduleGroupInput in) {
        ScheduleGroup g = existingGroup(region(ctx), in.name());
        return GetScheduleGroupOutput.builder().name(g.name).arn(g.arn).state("ACTIVE")
                .creationDate(Instant.ofEpochMilli(g.created)).lastModificationDate(Instant.ofEpochMilli(g.modified)).build();
    }

    @Override
    public ListScheduleGroupsOutput listScheduleGroups(RequestContext ctx, ListScheduleGroupsInput in) {
        List<ScheduleGroup> all = new ArrayList<>();
        for (ScheduleGroup g : region(ctx).groups.values()) {
            if (in.namePrefix() == null || g.name.startsWith(in.namePrefix())) all.add(g);
        }
        all.sort(Comparator.comparing(g -> g.name));
        Page<ScheduleGroup> page = Page.of(all, g -> g.name, in.nextToken(), pageSize(in.maxResults()), SchedulerProvider::invalidToken);
        List<ScheduleGroupSummary> out = new ArrayList<>();
        for (ScheduleGroup g : page.items()) {
            out.add(ScheduleGroupSummary.builder().name(g.name).arn(g.arn).state("ACTIVE")
                    .creationDate(Instant.ofEpochMilli(g.created)).lastModificationDate(Instant.ofEpochMilli(g.modified)).build());
        }
        return ListScheduleGroupsOutput.builder().scheduleGroups(out).nextToken(page.nextToken()).build();
    }

    @Override
    public DeleteScheduleGroupOutput deleteScheduleGroup(RequestContext ctx, DeleteScheduleGroupInput in) {
        if (DEFAULT_GROUP.equals(in.name())) throw new ValidationException("Cannot delete the default schedule group.");
        SchedulerRegion r = region(ctx);
        synchronized (r.done) {
            if (r.replay("DeleteScheduleGroup", in.name(), in.clientToken()) != null) return DeleteScheduleGroupOutput.builder().build();
            ScheduleGroup g = existingGroup(r, in.name());
            r.groups.remove(in.name());
            r.remember("DeleteScheduleGroup", in.name(), in.clientToken(), g.arn);
        }
        r.schedules.values().removeIf(s -> s.group.equals(in.name()));   // its schedules go with it, as on AWS
        return DeleteScheduleGroupOutput.builder().build();
    }

    // ---------------------------------------------------------------- tags (schedule groups)

    private static ScheduleGroup groupByArn(SchedulerRegion r, String arn) {
        for (ScheduleGroup g : r.groups.values()) if (g.arn.equals(arn)) return g;
        throw new ResourceNotFoundException("Schedule group " + arn.substring(arn.lastIndexOf('/') + 1) + " does not exist.");
    }

    @Override
    public TagResourceOutput tagResource(RequestContext ctx, TagResourceInput in) {
        ScheduleGroup g = groupByArn(region(ctx), in.resourceArn());
        synchronized (g) {
            for (Tag t : in.tags()) g.tags.put(t.key(), t.value());
        }
        return TagResourceOutput.builder().build();
    }

    @Override
    public UntagResourceOutput untagResource(RequestContext ctx, UntagResourceInput in) {
        ScheduleGroup g = groupByArn(region(ctx), in.resourceArn());
        synchronized (g) {
            in.tagKeys().forEach(g.tags::remove);
        }
        return UntagResourceOutput.builder().build();
    }

    @Override
    public ListTagsForResourceOutput listTagsForResource(RequestContext ctx, ListTagsForResourceInput in) {
        ScheduleGroup g = groupByArn(region(ctx), in.resourceArn());
        List<Tag> tags = new ArrayList<>();
        synchronized (g) {
            g.tags.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        }
        return ListTagsForResourceOutput.builder().tags(tags).build();
    }

    // ---------------------------------------------------------------- firing

    /** Every second: each enabled schedule whose time has come fires; never throws (it would end the timer). */
    void tick() {
        long now = System.currentTimeMillis();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((region, r) -> {
            r.forgetExpiredTokens(now);
            for (Schedule s : r.schedules.values()) {
                Target target;
                synchronized (s) {
                    if (!"ENABLED".equals(s.state) || s.nextFire == 0 || s.nextFire > now) continue;
                    target = TreeConverter.fromTree(Target.SHAPE, s.target);
                    try {
                        s.nextFire = next(s, ScheduleSpec.parse(s.expression, s.timezone), Instant.ofEpochMilli(Math.max(now, s.nextFire)));
                    } catch (RuntimeException e) {
                        s.nextFire = 0;
                    }
                }
                env.scheduler().execute(() -> fire(account, region, target, 0, now));
                synchronized (s) {
                    if (s.nextFire == 0 && "DELETE".equals(s.actionAfterCompletion)) r.schedules.remove(s.group + "/" + s.name, s);
                }
            }
        }));
    }

    /**
     * One invocation with the target's retry policy (default 185 attempts within 24 hours, as AWS): retried with a
     * growing back-off; when retries are exhausted or the event too old, the input goes to the dead-letter queue.
     */
    private void fire(String account, String region, Target target, int attempt, long firstAttempt) {
        try {
            invoker.invoke(account, region, target);
        } catch (RuntimeException e) {
            RetryPolicy retry = target.retryPolicy();
            int maxAttempts = retry == null || retry.maximumRetryAttempts() == null ? 185 : retry.maximumRetryAttempts();
            long maxAgeMs = (retry == null || retry.maximumEventAgeInSeconds() == null ? 86_400 : retry.maximumEventAgeInSeconds()) * 1000L;
            long delay = Math.min(60_000L, 1000L << Math.min(attempt, 6));
            if (attempt < maxAttempts && System.currentTimeMillis() + delay - firstAttempt <= maxAgeMs) {
                env.scheduler().schedule(() -> fire(account, region, target, attempt + 1, firstAttempt), delay, TimeUnit.MILLISECONDS);
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "schedule target " + target.arn() + " failed: " + e.getMessage());
            String deadLetterArn = target.deadLetterConfig() == null ? null : target.deadLetterConfig().arn();
            if (deadLetterArn != null) {
                try {
                    invoker.invoke(account, region, Target.builder().arn(deadLetterArn)
                            .input(target.input() == null ? "" : target.input()).build());
                } catch (RuntimeException ignored) {
                    LOG.log(System.Logger.Level.WARNING, "dead-letter queue " + deadLetterArn + " refused the event");
                }
            }
        }
    }

    // ---------------------------------------------------------------- persistence

    public record RegionSnapshot(String account, String region, List<ScheduleGroup> groups, List<Schedule> schedules) {
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        List<RegionSnapshot> regions = new ArrayList<>();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((region, r) -> {
            regions.add(new RegionSnapshot(account, region,
                    Persistable.copiesUnderLock(r.groups.values(), g -> JSON.convertValue(g, ScheduleGroup.class)),
                    Persistable.copiesUnderLock(r.schedules.values(), s -> JSON.convertValue(s, Schedule.class))));
        }));
        JSON.writeValue(out, Map.of("regions", regions));
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        Persistable.requireVersion("Scheduler", version, 1);
        JsonNode root = JSON.readTree(in);
        stores.clear();
        for (RegionSnapshot s : JSON.treeToValue(root.path("regions"), RegionSnapshot[].class)) {
            SchedulerRegion r = stores.get(s.account(), s.region());
            for (ScheduleGroup g : s.groups()) r.groups.put(g.name, g);
            for (Schedule x : s.schedules()) r.schedules.put(x.group + "/" + x.name, x);
        }
    }

    @Override
    public void resetState() {
        stores.clear();
    }
}
