package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Topic attribute defaults and rendering: the default access policy and the effective delivery policy. */
final class SnsAttributes {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Attributes CreateTopic and SetTopicAttributes accept. */
    static final Set<String> TOPIC_SETTABLE = Set.of("DeliveryPolicy", "DisplayName", "Policy", "KmsMasterKeyId",
            "SignatureVersion", "TracingConfig", "ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope",
            "DataProtectionPolicy",
            "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate", "ApplicationFailureFeedbackRoleArn",
            "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
            "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
            "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
            "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn");

    /** Attributes Subscribe and SetSubscriptionAttributes accept. */
    static final Set<String> SUBSCRIPTION_SETTABLE = Set.of("DeliveryPolicy", "FilterPolicy", "FilterPolicyScope",
            "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy");

    private SnsAttributes() {
    }

    static String defaultPolicy(String topicArn, String account) {
        ObjectNode policy = JSON.createObjectNode();
        policy.put("Version", "2008-10-17").put("Id", "__default_policy_ID");
        ObjectNode statement = policy.putArray("Statement").addObject();
        statement.put("Sid", "__default_statement_ID").put("Effect", "Allow");
        statement.putObject("Principal").put("AWS", "*");
        ArrayNode actions = statement.putArray("Action");
        for (String a : new String[]{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"}) {
            actions.add(a);
        }
        statement.put("Resource", topicArn);
        statement.putObject("Condition").putObject("StringEquals").put("AWS:SourceOwner", account);
        return policy.toString();
    }

    static ObjectNode defaultDeliveryPolicy() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode http = root.putObject("http");
        ObjectNode retry = http.putObject("defaultHealthyRetryPolicy");
        retry.put("minDelayTarget", 20).put("maxDelayTarget", 20).put("numRetries", 3).put("numMaxDelayRetries", 0)
                .put("numNoDelayRetries", 0).put("numMinDelayRetries", 0).put("backoffFunction", "linear");
        http.put("disableSubscriptionOverrides", false);
        http.putObject("defaultRequestPolicy").put("headerContentType", "text/plain; charset=UTF-8");
        return root;
    }

    /** The topic's DeliveryPolicy laid over the defaults (the subscription's own policy wins for HTTP). */
    static JsonNode effectiveDeliveryPolicy(Topic topic, Subscription subscription) {
        ObjectNode effective = defaultDeliveryPolicy();
        overlay(effective, topic.attributes.get("DeliveryPolicy"));
        if (subscription != null) {
            String own = subscription.attributes.get("DeliveryPolicy");
            if (own != null) {
                try {
                    JsonNode node = JSON.readTree(own);
                    ObjectNode http = (ObjectNode) effective.get("http");
                    if (node.has("healthyRetryPolicy")) merge((ObjectNode) http.get("defaultHealthyRetryPolicy"), node.get("healthyRetryPolicy"));
                    if (node.has("requestPolicy")) merge((ObjectNode) http.get("defaultRequestPolicy"), node.get("requestPolicy"));
                } catch (Exception ignored) {
                    // stored only after validation; nothing to merge otherwise
                }
            }
        }
        return effective;
    }

    private static void overlay(ObjectNode target, String json) {
        if (json == null || json.isEmpty()) return;
        try {
            JsonNode node = JSON.readTree(json);
            if (node != null && node.isObject()) merge(target, node);
        } catch (Exception ignored) {
            // invalid policies are rejected when set
        }
    }

    private static void merge(ObjectNode target, JsonNode source) {
        source.properties().forEach(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) merge(o, e.getValue());
            else target.set(e.getKey(), e.getValue());
        });
    }

    /** GetTopicAttributes' answer. */
    static Map<String, String> render(Topic topic, String account, int confirmed, int pending) {
        Map<String, String> out = new TreeMap<>();
        topic.attributes.forEach((k, v) -> {
            if (!k.equals("DataProtectionPolicy")) out.put(k, v);
        });
        out.putIfAbsent("DisplayName", "");
        out.putIfAbsent("Policy", defaultPolicy(topic.arn, account));
        out.put("EffectiveDeliveryPolicy", effectiveDeliveryPolicy(topic, null).toString());
        out.put("Owner", account);
        out.put("TopicArn", topic.arn);
        out.put("SubscriptionsConfirmed", Integer.toString(confirmed));
        out.put("SubscriptionsPending", Integer.toString(pending));
        out.put("SubscriptionsDeleted", Long.toString(topic.subscriptionsDeleted.get()));
        if (topic.fifo) {
            out.put("FifoTopic", "true");
            out.putIfAbsent("ContentBasedDeduplication", "false");
        }
        return new LinkedHashMap<>(out);
    }
}
