package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Topic attribute defaults and rendering (the default access policy; delivery policies live in {@link DeliveryPolicy}). */
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

    /** GetTopicAttributes' answer. */
    static Map<String, String> render(Topic topic, String account, int confirmed, int pending) {
        Map<String, String> out = new TreeMap<>();
        topic.attributes.forEach((k, v) -> {
            if (!k.equals("DataProtectionPolicy")) out.put(k, v);
        });
        out.putIfAbsent("DisplayName", "");
        out.putIfAbsent("Policy", defaultPolicy(topic.arn, account));
        out.put("EffectiveDeliveryPolicy", DeliveryPolicy.effectiveTopic(topic.attributes.get("DeliveryPolicy")).toString());
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
