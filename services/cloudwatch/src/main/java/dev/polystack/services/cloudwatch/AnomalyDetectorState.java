package dev.polystack.services.cloudwatch;

import java.util.List;
import java.util.Map;

/**
 * An anomaly detector as PutAnomalyDetector stored it: for one metric and statistic ({@code namespace} ...
 * {@code stat}), or for a metric math expression ({@code metricMath}: the MetricDataQueries' trees), with its
 * configuration and metric characteristics as sent (trees, null when absent).
 */
public record AnomalyDetectorState(String accountId, String namespace, String metricName, List<MetricKey.Dim> dimensions,
                                   String stat, List<Map<String, Object>> metricMath, Map<String, Object> configuration,
                                   Map<String, Object> metricCharacteristics) {

    /** What identifies the detector: its metric and statistic, or its expression. */
    String identity() {
        if (metricMath != null) return "math|" + metricMath;
        return "single|" + namespace + "|" + metricName + "|" + new MetricKey(namespace, metricName, dimensions).dimensions() + "|" + stat;
    }

    boolean isSingleMetric() {
        return metricMath == null;
    }
}
