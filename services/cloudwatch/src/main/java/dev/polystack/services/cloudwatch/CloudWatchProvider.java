package dev.polystack.services.cloudwatch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Page;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.cloudwatch.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Native CloudWatch (metrics, alarms, dashboards) on the typed {@link CloudWatchApi}: the metric engine is
 * {@link Metrics} (+ {@link MetricMath}), alarm evaluation {@link Alarms} (+ {@link AlarmRule}); this class reads
 * requests, holds the per-region state, runs the evaluation timer and the alarm actions (SNS).
 */
public final class CloudWatchProvider implements CloudWatchApi, ServiceProvider, Persistable {
    private static final System.Logger LOG = System.getLogger(CloudWatchProvider.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern DASHBOARD_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private final ProviderEnvironment env;
    private final AccountRegionStore<CloudWatchRegion> stores = new AccountRegionStore<>((a, r) -> new CloudWatchRegion());
    private final ScheduledFuture<?> evaluator;
    private final ScheduledFuture<?> streamer;

    public CloudWatchProvider(ProviderEnvironment env) {
        this.env = env;
        // One short tick a second; each alarm is evaluated when its period (at most a minute) has passed.
        this.evaluator = env == null ? null
                : env.scheduler().scheduleWithFixedDelay(this::evaluateAlarms, 1, 1, TimeUnit.SECONDS);
        // Metric streams send each minute once it has closed; a check a second keeps that close to the minute.
        this.streamer = env == null ? null : env.scheduler().scheduleWithFixedDelay(this::streamMetrics, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public String service() {
        return "cloudwatch";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    @Override
    public void close() {
        if (evaluator != null) evaluator.cancel(false);
        if (streamer != null) streamer.cancel(false);
    }

    CloudWatchRegion region(RequestContext ctx) {
        return stores.get(ctx);
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public void putMetricData(RequestContext ctx, PutMetricDataInput in) {
        Metrics.put(region(ctx), in.namespace(), in.metricData() == null ? List.of() : in.metricData(), System.currentTimeMillis());
    }

    @Override
    public GetMetricStatisticsOutput getMetricStatistics(RequestContext ctx, GetMetricStatisticsInput in) {
        return Metrics.statistics(region(ctx), in);
    }

    @Override
    public GetMetricDataOutput getMetricData(RequestContext ctx, GetMetricDataInput in) {
        return Metrics.data(region(ctx), in);
    }

    @Override
    public ListMetricsOutput listMetrics(RequestContext ctx, ListMetricsInput in) {
        return Metrics.list(region(ctx), in);
    }

    // ---------------------------------------------------------------- alarms

    private static String alarmArn(RequestContext ctx, String name) {
        return "arn:" + ctx.partition() + ":cloudwatch:" + ctx.region() + ":" + ctx.accountId() + ":alarm:" + name;
    }

    private static List<String> list(List<String> l) {
        return l == null ? new ArrayList<>() : new ArrayList<>(l);
    }

    @Override
    public void putMetricAlarm(RequestContext ctx, PutMetricAlarmInput in) {
        CloudWatchRegion region = region(ctx);
        long now = System.currentTimeMillis();
        if (in.metrics() != null && !in.metrics().isEmpty() && in.metricName() != null) {
            throw new InvalidParameterCombinationException("The parameters MetricName and Metrics are mutually exclusive and you have specified both.");
        }
        Alarm a = region.alarms.computeIfAbsent(in.alarmName(), n -> {
            Alarm created = new Alarm();
            created.name = n;
            created.arn = alarmArn(ctx, n);
            created.stateReason = "Unchecked: Initial alarm creation";
            created.stateUpdated = now;
            created.stateTransitioned = now;
            return created;
        });
        synchronized (a) {
            a.description = in.alarmDescription();
            a.actionsEnabled = in.actionsEnabled() == null || in.actionsEnabled();
            a.okActions = list(in.okActions());
            a.alarmActions = list(in.alarmActions());
            a.insufficientDataActions = list(in.insufficientDataActions());
            a.namespace = in.namespace();
            a.metricName = in.metricName();
            a.dimensions = new ArrayList<>();
            if (in.dimensions() != null) for (Dimension d : in.dimensions()) a.dimensions.add(new MetricKey.Dim(d.name(), d.value()));
            a.statistic = in.statisticAsString();
            a.extendedStatistic = in.extendedStatistic();
            a.period = in.period();
            a.unit = in.unitAsString();
            a.evaluationPeriods = in.evaluationPeriods();
            a.datapointsToAlarm = in.datapointsToAlarm();
            a.threshold = in.threshold();
            a.comparisonOperator = in.comparisonOperatorAsString();
            a.treatMissingData = in.treatMissingData();
            a.evaluateLowSampleCountPercentile = in.evaluateLowSampleCountPercentile();
            a.thresholdMetricId = in.thresholdMetricId();
            a.metrics = null;
            if (in.metrics() != null && !in.metrics().isEmpty()) {
                a.metrics = new ArrayList<>();
                for (MetricDataQuery q : in.metrics()) a.metrics.add(TreeConverter.toTree(MetricDataQuery.SHAPE, q));
            }
            a.configurationUpdated = now;
            a.lastEvaluated = 0;
        }
        tag(region, a.arn, in.tags());
        region.record(new HistoryEntry(a.name, "MetricAlarm", now, "ConfigurationUpdate", "Alarm \"" + a.name + "\" updated", null));
    }

    @Override
    public void putCompositeAlarm(RequestContext ctx, PutCompositeAlarmInput in) {
        AlarmRule.validate(in.alarmRule());
        CloudWatchRegion region = region(ctx);
        long now = System.currentTimeMillis();
        Alarm a = region.alarms.computeIfAbsent(in.alarmName(), n -> {
            Alarm created = new Alarm();
            created.name = n;
            created.arn = alarmArn(ctx, n);
            created.stateReason = "Unchecked: Initial alarm creation";
            created.stateUpdated = now;
            created.stateTransitioned = now;
            return created;
        });
        synchronized (a) {
            a.description = in.alarmDescription();
            a.actionsEnabled = in.actionsEnabled() == null || in.actionsEnabled();
            a.okActions = list(in.okActions());
            a.alarmActions = list(in.alarmActions());
            a.insufficientDataActions = list(in.insufficientDataActions());
            a.alarmRule = in.alarmRule();
            a.configurationUpdated = now;
        }
        tag(region, a.arn, in.tags());
        region.record(new HistoryEntry(a.name, "CompositeAlarm", now, "ConfigurationUpdate", "Alarm \"" + a.name + "\" updated", null));
    }

    @Override
    public DescribeAlarmsOutput describeAlarms(RequestContext ctx, DescribeAlarmsInput in) {
        List<String> types = in.alarmTypesAsStrings() == null || in.alarmTypesAsStrings().isEmpty()
                ? List.of("MetricAlarm") : in.alarmTypesAsStrings();
        List<Alarm> matching = new ArrayList<>();
        for (Alarm a : sorted(region(ctx))) {
            if (in.alarmNames() != null && !in.alarmNames().isEmpty() && !in.alarmNames().contains(a.name)) continue;
            if (in.alarmNamePrefix() != null && !a.name.startsWith(in.alarmNamePrefix())) continue;
            if (in.stateValueAsString() != null && !in.stateValueAsString().equals(a.stateValue)) continue;
            if (in.actionPrefix() != null && allActions(a).stream().noneMatch(x -> x.startsWith(in.actionPrefix()))) continue;
            if (a.isComposite() ? types.contains("CompositeAlarm") : types.contains("MetricAlarm")) matching.add(a);
        }
        // MaxRecords: 1 to 100, 50 when absent (AWS's default page).
        Page<Alarm> page = Page.of(matching, a -> a.name, in.nextToken(), in.maxRecords() == null ? 50 : in.maxRecords(),
                CloudWatchProvider::invalidToken);
        List<MetricAlarm> metricAlarms = new ArrayList<>();
        List<CompositeAlarm> composites = new ArrayList<>();
        for (Alarm a : page.items()) {
            synchronized (a) {
                if (a.isComposite()) {
                    if (types.contains("CompositeAlarm")) composites.add(composite(a));
                } else if (types.contains("MetricAlarm")) {
                    metricAlarms.add(metricAlarm(a));
                }
            }
        }
        return DescribeAlarmsOutput.builder().metricAlarms(metricAlarms).compositeAlarms(composites).nextToken(page.nextToken()).build();
    }

    @Override
    public DescribeAlarmsForMetricOutput describeAlarmsForMetric(RequestContext ctx, DescribeAlarmsForMetricInput in) {
        MetricKey wanted = Metrics.key(in.namespace(), in.metricName(), in.dimensions());
        List<MetricAlarm> out = new ArrayList<>();
        for (Alarm a : sorted(region(ctx))) {
            if (a.isComposite()) continue;
            synchronized (a) {
                if (!wanted.equals(new MetricKey(a.namespace, a.metricName, a.dimensions))) continue;
                if (in.statisticAsString() != null && !in.statisticAsString().equals(a.statistic)) continue;
                if (in.period() != null && !in.period().equals(a.period)) continue;
                out.add(metricAlarm(a));
            }
        }
        return DescribeAlarmsForMetricOutput.builder().metricAlarms(out).build();
    }

    private static List<Alarm> sorted(CloudWatchRegion region) {
        List<Alarm> all = new ArrayList<>(region.alarms.values());
        all.sort(Comparator.comparing(a -> a.name));
        return all;
    }

    private static List<String> allActions(Alarm a) {
        List<String> all = new ArrayList<>(a.alarmActions);
        all.addAll(a.okActions);
        all.addAll(a.insufficientDataActions);
        return all;
    }

    private static MetricAlarm metricAlarm(Alarm a) {
        MetricAlarm.Builder b = MetricAlarm.builder()
                .alarmName(a.name).alarmArn(a.arn).alarmDescription(a.description)
                .alarmConfigurationUpdatedTimestamp(Instant.ofEpochMilli(a.configurationUpdated))
                .actionsEnabled(a.actionsEnabled).okActions(a.okActions).alarmActions(a.alarmActions)
                .insufficientDataActions(a.insufficientDataActions)
                .stateValue(a.stateValue).stateReason(a.stateReason).stateReasonData(a.stateReasonData)
                .stateUpdatedTimestamp(Instant.ofEpochMilli(a.stateUpdated))
                .stateTransitionedTimestamp(Instant.ofEpochMilli(a.stateTransitioned))
                .metricName(a.metricName).namespace(a.namespace).statistic(a.statistic).extendedStatistic(a.extendedStatistic)
                .period(a.period).unit(a.unit).evaluationPeriods(a.evaluationPeriods).datapointsToAlarm(a.datapointsToAlarm)
                .threshold(a.threshold).comparisonOperator(a.comparisonOperator).treatMissingData(a.treatMissingData)
                .evaluateLowSampleCountPercentile(a.evaluateLowSampleCountPercentile).thresholdMetricId(a.thresholdMetricId);
        if (a.metrics == null) b.dimensions(Metrics.dimensions(a.dimensions));
        else {
            List<MetricDataQuery> queries = new ArrayList<>();
            for (Map<String, Object> tree : a.metrics) queries.add(TreeConverter.fromTree(MetricDataQuery.SHAPE, tree));
            b.metrics(queries);
        }
        return b.build();
    }

    private static CompositeAlarm composite(Alarm a) {
        return CompositeAlarm.builder()
                .alarmName(a.name).alarmArn(a.arn).alarmDescription(a.description).alarmRule(a.alarmRule)
                .alarmConfigurationUpdatedTimestamp(Instant.ofEpochMilli(a.configurationUpdated))
                .actionsEnabled(a.actionsEnabled).okActions(a.okActions).alarmActions(a.alarmActions)
                .insufficientDataActions(a.insufficientDataActions)
                .stateValue(a.stateValue).stateReason(a.stateReason).stateReasonData(a.stateReasonData)
                .stateUpdatedTimestamp(Instant.ofEpochMilli(a.stateUpdated))
                .stateTransitionedTimestamp(Instant.ofEpochMilli(a.stateTransitioned))
                .build();
    }

    @Override
    public void deleteAlarms(RequestContext ctx, DeleteAlarmsInput in) {
        CloudWatchRegion region = region(ctx);
        List<String> names = in.alarmNames() == null ? List.of() : in.alarmNames();
        for (String n : names) {
            if (!region.alarms.containsKey(n)) throw new ResourceNotFoundException("The alarm " + n + " does not exist.");
        }
        for (String n : names) {
            Alarm a = region.alarms.remove(n);
            if (a != null) region.tags.remove(a.arn);
        }
    }

    @Override
    public void setAlarmState(RequestContext ctx, SetAlarmStateInput in) {
        CloudWatchRegion region = region(ctx);
        Alarm a = region.alarms.get(in.alarmName());
        if (a == null) throw new ResourceNotFoundException("");
        if (in.stateReasonData() != null) {
            try {
                JSON.readTree(in.stateReasonData());
            } catch (IOException e) {
                throw new InvalidFormatFault("Invalid JSON for stateReasonData.");
            }
        }
        long now = System.currentTimeMillis();
        Alarms.Change change;
        synchronized (a) {
            a.lastEvaluated = now;   // the state holds until the next evaluation, as on AWS
            change = Alarms.change(region, a, in.stateValueAsString(), in.stateReason(), in.stateReasonData(), now);
            if (change == null) {
                a.stateReason = in.stateReason();
                a.stateReasonData = in.stateReasonData();
                a.stateUpdated = now;
            }
        }
        if (change != null) changed(ctx.accountId(), ctx.region(), region, change);
    }

    @Override
    public DescribeAlarmHistoryOutput describeAlarmHistory(RequestContext ctx, DescribeAlarmHistoryInput in) {
        CloudWatchRegion region = region(ctx);
        List<HistoryEntry> entries;
        synchronized (region.history) {
            entries = new ArrayList<>(region.history);
        }
        boolean ascending = "TimestampAscending".equals(in.scanByAsString());
        List<HistoryEntry> matching = new ArrayList<>();
        for (HistoryEntry e : entries) {
            if (in.alarmName() != null && !in.alarmName().equals(e.alarmName())) continue;
            if (in.historyItemTypeAsString() != null && !in.historyItemTypeAsString().equals(e.itemType())) continue;
            if (in.alarmTypesAsStrings() != null && !in.alarmTypesAsStrings().isEmpty() && !in.alarmTypesAsStrings().contains(e.alarmType())) continue;
            if (in.startDate() != null && e.time() < in.startDate().toEpochMilli()) continue;
            if (in.endDate() != null && e.time() > in.endDate().toEpochMilli()) continue;
            matching.add(e);
        }
        java.util.function.Function<HistoryEntry, String> key = e -> historyKey(e, ascending);
        matching.sort(java.util.Comparator.comparing(key));
        Page<HistoryEntry> page = Page.of(matching, key, in.nextToken(), in.maxRecords() == null ? 100 : in.maxRecords(),
                CloudWatchProvider::invalidToken);
        List<AlarmHistoryItem> out = new ArrayList<>();
        for (HistoryEntry e : page.items()) {
            out.add(AlarmHistoryItem.builder().alarmName(e.alarmName()).alarmType(e.alarmType()).timestamp(Instant.ofEpochMilli(e.time()))
                    .historyItemType(e.itemType()).historySummary(e.summary()).historyData(e.data()).build());
        }
        return DescribeAlarmHistoryOutput.builder().alarmHistoryItems(out).nextToken(page.nextToken()).build();
    }

    /** A history item's page key: its time in the order asked for (newest first by default), then what tells items apart. */
    private static String historyKey(HistoryEntry e, boolean ascending) {
        return String.format("%019d|%s|%s|%08x", ascending ? e.time() : Long.MAX_VALUE - e.time(), e.alarmName(), e.itemType(),
                java.util.Objects.hash(e.summary(), e.data()));
    }

    @Override
    public void enableAlarmActions(RequestContext ctx, EnableAlarmActionsInput in) {
        setActionsEnabled(ctx, in.alarmNames(), true);
    }

    @Override
    public void disableAlarmActions(RequestContext ctx, DisableAlarmActionsInput in) {
        setActionsEnabled(ctx, in.alarmNames(), false);
    }

    private void setActionsEnabled(RequestContext ctx, List<String> names, boolean enabled) {
        CloudWatchRegion region = region(ctx);
        if (names == null) return;
        for (String n : names) {
            Alarm a = region.alarms.get(n);
            if (a != null) {
                synchronized (a) {
                    a.actionsEnabled = enabled;
                }
            }
        }
    }

    /** The evaluation timer: every due metric alarm of every region; never throws (it would end the timer). */
    void evaluateAlarms() {
        long now = System.currentTimeMillis();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((regionName, region) -> {
            for (Alarm a : region.alarms.values()) {
                if (!Alarms.due(a, now)) continue;
                try {
                    Alarms.Change c = Alarms.evaluate(region, a, now);
                    if (c != null) changed(account, regionName, region, c);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "evaluating alarm " + a.name + " failed", e);
                }
            }
        }));
    }

    /** After a state change: the alarm's actions, then the composite alarms that watch it. */
    private void changed(String account, String regionName, CloudWatchRegion region, Alarms.Change change) {
        AlarmActions.run(env, account, regionName, change);
        Alarms.evaluateComposites(region, change.alarm(), change.time(), c -> AlarmActions.run(env, account, regionName, c));
    }

    // ---------------------------------------------------------------- tags

    private static void tag(CloudWatchRegion region, String arn, List<Tag> tags) {
        if (tags == null || tags.isEmpty()) return;
        Map<String, String> m = region.tags.computeIfAbsent(arn, k -> new LinkedHashMap<>());
        synchronized (m) {
            for (Tag t : tags) m.put(t.key(), t.value());
        }
    }

    private CloudWatchRegion regionOf(RequestContext ctx, String arn) {
        if (arn == null || !arn.startsWith("arn:")) throw new InvalidParameterValueException("Invalid ARN: " + arn);
        return region(ctx);
    }

    @Override
    public TagResourceOutput tagResource(RequestContext ctx, TagResourceInput in) {
        CloudWatchRegion region = regionOf(ctx, in.resourceARN());
        if (!exists(region, in.resourceARN())) throw new ResourceNotFoundException("");
        tag(region, in.resourceARN(), in.tags());
        return TagResourceOutput.builder().build();
    }

    @Override
    public UntagResourceOutput untagResource(RequestContext ctx, UntagResourceInput in) {
        CloudWatchRegion region = regionOf(ctx, in.resourceARN());
        if (!exists(region, in.resourceARN())) throw new ResourceNotFoundException("");
        Map<String, String> m = region.tags.get(in.resourceARN());
        if (m != null) {
            synchronized (m) {
                in.tagKeys().forEach(m::remove);
            }
        }
        return UntagResourceOutput.builder().build();
    }

    @Override
    public ListTagsForResourceOutput listTagsForResource(RequestContext ctx, ListTagsForResourceInput in) {
        CloudWatchRegion region = regionOf(ctx, in.resourceARN());
        List<Tag> out = new ArrayList<>();
        Map<String, String> m = region.tags.get(in.resourceARN());
        if (m != null) {
            synchronized (m) {
                m.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
            }
        }
        return ListTagsForResourceOutput.builder().tags(out).build();
    }

    private static boolean exists(CloudWatchRegion region, String arn) {
        for (Alarm a : region.alarms.values()) if (a.arn.equals(arn)) return true;
        for (Dashboard d : region.dashboards.values()) if (d.arn().equals(arn)) return true;
        for (MetricStream s : region.metricStreams.values()) if (s.arn.equals(arn)) return true;
        return false;
    }

    // ---------------------------------------------------------------- dashboards

    @Override
    public PutDashboardOutput putDashboard(RequestContext ctx, PutDashboardInput in) {
        if (!DASHBOARD_NAME.matcher(in.dashboardName()).matches()) {
            throw new InvalidParameterValueException("The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).\n");
        }
        try {
            JsonNode body = JSON.readTree(in.dashboardBody());
            if (body == null || !body.isObject()) throw new IOException("not an object");
        } catch (IOException e) {
            throw new DashboardInvalidInputErrorException("The field DashboardBody must be a valid JSON object");
        }
        String arn = "arn:" + ctx.partition() + ":cloudwatch::" + ctx.accountId() + ":dashboard/" + in.dashboardName();
        region(ctx).dashboards.put(in.dashboardName(), new Dashboard(in.dashboardName(), arn, in.dashboardBody(), System.currentTimeMillis()));
        tag(region(ctx), arn, in.tags());
        return PutDashboardOutput.builder().dashboardValidationMessages(List.of()).build();
    }

    @Override
    public GetDashboardOutput getDashboard(RequestContext ctx, GetDashboardInput in) {
        Dashboard d = region(ctx).dashboards.get(in.dashboardName());
        if (d == null) throw new DashboardNotFoundErrorException("Dashboard " + in.dashboardName() + " does not exist");
        return GetDashboardOutput.builder().dashboardName(d.name()).dashboardArn(d.arn()).dashboardBody(d.body()).build();
    }

    @Override
    public ListDashboardsOutput listDashboards(RequestContext ctx, ListDashboardsInput in) {
        List<Dashboard> all = new ArrayList<>();
        for (Dashboard d : region(ctx).dashboards.values()) {
            if (in.dashboardNamePrefix() == null || d.name().startsWith(in.dashboardNamePrefix())) all.add(d);
        }
        all.sort(Comparator.comparing(Dashboard::name));
        // AWS answers ListDashboards 1,000 dashboards at a time.
        Page<Dashboard> page = Page.of(all, Dashboard::name, in.nextToken(), 1000, CloudWatchProvider::invalidToken);
        List<DashboardEntry> out = new ArrayList<>();
        for (Dashboard d : page.items()) {
            out.add(DashboardEntry.builder().dashboardName(d.name()).dashboardArn(d.arn()).lastModified(Instant.ofEpochMilli(d.lastModified()))
                    .size((long) d.body().getBytes(StandardCharsets.UTF_8).length).build());
        }
        return ListDashboardsOutput.builder().dashboardEntries(out).nextToken(page.nextToken()).build();
    }

    /** A NextToken this service did not issue. */
    static InvalidNextTokenException invalidToken(String token) {
        return new InvalidNextTokenException("The NextToken provided is invalid.");
    }

    @Override
    public DeleteDashboardsOutput deleteDashboards(RequestContext ctx, DeleteDashboardsInput in) {
        CloudWatchRegion region = region(ctx);
        for (String n : in.dashboardNames()) {
            if (!region.dashboards.containsKey(n)) throw new DashboardNotFoundErrorException("The specified dashboard does not exist. [" + n + "]");
        }
        for (String n : in.dashboardNames()) region.dashboards.remove(n);
        return DeleteDashboardsOutput.builder().build();
    }

    // ---------------------------------------------------------------- metric streams

    private static final java.util.Set<String> OUTPUT_FORMATS = java.util.Set.of("json", "opentelemetry0.7", "opentelemetry1.0");

    @Override
    public PutMetricStreamOutput putMetricStream(RequestContext ctx, PutMetricStreamInput in) {
        if (in.includeFilters() != null && !in.includeFilters().isEmpty() && in.excludeFilters() != null && !in.excludeFilters().isEmpty()) {
            throw new InvalidParameterCombinationException("You cannot specify both IncludeFilters and ExcludeFilters in the same operation.");
        }
        if (!OUTPUT_FORMATS.contains(in.outputFormatAsString())) {
            throw new InvalidParameterValueException("The value " + in.outputFormatAsString() + " for parameter OutputFormat is not valid. "
                    + "Valid values are json, opentelemetry0.7 and opentelemetry1.0.");
        }
        if (in.firehoseArn() == null || !in.firehoseArn().contains(":deliverystream/")) {
            throw new InvalidParameterValueException("The value " + in.firehoseArn() + " for parameter FirehoseArn is not a Firehose delivery stream ARN.");
        }
        CloudWatchRegion region = region(ctx);
        long now = System.currentTimeMillis();
        String arn = "arn:" + ctx.partition() + ":cloudwatch:" + ctx.region() + ":" + ctx.accountId() + ":metric-stream/" + in.name();
        MetricStream s = region.metricStreams.computeIfAbsent(in.name(), n -> {
            MetricStream created = new MetricStream();
            created.name = n;
            created.arn = arn;
            created.created = now;
            created.streamedUntil = MetricStreams.minuteOf(now);
            return created;
        });
        synchronized (s) {
            s.firehoseArn = in.firehoseArn();
            s.roleArn = in.roleArn();
            s.outputFormat = in.outputFormatAsString();
            s.includeFilters = filters(in.includeFilters());
            s.excludeFilters = filters(in.excludeFilters());
            s.statistics = new ArrayList<>();
            if (in.statisticsConfigurations() != null) {
                for (MetricStreamStatisticsConfiguration c : in.statisticsConfigurations()) {
                    List<MetricStream.Filter> metrics = new ArrayList<>();
                    if (c.includeMetrics() != null) {
                        for (MetricStreamStatisticsMetric m : c.includeMetrics()) metrics.add(new MetricStream.Filter(m.namespace(), List.of(m.metricName())));
                    }
                    s.statistics.add(new MetricStream.StatisticsConfiguration(metrics, list(c.additionalStatistics())));
                }
            }
            s.includeLinkedAccountsMetrics = Boolean.TRUE.equals(in.includeLinkedAccountsMetrics());
            s.updated = now;
        }
        tag(region, arn, in.tags());
        return PutMetricStreamOutput.builder().arn(arn).build();
    }

    private static List<MetricStream.Filter> filters(List<MetricStreamFilter> in) {
        List<MetricStream.Filter> out = new ArrayList<>();
        if (in != null) for (MetricStreamFilter f : in) out.add(new MetricStream.Filter(f.namespace(), list(f.metricNames())));
        return out;
    }

    private static List<MetricStreamFilter> filterShapes(List<MetricStream.Filter> in) {
        List<MetricStreamFilter> out = new ArrayList<>();
        for (MetricStream.Filter f : in) {
            out.add(MetricStreamFilter.builder().namespace(f.namespace()).metricNames(f.metricNames() == null || f.metricNames().isEmpty() ? null : f.metricNames()).build());
        }
        return out.isEmpty() ? null : out;
    }

    private MetricStream metricStream(RequestContext ctx, String name) {
        MetricStream s = name == null ? null : region(ctx).metricStreams.get(name);
        if (s == null) throw resourceNotFoundException("The metric stream " + name + " does not exist.");
        return s;
    }

    /**
     * AWS's {@code ResourceNotFoundException} (metric streams, anomaly detectors). Built here because the generated
     * class of that name answers the alarms' older {@code ResourceNotFound}: the two shapes share one Java name.
     */
    private static ServiceException resourceNotFoundException(String message) {
        return new ServiceException("ResourceNotFoundException", message, 404, true);
    }

    @Override
    public GetMetricStreamOutput getMetricStream(RequestContext ctx, GetMetricStreamInput in) {
        MetricStream s = metricStream(ctx, in.name());
        synchronized (s) {
            List<MetricStreamStatisticsConfiguration> statistics = new ArrayList<>();
            for (MetricStream.StatisticsConfiguration c : s.statistics) {
                List<MetricStreamStatisticsMetric> metrics = new ArrayList<>();
                for (MetricStream.Filter f : c.metrics()) {
                    metrics.add(MetricStreamStatisticsMetric.builder().namespace(f.namespace()).metricName(f.metricNames().get(0)).build());
                }
                statistics.add(MetricStreamStatisticsConfiguration.builder().includeMetrics(metrics).additionalStatistics(c.additionalStatistics()).build());
            }
            return GetMetricStreamOutput.builder().arn(s.arn).name(s.name).firehoseArn(s.firehoseArn).roleArn(s.roleArn)
                    .includeFilters(filterShapes(s.includeFilters)).excludeFilters(filterShapes(s.excludeFilters))
                    .state(s.state).creationDate(Instant.ofEpochMilli(s.created)).lastUpdateDate(Instant.ofEpochMilli(s.updated))
                    .outputFormat(s.outputFormat).statisticsConfigurations(statistics.isEmpty() ? null : statistics)
                    .includeLinkedAccountsMetrics(s.includeLinkedAccountsMetrics).build();
        }
    }

    @Override
    public ListMetricStreamsOutput listMetricStreams(RequestContext ctx, ListMetricStreamsInput in) {
        List<MetricStream> all = new ArrayList<>(region(ctx).metricStreams.values());
        all.sort(Comparator.comparing(s -> s.name));
        Page<MetricStream> page = Page.of(all, s -> s.name, in.nextToken(), in.maxResults() == null ? 500 : in.maxResults(),
                CloudWatchProvider::invalidToken);
        List<MetricStreamEntry> entries = new ArrayList<>();
        for (MetricStream s : page.items()) {
            synchronized (s) {
                entries.add(MetricStreamEntry.builder().arn(s.arn).name(s.name).firehoseArn(s.firehoseArn).state(s.state)
                        .creationDate(Instant.ofEpochMilli(s.created)).lastUpdateDate(Instant.ofEpochMilli(s.updated))
                        .outputFormat(s.outputFormat).build());
            }
        }
        return ListMetricStreamsOutput.builder().entries(entries).nextToken(page.nextToken()).build();
    }

    @Override
    public DeleteMetricStreamOutput deleteMetricStream(RequestContext ctx, DeleteMetricStreamInput in) {
        MetricStream s = region(ctx).metricStreams.remove(in.name());   // deleting a stream that is not there succeeds, as on AWS
        if (s != null) region(ctx).tags.remove(s.arn);
        return DeleteMetricStreamOutput.builder().build();
    }

    @Override
    public StartMetricStreamsOutput startMetricStreams(RequestContext ctx, StartMetricStreamsInput in) {
        setStreamState(ctx, in.names(), "running");
        return StartMetricStreamsOutput.builder().build();
    }

    @Override
    public StopMetricStreamsOutput stopMetricStreams(RequestContext ctx, StopMetricStreamsInput in) {
        setStreamState(ctx, in.names(), "stopped");
        return StopMetricStreamsOutput.builder().build();
    }

    /** Start or stop streams; a started stream streams from the current minute on (what was put while stopped is not sent); unknown names are skipped. */
    private void setStreamState(RequestContext ctx, List<String> names, String state) {
        long now = System.currentTimeMillis();
        for (String n : names == null ? List.<String>of() : names) {
            MetricStream s = region(ctx).metricStreams.get(n);
            if (s == null) continue;   // AWS names no not-found error for Start/StopMetricStreams

            synchronized (s) {
                if (state.equals(s.state)) continue;
                if (state.equals("running")) s.streamedUntil = MetricStreams.minuteOf(now);
                s.state = state;
                s.updated = now;
            }
        }
    }

    /** The metric streams' timer: every closed minute to the streams' delivery streams; never throws. */
    void streamMetrics() {
        long now = System.currentTimeMillis();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((regionName, region) -> {
            if (region.metricStreams.isEmpty()) return;
            try {
                MetricStreams.tick(env, account, regionName, region, now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "metric streams of " + account + "/" + regionName + " failed", e);
            }
        }));
    }

    // ---------------------------------------------------------------- anomaly detectors

    @Override
    public PutAnomalyDetectorOutput putAnomalyDetector(RequestContext ctx, PutAnomalyDetectorInput in) {
        AnomalyDetectorState d = anomalyDetector(ctx, in.namespace(), in.metricName(), in.dimensions(), in.stat(),
                in.singleMetricAnomalyDetector(), in.metricMathAnomalyDetector(),
                in.configuration() == null ? null : TreeConverter.toTree(AnomalyDetectorConfiguration.SHAPE, in.configuration()),
                in.metricCharacteristics() == null ? null : TreeConverter.toTree(MetricCharacteristics.SHAPE, in.metricCharacteristics()));
        region(ctx).anomalyDetectors.put(d.identity(), d);
        return PutAnomalyDetectorOutput.builder().build();
    }

    /** The detector a request names, in either of AWS's two ways (the legacy top-level fields, or the typed ones). */
    private static AnomalyDetectorState anomalyDetector(RequestContext ctx, String namespace, String metricName, List<Dimension> dimensions,
                                                        String stat, SingleMetricAnomalyDetector single, MetricMathAnomalyDetector math,
                                                        Map<String, Object> configuration, Map<String, Object> characteristics) {
        boolean legacy = namespace != null || metricName != null || stat != null || (dimensions != null && !dimensions.isEmpty());
        if ((legacy ? 1 : 0) + (single != null ? 1 : 0) + (math != null ? 1 : 0) > 1) {
            throw new InvalidParameterCombinationException("Only one of SingleMetricAnomalyDetector, MetricMathAnomalyDetector or the "
                    + "Namespace, MetricName, Dimensions and Stat parameters may be specified.");
        }
        if (math != null) {
            if (math.metricDataQueries() == null || math.metricDataQueries().isEmpty()) {
                throw new MissingRequiredParameterException("MetricMathAnomalyDetector.MetricDataQueries is required.");
            }
            List<Map<String, Object>> queries = new ArrayList<>();
            for (MetricDataQuery q : math.metricDataQueries()) queries.add(TreeConverter.toTree(MetricDataQuery.SHAPE, q));
            return new AnomalyDetectorState(null, null, null, List.of(), null, queries, configuration, characteristics);
        }
        if (single != null) {
            namespace = single.namespace();
            metricName = single.metricName();
            dimensions = single.dimensions();
            stat = single.stat();
        }
        for (String[] p : new String[][]{{"Namespace", namespace}, {"MetricName", metricName}, {"Stat", stat}}) {
            if (p[1] == null || p[1].isEmpty()) throw new MissingRequiredParameterException("The parameter " + p[0] + " is required.");
        }
        List<MetricKey.Dim> dims = new ArrayList<>();
        if (dimensions != null) for (Dimension dim : dimensions) dims.add(new MetricKey.Dim(dim.name(), dim.value()));
        String account = single != null && single.accountId() != null ? single.accountId() : ctx.accountId();
        return new AnomalyDetectorState(account, namespace, metricName, new MetricKey(namespace, metricName, dims).dimensions(), stat,
                null, configuration, characteristics);
    }

    @Override
    public DescribeAnomalyDetectorsOutput describeAnomalyDetectors(RequestContext ctx, DescribeAnomalyDetectorsInput in) {
        List<String> types = in.anomalyDetectorTypesAsStrings() == null || in.anomalyDetectorTypesAsStrings().isEmpty()
                ? List.of("SINGLE_METRIC", "METRIC_MATH") : in.anomalyDetectorTypesAsStrings();
        List<MetricKey.Dim> wanted = new ArrayList<>();
        if (in.dimensions() != null) for (Dimension d : in.dimensions()) wanted.add(new MetricKey.Dim(d.name(), d.value()));
        List<AnomalyDetectorState> matching = new ArrayList<>();
        for (AnomalyDetectorState d : region(ctx).anomalyDetectors.values()) {
            if (!types.contains(d.isSingleMetric() ? "SINGLE_METRIC" : "METRIC_MATH")) continue;
            if (in.namespace() != null && !in.namespace().equals(d.namespace())) continue;
            if (in.metricName() != null && !in.metricName().equals(d.metricName())) continue;
            if (!wanted.isEmpty() && (!d.isSingleMetric() || !new MetricKey(d.namespace(), d.metricName(), d.dimensions()).hasDimensions(wanted))) continue;
            matching.add(d);
        }
        matching.sort(Comparator.comparing(AnomalyDetectorState::identity));
        Page<AnomalyDetectorState> page = Page.of(matching, AnomalyDetectorState::identity, in.nextToken(),
                in.maxResults() == null ? 100 : in.maxResults(), CloudWatchProvider::invalidToken);
        List<AnomalyDetector> out = new ArrayList<>();
        for (AnomalyDetectorState d : page.items()) {
            AnomalyDetectorConfiguration configuration = d.configuration() == null
                    ? AnomalyDetectorConfiguration.builder().excludedTimeRanges(List.of()).build()
                    : TreeConverter.fromTree(AnomalyDetectorConfiguration.SHAPE, d.configuration());
            if (configuration.excludedTimeRanges() == null) configuration = configuration.toBuilder().excludedTimeRanges(List.of()).build();
            AnomalyDetector.Builder b = AnomalyDetector.builder().configuration(configuration).stateValue("PENDING_TRAINING")
                    .metricCharacteristics(d.metricCharacteristics() == null ? null
                            : TreeConverter.fromTree(MetricCharacteristics.SHAPE, d.metricCharacteristics()));
            if (d.isSingleMetric()) {
                List<Dimension> dims = Metrics.dimensions(d.dimensions());
                b.namespace(d.namespace()).metricName(d.metricName()).dimensions(dims).stat(d.stat())
                        .singleMetricAnomalyDetector(SingleMetricAnomalyDetector.builder().accountId(d.accountId()).namespace(d.namespace())
                                .metricName(d.metricName()).dimensions(dims).stat(d.stat()).build());
            } else {
                List<MetricDataQuery> queries = new ArrayList<>();
                for (Map<String, Object> q : d.metricMath()) queries.add(TreeConverter.fromTree(MetricDataQuery.SHAPE, q));
                b.metricMathAnomalyDetector(MetricMathAnomalyDetector.builder().metricDataQueries(queries).build());
            }
            out.add(b.build());
        }
        return DescribeAnomalyDetectorsOutput.builder().anomalyDetectors(out).nextToken(page.nextToken()).build();
    }

    @Override
    public DeleteAnomalyDetectorOutput deleteAnomalyDetector(RequestContext ctx, DeleteAnomalyDetectorInput in) {
        AnomalyDetectorState d = anomalyDetector(ctx, in.namespace(), in.metricName(), in.dimensions(), in.stat(),
                in.singleMetricAnomalyDetector(), in.metricMathAnomalyDetector(), null, null);
        if (region(ctx).anomalyDetectors.remove(d.identity()) == null) {
            throw resourceNotFoundException("No anomaly detection model found for the given metric and statistic.");
        }
        return DeleteAnomalyDetectorOutput.builder().build();
    }

    // ---------------------------------------------------------------- persistence

    /** One region's state as saved. */
    public record RegionSnapshot(String account, String region, List<SeriesSnapshot> metrics, List<Alarm> alarms,
                                 List<Dashboard> dashboards, Map<String, Map<String, String>> tags, List<HistoryEntry> history,
                                 List<MetricStream> metricStreams, List<AnomalyDetectorState> anomalyDetectors) {
    }

    public record SeriesSnapshot(MetricKey key, List<Sample> samples) {
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        List<RegionSnapshot> regions = new ArrayList<>();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((name, r) -> {
            List<SeriesSnapshot> series = new ArrayList<>();
            r.metrics.forEach((k, samples) -> {
                synchronized (samples) {
                    series.add(new SeriesSnapshot(k, List.copyOf(samples)));
                }
            });
            List<Alarm> alarms = Persistable.copiesUnderLock(r.alarms.values(), a -> JSON.convertValue(a, Alarm.class));
            Map<String, Map<String, String>> tags = new LinkedHashMap<>();
            r.tags.forEach((arn, m) -> {
                synchronized (m) {
                    tags.put(arn, new LinkedHashMap<>(m));
                }
            });
            List<HistoryEntry> history;
            synchronized (r.history) {
                history = List.copyOf(r.history);
            }
            List<MetricStream> streams = Persistable.copiesUnderLock(r.metricStreams.values(), m -> JSON.convertValue(m, MetricStream.class));
            regions.add(new RegionSnapshot(account, name, series, alarms, List.copyOf(r.dashboards.values()), tags, history,
                    streams, List.copyOf(r.anomalyDetectors.values())));
        }));
        ObjectNode root = JSON.createObjectNode();
        root.set("regions", JSON.valueToTree(regions));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        Persistable.requireVersion("CloudWatch", version, 1);
        JsonNode root = JSON.readTree(in);
        RegionSnapshot[] regions = JSON.treeToValue(root.path("regions"), RegionSnapshot[].class);
        stores.clear();
        for (RegionSnapshot s : regions) {
            CloudWatchRegion r = stores.get(s.account(), s.region());
            for (SeriesSnapshot series : s.metrics()) r.metrics.put(series.key(), new ArrayList<>(series.samples()));
            for (Alarm a : s.alarms()) r.alarms.put(a.name, a);
            for (Dashboard d : s.dashboards()) r.dashboards.put(d.name(), d);
            s.tags().forEach((arn, m) -> r.tags.put(arn, new LinkedHashMap<>(m)));
            r.history.addAll(s.history());
            // snapshots of earlier builds have neither
            if (s.metricStreams() != null) for (MetricStream m : s.metricStreams()) r.metricStreams.put(m.name, m);
            if (s.anomalyDetectors() != null) for (AnomalyDetectorState d : s.anomalyDetectors()) r.anomalyDetectors.put(d.identity(), d);
        }
    }

    @Override
    public void resetState() {
        stores.clear();
    }
}
