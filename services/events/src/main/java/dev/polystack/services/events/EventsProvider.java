package dev.polystack.services.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The thin EventBridge provider: unpacks each operation's parameter tree, calls {@link EventBridge}, and
 * packs the result as botocore shapes it. All behaviour lives in the engine.
 */
public final class EventsProvider implements ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final EventBridge engine;
    private final ScheduledFuture<?> scheduleTimer;

    public EventsProvider(ProviderEnvironment env) {
        this.engine = new EventBridge(env);
        // schedule rules: checked every second, so a rule fires within a second of its time
        this.scheduleTimer = env == null ? null : env.scheduler().scheduleAtFixedRate(
                () -> {
                    try {
                        engine.fireSchedules(System.currentTimeMillis());
                    } catch (RuntimeException e) {
                        System.getLogger(EventsProvider.class.getName()).log(System.Logger.Level.WARNING, "schedule rules", e);
                    }
                }, 1, 1, TimeUnit.SECONDS);
    }

    EventBridge engine() {
        return engine;
    }

    @Override
    public String service() {
        return "events";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        String a = ctx.accountId();
        String r = ctx.region();
        return switch (operation) {
            case "CreateEventBus" -> {
                EventBus bus = engine.createBus(a, r, str(in, "Name"), str(in, "Description"), str(in, "KmsKeyIdentifier"),
                        map(in, "DeadLetterConfig"), tags(in, "Tags"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("EventBusArn", bus.arn);
                put(out, "Description", bus.description);
                put(out, "KmsKeyIdentifier", bus.kmsKeyIdentifier);
                put(out, "DeadLetterConfig", bus.deadLetterConfig);
                yield out;
            }
            case "UpdateEventBus" -> {
                EventBus bus = engine.updateBus(a, r, str(in, "Name"), str(in, "Description"), str(in, "KmsKeyIdentifier"),
                        map(in, "DeadLetterConfig"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("Arn", bus.arn);
                out.put("Name", bus.name);
                put(out, "Description", bus.description);
                put(out, "KmsKeyIdentifier", bus.kmsKeyIdentifier);
                put(out, "DeadLetterConfig", bus.deadLetterConfig);
                yield out;
            }
            case "DeleteEventBus" -> {
                engine.deleteBus(a, r, str(in, "Name"));
                yield Map.of();
            }
            case "DescribeEventBus" -> {
                Map<String, Object> out = busOut(engine.bus(a, r, str(in, "Name")));
                yield out;
            }
            case "ListEventBuses" -> {
                var page = engine.listBuses(a, r, str(in, "NamePrefix"), integer(in, "Limit"), str(in, "NextToken"));
                List<Object> buses = new ArrayList<>();
                for (EventBus b : page.items()) {
                    Map<String, Object> m = busOut(b);
                    m.remove("Policy");
                    buses.add(m);
                }
                yield paged("EventBuses", buses, page.nextToken());
            }
            case "PutPermission" -> {
                engine.putPermission(a, r, str(in, "EventBusName"), str(in, "Action"), str(in, "Principal"),
                        str(in, "StatementId"), map(in, "Condition"), str(in, "Policy"));
                yield Map.of();
            }
            case "RemovePermission" -> {
                engine.removePermission(a, r, str(in, "EventBusName"), str(in, "StatementId"),
                        Boolean.TRUE.equals(in.get("RemoveAllPermissions")));
                yield Map.of();
            }
            case "PutRule" -> Map.of("RuleArn", engine.putRule(a, r, str(in, "Name"), str(in, "EventBusName"),
                    str(in, "EventPattern"), str(in, "ScheduleExpression"), str(in, "State"), str(in, "Description"),
                    str(in, "RoleArn"), tags(in, "Tags"), a).arn);
            case "DescribeRule" -> {
                Rule rule = engine.rule(a, r, str(in, "Name"), str(in, "EventBusName"));
                Map<String, Object> out = ruleOut(rule);
                out.put("CreatedBy", rule.createdBy == null ? a : rule.createdBy);
                yield out;
            }
            case "DeleteRule" -> {
                engine.deleteRule(a, r, str(in, "Name"), str(in, "EventBusName"), Boolean.TRUE.equals(in.get("Force")));
                yield Map.of();
            }
            case "EnableRule", "DisableRule" -> {
                engine.setRuleState(a, r, str(in, "Name"), str(in, "EventBusName"), operation.equals("EnableRule"));
                yield Map.of();
            }
            case "ListRules" -> {
                var page = engine.listRules(a, r, str(in, "NamePrefix"), str(in, "EventBusName"), integer(in, "Limit"),
                        str(in, "NextToken"));
                yield paged("Rules", page.items().stream().map(x -> (Object) ruleOut(x)).toList(), page.nextToken());
            }
            case "ListRuleNamesByTarget" -> {
                var page = engine.listRuleNamesByTarget(a, r, str(in, "TargetArn"), str(in, "EventBusName"),
                        integer(in, "Limit"), str(in, "NextToken"));
                yield paged("RuleNames", new ArrayList<>(page.items()), page.nextToken());
            }
            case "PutTargets" -> failed(engine.putTargets(a, r, str(in, "Rule"), str(in, "EventBusName"),
                    list(in, "Targets").stream().map(t -> target(asMap(t))).toList()));
            case "RemoveTargets" -> failed(engine.removeTargets(a, r, str(in, "Rule"), str(in, "EventBusName"),
                    list(in, "Ids").stream().map(String::valueOf).toList()));
            case "ListTargetsByRule" -> {
                var page = engine.listTargets(a, r, str(in, "Rule"), str(in, "EventBusName"), integer(in, "Limit"),
                        str(in, "NextToken"));
                yield paged("Targets", page.items().stream().map(t -> (Object) targetOut(t)).toList(), page.nextToken());
            }
            case "PutEvents" -> putEvents(a, r, in);
            case "TestEventPattern" -> Map.of("Result", engine.testEventPattern(str(in, "EventPattern"), str(in, "Event")));
            case "TagResource" -> {
                engine.tag(a, r, str(in, "ResourceARN"), tags(in, "Tags"));
                yield Map.of();
            }
            case "UntagResource" -> {
                engine.untag(a, r, str(in, "ResourceARN"), list(in, "TagKeys").stream().map(String::valueOf).toList());
                yield Map.of();
            }
            case "ListTagsForResource" -> {
                List<Object> tags = new ArrayList<>();
                engine.tagsOf(a, r, str(in, "ResourceARN")).forEach((k, v) -> tags.add(Map.of("Key", k, "Value", v)));
                yield Map.of("Tags", tags);
            }
            case "CreateArchive" -> {
                Archive x = engine.createArchive(a, r, str(in, "ArchiveName"), str(in, "EventSourceArn"),
                        str(in, "Description"), str(in, "EventPattern"), integer(in, "RetentionDays"));
                yield Map.of("ArchiveArn", x.arn, "State", x.state, "CreationTime", Instant.ofEpochMilli(x.creationTime));
            }
            case "UpdateArchive" -> {
                Archive x = engine.updateArchive(a, r, str(in, "ArchiveName"), str(in, "Description"),
                        str(in, "EventPattern"), integer(in, "RetentionDays"));
                yield Map.of("ArchiveArn", x.arn, "State", x.state, "CreationTime", Instant.ofEpochMilli(x.creationTime));
            }
            case "DescribeArchive" -> archiveOut(engine.archive(a, r, str(in, "ArchiveName")), true);
            case "DeleteArchive" -> {
                engine.deleteArchive(a, r, str(in, "ArchiveName"));
                yield Map.of();
            }
            case "ListArchives" -> {
                var page = engine.listArchives(a, r, str(in, "NamePrefix"), str(in, "EventSourceArn"), str(in, "State"),
                        integer(in, "Limit"), str(in, "NextToken"));
                yield paged("Archives", page.items().stream().map(x -> (Object) archiveOut(x, false)).toList(), page.nextToken());
            }
            case "StartReplay" -> {
                Map<String, Object> destination = map(in, "Destination");
                Replay x = engine.startReplay(a, r, str(in, "ReplayName"), str(in, "Description"), str(in, "EventSourceArn"),
                        instant(in, "EventStartTime"), instant(in, "EventEndTime"),
                        destination == null ? null : str(destination, "Arn"),
                        destination == null ? null : list(destination, "FilterArns").stream().map(String::valueOf).toList());
                yield Map.of("ReplayArn", x.arn, "State", "STARTING", "ReplayStartTime", Instant.ofEpochMilli(x.replayStartTime));
            }
            case "DescribeReplay" -> replayOut(engine.replay(a, r, str(in, "ReplayName")), true);
            case "CancelReplay" -> {
                Replay x = engine.cancelReplay(a, r, str(in, "ReplayName"));
                yield Map.of("ReplayArn", x.arn, "State", "CANCELLING");
            }
            case "ListReplays" -> {
                var page = engine.listReplays(a, r, str(in, "NamePrefix"), str(in, "EventSourceArn"), str(in, "State"),
                        integer(in, "Limit"), str(in, "NextToken"));
                yield paged("Replays", page.items().stream().map(x -> (Object) replayOut(x, false)).toList(), page.nextToken());
            }
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    private Map<String, Object> putEvents(String account, String region, Map<String, Object> in) {
        List<EventBridge.Entry> entries = new ArrayList<>();
        for (Object o : list(in, "Entries")) {
            Map<String, Object> e = asMap(o);
            entries.add(new EventBridge.Entry(instantOrNull(e.get("Time")), str(e, "Source"),
                    e.containsKey("Resources") ? list(e, "Resources").stream().map(String::valueOf).toList() : null,
                    str(e, "DetailType"), str(e, "Detail"), str(e, "EventBusName"), str(e, "TraceHeader")));
        }
        int failed = 0;
        List<Object> results = new ArrayList<>();
        for (EventBridge.EntryResult result : engine.putEvents(account, region, entries)) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (result.eventId() != null) m.put("EventId", result.eventId());
            else {
                failed++;
                m.put("ErrorCode", result.errorCode());
                m.put("ErrorMessage", result.errorMessage());
            }
            results.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("FailedEntryCount", failed);
        out.put("Entries", results);
        return out;
    }

    // ---------------------------------------------------------------- packing results

    private static Map<String, Object> busOut(EventBus b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", b.name);
        m.put("Arn", b.arn);
        put(m, "Description", b.description);
        put(m, "KmsKeyIdentifier", b.kmsKeyIdentifier);
        put(m, "DeadLetterConfig", b.deadLetterConfig);
        if (b.policy != null) {
            try {
                m.put("Policy", JSON.writeValueAsString(b.policy));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        m.put("CreationTime", Instant.ofEpochMilli(b.creationTime));
        m.put("LastModifiedTime", Instant.ofEpochMilli(b.lastModifiedTime));
        return m;
    }

    private static Map<String, Object> ruleOut(Rule rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", rule.name);
        m.put("Arn", rule.arn);
        put(m, "EventPattern", rule.eventPattern);
        put(m, "ScheduleExpression", rule.scheduleExpression);
        m.put("State", rule.state);
        put(m, "Description", rule.description);
        put(m, "RoleArn", rule.roleArn);
        put(m, "ManagedBy", rule.managedBy);
        m.put("EventBusName", rule.eventBusName);
        return m;
    }

    private static Map<String, Object> failed(List<EventBridge.FailedEntry> failed) {
        List<Object> entries = new ArrayList<>();
        for (EventBridge.FailedEntry f : failed) {
            entries.add(Map.of("TargetId", f.targetId(), "ErrorCode", f.errorCode(), "ErrorMessage", f.errorMessage()));
        }
        return Map.of("FailedEntryCount", failed.size(), "FailedEntries", entries);
    }

    private static Target target(Map<String, Object> t) {
        Map<String, Object> other = new LinkedHashMap<>(t);
        for (String typed : List.of("Id", "Arn", "RoleArn", "Input", "InputPath", "InputTransformer", "RetryPolicy", "DeadLetterConfig")) {
            other.remove(typed);
        }
        Map<String, Object> transformer = map(t, "InputTransformer");
        Target.InputTransformer it = null;
        if (transformer != null) {
            Map<String, String> paths = new LinkedHashMap<>();
            Map<String, Object> raw = map(transformer, "InputPathsMap");
            if (raw != null) raw.forEach((k, v) -> paths.put(k, String.valueOf(v)));
            it = new Target.InputTransformer(paths, str(transformer, "InputTemplate"));
        }
        Map<String, Object> sqs = map(t, "SqsParameters");
        Map<String, Object> kinesis = map(t, "KinesisParameters");
        Map<String, Object> retry = map(t, "RetryPolicy");
        Map<String, Object> dlq = map(t, "DeadLetterConfig");
        return new Target(str(t, "Id"), str(t, "Arn"), str(t, "RoleArn"), str(t, "Input"), str(t, "InputPath"), it,
                sqs == null ? null : str(sqs, "MessageGroupId"), kinesis == null ? null : str(kinesis, "PartitionKeyPath"),
                retry == null ? null : integer(retry, "MaximumRetryAttempts"),
                retry == null ? null : integer(retry, "MaximumEventAgeInSeconds"),
                dlq == null ? null : str(dlq, "Arn"), other);
    }

    private static Map<String, Object> targetOut(Target t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", t.id());
        m.put("Arn", t.arn());
        put(m, "RoleArn", t.roleArn());
        put(m, "Input", t.input());
        put(m, "InputPath", t.inputPath());
        if (t.inputTransformer() != null) {
            Map<String, Object> it = new LinkedHashMap<>();
            if (!t.inputTransformer().inputPathsMap().isEmpty()) it.put("InputPathsMap", t.inputTransformer().inputPathsMap());
            it.put("InputTemplate", t.inputTransformer().inputTemplate());
            m.put("InputTransformer", it);
        }
        if (t.maximumRetryAttempts() != null || t.maximumEventAgeInSeconds() != null) {
            Map<String, Object> retry = new LinkedHashMap<>();
            put(retry, "MaximumRetryAttempts", t.maximumRetryAttempts());
            put(retry, "MaximumEventAgeInSeconds", t.maximumEventAgeInSeconds());
            m.put("RetryPolicy", retry);
        }
        if (t.deadLetterArn() != null) m.put("DeadLetterConfig", Map.of("Arn", t.deadLetterArn()));
        if (t.other() != null) m.putAll(t.other());
        return m;
    }

    private static Map<String, Object> archiveOut(Archive x, boolean full) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ArchiveName", x.name);
        if (full) m.put("ArchiveArn", x.arn);
        m.put("EventSourceArn", x.eventSourceArn);
        if (full) {
            put(m, "Description", x.description);
            put(m, "EventPattern", x.eventPattern);
        }
        m.put("State", x.state);
        put(m, "RetentionDays", x.retentionDays);
        m.put("SizeBytes", x.sizeBytes);
        m.put("EventCount", (long) x.events.size());
        m.put("CreationTime", Instant.ofEpochMilli(x.creationTime));
        return m;
    }

    private static Map<String, Object> replayOut(Replay x, boolean full) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ReplayName", x.name);
        if (full) {
            m.put("ReplayArn", x.arn);
            put(m, "Description", x.description);
        }
        m.put("State", x.state);
        put(m, "StateReason", x.stateReason);
        m.put("EventSourceArn", x.eventSourceArn);
        if (full) {
            Map<String, Object> destination = new LinkedHashMap<>();
            destination.put("Arn", x.destinationArn);
            if (x.filterArns != null && !x.filterArns.isEmpty()) destination.put("FilterArns", x.filterArns);
            m.put("Destination", destination);
        }
        m.put("EventStartTime", Instant.ofEpochMilli(x.eventStartTime));
        m.put("EventEndTime", Instant.ofEpochMilli(x.eventEndTime));
        if (x.eventLastReplayedTime != null) m.put("EventLastReplayedTime", Instant.ofEpochMilli(x.eventLastReplayedTime));
        m.put("ReplayStartTime", Instant.ofEpochMilli(x.replayStartTime));
        if (x.replayEndTime != null) m.put("ReplayEndTime", Instant.ofEpochMilli(x.replayEndTime));
        return m;
    }

    private static Map<String, Object> paged(String member, List<Object> items, String next) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(member, items);
        if (next != null) out.put("NextToken", next);
        return out;
    }

    // ---------------------------------------------------------------- unpacking parameters

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) m.put(key, value);
    }

    private static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    private static Integer integer(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Number n ? n.intValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, Object> map(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Map<?, ?> ? asMap(v) : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static Map<String, String> tags(Map<String, Object> in, String key) {
        if (!in.containsKey(key)) return null;
        Map<String, String> tags = new LinkedHashMap<>();
        for (Object o : list(in, key)) {
            Map<String, Object> t = asMap(o);
            tags.put(str(t, "Key"), str(t, "Value"));
        }
        return tags;
    }

    private static Instant instantOrNull(Object v) {
        if (v instanceof Instant i) return i;
        if (v instanceof Number n) return Instant.ofEpochMilli((long) (n.doubleValue() * 1000));
        return null;
    }

    private static Instant instant(Map<String, Object> in, String key) {
        Instant i = instantOrNull(in.get(key));
        if (i == null) throw EventBridge.validation("Parameter " + key + " is not valid.");
        return i;
    }

    // ---------------------------------------------------------------- persistence

    /** The saved form: account → region → resources. */
    public static final class Snapshot {
        public Map<String, Map<String, EventsRegion>> regions = new LinkedHashMap<>();
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode regions = root.putObject("regions");
        engine.store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            synchronized (state) {
                regions.withObjectProperty(account).set(region, JSON.valueToTree(state));
            }
        }));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported EventBridge state version " + version);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        engine.store.clear();
        snapshot.regions.forEach((account, regions) -> regions.forEach((region, state) -> engine.store.put(account, region, state)));
        engine.rescheduleAll();
    }

    @Override
    public void resetState() {
        engine.store.clear();
    }

    /** Waits for accepted events to reach their targets (tests, shutdown). */
    boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        return engine.delivery().awaitIdle(timeout);
    }

    @Override
    public void close() {
        if (scheduleTimer != null) scheduleTimer.cancel(false);
        try {
            engine.delivery().awaitIdle(Duration.ofSeconds(5)); // let accepted events reach their targets
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.delivery().close();
    }

}
