package dev.polystack.services.cloudwatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CloudWatch state of one account and region: metric series, alarms, dashboards, tags, alarm history,
 * metric streams and anomaly detectors.
 * Series are guarded by their own lists' monitors, alarms by their own, the history by itself.
 */
public final class CloudWatchRegion {
    /** Samples per metric, in arrival order. */
    public final Map<MetricKey, List<Sample>> metrics = new ConcurrentHashMap<>();
    public final Map<String, Alarm> alarms = new ConcurrentHashMap<>();
    public final Map<String, Dashboard> dashboards = new ConcurrentHashMap<>();
    /** Tags by resource ARN (alarms), in the order they were first set. */
    public final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();
    public final List<HistoryEntry> history = new ArrayList<>();
    public final Map<String, MetricStream> metricStreams = new ConcurrentHashMap<>();
    /** Anomaly detectors by {@link AnomalyDetectorState#identity()}. */
    public final Map<String, AnomalyDetectorState> anomalyDetectors = new ConcurrentHashMap<>();

    /** The series of a metric, created empty on first use. */
    List<Sample> series(MetricKey key) {
        return metrics.computeIfAbsent(key, k -> new ArrayList<>());
    }

    void record(HistoryEntry e) {
        synchronized (history) {
            history.add(e);
            // AWS keeps two weeks of history; here a bound on memory is enough.
            if (history.size() > 10_000) history.subList(0, history.size() - 10_000).clear();
        }
    }
}
