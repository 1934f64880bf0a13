package dev.polystack.services.cloudwatch;

/**
 * What one PutMetricData datum added to a metric: its aggregate (count, sum, min, max) and, for percentiles, the raw
 * values with their counts when the datum carried them (a statistic set carries none).
 *
 * @param time   epoch milliseconds of the datum
 * @param unit   the unit it was sent with ({@code None} when absent)
 * @param values raw values, or null
 * @param counts how often each raw value occurred (same size as {@code values}), or null
 */
public record Sample(long time, String unit, double count, double sum, double min, double max, double[] values, double[] counts) {

    static Sample ofValue(long time, String unit, double v) {
        return new Sample(time, unit, 1, v, v, v, new double[]{v}, new double[]{1});
    }
}
