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

    public CloudWatchProvider(ProviderEnvironment env) {
        this.env = env;
        // One short tick a second; each alarm is evaluated when its period (at most a minute) has passed.
        this.evaluator = env == null ? null
                : env.scheduler().scheduleWithFixedDelay(this::evaluateAlarms, 1, 1, TimeUnit.SECONDS);
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

    // ---------------------------------------------------------------- persistence

    /** One region's state as saved. */
    public record RegionSnapshot(String account, String region, List<SeriesSnapshot> metrics, List<Alarm> alarms,
                                 List<Dashboard> dashboards, Map<String, Map<String, String>> tags, List<HistoryEntry> history) {
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
            List<Alarm> alarms = new ArrayList<>();
            for (Alarm a : r.alarms.values()) {
                synchronized (a) {
                    alarms.add(JSON.convertValue(a, Alarm.class));   // a copy taken under the alarm's lock
                }
            }
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
            regions.add(new RegionSnapshot(account, name, series, alarms, List.copyOf(r.dashboards.values()), tags, history));
        }));
        ObjectNode root = JSON.createObjectNode();
        root.set("regions", JSON.valueToTree(regions));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported CloudWatch state version " + version);
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
        }
    }

    @Override
    public void resetState() {
        stores.clear();
    }
}
