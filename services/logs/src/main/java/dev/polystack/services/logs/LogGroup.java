package dev.polystack.services.logs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** A log group: settings, streams by name (sorted as DescribeLogStreams lists them), metric and subscription filters. */
public final class LogGroup {
    public String name;
    public String arn;
    public long creationTime;
    public Integer retentionInDays;
    public String kmsKeyId;
    public String logGroupClass = "STANDARD";
    public boolean deletionProtectionEnabled;
    public Map<String, String> tags = new LinkedHashMap<>();
    public ConcurrentSkipListMap<String, LogStream> streams = new ConcurrentSkipListMap<>();
    public ConcurrentSkipListMap<String, MetricFilter> metricFilters = new ConcurrentSkipListMap<>();
    public ConcurrentSkipListMap<String, SubscriptionFilter> subscriptionFilters = new ConcurrentSkipListMap<>();

    /** A metric filter: the pattern, and what each matching event adds to which metric. */
    public record MetricFilter(String name, String pattern, List<Transformation> transformations, long creationTime) {
    }

    public record Transformation(String metricName, String metricNamespace, String metricValue, Double defaultValue,
                                 Map<String, String> dimensions, String unit) {
    }

    /** A subscription filter: matching events go, gzip-compressed, to a Lambda function, Kinesis stream or Firehose. */
    public record SubscriptionFilter(String name, String pattern, String destinationArn, String roleArn, String distribution,
                                     long creationTime) {
    }
}
