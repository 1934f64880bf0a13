package dev.polystack.services.cloudwatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A metric alarm or (with {@link #alarmRule}) a composite alarm: its definition as put and its current state.
 * Plain fields so that a snapshot is Jackson's default mapping; guarded by the alarm's own monitor.
 */
public final class Alarm {
    public String name;
    public String arn;
    public String description;
    public boolean actionsEnabled = true;
    public List<String> okActions = new ArrayList<>();
    public List<String> alarmActions = new ArrayList<>();
    public List<String> insufficientDataActions = new ArrayList<>();

    // metric alarms
    public String namespace;
    public String metricName;
    public List<MetricKey.Dim> dimensions = new ArrayList<>();
    public String statistic;
    public String extendedStatistic;
    public Integer period;
    public String unit;
    public Integer evaluationPeriods;
    public Integer datapointsToAlarm;
    public Double threshold;
    public String comparisonOperator;
    public String treatMissingData;
    public String evaluateLowSampleCountPercentile;
    /** Metric math alarms: the queries as parameter trees (MetricDataQuery); null for single-metric alarms. */
    public List<Map<String, Object>> metrics;
    public String thresholdMetricId;

    // composite alarms
    public String alarmRule;

    // state
    public String stateValue = "INSUFFICIENT_DATA";
    public String stateReason;
    public String stateReasonData;
    public long stateUpdated;
    public long stateTransitioned;
    public long configurationUpdated;
    /** When the evaluator last looked at this alarm (epoch ms); not part of AWS's answers. */
    public long lastEvaluated;

    boolean isComposite() {
        return alarmRule != null;
    }
}
