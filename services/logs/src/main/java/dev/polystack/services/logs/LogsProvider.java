package dev.polystack.services.logs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.logs.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The thin CloudWatch Logs provider: each typed operation of {@link LogsApi} reads its request, calls
 * {@link CloudWatchLogs} (or {@link LogsInsights}), and builds the typed result.
 */
public final class LogsProvider implements LogsApi, ServiceProvider, Persistable {
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

    /** The gateway hands over a parameter tree; the generated dispatch turns it into the typed calls below. */
    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ---------------------------------------------------------------- log groups

    @Override
    public void createLogGroup(RequestContext ctx, CreateLogGroupRequest in) {
        engine.createGroup(ctx.accountId(), ctx.region(), in.logGroupName(), in.kmsKeyId(), in.tags(), in.logGroupClassAsString());
    }

    @Override
    public void deleteLogGroup(RequestContext ctx, DeleteLogGroupRequest in) {
        engine.deleteGroup(ctx.accountId(), ctx.region(), in.logGroupName());
    }

    @Override
    public DescribeLogGroupsResponse describeLogGroups(RequestContext ctx, DescribeLogGroupsRequest in) {
        var page = engine.describeGroups(ctx.accountId(), ctx.region(), in.logGroupNamePrefix(), in.logGroupNamePattern(),
                in.limit(), in.nextToken());
        List<dev.polystack.services.logs.api.LogGroup> groups = new ArrayList<>();
        for (LogGroup g : page.items()) {
            groups.add(dev.polystack.services.logs.api.LogGroup.builder().logGroupName(g.name).creationTime(g.creationTime)
                    .retentionInDays(g.retentionInDays).metricFilterCount(g.metricFilters.size()).arn(g.arn + ":*")
                    .storedBytes(0L).kmsKeyId(g.kmsKeyId).logGroupClass(g.logGroupClass).logGroupArn(g.arn)
                    .deletionProtectionEnabled(g.deletionProtectionEnabled).build());
        }
        return DescribeLogGroupsResponse.builder().logGroups(groups).nextToken(page.nextToken()).build();
    }

    @Override
    public ListLogGroupsResponse listLogGroups(RequestContext ctx, ListLogGroupsRequest in) {
        var page = engine.describeGroups(ctx.accountId(), ctx.region(), null, in.logGroupNamePattern(), in.limit(), in.nextToken());
        List<LogGroupSummary> groups = new ArrayList<>();
        for (LogGroup g : page.items()) {
            groups.add(LogGroupSummary.builder().logGroupName(g.name).logGroupArn(g.arn).logGroupClass(g.logGroupClass).build());
        }
        return ListLogGroupsResponse.builder().logGroups(groups).nextToken(page.nextToken()).build();
    }

    @Override
    public void putRetentionPolicy(RequestContext ctx, PutRetentionPolicyRequest in) {
        engine.setRetention(ctx.accountId(), ctx.region(), in.logGroupName(), in.retentionInDays());
    }

    @Override
    public void deleteRetentionPolicy(RequestContext ctx, DeleteRetentionPolicyRequest in) {
        engine.setRetention(ctx.accountId(), ctx.region(), in.logGroupName(), null);
    }

    @Override
    public void associateKmsKey(RequestContext ctx, AssociateKmsKeyRequest in) {
        engine.setKmsKey(ctx.accountId(), ctx.region(), in.logGroupName(), in.kmsKeyId());
    }

    @Override
    public void disassociateKmsKey(RequestContext ctx, DisassociateKmsKeyRequest in) {
        engine.setKmsKey(ctx.accountId(), ctx.region(), in.logGroupName(), null);
    }

    @Override
    public void tagLogGroup(RequestContext ctx, TagLogGroupRequest in) {
        engine.tag(ctx.accountId(), ctx.region(), in.logGroupName(), in.tags());
    }

    @Override
    public void untagLogGroup(RequestContext ctx, UntagLogGroupRequest in) {
        engine.untag(ctx.accountId(), ctx.region(), in.logGroupName(), orEmpty(in.tags()));
    }

    @Override
    public ListTagsLogGroupResponse listTagsLogGroup(RequestContext ctx, ListTagsLogGroupRequest in) {
        return ListTagsLogGroupResponse.builder().tags(new LinkedHashMap<>(engine.tags(ctx.accountId(), ctx.region(), in.logGroupName()))).build();
    }

    @Override
    public void tagResource(RequestContext ctx, TagResourceRequest in) {
        engine.tag(ctx.accountId(), ctx.region(), in.resourceArn(), in.tags());
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceRequest in) {
        engine.untag(ctx.accountId(), ctx.region(), in.resourceArn(), orEmpty(in.tagKeys()));
    }

    @Override
    public ListTagsForResourceResponse listTagsForResource(RequestContext ctx, ListTagsForResourceRequest in) {
        return ListTagsForResourceResponse.builder().tags(new LinkedHashMap<>(engine.tags(ctx.accountId(), ctx.region(), in.resourceArn()))).build();
    }

    // ---------------------------------------------------------------- log streams and events

    @Override
    public void createLogStream(RequestContext ctx, CreateLogStreamRequest in) {
        engine.createStream(ctx.accountId(), ctx.region(), in.logGroupName(), in.logStreamName());
    }

    @Override
    public void deleteLogStream(RequestContext ctx, DeleteLogStreamRequest in) {
        engine.deleteStream(ctx.accountId(), ctx.region(), in.logGroupName(), in.logStreamName());
    }

    @Override
    public DescribeLogStreamsResponse describeLogStreams(RequestContext ctx, DescribeLogStreamsRequest in) {
        var page = engine.describeStreams(ctx.accountId(), ctx.region(), group(in.logGroupName(), in.logGroupIdentifier()),
                in.logStreamNamePrefix(), in.orderByAsString(), Boolean.TRUE.equals(in.descending()), in.limit(), in.nextToken());
        List<dev.polystack.services.logs.api.LogStream> streams = new ArrayList<>();
        for (LogStream s : page.items()) {
            streams.add(dev.polystack.services.logs.api.LogStream.builder().logStreamName(s.name).creationTime(s.creationTime)
                    .firstEventTimestamp(s.firstEventTimestamp).lastEventTimestamp(s.lastEventTimestamp)
                    .lastIngestionTime(s.lastIngestionTime)
                    .uploadSequenceToken(s.sequence > 0 ? String.format("%056d", s.sequence) : null)
                    .arn(s.arn).storedBytes(0L).build());
        }
        return DescribeLogStreamsResponse.builder().logStreams(streams).nextToken(page.nextToken()).build();
    }

    @Override
    public PutLogEventsResponse putLogEvents(RequestContext ctx, PutLogEventsRequest in) {
        List<CloudWatchLogs.InputEvent> events = new ArrayList<>();
        for (InputLogEvent e : orEmpty(in.logEvents())) {
            if (e.timestamp() == null) {
                throw CloudWatchLogs.invalid("1 validation error detected: Value null at 'timestamp' failed to satisfy constraint: "
                        + "Member must not be null");
            }
            events.add(new CloudWatchLogs.InputEvent(e.timestamp(), e.message() == null ? "" : e.message()));
        }
        var result = engine.putEvents(ctx.accountId(), ctx.region(), in.logGroupName(), in.logStreamName(), events);
        RejectedLogEventsInfo rejected = null;
        if (result.tooNewStartIndex() != null || result.tooOldEndIndex() != null || result.expiredEndIndex() != null) {
            rejected = RejectedLogEventsInfo.builder().tooNewLogEventStartIndex(result.tooNewStartIndex())
                    .tooOldLogEventEndIndex(result.tooOldEndIndex()).expiredLogEventEndIndex(result.expiredEndIndex()).build();
        }
        return PutLogEventsResponse.builder().nextSequenceToken(result.nextSequenceToken()).rejectedLogEventsInfo(rejected).build();
    }

    @Override
    public GetLogEventsResponse getLogEvents(RequestContext ctx, GetLogEventsRequest in) {
        var page = engine.getEvents(ctx.accountId(), ctx.region(), group(in.logGroupName(), in.logGroupIdentifier()),
                in.logStreamName(), in.startTime(), in.endTime(), in.nextToken(), in.limit(), Boolean.TRUE.equals(in.startFromHead()));
        List<OutputLogEvent> events = new ArrayList<>();
        for (LogEvent e : page.events()) {
            events.add(OutputLogEvent.builder().timestamp(e.timestamp()).message(e.message()).ingestionTime(e.ingestionTime()).build());
        }
        return GetLogEventsResponse.builder().events(events).nextForwardToken(page.forwardToken())
                .nextBackwardToken(page.backwardToken()).build();
    }

    @Override
    public FilterLogEventsResponse filterLogEvents(RequestContext ctx, FilterLogEventsRequest in) {
        var page = engine.filterEvents(ctx.accountId(), ctx.region(), group(in.logGroupName(), in.logGroupIdentifier()),
                in.logStreamNames(), in.logStreamNamePrefix(), in.startTime(), in.endTime(), in.filterPattern(), in.limit(),
                in.nextToken());
        List<FilteredLogEvent> events = new ArrayList<>();
        for (CloudWatchLogs.FilteredEvent f : page.items()) {
            events.add(FilteredLogEvent.builder().logStreamName(f.streamName()).timestamp(f.event().timestamp())
                    .message(f.event().message()).ingestionTime(f.event().ingestionTime()).eventId(f.event().id()).build());
        }
        return FilterLogEventsResponse.builder().events(events).searchedLogStreams(List.of()).nextToken(page.nextToken()).build();
    }

    // ---------------------------------------------------------------- metric and subscription filters

    @Override
    public void putMetricFilter(RequestContext ctx, PutMetricFilterRequest in) {
        List<LogGroup.Transformation> ts = new ArrayList<>();
        for (MetricTransformation t : orEmpty(in.metricTransformations())) {
            ts.add(new LogGroup.Transformation(t.metricName(), t.metricNamespace(), t.metricValue(), t.defaultValue(),
                    t.dimensions() == null ? null : new LinkedHashMap<>(t.dimensions()), t.unitAsString()));
        }
        engine.putMetricFilter(ctx.accountId(), ctx.region(), in.logGroupName(), in.filterName(), in.filterPattern(), ts);
    }

    @Override
    public void deleteMetricFilter(RequestContext ctx, DeleteMetricFilterRequest in) {
        engine.deleteMetricFilter(ctx.accountId(), ctx.region(), in.logGroupName(), in.filterName());
    }

    @Override
    public DescribeMetricFiltersResponse describeMetricFilters(RequestContext ctx, DescribeMetricFiltersRequest in) {
        List<MetricFilter> filters = new ArrayList<>();
        for (var e : engine.metricFilters(ctx.accountId(), ctx.region(), in.logGroupName(), in.filterNamePrefix(), in.metricName(),
                in.metricNamespace())) {
            LogGroup.MetricFilter f = e.getValue();
            List<MetricTransformation> ts = new ArrayList<>();
            for (LogGroup.Transformation t : f.transformations()) {
                ts.add(MetricTransformation.builder().metricName(t.metricName()).metricNamespace(t.metricNamespace())
                        .metricValue(t.metricValue()).defaultValue(t.defaultValue())
                        .dimensions(t.dimensions() == null || t.dimensions().isEmpty() ? null : t.dimensions()).unit(t.unit()).build());
            }
            filters.add(MetricFilter.builder().filterName(f.name()).filterPattern(f.pattern()).metricTransformations(ts)
                    .creationTime(f.creationTime()).logGroupName(e.getKey().name).build());
        }
        return DescribeMetricFiltersResponse.builder().metricFilters(filters).build();
    }

    @Override
    public TestMetricFilterResponse testMetricFilter(RequestContext ctx, TestMetricFilterRequest in) {
        List<MetricFilterMatchRecord> matches = new ArrayList<>();
        for (var m : engine.testPattern(in.filterPattern(), orEmpty(in.logEventMessages()))) {
            matches.add(MetricFilterMatchRecord.builder().eventNumber((long) m.getKey()).eventMessage(m.getValue())
                    .extractedValues(Map.of()).build());
        }
        return TestMetricFilterResponse.builder().matches(matches).build();
    }

    @Override
    public void putSubscriptionFilter(RequestContext ctx, PutSubscriptionFilterRequest in) {
        engine.putSubscriptionFilter(ctx.accountId(), ctx.region(), in.logGroupName(), in.filterName(), in.filterPattern(),
                in.destinationArn(), in.roleArn(), in.distributionAsString());
    }

    @Override
    public void deleteSubscriptionFilter(RequestContext ctx, DeleteSubscriptionFilterRequest in) {
        engine.deleteSubscriptionFilter(ctx.accountId(), ctx.region(), in.logGroupName(), in.filterName());
    }

    @Override
    public DescribeSubscriptionFiltersResponse describeSubscriptionFilters(RequestContext ctx, DescribeSubscriptionFiltersRequest in) {
        LogGroup g = engine.group(ctx.accountId(), ctx.region(), in.logGroupName());
        String prefix = in.filterNamePrefix();
        List<SubscriptionFilter> filters = new ArrayList<>();
        for (LogGroup.SubscriptionFilter s : g.subscriptionFilters.values()) {
            if (prefix != null && !s.name().startsWith(prefix)) continue;
            filters.add(SubscriptionFilter.builder().filterName(s.name()).logGroupName(g.name).filterPattern(s.pattern())
                    .destinationArn(s.destinationArn()).roleArn(s.roleArn()).distribution(s.distribution())
                    .creationTime(s.creationTime()).build());
        }
        return DescribeSubscriptionFiltersResponse.builder().subscriptionFilters(filters).build();
    }

    // ---------------------------------------------------------------- Logs Insights

    @Override
    public StartQueryResponse startQuery(RequestContext ctx, StartQueryRequest in) {
        List<String> groups = in.logGroupNames() != null ? in.logGroupNames()
                : in.logGroupIdentifiers() != null ? in.logGroupIdentifiers()
                : in.logGroupName() == null ? List.of() : List.of(in.logGroupName());
        if (in.startTime() == null || in.endTime() == null) {
            throw CloudWatchLogs.invalid("1 validation error detected: Value null at '" + (in.startTime() == null ? "startTime" : "endTime")
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return StartQueryResponse.builder().queryId(insights.start(ctx.accountId(), ctx.region(), groups, in.startTime(),
                in.endTime(), in.queryString(), in.limit())).build();
    }

    @Override
    public GetQueryResultsResponse getQueryResults(RequestContext ctx, GetQueryResultsRequest in) {
        LogsInsights.Query q = insights.query(in.queryId());
        List<List<ResultField>> results = new ArrayList<>();
        for (List<Map<String, String>> row : q.results()) {
            results.add(row.stream().map(f -> ResultField.builder().field(f.get("field")).value(f.get("value")).build()).toList());
        }
        return GetQueryResultsResponse.builder().results(results)
                .statistics(QueryStatistics.builder().recordsMatched(q.matched()).recordsScanned(q.scanned())
                        .bytesScanned(q.scanned() * 100).build())
                .status(q.status()).build();
    }

    @Override
    public StopQueryResponse stopQuery(RequestContext ctx, StopQueryRequest in) {
        return StopQueryResponse.builder().success(insights.stop(in.queryId())).build();
    }

    @Override
    public DescribeQueriesResponse describeQueries(RequestContext ctx, DescribeQueriesRequest in) {
        List<QueryInfo> queries = new ArrayList<>();
        for (LogsInsights.Query q : insights.queries(ctx.accountId(), ctx.region(), in.statusAsString())) {
            queries.add(QueryInfo.builder().queryId(q.id()).queryString(q.queryString() == null ? "" : q.queryString())
                    .status(q.status()).createTime(q.createTime()).logGroupName(q.logGroups()).build());
        }
        return DescribeQueriesResponse.builder().queries(queries).build();
    }

    // ---------------------------------------------------------------- helpers

    /** The group a request names: logGroupName or logGroupIdentifier (name or ARN), never both. */
    private static String group(String name, String identifier) {
        if (name != null && identifier != null) {
            throw new ServiceException("ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        return name != null ? name : identifier;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
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
        Persistable.requireVersion("CloudWatch Logs", version, 1);
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
