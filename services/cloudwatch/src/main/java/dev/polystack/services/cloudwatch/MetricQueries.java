package dev.polystack.services.cloudwatch;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads metric series: the samples of a window grouped into periods. */
final class MetricQueries {
    private MetricQueries() {
    }

    /**
     * The samples of {@code key} in {@code [start, end)} (epoch ms), grouped by period: the key of each group is
     * the start of its period, counted from {@code start}. With a {@code unit}, only samples sent with that unit.
     */
    static TreeMap<Long, Aggregate> periods(CloudWatchRegion region, MetricKey key, long start, long end, long periodMillis, String unit) {
        TreeMap<Long, Aggregate> out = new TreeMap<>();
        List<Sample> series = region.metrics.get(key);
        if (series == null) return out;
        synchronized (series) {
            for (Sample s : series) {
                if (s.time() < start || s.time() >= end) continue;
                if (unit != null && !unit.equals(s.unit())) continue;
                long bucket = start + Math.floorDiv(s.time() - start, periodMillis) * periodMillis;
                out.computeIfAbsent(bucket, b -> new Aggregate()).add(s);
            }
        }
        return out;
    }

    /** One statistic per period (periods whose statistic cannot be computed are left out). */
    static TreeMap<Long, Double> statistic(CloudWatchRegion region, MetricKey key, long start, long end, long periodMillis,
                                           String unit, String stat) {
        TreeMap<Long, Double> out = new TreeMap<>();
        for (Map.Entry<Long, Aggregate> e : periods(region, key, start, end, periodMillis, unit).entrySet()) {
            Double v = e.getValue().statistic(stat);
            if (v != null) out.put(e.getKey(), v);
        }
        return out;
    }
}
