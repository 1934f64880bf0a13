package dev.polystack.services.logs;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The thin CloudWatch Logs provider: unpacks each operation's parameters, calls {@link CloudWatchLogs}, and
 * packs the result as botocore shapes it.
 */
public final class LogsProvider implements ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final LogForwarder forwarder;
    private final CloudWatchLogs engine;
    private final LogsInsights insights;

    public LogsProvider(ProviderEnvironment env) {
        this.forwarder = new LogForwarder(env);
        this.engine = new CloudWatchLogs(forwarder);
        this.insights = new LogsInsights(engine);
    }

    CloudWatchLogs engine() {
        return engine;
    }

    @Override
    public String service() {
        return "logs";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        String a = ctx.accountId();
        String r = ctx.region();
        return switch (operation) {
            case "CreateLogGroup" -> {
                engine.createGroup(a, r, str(in, "logGroupName"), str(in, "kmsKeyId"), stringMap(in, "tags"), str(in, "logGroupClass"));
                yield Map.of();
            }
            case "DeleteLogGroup" -> {
                engine.deleteGroup(a, r, str(in, "logGroupName"));
                yield Map.of();
            }
            case "DescribeLogGroups", "ListLogGroups" -> {
                var page = engine.describeGroups(a, r, str(in, "logGroupNamePrefix"), str(in, "logGroupNamePattern"),
                        integer(in, "limit"), str(in, "nextToken"));
                boolean list = operation.equals("ListLogGroups");
                yield paged("logGroups", page.items().stream().map(g -> (Object) groupOut(g, list)).toList(), "nextToken", page.nextToken());
            }
            case "PutRetentionPolicy" -> {
                engine.setRetention(a, r, group(in), integer(in, "retentionInDays"));
                yield Map.of();
            }
            case "DeleteRetentionPolicy" -> {
                engine.setRetention(a, r, group(in), null);
                yield Map.of();
            }
            case "AssociateKmsKey" -> {
                engine.setKmsKey(a, r, group(in), str(in, "kmsKeyId"));
                yield Map.of();
            }
            case "DisassociateKmsKey" -> {
                engine.setKmsKey(a, r, group(in), null);
                yield Map.of();
            }
            case "TagLogGroup" -> {
                engine.tag(a, r, group(in), stringMap(in, "tags"));
                yield Map.of();
            }
            case "UntagLogGroup" -> {
                engine.untag(a, r, group(in), strings(in, "tags"));
                yield Map.of();
            }
            case "ListTagsLogGroup" -> Map.of("tags", new LinkedHashMap<>(engine.tags(a, r, group(in))));
            case "TagResource" -> {
                engine.tag(a, r, str(in, "resourceArn"), stringMap(in, "tags"));
                yield Map.of();
            }
            case "UntagResource" -> {
                engine.untag(a, r, str(in, "resourceArn"), strings(in, "tagKeys"));
                yield Map.of();
            }
            case "ListTagsForResource" -> Map.of("tags", new LinkedHashMap<>(engine.tags(a, r, str(in, "resourceArn"))));
            case "CreateLogStream" -> {
                engine.createStream(a, r, group(in), str(in, "logStreamName"));
                yield Map.of();
            }
            case "DeleteLogStream" -> {
                engine.deleteStream(a, r, group(in), str(in, "logStreamName"));
                yield Map.of();
            }
            case "DescribeLogStreams" -> {
                var page = engine.describeStreams(a, r, group(in), str(in, "logStreamNamePrefix"), str(in, "orderBy"),
                        Boolean.TRUE.equals(in.get("descending")), integer(in, "limit"), str(in, "nextToken"));
                yield paged("logStreams", page.items().stream().map(s -> (Object) streamOut(s)).toList(), "nextToken", page.nextToken());
            }
            case "PutLogEvents" -> {
                List<CloudWatchLogs.InputEvent> events = new ArrayList<>();
                for (Object o : list(in, "logEvents")) {
                    Map<String, Object> e = asMap(o);
                    events.add(new CloudWatchLogs.InputEvent(longValue(e.get("timestamp")), String.valueOf(e.getOrDefault("message", ""))));
                }
                var result = engine.putEvents(a, r, group(in), str(in, "logStreamName"), events);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("nextSequenceToken", result.nextSequenceToken());
                Map<String, Object> rejected = new LinkedHashMap<>();
                if (result.tooNewStartIndex() != null) rejected.put("tooNewLogEventStartIndex", result.tooNewStartIndex());
                if (result.tooOldEndIndex() != null) rejected.put("tooOldLogEventEndIndex", result.tooOldEndIndex());
                if (result.expiredEndIndex() != null) rejected.put("expiredLogEventEndIndex", result.expiredEndIndex());
                if (!rejected.isEmpty()) out.put("rejectedLogEventsInfo", rejected);
                yield out;
            }
            case "GetLogEvents" -> {
                var page = engine.getEvents(a, r, group(in), str(in, "logStreamName"), longOrNull(in.get("startTime")),
                        longOrNull(in.get("endTime")), str(in, "nextToken"), integer(in, "limit"),
                        Boolean.TRUE.equals(in.get("startFromHead")));
                List<Object> events = new ArrayList<>();
                for (LogEvent e : page.events()) {
                    events.add(Map.of("timestamp", e.timestamp(), "message", e.message(), "ingestionTime", e.ingestionTime()));
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("events", events);
                out.put("nextForwardToken", page.forwardToken());
                out.put("nextBackwardToken", page.backwardToken());
                yield out;
            }
            case "FilterLogEvents" -> {
                var page = engine.filterEvents(a, r, group(in), in.containsKey("logStreamNames") ? strings(in, "logStreamNames") : null,
                        str(in, "logStreamNamePrefix"), longOrNull(in.get("startTime")), longOrNull(in.get("endTime")),
                        str(in, "filterPattern"), integer(in, "limit"), str(in, "nextToken"));
                List<Object> events = new ArrayList<>();
                for (CloudWatchLogs.FilteredEvent f : page.items()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("logStreamName", f.streamName());
                    m.put("timestamp", f.event().timestamp());
                    m.put("message", f.event().message());
                    m.put("ingestionTime", f.event().ingestionTime());
                    m.put("eventId", f.event().id());
                    events.add(m);
                }
                Map<String, Object> out = paged("events", events, "nextToken", page.nextToken());
                out.put("searchedLogStreams", List.of());
                yield out;
            }
            case "PutMetricFilter" -> {
                List<LogGroup.Transformation> ts = new ArrayList<>();
                for (Object o : list(in, "metricTransformations")) {
                    Map<String, Object> t = asMap(o);
                    Object dv = t.get("defaultValue");
                    ts.add(new LogGroup.Transformation(str(t, "metricName"), str(t, "metricNamespace"), str(t, "metricValue"),
                            dv instanceof Number n ? n.doubleValue() : null, stringMap(t, "dimensions"), str(t, "unit")));
                }
                engine.putMetricFilter(a, r, str(in, "logGroupName"), str(in, "filterName"), str(in, "filterPattern"), ts);
                yield Map.of();
            }
            case "DeleteMetricFilter" -> {
                engine.deleteMetricFilter(a, r, str(in, "logGroupName"), str(in, "filterName"));
                yield Map.of();
            }
            case "DescribeMetricFilters" -> {
                List<Object> filters = new ArrayList<>();
                for (var e : engine.metricFilters(a, r, str(in, "logGroupName"), str(in, "filterNamePrefix"),
                        str(in, "metricName"), str(in, "metricNamespace"))) {
                    LogGroup.MetricFilter f = e.getValue();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("filterName", f.name());
                    m.put("filterPattern", f.pattern());
                    List<Object> ts = new ArrayList<>();
                    for (LogGroup.Transformation t : f.transformations()) {
                        Map<String, Object> tm = new LinkedHashMap<>();
                        tm.put("metricName", t.metricName());
                        tm.put("metricNamespace", t.metricNamespace());
                        tm.put("metricValue", t.metricValue());
                        if (t.defaultValue() != null) tm.put("defaultValue", t.defaultValue());
                        if (t.dimensions() != null && !t.dimensions().isEmpty()) tm.put("dimensions", t.dimensions());
                        if (t.unit() != null) tm.put("unit", t.unit());
                        ts.add(tm);
                    }
                    m.put("metricTransformations", ts);
                    m.put("creationTime", f.creationTime());
                    m.put("logGroupName", e.getKey().name);
                    filters.add(m);
                }
                yield Map.of("metricFilters", filters);
            }
            case "TestMetricFilter" -> {
                List<Object> matches = new ArrayList<>();
                for (var m : engine.testPattern(str(in, "filterPattern"), strings(in, "logEventMessages"))) {
                    matches.add(Map.of("eventNumber", (long) m.getKey(), "eventMessage", m.getValue(), "extractedValues", Map.of()));
                }
                yield Map.of("matches", matches);
            }
            case "PutSubscriptionFilter" -> {
                engine.putSubscriptionFilter(a, r, str(in, "logGroupName"), str(in, "filterName"), str(in, "filterPattern"),
                        str(in, "destinationArn"), str(in, "roleArn"), str(in, "distribution"));
                yield Map.of();
            }
            case "DeleteSubscriptionFilter" -> {
                engine.deleteSubscriptionFilter(a, r, str(in, "logGroupName"), str(in, "filterName"));
                yield Map.of();
            }
            case "DescribeSubscriptionFilters" -> {
                LogGroup g = engine.group(a, r, str(in, "logGroupName"));
                String prefix = str(in, "filterNamePrefix");
                List<Object> filters = new ArrayList<>();
                for (LogGroup.SubscriptionFilter s : g.subscriptionFilters.values()) {
                    if (prefix != null && !s.name().startsWith(prefix)) continue;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("filterName", s.name());
                    m.put("logGroupName", g.name);
                    m.put("filterPattern", s.pattern());
                    m.put("destinationArn", s.destinationArn());
                    if (s.roleArn() != null) m.put("roleArn", s.roleArn());
                    m.put("distribution", s.distribution());
                    m.put("creationTime", s.creationTime());
                    filters.add(m);
                }
                yield Map.of("subscriptionFilters", filters);
            }
            case "StartQuery" -> Map.of("queryId", insights.start(a, r,
                    in.containsKey("logGroupNames") ? strings(in, "logGroupNames")
                            : in.containsKey("logGroupIdentifiers") ? strings(in, "logGroupIdentifiers")
                            : str(in, "logGroupName") == null ? List.of() : List.of(str(in, "logGroupName")),
                    longValue(in.get("startTime")), longValue(in.get("endTime")), str(in, "queryString"), integer(in, "limit")));
            case "GetQueryResults" -> insights.results(str(in, "queryId"));
            case "StopQuery" -> Map.of("success", insights.stop(str(in, "queryId")));
            case "DescribeQueries" -> Map.of("queries", insights.describe(a, r, str(in, "status")));
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    // ---------------------------------------------------------------- packing

    private static Map<String, Object> groupOut(LogGroup g, boolean listShape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("logGroupName", g.name);
        m.put("creationTime", g.creationTime);
        if (g.retentionInDays != null) m.put("retentionInDays", g.retentionInDays);
        m.put("metricFilterCount", g.metricFilters.size());
        m.put("arn", g.arn + ":*");
        if (!listShape) m.put("storedBytes", 0L);
        if (g.kmsKeyId != null) m.put("kmsKeyId", g.kmsKeyId);
        m.put("logGroupClass", g.logGroupClass);
        m.put("logGroupArn", g.arn);
        if (!listShape) m.put("deletionProtectionEnabled", g.deletionProtectionEnabled);
        return m;
    }

    private static Map<String, Object> streamOut(LogStream s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("logStreamName", s.name);
        m.put("creationTime", s.creationTime);
        if (s.firstEventTimestamp != null) m.put("firstEventTimestamp", s.firstEventTimestamp);
        if (s.lastEventTimestamp != null) m.put("lastEventTimestamp", s.lastEventTimestamp);
        if (s.lastIngestionTime != null) m.put("lastIngestionTime", s.lastIngestionTime);
        if (s.sequence > 0) m.put("uploadSequenceToken", String.format("%056d", s.sequence));
        m.put("arn", s.arn);
        m.put("storedBytes", 0L);
        return m;
    }

    private static Map<String, Object> paged(String member, List<Object> items, String tokenMember, String next) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(member, items);
        if (next != null) out.put(tokenMember, next);
        return out;
    }

    // ---------------------------------------------------------------- unpacking

    /** The group a request names: logGroupName or logGroupIdentifier (name or ARN), never both. */
    private static String group(Map<String, Object> in) {
        String name = str(in, "logGroupName");
        String id = str(in, "logGroupIdentifier");
        if (name != null && id != null) {
            throw new ServiceException("ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        return name != null ? name : id;
    }

    private static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    private static Integer integer(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Number n ? n.intValue() : null;
    }

    private static long longValue(Object v) {
        if (v instanceof Number n) return n.longValue();
        if (v instanceof java.time.Instant i) return i.toEpochMilli();
        if (v != null) {
            try {
                return Long.parseLong(v.toString());
            } catch (NumberFormatException ignored) {
                // below
            }
        }
        throw CloudWatchLogs.invalid("1 validation error detected: Value null at 'timestamp' failed to satisfy constraint: Member must not be null");
    }

    private static Long longOrNull(Object v) {
        return v == null ? null : longValue(v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static List<String> strings(Map<String, Object> in, String key) {
        return list(in, key).stream().map(String::valueOf).toList();
    }

    private static Map<String, String> stringMap(Map<String, Object> in, String key) {
        Object v = in.get(key);
        if (!(v instanceof Map<?, ?> m)) return null;
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return out;
    }

    // ---------------------------------------------------------------- persistence

    /** The saved form: account → region → log groups (with their streams and events). */
    public static final class Snapshot {
        public Map<String, Map<String, LogsRegion>> regions = new LinkedHashMap<>();
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode regions = root.putObject("regions");
        engine.store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            synchronized (state) {
                ObjectNode node = JSON.createObjectNode();
                ObjectNode groups = node.putObject("groups");
                state.groups.forEach((name, g) -> {
                    ObjectNode gn = JSON.valueToTree(g);
                    ObjectNode streams = gn.putObject("streams");
                    g.streams.forEach((sn, s) -> {
                        synchronized (s) {
                            streams.set(sn, JSON.valueToTree(s));
                        }
                    });
                    groups.set(name, gn);
                });
                regions.withObjectProperty(account).set(region, node);
            }
        }));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported CloudWatch Logs state version " + version);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        engine.store.clear();
        snapshot.regions.forEach((account, regions) -> regions.forEach((region, state) -> engine.store.put(account, region, state)));
    }

    @Override
    public void resetState() {
        engine.store.clear();
    }

    boolean awaitForwarding(Duration timeout) throws InterruptedException {
        return forwarder.awaitIdle(timeout);
    }

    @Override
    public void close() {
        try {
            forwarder.awaitIdle(Duration.ofSeconds(5)); // metric data and subscription deliveries already accepted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forwarder.close();
    }
}
