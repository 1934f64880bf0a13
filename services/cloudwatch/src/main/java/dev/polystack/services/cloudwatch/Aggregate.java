package dev.polystack.services.cloudwatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The samples of one period, combined: the standard statistics and percentiles ({@code p90}, {@code p99.9}). */
final class Aggregate {
    double count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    String unit;
    private final List<Sample> samples = new ArrayList<>();

    void add(Sample s) {
        count += s.count();
        sum += s.sum();
        min = Math.min(min, s.min());
        max = Math.max(max, s.max());
        if (unit == null) unit = s.unit();
        samples.add(s);
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    /**
     * The value of a statistic ({@code Sum}, {@code Average}, {@code SampleCount}, {@code Minimum}, {@code Maximum},
     * {@code pNN}), or null when it cannot be computed (a percentile over statistic sets only).
     */
    Double statistic(String stat) {
        return switch (stat) {
            case "Sum" -> sum;
            case "Average" -> count == 0 ? 0.0 : sum / count;
            case "SampleCount" -> count;
            case "Minimum" -> min;
            case "Maximum" -> max;
            default -> {
                String s = stat.toLowerCase(Locale.ROOT);
                if (!s.startsWith("p")) yield null;
                try {
                    yield percentile(Double.parseDouble(s.substring(1)));
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
        };
    }

    /** The nearest-rank percentile over the raw values (weighted by their counts). */
    private Double percentile(double p) {
        List<double[]> pairs = new ArrayList<>();
        double total = 0;
        for (Sample s : samples) {
            if (s.values() == null) continue;
            for (int i = 0; i < s.values().length; i++) {
                pairs.add(new double[]{s.values()[i], s.counts()[i]});
                total += s.counts()[i];
            }
        }
        if (pairs.isEmpty() || total == 0) return null;
        double[][] sorted = pairs.toArray(new double[0][]);
        Arrays.sort(sorted, (a, b) -> Double.compare(a[0], b[0]));
        double rank = Math.max(1, Math.ceil(p / 100.0 * total));
        double seen = 0;
        for (double[] pair : sorted) {
            seen += pair[1];
            if (seen >= rank) return pair[0];
        }
        return sorted[sorted.length - 1][0];
    }
}
