package dev.polystack.services.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A queue's settable attributes: names, defaults, validation and the parsed values the engine reads.
 * Not thread-safe: the owning {@link SqsQueue} guards it with its lock.
 */
final class QueueAttributes {
    static final ObjectMapper JSON = new ObjectMapper();

    static final Set<String> COMPUTED = Set.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn");
    static final Set<String> SETTABLE = Set.of("DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "Policy",
            "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy",
            "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled");
    static final Set<String> FIFO_ONLY = Set.of("ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit");

    /** The dead-letter target of a queue. */
    record Redrive(String deadLetterTargetArn, int maxReceiveCount) {
    }

    private final boolean fifo;
    /** Stored values as strings, as GetQueueAttributes returns them; absent when unset. */
    private final TreeMap<String, String> values = new TreeMap<>();

    int delaySeconds;
    int maximumMessageSize = SqsLimits.MAX_MESSAGE_SIZE;
    int retentionPeriod = SqsLimits.DEFAULT_RETENTION;
    int receiveWaitTimeSeconds;
    int visibilityTimeout = SqsLimits.DEFAULT_VISIBILITY_TIMEOUT;
    boolean contentBasedDeduplication;
    boolean deduplicationPerGroup;
    Redrive redrive;

    QueueAttributes(boolean fifo) {
        this.fifo = fifo;
        values.put("DelaySeconds", "0");
        values.put("MaximumMessageSize", String.valueOf(SqsLimits.MAX_MESSAGE_SIZE));
        values.put("MessageRetentionPeriod", String.valueOf(SqsLimits.DEFAULT_RETENTION));
        values.put("ReceiveMessageWaitTimeSeconds", "0");
        values.put("VisibilityTimeout", String.valueOf(SqsLimits.DEFAULT_VISIBILITY_TIMEOUT));
        values.put("SqsManagedSseEnabled", "true");
        if (fifo) {
            values.put("FifoQueue", "true");
            values.put("ContentBasedDeduplication", "false");
            values.put("DeduplicationScope", "queue");
            values.put("FifoThroughputLimit", "perQueue");
        }
    }

    String get(String name) {
        return values.get(name);
    }

    /** All stored values (copy), name-ordered. */
    Map<String, String> all() {
        return new TreeMap<>(values);
    }

    /**
     * Validates and applies {@code changes} (CreateQueue or SetQueueAttributes). Nothing is applied when
     * any value is invalid.
     *
     * @param queueByArn finds a queue in the same account and region (dead-letter targets), or null
     */
    void apply(Map<String, String> changes, boolean creating, Function<String, SqsQueue> queueByArn, String ownArn) {
        TreeMap<String, String> next = new TreeMap<>(values);
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String name = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (name.equals("FifoQueue")) {
                if (!fifo) throw SqsErrors.unknownAttribute(name);
                // Restating the queue's own type is accepted; changing it is not.
                if (!creating && !value.equalsIgnoreCase("true")) throw SqsErrors.invalidAttributeValue(
                        "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
                if (!value.equalsIgnoreCase("true")) throw SqsErrors.invalidAttributeValueFor(name);
                continue;
            }
            if (FIFO_ONLY.contains(name) && !fifo) {
                if (name.equals("ContentBasedDeduplication")) throw SqsErrors.unknownAttribute(name);
                throw SqsErrors.invalidAttributeName("You can specify the " + name + " only when FifoQueue is set to true.");
            }
            if (!SETTABLE.contains(name) && !FIFO_ONLY.contains(name)) throw SqsErrors.unknownAttribute(name);
            switch (name) {
                case "DelaySeconds" -> next.put(name, integer(name, value, 0, SqsLimits.MAX_DELAY_SECONDS));
                case "MaximumMessageSize" -> next.put(name, integer(name, value, SqsLimits.MIN_MESSAGE_SIZE, SqsLimits.MAX_MESSAGE_SIZE));
                case "MessageRetentionPeriod" -> next.put(name, integer(name, value, SqsLimits.MIN_RETENTION, SqsLimits.MAX_RETENTION));
                case "ReceiveMessageWaitTimeSeconds" -> next.put(name, integer(name, value, 0, SqsLimits.MAX_WAIT_TIME_SECONDS));
                case "VisibilityTimeout" -> next.put(name, integer(name, value, 0, SqsLimits.MAX_VISIBILITY_TIMEOUT));
                case "KmsDataKeyReusePeriodSeconds" -> next.put(name, integer(name, value, 60, 86_400));
                case "ContentBasedDeduplication", "SqsManagedSseEnabled" -> next.put(name, bool(name, value));
                case "DeduplicationScope" -> next.put(name, oneOf(name, value, "queue", "messageGroup"));
                case "FifoThroughputLimit" -> next.put(name, oneOf(name, value, "perQueue", "perMessageGroupId"));
                case "Policy" -> putJsonOrRemove(next, name, value);
                case "RedriveAllowPolicy" -> {
                    if (value.isEmpty()) next.remove(name);
                    else next.put(name, redriveAllowPolicy(value));
                }
                case "RedrivePolicy" -> {
                    if (value.isEmpty()) next.remove(name);
                    else next.put(name, redrivePolicy(value, queueByArn, ownArn));
                }
                case "KmsMasterKeyId" -> {
                    if (value.isEmpty()) {
                        next.remove(name);
                        next.remove("KmsDataKeyReusePeriodSeconds");
                    } else {
                        next.put(name, value);
                    }
                }
                default -> throw SqsErrors.unknownAttribute(name);
            }
        }
        // SQS-managed and KMS encryption exclude each other.
        boolean kms = changes.containsKey("KmsMasterKeyId") && next.containsKey("KmsMasterKeyId");
        boolean sqsSse = "true".equals(changes.get("SqsManagedSseEnabled"));
        if (kms && sqsSse) {
            throw SqsErrors.invalidAttributeName("You can use one type of server-side encryption (SSE) at one time. "
                    + "You can either enable KMS SSE or SQS SSE.");
        }
        if (kms) {
            next.put("SqsManagedSseEnabled", "false");
            next.putIfAbsent("KmsDataKeyReusePeriodSeconds", "300");
        } else if (sqsSse) {
            next.remove("KmsMasterKeyId");
            next.remove("KmsDataKeyReusePeriodSeconds");
        }
        // Without a KMS key, the default reuse period is not listed (AWS lists it again only with a key).
        if (!next.containsKey("KmsMasterKeyId") && "300".equals(next.get("KmsDataKeyReusePeriodSeconds"))) {
            next.remove("KmsDataKeyReusePeriodSeconds");
        }
        values.clear();
        values.putAll(next);
        parse();
        // The deduplication scope is fixed when the queue is created: AWS keeps deduplicating by the
        // creation-time scope after SetQueueAttributes changes DeduplicationScope (recorded behaviour).
        if (creating) deduplicationPerGroup = "messageGroup".equals(values.get("DeduplicationScope"));
    }

    /** Restores stored values exactly (persistence). */
    void restore(Map<String, String> stored) {
        values.clear();
        values.putAll(stored);
        parse();
        deduplicationPerGroup = "messageGroup".equals(values.get("DeduplicationScope"));
    }

    private void parse() {
        delaySeconds = Integer.parseInt(values.get("DelaySeconds"));
        maximumMessageSize = Integer.parseInt(values.get("MaximumMessageSize"));
        retentionPeriod = Integer.parseInt(values.get("MessageRetentionPeriod"));
        receiveWaitTimeSeconds = Integer.parseInt(values.get("ReceiveMessageWaitTimeSeconds"));
        visibilityTimeout = Integer.parseInt(values.get("VisibilityTimeout"));
        contentBasedDeduplication = "true".equals(values.get("ContentBasedDeduplication"));
        String policy = values.get("RedrivePolicy");
        redrive = null;
        if (policy != null) {
            try {
                JsonNode node = JSON.readTree(policy);
                redrive = new Redrive(node.path("deadLetterTargetArn").asText(), node.path("maxReceiveCount").asInt());
            } catch (Exception e) {
                redrive = null;
            }
        }
    }

    /** Whether the given create-time attributes differ from the current ones; the first differing name, else null. */
    String firstDifference(Map<String, String> requested) {
        for (Map.Entry<String, String> e : requested.entrySet()) {
            String current = values.get(e.getKey());
            String wanted = e.getValue() == null ? "" : e.getValue().trim();
            if (e.getKey().equals("FifoQueue")) continue;
            if (current == null ? !wanted.isEmpty() : !sameValue(e.getKey(), current, wanted)) return e.getKey();
        }
        return null;
    }

    private static boolean sameValue(String name, String current, String wanted) {
        if (current.equals(wanted)) return true;
        if (name.equals("ContentBasedDeduplication") || name.equals("SqsManagedSseEnabled")) {
            return current.equalsIgnoreCase(wanted);
        }
        if (name.equals("RedrivePolicy") || name.equals("Policy") || name.equals("RedriveAllowPolicy")) {
            try {
                return JSON.readTree(current).equals(JSON.readTree(wanted));
            } catch (Exception e) {
                return false;
            }
        }
        return false;
    }

    private static String integer(String name, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) return String.valueOf(v);
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw SqsErrors.invalidAttributeValueFor(name);
    }

    private static String bool(String name, String value) {
        if (value.equalsIgnoreCase("true")) return "true";
        if (value.equalsIgnoreCase("false")) return "false";
        throw SqsErrors.invalidAttributeValueFor(name);
    }

    private static String oneOf(String name, String value, String... allowed) {
        for (String a : allowed) if (a.equals(value)) return value;
        throw SqsErrors.invalidAttributeValueFor(name);
    }

    private static void putJsonOrRemove(Map<String, String> next, String name, String value) {
        if (value.isEmpty()) {
            next.remove(name);
            return;
        }
        try {
            JSON.readTree(value);
        } catch (Exception e) {
            throw SqsErrors.invalidAttributeValueFor(name);
        }
        next.put(name, value);
    }

    /** {@code {"redrivePermission": "allowAll|denyAll|byQueue", "sourceQueueArns": [...]}} (1 to 10 ARNs for byQueue). */
    private static String redriveAllowPolicy(String value) {
        try {
            JsonNode node = JSON.readTree(value);
            String permission = node.path("redrivePermission").asText("");
            JsonNode sources = node.path("sourceQueueArns");
            boolean valid = switch (permission) {
                case "allowAll", "denyAll" -> sources.isMissingNode();
                case "byQueue" -> sources.isArray() && !sources.isEmpty() && sources.size() <= 10;
                default -> false;
            };
            if (valid) return value;
        } catch (Exception ignored) {
            // fall through to the error
        }
        throw SqsErrors.invalidAttributeValueFor("RedriveAllowPolicy");
    }

    /** Whether a dead-letter queue's RedriveAllowPolicy lets {@code sourceArn} use it. */
    static boolean allowsRedriveFrom(String redriveAllowPolicy, String sourceArn) {
        if (redriveAllowPolicy == null) return true;
        try {
            JsonNode node = JSON.readTree(redriveAllowPolicy);
            return switch (node.path("redrivePermission").asText("allowAll")) {
                case "denyAll" -> false;
                case "byQueue" -> {
                    for (JsonNode arn : node.path("sourceQueueArns")) if (arn.asText().equals(sourceArn)) yield true;
                    yield false;
                }
                default -> true;
            };
        } catch (Exception e) {
            return true;
        }
    }

    private String redrivePolicy(String value, Function<String, SqsQueue> queueByArn, String ownArn) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (Exception e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value, "Redrive policy is not a valid JSON map.");
        }
        JsonNode target = node.get("deadLetterTargetArn");
        JsonNode count = node.get("maxReceiveCount");
        if (target == null || count == null) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value,
                    "Redrive policy does not contain mandatory attribute: "
                            + (target == null ? "deadLetterTargetArn" : "maxReceiveCount") + ".");
        }
        String arn = target.asText();
        if (!arn.startsWith("arn:") || arn.split(":").length != 6) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value, "Invalid value for deadLetterTargetArn.");
        }
        int max;
        try {
            max = count.isNumber() ? count.intValue() : Integer.parseInt(count.asText());
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1 || max > 1000) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value, "Invalid value for maxReceiveCount: "
                    + count.asText() + ", valid values are from 1 to 1000 both inclusive.");
        }
        SqsQueue dlq = queueByArn == null ? null : queueByArn.apply(arn);
        if (dlq == null) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value, "Dead letter target does not exist.");
        }
        if (!allowsRedriveFrom(dlq.redriveAllowPolicy, ownArn)) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value,
                    "Queue " + arn + " does not allow this queue to use it as a dead-letter queue (RedriveAllowPolicy).");
        }
        if (dlq.fifo != fifo) {
            throw SqsErrors.invalidParameter("RedrivePolicy", value,
                    "Dead-letter queue must be same type of queue as the source.");
        }
        ObjectNode normalized = JSON.createObjectNode();
        normalized.put("deadLetterTargetArn", arn);
        normalized.put("maxReceiveCount", max);
        return normalized.toString();
    }

    /** Values for the wire: JSON-valued attributes as stored; ints as strings. */
    Map<String, String> select(Iterable<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            String v = values.get(n);
            if (v != null) out.put(n, v);
        }
        return out;
    }
}
