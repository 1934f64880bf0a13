package dev.polystack.services.cloudwatch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.sns.api.PublishInput;
import dev.polystack.services.sns.api.SnsApi;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An alarm's actions on a state change: each SNS topic of the new state's action list gets AWS's alarm message (the
 * JSON document with {@code NewStateValue}, {@code Trigger}, ...), with AWS's subject line.
 */
final class AlarmActions {
    private static final System.Logger LOG = System.getLogger(AlarmActions.class.getName());

    /** The regions' long names, as the {@code Region} field and the subject line carry them. */
    private static final Map<String, String> REGION_NAMES = Map.ofEntries(
            Map.entry("us-east-1", "US East (N. Virginia)"), Map.entry("us-east-2", "US East (Ohio)"),
            Map.entry("us-west-1", "US West (N. California)"), Map.entry("us-west-2", "US West (Oregon)"),
            Map.entry("eu-west-1", "EU (Ireland)"), Map.entry("eu-west-2", "EU (London)"), Map.entry("eu-west-3", "EU (Paris)"),
            Map.entry("eu-central-1", "EU (Frankfurt)"), Map.entry("eu-north-1", "EU (Stockholm)"),
            Map.entry("ap-southeast-1", "Asia Pacific (Singapore)"), Map.entry("ap-southeast-2", "Asia Pacific (Sydney)"),
            Map.entry("ap-northeast-1", "Asia Pacific (Tokyo)"), Map.entry("ap-northeast-2", "Asia Pacific (Seoul)"),
            Map.entry("ap-south-1", "Asia Pacific (Mumbai)"), Map.entry("sa-east-1", "South America (Sao Paulo)"),
            Map.entry("ca-central-1", "Canada (Central)"));

    private AlarmActions() {
    }

    static void run(ProviderEnvironment env, String account, String region, Alarms.Change change) {
        if (env == null) return;
        Alarm a = change.alarm();
        List<String> actions;
        String message;
        String subject;
        synchronized (a) {
            if (!a.actionsEnabled) return;
            actions = switch (a.stateValue) {
                case "ALARM" -> List.copyOf(a.alarmActions);
                case "OK" -> List.copyOf(a.okActions);
                default -> List.copyOf(a.insufficientDataActions);
            };
            if (actions.isEmpty()) return;
            String regionName = REGION_NAMES.getOrDefault(region, region);
            message = message(a, account, regionName, change);
            subject = a.stateValue + ": \"" + a.name + "\" in " + regionName;
        }
        for (String arn : actions) {
            if (!arn.startsWith("arn:") || !arn.contains(":sns:")) continue;   // EC2/Auto Scaling actions do nothing here
            String[] parts = arn.split(":", 6);
            RequestContext ctx = RequestContext.internal(parts.length > 4 ? parts[4] : account, parts.length > 3 ? parts[3] : region, "sns");
            try {
                SnsApi.client(env).publish(ctx, PublishInput.builder().topicArn(arn).subject(subject).message(message).build());
            } catch (ServiceException | UnsupportedOperationException e) {
                LOG.log(System.Logger.Level.WARNING, "alarm " + a.name + ": publishing to " + arn + " failed: " + e.getMessage());
            }
        }
    }

    /** AWS's alarm notification document. */
    static String message(Alarm a, String account, String regionName, Alarms.Change change) {
        ObjectNode m = Alarms.JSON.createObjectNode();
        m.put("AlarmName", a.name);
        m.put("AlarmDescription", a.description);
        m.put("AWSAccountId", account);
        m.put("AlarmConfigurationUpdatedTimestamp", Alarms.MESSAGE_DATE.format(Instant.ofEpochMilli(a.configurationUpdated)));
        m.put("NewStateValue", a.stateValue);
        m.put("NewStateReason", a.stateReason);
        m.put("StateChangeTime", Alarms.MESSAGE_DATE.format(Instant.ofEpochMilli(change.time())));
        m.put("Region", regionName);
        m.put("AlarmArn", a.arn);
        m.put("OldStateValue", change.oldState());
        m.put("OKActions", Alarms.JSON.valueToTree(a.okActions));
        m.put("AlarmActions", Alarms.JSON.valueToTree(a.alarmActions));
        m.put("InsufficientDataActions", Alarms.JSON.valueToTree(a.insufficientDataActions));
        if (a.isComposite()) {
            m.put("AlarmRule", a.alarmRule);
            return m.toString();
        }
        ObjectNode t = m.putObject("Trigger");
        if (a.metrics == null) {
            t.put("MetricName", a.metricName);
            t.put("Namespace", a.namespace);
            t.put("StatisticType", a.statistic != null ? "Statistic" : "ExtendedStatistic");
            t.put("Statistic", a.statistic != null ? a.statistic.toUpperCase(Locale.ROOT) : a.extendedStatistic);
            t.put("Unit", a.unit);
            ArrayNode dims = t.putArray("Dimensions");
            for (MetricKey.Dim d : a.dimensions) dims.addObject().put("value", d.value()).put("name", d.name());
            t.put("Period", a.period);
        } else {
            t.set("Metrics", Alarms.JSON.valueToTree(a.metrics));
        }
        t.put("EvaluationPeriods", a.evaluationPeriods);
        if (a.datapointsToAlarm != null) t.put("DatapointsToAlarm", a.datapointsToAlarm);
        t.put("ComparisonOperator", a.comparisonOperator);
        t.put("Threshold", a.threshold);
        t.put("TreatMissingData", a.treatMissingData == null ? "missing" : a.treatMissingData);
        t.put("EvaluateLowSampleCountPercentile", a.evaluateLowSampleCountPercentile == null ? "" : a.evaluateLowSampleCountPercentile);
        return m.toString();
    }
}
