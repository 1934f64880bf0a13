package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.RequestContext;
import dev.polystack.services.sns.api.AddPermissionInput;
import dev.polystack.services.sns.api.CreateTopicInput;
import dev.polystack.services.sns.api.CreateTopicResponse;
import dev.polystack.services.sns.api.GetDataProtectionPolicyInput;
import dev.polystack.services.sns.api.GetDataProtectionPolicyResponse;
import dev.polystack.services.sns.api.GetTopicAttributesInput;
import dev.polystack.services.sns.api.GetTopicAttributesResponse;
import dev.polystack.services.sns.api.ListTagsForResourceRequest;
import dev.polystack.services.sns.api.ListTagsForResourceResponse;
import dev.polystack.services.sns.api.ListTopicsInput;
import dev.polystack.services.sns.api.ListTopicsResponse;
import dev.polystack.services.sns.api.PutDataProtectionPolicyInput;
import dev.polystack.services.sns.api.RemovePermissionInput;
import dev.polystack.services.sns.api.SetTopicAttributesInput;
import dev.polystack.services.sns.api.Tag;
import dev.polystack.services.sns.api.TagLimitExceededException;
import dev.polystack.services.sns.api.TagResourceRequest;
import dev.polystack.services.sns.api.UntagResourceRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.polystack.services.sns.SnsErrors.invalid;

/** Topics: create (idempotent as AWS is), attributes, listing, tags, permissions, data protection policies. */
final class SnsTopics {
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    /** The actions a topic policy can grant (AddPermission refuses others as "out of service scope", recorded). */
    private static final Set<String> TOPIC_ACTIONS = Set.of("GetTopicAttributes", "SetTopicAttributes", "AddPermission",
            "RemovePermission", "DeleteTopic", "Subscribe", "ListSubscriptionsByTopic", "Publish", "Receive");
    private static final int MAX_TAGS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsResources resources;
    private final SnsDelivery delivery;
    private final SnsSigner signer;

    SnsTopics(SnsResources resources, SnsDelivery delivery, SnsSigner signer) {
        this.resources = resources;
        this.delivery = delivery;
        this.signer = signer;
    }

    CreateTopicResponse createTopic(RequestContext ctx, CreateTopicInput in) {
        String name = in.name() == null ? "" : in.name();
        Map<String, String> attributes = in.attributes() == null ? Map.of() : in.attributes();
        boolean fifo = "true".equalsIgnoreCase(attributes.get("FifoTopic"));
        boolean validName = fifo
                ? name.endsWith(".fifo") && name.length() <= 256 && TOPIC_NAME.matcher(name.substring(0, name.length() - 5)).matches()
                : TOPIC_NAME.matcher(name).matches();
        if (!validName) throw invalid("Invalid parameter: Topic Name");
        Map<String, String> requested = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getKey().equals("FifoTopic")) continue;
            if (!SnsAttributes.TOPIC_SETTABLE.contains(e.getKey())) throw invalid("Invalid parameter: Attributes Reason: Unknown attribute " + e.getKey());
            requested.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
        }
        if (in.dataProtectionPolicy() != null) requested.put("DataProtectionPolicy", in.dataProtectionPolicy());
        validateAttributes(requested, fifo, "Attributes Reason: ");
        Map<String, String> tags = tags(in.tags());
        String arn = SnsResources.arn(ctx, name);
        SnsRegion region = resources.region(ctx);
        synchronized (region) {
            Topic existing = region.topics.get(arn);
            if (existing != null) {
                for (Map.Entry<String, String> e : requested.entrySet()) {
                    String current = e.getKey().equals("DataProtectionPolicy") ? existing.dataProtectionPolicy : existing.attributes.get(e.getKey());
                    if (!e.getValue().equals(current)) {
                        throw invalid("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
                    }
                }
                // the same name again with some of its tags (each with the same value) is the same topic
                boolean sameTags = tags.entrySet().stream().allMatch(t -> t.getValue().equals(existing.tags.get(t.getKey())));
                if (!sameTags) throw invalid("Invalid parameter: Tags Reason: Topic already exists with different tags");
                return CreateTopicResponse.builder().topicArn(arn).build();
            }
            Topic topic = new Topic();
            topic.arn = arn;
            topic.name = name;
            topic.fifo = fifo;
            topic.created = System.nanoTime();
            requested.forEach((k, v) -> {
                if (k.equals("DataProtectionPolicy")) topic.dataProtectionPolicy = v;
                else topic.attributes.put(k, v);
            });
            topic.tags.putAll(tags);
            region.topics.put(arn, topic);
        }
        if (!fifo) signer.warmUp();
        return CreateTopicResponse.builder().topicArn(arn).build();
    }

    /**
     * Validates topic attributes, replacing a DeliveryPolicy by the form AWS stores.
     *
     * @param reasonPrefix "Attributes Reason: " inside CreateTopic, "" in SetTopicAttributes (AWS's wording)
     */
    private static void validateAttributes(Map<String, String> attributes, boolean fifo, String reasonPrefix) {
        String policy = attributes.get("Policy");
        if (policy != null && !policy.isEmpty()) {
            try {
                JSON.readTree(policy);
            } catch (JsonProcessingException e) {
                throw invalid("Invalid parameter: " + reasonPrefix + "Policy: failed to parse JSON. " + e.getOriginalMessage());
            }
        }
        String delivery = attributes.get("DeliveryPolicy");
        if (delivery != null && !delivery.isEmpty()) {
            attributes.put("DeliveryPolicy", DeliveryPolicy.normalizeTopic(delivery, reasonPrefix));
        }
        String cbd = attributes.get("ContentBasedDeduplication");
        if (cbd != null) {
            if (!cbd.equalsIgnoreCase("true") && !cbd.equalsIgnoreCase("false")) {
                throw invalid("Invalid parameter: Attributes Reason: ContentBasedDeduplication: Invalid value [" + cbd + "]. Must be true or false.");
            }
            if (!fifo && cbd.equalsIgnoreCase("true")) {
                throw invalid("Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics");
            }
        }
        String signatureVersion = attributes.get("SignatureVersion");
        if (signatureVersion != null && !signatureVersion.equals("1") && !signatureVersion.equals("2")) {
            throw invalid("Invalid parameter: Attributes Reason: SignatureVersion: Invalid value [" + signatureVersion + "]. Must be 1 or 2.");
        }
    }

    private static Map<String, String> tags(List<Tag> tagList) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tagList == null) return out;
        for (Tag t : tagList) {
            if (t == null) continue;
            String key = String.valueOf(t.key());
            if (out.containsKey(key)) throw invalid("Invalid parameter: Duplicated keys are not allowed.");
            out.put(key, t.value() == null ? "" : t.value());
        }
        return out;
    }

    void deleteTopic(RequestContext ctx, String arn) {
        Topic topic = resources.findTopic(ctx, arn, "TopicArn");
        if (topic == null) return;
        SnsRegion region = resources.regionOf(arn);
        synchronized (region) {
            region.topics.remove(arn);
            for (String subArn : topic.subscriptions) {
                Subscription s = region.subscriptions.remove(subArn);
                if (s != null && s.token != null) region.tokens.remove(s.token);
            }
        }
        delivery.forgetLane(arn);
    }

    GetTopicAttributesResponse getTopicAttributes(RequestContext ctx, GetTopicAttributesInput in) {
        Topic topic = resources.topic(ctx, in.topicArn(), "TopicArn");
        SnsRegion region = resources.regionOf(topic.arn);
        int confirmed = 0, pending = 0;
        for (String subArn : topic.subscriptions) {
            Subscription s = region.subscriptions.get(subArn);
            if (s == null) continue;
            if (s.pendingConfirmation) pending++;
            else confirmed++;
        }
        return GetTopicAttributesResponse.builder()
                .attributes(SnsAttributes.render(topic, SnsDelivery.arnAccount(topic.arn), confirmed, pending)).build();
    }

    void setTopicAttributes(RequestContext ctx, SetTopicAttributesInput in) {
        Topic topic = resources.topic(ctx, in.topicArn(), "TopicArn");
        String name = in.attributeName() == null ? "" : in.attributeName();
        String value = in.attributeValue();
        if (!SnsAttributes.TOPIC_SETTABLE.contains(name)) throw invalid("Invalid parameter: AttributeName");
        Map<String, String> checked = new HashMap<>();
        if (value != null) checked.put(name, value);
        validateAttributes(checked, topic.fifo, "");
        value = checked.get(name);
        if (name.equals("DataProtectionPolicy")) {
            topic.dataProtectionPolicy = value;
        } else if (value == null || value.isEmpty()) {
            topic.attributes.remove(name);
        } else {
            topic.attributes.put(name, value);
        }
    }

    ListTopicsResponse listTopics(RequestContext ctx, ListTopicsInput in) {
        List<Topic> topics = new ArrayList<>(resources.region(ctx).topics.values());
        topics.sort(Comparator.comparingLong(t -> t.created));
        List<dev.polystack.services.sns.api.Topic> page = new ArrayList<>();
        String next = SnsPages.page(topics, in.nextToken(),
                t -> page.add(dev.polystack.services.sns.api.Topic.builder().topicArn(t.arn).build()));
        return ListTopicsResponse.builder().topics(page).nextToken(next).build();
    }

    // ---------------------------------------------------------------- tags

    void tagResource(RequestContext ctx, TagResourceRequest in) {
        Topic t = resources.taggable(ctx, in.resourceArn());
        Map<String, String> tags = tags(in.tags());
        synchronized (t) {
            Map<String, String> merged = new LinkedHashMap<>(t.tags);
            merged.putAll(tags);
            if (merged.size() > MAX_TAGS) {
                throw new TagLimitExceededException("Could not complete request: tag quota of per resource exceeded");
            }
            t.tags.putAll(tags);
        }
    }

    void untagResource(RequestContext ctx, UntagResourceRequest in) {
        Topic t = resources.taggable(ctx, in.resourceArn());
        synchronized (t) {
            if (in.tagKeys() != null) in.tagKeys().forEach(t.tags::remove);
        }
    }

    ListTagsForResourceResponse listTagsForResource(RequestContext ctx, ListTagsForResourceRequest in) {
        Topic t = resources.taggable(ctx, in.resourceArn());
        List<Tag> out = new ArrayList<>();
        synchronized (t) {
            t.tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        }
        return ListTagsForResourceResponse.builder().tags(out).build();
    }

    // ---------------------------------------------------------------- permissions and data protection

    void addPermission(RequestContext ctx, AddPermissionInput in) {
        Topic topic = resources.topic(ctx, in.topicArn(), "TopicArn");
        String label = in.label() == null ? "" : in.label();
        List<String> accounts = in.awsAccountId() == null ? List.of() : in.awsAccountId();
        List<String> actions = in.actionName() == null ? List.of() : in.actionName();
        synchronized (topic) {
            ObjectNode policy = policyOf(topic);
            ArrayNode statements = (ArrayNode) policy.withArray("Statement");
            for (JsonNode s : statements) {
                if (label.equals(s.path("Sid").asText())) throw invalid("Invalid parameter: Statement already exists");
            }
            ObjectNode statement = JSON.createObjectNode();
            statement.put("Sid", label).put("Effect", "Allow");
            ObjectNode principal = statement.putObject("Principal");
            List<String> principals = new ArrayList<>();
            for (String a : accounts) principals.add("arn:" + ctx.partition() + ":iam::" + a + ":root");
            if (principals.size() == 1) principal.put("AWS", principals.get(0));
            else principals.forEach(principal.putArray("AWS")::add);
            List<String> actionNames = new ArrayList<>();
            for (String action : actions) {
                if (action == null || !TOPIC_ACTIONS.contains(action)) {
                    throw invalid("Invalid parameter: Policy statement action out of service scope!");
                }
                actionNames.add("SNS:" + action);
            }
            if (actionNames.size() == 1) statement.put("Action", actionNames.get(0));
            else actionNames.forEach(statement.putArray("Action")::add);
            statement.put("Resource", topic.arn);
            statements.add(statement);
            topic.attributes.put("Policy", policy.toString());
        }
    }

    void removePermission(RequestContext ctx, RemovePermissionInput in) {
        Topic topic = resources.topic(ctx, in.topicArn(), "TopicArn");
        String label = in.label() == null ? "" : in.label();
        synchronized (topic) {
            ObjectNode policy = policyOf(topic);
            ArrayNode statements = (ArrayNode) policy.withArray("Statement");
            for (int i = statements.size() - 1; i >= 0; i--) {
                if (label.equals(statements.get(i).path("Sid").asText())) statements.remove(i);
            }
            topic.attributes.put("Policy", policy.toString());
        }
    }

    private static ObjectNode policyOf(Topic topic) {
        String fallback = SnsAttributes.defaultPolicy(topic.arn, SnsDelivery.arnAccount(topic.arn));
        try {
            JsonNode node = JSON.readTree(topic.attributes.getOrDefault("Policy", fallback));
            if (node instanceof ObjectNode o) return o;
        } catch (JsonProcessingException ignored) {
            // fall back to the default policy below
        }
        try {
            return (ObjectNode) JSON.readTree(fallback);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    GetDataProtectionPolicyResponse getDataProtectionPolicy(RequestContext ctx, GetDataProtectionPolicyInput in) {
        String policy = resources.topic(ctx, in.resourceArn(), "ResourceArn").dataProtectionPolicy;
        return GetDataProtectionPolicyResponse.builder().dataProtectionPolicy(policy == null ? "" : policy).build();
    }

    void putDataProtectionPolicy(RequestContext ctx, PutDataProtectionPolicyInput in) {
        resources.topic(ctx, in.resourceArn(), "ResourceArn").dataProtectionPolicy = in.dataProtectionPolicy();
    }
}
