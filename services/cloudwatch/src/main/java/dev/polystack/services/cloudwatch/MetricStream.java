package dev.polystack.services.cloudwatch;

import java.util.ArrayList;
import java.util.List;

/**
 * A metric stream: what PutMetricStream stored, its state, and how far it has streamed (guarded by its own monitor).
 * Filters and statistics configurations are kept as plain records so that snapshots stay readable.
 */
public final class MetricStream {
    public String name;
    public String arn;
    public String firehoseArn;
    public String roleArn;
    /** {@code json}, {@code opentelemetry0.7} or {@code opentelemetry1.0}. */
    public String outputFormat;
    public List<Filter> includeFilters = new ArrayList<>();
    public List<Filter> excludeFilters = new ArrayList<>();
    public List<StatisticsConfiguration> statistics = new ArrayList<>();
    public boolean includeLinkedAccountsMetrics;
    /** {@code running} or {@code stopped}. */
    public String state = "running";
    public long created;
    public long updated;
    /** Every minute before this one (epoch ms, a minute boundary) has been streamed. */
    public long streamedUntil;

    /** A namespace, and optionally some of its metric names (none: all of them). */
    public record Filter(String namespace, List<String> metricNames) {
        boolean matches(MetricKey k) {
            return namespace.equals(k.namespace()) && (metricNames == null || metricNames.isEmpty() || metricNames.contains(k.name()));
        }
    }

    /** Additional statistics (percentiles) streamed for some metrics. */
    public record StatisticsConfiguration(List<Filter> metrics, List<String> additionalStatistics) {
    }

    /** Whether the stream carries this metric: in an include filter if there are any, else in no exclude filter. */
    boolean carries(MetricKey k) {
        if (!includeFilters.isEmpty()) return includeFilters.stream().anyMatch(f -> f.matches(k));
        return excludeFilters.stream().noneMatch(f -> f.matches(k));
    }

    /** The additional statistics configured for this metric (an exact namespace and name match, as AWS requires). */
    List<String> additionalStatistics(MetricKey k) {
        List<String> out = new ArrayList<>();
        for (StatisticsConfiguration c : statistics) {
            if (c.metrics().stream().anyMatch(f -> f.matches(k))) out.addAll(c.additionalStatistics());
        }
        return out;
    }
}
