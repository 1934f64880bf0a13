package dev.polystack.services.cloudwatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.cloudwatch.api.MetricDataQuery;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Alarm evaluation: a metric alarm's last {@code EvaluationPeriods} periods against its threshold (missing data as
 * {@code TreatMissingData} says), a composite alarm's rule over the other alarms' states; each state change is
 * recorded in the history and handed to {@code onChange} (which runs the actions).
 */
final class Alarms {
    static final ObjectMapper JSON = new ObjectMapper();
    /** AWS's format of dates in alarm messages and state reason data. */
    static final DateTimeFormatter MESSAGE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    /** AWS's format of datapoint times in state reasons: {@code 21.5 (07/12/26 16:30:00)}. */
    private static final DateTimeFormatter REASON_DATE = DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss").withZone(ZoneOffset.UTC);

    /** A state change, for actions and history. */
    record Change(Alarm alarm, String oldState, String oldReason, long time) {
    }

    private Alarms() {
    }

    /** Whether the alarm is due for evaluation: every period (at most every minute), as AWS evaluates. */
    static boolean due(Alarm a, long now) {
        if (a.isComposite()) return false;
        long interval = Math.min(a.period == null ? 60 : a.period, 60) * 1000L;
        return now - a.lastEvaluated >= interval;
    }

    /** Evaluates a metric alarm at {@code now}; returns the state change it made, or null. */
    static Change evaluate(CloudWatchRegion region, Alarm a, long now) {
        synchronized (a) {
            a.lastEvaluated = now;
            long period = (a.period == null ? 60 : a.period) * 1000L;
            int periods = a.evaluationPeriods == null ? 1 : a.evaluationPeriods;
            int needed = a.datapointsToAlarm == null ? periods : a.datapointsToAlarm;
            long end = now - Math.floorMod(now, period);        // the last complete period ends here
            long start = end - periods * period;
            TreeMap<Long, Double> values = series(region, a, start, end, period);
            TreeMap<Long, Long> counts = sampleCounts(region, a, start, end, period);
            List<Long> slots = new ArrayList<>();
            for (int i = periods - 1; i >= 0; i--) slots.add(start + i * period);   // newest first
            int breaching = 0, present = 0;
            List<String> shown = new ArrayList<>();
            for (Long t : slots) {
                Double v = values.get(t);
                if (v == null) continue;
                present++;
                if (breaches(a.comparisonOperator, v, a.threshold)) breaching++;
                shown.add(number(v) + " (" + REASON_DATE.format(Instant.ofEpochMilli(t)) + ")");
            }
            int missing = periods - present;
            String treat = a.treatMissingData == null ? "missing" : a.treatMissingData;
            String newState;
            String reason;
            if (present == 0 && ("missing".equals(treat) || "ignore".equals(treat))) {
                if ("ignore".equals(treat)) return null;
                newState = "INSUFFICIENT_DATA";
                reason = "Insufficient Data: " + periods + (periods == 1 ? " datapoint was" : " datapoints were") + " unknown.";
            } else if (present == 0) {
                boolean breach = "breaching".equals(treat);
                newState = breach ? "ALARM" : "OK";
                reason = "Threshold Crossed: no datapoints were received for " + periods + (periods == 1 ? " period" : " periods")
                        + " and " + missing + " missing " + (missing == 1 ? "datapoint was" : "datapoints were") + " treated as ["
                        + (breach ? "Breaching" : "NonBreaching") + "].";
            } else {
                int effectiveBreaching = breaching + ("breaching".equals(treat) ? missing : 0);
                boolean alarm = effectiveBreaching >= needed;
                newState = alarm ? "ALARM" : "OK";
                String verb = (alarm ? "" : "not ") + words(a.comparisonOperator);
                if (periods == 1) {
                    reason = "Threshold Crossed: 1 datapoint [" + String.join(", ", shown) + "] was " + verb
                            + " the threshold (" + number(a.threshold) + ").";
                } else {
                    int count = alarm ? breaching : present - breaching;
                    reason = "Threshold Crossed: " + count + " out of the last " + periods + " datapoints [" + String.join(", ", shown)
                            + "] " + (count == 1 ? "was " : "were ") + verb + " the threshold (" + number(a.threshold) + ") (minimum "
                            + (alarm ? needed : 1) + (alarm && needed == 1 || !alarm ? " datapoint" : " datapoints") + " for "
                            + (alarm ? "OK -> ALARM" : "ALARM -> OK") + " transition).";
                }
            }
            String data = reasonData(a, now, start, values, counts, slots);
            return change(region, a, newState, reason, data, now);
        }
    }

    private static TreeMap<Long, Double> series(CloudWatchRegion region, Alarm a, long start, long end, long period) {
        if (a.metrics != null && !a.metrics.isEmpty()) return mathSeries(region, a, start, end);
        String stat = a.statistic != null ? a.statistic : a.extendedStatistic;
        return MetricQueries.statistic(region, new MetricKey(a.namespace, a.metricName, a.dimensions), start, end, period, a.unit, stat);
    }

    /** A metric math alarm's series: the query that returns data (or {@code ThresholdMetricId}'s). */
    private static TreeMap<Long, Double> mathSeries(CloudWatchRegion region, Alarm a, long start, long end) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (Map<String, Object> tree : a.metrics) queries.add(TreeConverter.fromTree(MetricDataQuery.SHAPE, tree));
        Map<String, MetricMath.Value> values = new java.util.LinkedHashMap<>();
        List<MetricMath.Series> metricSeries = new ArrayList<>();
        for (MetricDataQuery q : queries) {
            if (q.metricStat() == null) continue;
            MetricMath.Series s = new MetricMath.Series(Metrics.statSeries(region, q.metricStat(), start, end));
            values.put(q.id(), s);
            metricSeries.add(s);
        }
        String result = null;
        for (MetricDataQuery q : queries) {
            if (q.metricStat() == null && q.expression() != null) values.put(q.id(), MetricMath.evaluate(q.id(), q.expression(), values, metricSeries));
            if (!Boolean.FALSE.equals(q.returnData()) && !q.id().equals(a.thresholdMetricId)) result = q.id();
        }
        MetricMath.Value v = result == null ? null : values.get(result);
        return v instanceof MetricMath.Series s ? s.points() : new TreeMap<>();
    }

    private static TreeMap<Long, Long> sampleCounts(CloudWatchRegion region, Alarm a, long start, long end, long period) {
        TreeMap<Long, Long> out = new TreeMap<>();
        if (a.metrics != null && !a.metrics.isEmpty()) return out;
        MetricQueries.periods(region, new MetricKey(a.namespace, a.metricName, a.dimensions), start, end, period, a.unit)
                .forEach((t, agg) -> out.put(t, (long) agg.count));
        return out;
    }

    static boolean breaches(String op, double v, Double threshold) {
        double t = threshold == null ? 0 : threshold;
        return switch (op == null ? "" : op) {
            case "GreaterThanOrEqualToThreshold" -> v >= t;
            case "GreaterThanThreshold" -> v > t;
            case "LessThanThreshold" -> v < t;
            case "LessThanOrEqualToThreshold" -> v <= t;
            default -> false;
        };
    }

    private static String words(String op) {
        return switch (op == null ? "" : op) {
            case "GreaterThanOrEqualToThreshold" -> "greater than or equal to";
            case "GreaterThanThreshold" -> "greater than";
            case "LessThanThreshold" -> "less than";
            case "LessThanOrEqualToThreshold" -> "less than or equal to";
            default -> op;
        };
    }

    /** {@code 21.5}, {@code 21.0}: Java's shortest round-trip text, as AWS prints doubles. */
    static String number(Double d) {
        return d == null ? "0.0" : Double.toString(d);
    }

    private static String reasonData(Alarm a, long now, long start, TreeMap<Long, Double> values, TreeMap<Long, Long> counts, List<Long> slots) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", "1.0");
        n.put("queryDate", MESSAGE_DATE.format(Instant.ofEpochMilli(now)));
        if (!values.isEmpty()) n.put("startDate", MESSAGE_DATE.format(Instant.ofEpochMilli(values.firstKey())));
        if (a.unit != null) n.put("unit", a.unit);
        if (a.statistic != null) n.put("statistic", a.statistic);
        if (a.period != null) n.put("period", a.period);
        ArrayNode recent = n.putArray("recentDatapoints");
        values.values().forEach(recent::add);
        if (a.threshold != null) n.put("threshold", a.threshold);
        ArrayNode evaluated = n.putArray("evaluatedDatapoints");
        for (Long t : slots) {
            ObjectNode p = evaluated.addObject();
            p.put("timestamp", MESSAGE_DATE.format(Instant.ofEpochMilli(t)));
            Double v = values.get(t);
            if (v != null) {
                Long c = counts.get(t);
                if (c != null) p.put("sampleCount", (double) c);
                p.put("value", v);
            }
        }
        return n.toString();
    }

    /** Sets a state (SetAlarmState, an evaluation); returns the change, or null when the state stays. */
    static Change change(CloudWatchRegion region, Alarm a, String newState, String reason, String reasonData, long now) {
        synchronized (a) {
            if (newState.equals(a.stateValue)) return null;
            Change c = new Change(a, a.stateValue, a.stateReason, now);
            a.stateValue = newState;
            a.stateReason = reason;
            a.stateReasonData = reasonData;
            a.stateUpdated = now;
            a.stateTransitioned = now;
            region.record(new HistoryEntry(a.name, a.isComposite() ? "CompositeAlarm" : "MetricAlarm", now, "StateUpdate",
                    "Alarm updated from " + c.oldState() + " to " + newState, historyData(c)));
            return c;
        }
    }

    private static String historyData(Change c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", "1.0");
        ObjectNode old = n.putObject("oldState");
        old.put("stateValue", c.oldState());
        if (c.oldReason() != null) old.put("stateReason", c.oldReason());
        ObjectNode now = n.putObject("newState");
        now.put("stateValue", c.alarm().stateValue);
        now.put("stateReason", c.alarm().stateReason);
        if (c.alarm().stateReasonData != null) {
            try {
                now.set("stateReasonData", JSON.readTree(c.alarm().stateReasonData));
            } catch (java.io.IOException e) {
                now.put("stateReasonData", c.alarm().stateReasonData);
            }
        }
        return n.toString();
    }

    /** Re-evaluates every composite alarm of the region after {@code trigger} changed; changes go to {@code sink}. */
    static void evaluateComposites(CloudWatchRegion region, Alarm trigger, long now, Consumer<Change> sink) {
        for (Alarm c : region.alarms.values()) {
            if (!c.isComposite() || c == trigger) continue;
            boolean holds;
            try {
                holds = AlarmRule.evaluate(c.alarmRule, ref -> {
                    Alarm other = byNameOrArn(region, ref);
                    return other == null ? null : other.stateValue;
                });
            } catch (RuntimeException e) {
                continue;
            }
            String newState = holds ? "ALARM" : "OK";
            ObjectNode data = JSON.createObjectNode();
            ObjectNode t = data.putArray("triggeringAlarms").addObject();
            t.put("arn", trigger.arn);
            t.putObject("state").put("value", trigger.stateValue).put("timestamp", MESSAGE_DATE.format(Instant.ofEpochMilli(now)));
            String reason = trigger.arn + " transitioned to " + trigger.stateValue + " at "
                    + DateTimeFormatter.ofPattern("EEEE dd MMMM, yyyy HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(now));
            Change change = change(region, c, newState, reason, data.toString(), now);
            if (change != null) {
                sink.accept(change);
                evaluateComposites(region, c, now, sink);
            }
        }
    }

    static Alarm byNameOrArn(CloudWatchRegion region, String ref) {
        Alarm a = region.alarms.get(ref);
        if (a != null) return a;
        int i = ref.indexOf(":alarm:");
        return i < 0 ? null : region.alarms.get(ref.substring(i + 7));
    }
}
