package dev.polystack.services.cloudwatch;

import dev.polystack.api.Page;
import dev.polystack.services.cloudwatch.api.Datapoint;
import dev.polystack.services.cloudwatch.api.Dimension;
import dev.polystack.services.cloudwatch.api.DimensionFilter;
import dev.polystack.services.cloudwatch.api.GetMetricDataInput;
import dev.polystack.services.cloudwatch.api.GetMetricDataOutput;
import dev.polystack.services.cloudwatch.api.GetMetricStatisticsInput;
import dev.polystack.services.cloudwatch.api.GetMetricStatisticsOutput;
import dev.polystack.services.cloudwatch.api.InvalidParameterCombinationException;
import dev.polystack.services.cloudwatch.api.InvalidParameterValueException;
import dev.polystack.services.cloudwatch.api.ListMetricsInput;
import dev.polystack.services.cloudwatch.api.ListMetricsOutput;
import dev.polystack.services.cloudwatch.api.Metric;
import dev.polystack.services.cloudwatch.api.MetricDataQuery;
import dev.polystack.services.cloudwatch.api.MetricDataResult;
import dev.polystack.services.cloudwatch.api.MetricDatum;
import dev.polystack.services.cloudwatch.api.MetricStat;
import dev.polystack.services.cloudwatch.api.StatisticSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** PutMetricData, GetMetricStatistics, GetMetricData (with {@link MetricMath}) and ListMetrics over a region's series. */
final class Metrics {
    /** AWS's limit on the datapoints one GetMetricStatistics may ask for. */
    private static final int MAX_DATAPOINTS = 1440;

    private Metrics() {
    }

    static MetricKey key(String namespace, String name, List<Dimension> dimensions) {
        List<MetricKey.Dim> dims = new ArrayList<>();
        if (dimensions != null) for (Dimension d : dimensions) dims.add(new MetricKey.Dim(d.name(), d.value()));
        return new MetricKey(namespace, name, dims);
    }

    static List<Dimension> dimensions(List<MetricKey.Dim> dims) {
        List<Dimension> out = new ArrayList<>();
        for (MetricKey.Dim d : dims) out.add(Dimension.builder().name(d.name()).value(d.value()).build());
        return out;
    }

    /** Validates all data first (nothing is stored from a request AWS refuses), then appends the samples. */
    static void put(CloudWatchRegion region, String namespace, List<MetricDatum> data, long now) {
        List<Map.Entry<MetricKey, Sample>> samples = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            MetricDatum d = data.get(i);
            String at = "MetricData.member." + (i + 1);
            if (d.value() != null && d.values() != null && !d.values().isEmpty()) {
                throw new InvalidParameterCombinationException("The parameters " + at + ".Value and " + at + ".Values are mutually exclusive and you have specified both.");
            }
            if (d.value() != null && d.statisticValues() != null) {
                throw new InvalidParameterCombinationException("The parameters " + at + ".Value and " + at + ".StatisticValues are mutually exclusive and you have specified both.");
            }
            if (d.counts() != null && !d.counts().isEmpty() && (d.values() == null || d.values().size() != d.counts().size())) {
                throw new InvalidParameterValueException("The parameters " + at + ".Values and " + at + ".Counts must be of the same size.");
            }
            long time = d.timestamp() == null ? now : d.timestamp().toEpochMilli();
            String unit = d.unitAsString() == null ? "None" : d.unitAsString();
            Sample s = sample(d, time, unit);
            if (s != null) samples.add(Map.entry(key(namespace, d.metricName(), d.dimensions()), s));
        }
        for (Map.Entry<MetricKey, Sample> e : samples) {
            List<Sample> series = region.series(e.getKey());
            synchronized (series) {
                series.add(e.getValue());
            }
        }
    }

    private static Sample sample(MetricDatum d, long time, String unit) {
        if (d.value() != null) return Sample.ofValue(time, unit, d.value());
        if (d.statisticValues() != null) {
            StatisticSet s = d.statisticValues();
            return new Sample(time, unit, s.sampleCount(), s.sum(), s.minimum(), s.maximum(), null, null);
        }
        if (d.values() != null && !d.values().isEmpty()) {
            int n = d.values().size();
            double[] values = new double[n];
            double[] counts = new double[n];
            double count = 0, sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                values[i] = d.values().get(i);
                counts[i] = d.counts() == null || d.counts().isEmpty() ? 1 : d.counts().get(i);
                count += counts[i];
                sum += values[i] * counts[i];
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
            return new Sample(time, unit, count, sum, min, max, values, counts);
        }
        return null;
    }

    static void checkWindow(Instant start, Instant end, long periodSeconds, boolean limitDatapoints) {
        if (!start.isBefore(end)) {
            throw new InvalidParameterValueException("The parameter StartTime must be less than the parameter EndTime.");
        }
        long points = (end.getEpochSecond() - start.getEpochSecond()) / Math.max(1, periodSeconds);
        if (limitDatapoints && points > MAX_DATAPOINTS) {
            throw new InvalidParameterCombinationException("You have requested up to " + points + " datapoints, which exceeds the limit of "
                    + MAX_DATAPOINTS + ". You may reduce the datapoints requested by increasing Period, or decreasing the time range.");
        }
    }

    static GetMetricStatisticsOutput statistics(CloudWatchRegion region, GetMetricStatisticsInput in) {
        int period = in.period() == null ? 60 : in.period();
        checkWindow(in.startTime(), in.endTime(), period, true);
        MetricKey key = key(in.namespace(), in.metricName(), in.dimensions());
        List<String> stats = in.statisticsAsStrings() == null ? List.of() : in.statisticsAsStrings();
        List<String> extended = in.extendedStatistics() == null ? List.of() : in.extendedStatistics();
        List<Datapoint> points = new ArrayList<>();
        MetricQueries.periods(region, key, in.startTime().toEpochMilli(), in.endTime().toEpochMilli(), period * 1000L, in.unitAsString())
                .forEach((t, agg) -> {
                    Datapoint.Builder b = Datapoint.builder().timestamp(Instant.ofEpochMilli(t)).unit(agg.unit);
                    for (String s : stats) {
                        Double v = agg.statistic(s);
                        switch (s) {
                            case "Sum" -> b.sum(v);
                            case "Average" -> b.average(v);
                            case "SampleCount" -> b.sampleCount(v);
                            case "Minimum" -> b.minimum(v);
                            case "Maximum" -> b.maximum(v);
                            default -> { }
                        }
                    }
                    if (!extended.isEmpty()) {
                        Map<String, Double> ext = new LinkedHashMap<>();
                        for (String s : extended) {
                            Double v = agg.statistic(s);
                            if (v != null) ext.put(s, v);
                        }
                        b.extendedStatistics(ext);
                    }
                    points.add(b.build());
                });
        return GetMetricStatisticsOutput.builder().label(in.metricName()).datapoints(points).build();
    }

    static GetMetricDataOutput data(CloudWatchRegion region, GetMetricDataInput in) {
        long start = in.startTime().toEpochMilli();
        long end = in.endTime().toEpochMilli();
        checkWindow(in.startTime(), in.endTime(), 1, false);
        Map<String, MetricMath.Value> values = new LinkedHashMap<>();
        List<MetricMath.Series> metricSeries = new ArrayList<>();
        for (MetricDataQuery q : in.metricDataQueries()) {
            if (q.metricStat() == null) continue;
            MetricMath.Series s = new MetricMath.Series(statSeries(region, q.metricStat(), start, end));
            values.put(q.id(), s);
            metricSeries.add(s);
        }
        for (MetricDataQuery q : in.metricDataQueries()) {
            if (q.metricStat() == null && q.expression() != null) values.put(q.id(), MetricMath.evaluate(q.id(), q.expression(), values, metricSeries));
        }
        boolean ascending = "TimestampAscending".equals(in.scanByAsString());
        // Every returned datapoint, keyed by its query's position and its time in the order asked for, so that
        // MaxDatapoints can cut the answer into pages that NextToken continues.
        List<String> ids = new ArrayList<>();
        List<Point> all = new ArrayList<>();
        for (MetricDataQuery q : in.metricDataQueries()) {
            if (Boolean.FALSE.equals(q.returnData())) continue;
            int query = ids.size();
            ids.add(q.id());
            TreeMap<Long, Double> points = points(values.get(q.id()), metricSeries);
            (ascending ? points : points.descendingMap()).forEach((t, v) -> all.add(new Point(query, t, v,
                    String.format("%05d|%019d", query, ascending ? t : Long.MAX_VALUE - t))));
        }
        int max = in.maxDatapoints() == null ? 100_800 : in.maxDatapoints();
        Page<Point> page = Page.of(all, Point::key, in.nextToken(), max, CloudWatchProvider::invalidToken);
        String lastKey = page.items().isEmpty() ? null : page.items().get(page.items().size() - 1).key();
        List<MetricDataResult> results = new ArrayList<>();
        int query = 0;
        for (MetricDataQuery q : in.metricDataQueries()) {
            if (Boolean.FALSE.equals(q.returnData())) continue;
            int index = query++;
            List<Instant> times = new ArrayList<>();
            List<Double> vals = new ArrayList<>();
            for (Point p : page.items()) {
                if (p.query() != index) continue;
                times.add(Instant.ofEpochMilli(p.time()));
                vals.add(p.value());
            }
            // a query with points after this page's last one is only partly answered
            boolean partial = page.nextToken() != null && all.stream().anyMatch(p -> p.query() == index && p.key().compareTo(lastKey) > 0);
            String label = q.label() != null ? q.label() : q.metricStat() != null ? q.metricStat().metric().metricName() : q.id();
            results.add(MetricDataResult.builder().id(q.id()).label(label).timestamps(times).values(vals)
                    .statusCode(partial ? "PartialData" : "Complete").build());
        }
        return GetMetricDataOutput.builder().metricDataResults(results).messages(List.of()).nextToken(page.nextToken()).build();
    }

    /** One datapoint of GetMetricData's answer with its page key. */
    private record Point(int query, long time, double value, String key) {
    }

    /** One metric's statistic per period of its MetricStat. */
    static TreeMap<Long, Double> statSeries(CloudWatchRegion region, MetricStat stat, long start, long end) {
        Metric m = stat.metric();
        int period = stat.period() == null ? 60 : stat.period();
        return MetricQueries.statistic(region, key(m.namespace(), m.metricName(), m.dimensions()), start, end, period * 1000L,
                stat.unitAsString(), stat.stat());
    }

    /** The points an expression's value gives: a series as is; a number at every period any metric has. */
    private static TreeMap<Long, Double> points(MetricMath.Value v, List<MetricMath.Series> metrics) {
        if (v instanceof MetricMath.Series s) return s.points();
        TreeMap<Long, Double> out = new TreeMap<>();
        if (v instanceof MetricMath.Scalar s && !Double.isNaN(s.value())) {
            for (MetricMath.Series m : metrics) for (Long t : m.points().keySet()) out.put(t, s.value());
        }
        return out;
    }

    static ListMetricsOutput list(CloudWatchRegion region, ListMetricsInput in) {
        List<MetricKey.Dim> wanted = new ArrayList<>();
        if (in.dimensions() != null) for (DimensionFilter f : in.dimensions()) wanted.add(new MetricKey.Dim(f.name(), f.value()));
        List<MetricKey> keys = new ArrayList<>();
        for (MetricKey k : region.metrics.keySet()) {
            if (in.namespace() != null && !in.namespace().equals(k.namespace())) continue;
            if (in.metricName() != null && !in.metricName().equals(k.name())) continue;
            if (!k.hasDimensions(wanted)) continue;
            keys.add(k);
        }
        keys.sort(Comparator.comparing(Metrics::pageKey));
        // AWS answers ListMetrics 500 metrics at a time.
        Page<MetricKey> page = Page.of(keys, Metrics::pageKey, in.nextToken(), 500, CloudWatchProvider::invalidToken);
        List<Metric> out = new ArrayList<>();
        for (MetricKey k : page.items()) out.add(Metric.builder().namespace(k.namespace()).metricName(k.name()).dimensions(dimensions(k.dimensions())).build());
        return ListMetricsOutput.builder().metrics(out).nextToken(page.nextToken()).build();
    }

    private static String pageKey(MetricKey k) {
        return k.namespace() + "\u0000" + k.name() + "\u0000" + k.dimensions();
    }
}
