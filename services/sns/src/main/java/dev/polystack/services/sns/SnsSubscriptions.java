package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.RequestContext;
import dev.polystack.services.sns.api.ConfirmSubscriptionInput;
import dev.polystack.services.sns.api.ConfirmSubscriptionResponse;
import dev.polystack.services.sns.api.GetSubscriptionAttributesResponse;
import dev.polystack.services.sns.api.ListSubscriptionsByTopicInput;
import dev.polystack.services.sns.api.ListSubscriptionsByTopicResponse;
import dev.polystack.services.sns.api.ListSubscriptionsInput;
import dev.polystack.services.sns.api.ListSubscriptionsResponse;
import dev.polystack.services.sns.api.SetSubscriptionAttributesInput;
import dev.polystack.services.sns.api.SubscribeInput;
import dev.polystack.services.sns.api.SubscribeResponse;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.polystack.services.sns.SnsErrors.invalid;

/** Subscriptions: subscribe (idempotent as AWS is), confirmation tokens, attributes with filter policies, listing. */
final class SnsSubscriptions {
    /** Subscription attributes whose default a repeated Subscribe may restate (AWS returns the same ARN). */
    private static final Map<String, String> DEFAULTS = Map.of("RawMessageDelivery", "false",
            "FilterPolicyScope", "MessageAttributes");
    private static final Set<String> PROTOCOLS = Set.of("http", "https", "email", "email-json", "sms", "sqs",
            "application", "lambda", "firehose");
    private static final Set<String> AUTO_CONFIRMED = Set.of("sqs", "lambda", "firehose", "application", "sms");
    static final Pattern PHONE = Pattern.compile("\\+?[0-9]{1,15}");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-fA-F]{16,}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SnsResources resources;
    private final SnsDelivery delivery;

    SnsSubscriptions(SnsResources resources, SnsDelivery delivery) {
        this.resources = resources;
        this.delivery = delivery;
    }

    SubscribeResponse subscribe(RequestContext ctx, SubscribeInput in) {
        String topicArn = in.topicArn();
        String protocol = in.protocol() == null ? "" : in.protocol();
        String endpoint = in.endpoint();
        Topic topic = resources.topic(ctx, topicArn, "TopicArn");
        if (!PROTOCOLS.contains(protocol)) throw invalid("Invalid parameter: Amazon SNS does not support this protocol string: " + protocol);
        validateEndpoint(topic, protocol, endpoint);
        Map<String, String> attributes = new LinkedHashMap<>();
        if (in.attributes() != null) in.attributes().forEach((k, v) -> attributes.put(k, String.valueOf(v)));
        FilterPolicy policy = validateAttributes(attributes, topic, endpoint, protocol, "Attributes Reason: ");
        boolean returnArn = Boolean.TRUE.equals(in.returnSubscriptionArn());
        SnsRegion region = resources.regionOf(topicArn);
        Subscription subscription;
        synchronized (region) {
            for (String existingArn : topic.subscriptions) {
                Subscription existing = region.subscriptions.get(existingArn);
                if (existing != null && existing.protocol.equals(protocol) && existing.endpoint.equals(endpoint)) {
                    for (Map.Entry<String, String> e : attributes.entrySet()) {
                        // an attribute asked for with its default value matches one never set
                        String current = existing.attributes.getOrDefault(e.getKey(), DEFAULTS.get(e.getKey()));
                        if (!e.getValue().equals(current)) {
                            throw invalid("Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
                        }
                    }
                    return SubscribeResponse.builder().subscriptionArn(arnForResponse(existing, returnArn)).build();
                }
            }
            subscription = new Subscription();
            subscription.arn = topicArn + ":" + UUID.randomUUID();
            subscription.topicArn = topicArn;
            subscription.protocol = protocol;
            subscription.endpoint = endpoint;
            subscription.owner = ctx.accountId();
            subscription.created = System.nanoTime();
            subscription.attributes.putAll(attributes);
            if (policy != null) subscription.attributes.putIfAbsent("FilterPolicyScope", "MessageAttributes");
            subscription.filterPolicy = policy;
            subscription.token = newToken();
            subscription.pendingConfirmation = !AUTO_CONFIRMED.contains(protocol);
            region.subscriptions.put(subscription.arn, subscription);
            region.tokens.put(subscription.token, subscription.arn);
            topic.subscriptions.add(subscription.arn);
        }
        if (protocol.equals("http") || protocol.equals("https") || protocol.startsWith("email")) {
            delivery.confirm(topic, subscription, confirmation(topic, subscription, SnsMessage.SUBSCRIPTION_CONFIRMATION));
        }
        return SubscribeResponse.builder().subscriptionArn(arnForResponse(subscription, returnArn)).build();
    }

    private static String arnForResponse(Subscription s, boolean returnArn) {
        return s.pendingConfirmation && !returnArn ? "pending confirmation" : s.arn;
    }

    private static String newToken() {
        byte[] bytes = new byte[64];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private SnsMessage confirmation(Topic topic, Subscription s, String type) {
        String message = type.equals(SnsMessage.SUBSCRIPTION_CONFIRMATION)
                ? "You have chosen to subscribe to the topic " + topic.arn + ".\nTo confirm the subscription, visit the SubscribeURL included in this message."
                : "You have chosen to deactivate subscription " + s.arn + ".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.";
        return new SnsMessage(type, UUID.randomUUID().toString(), topic.arn, null, message, null, Map.of(), null, null, null,
                Instant.now(), false, topic.attributes.get("SignatureVersion"), s.token, delivery.subscribeUrl(topic.arn, s.token));
    }

    private static void validateEndpoint(Topic topic, String protocol, String endpoint) {
        switch (protocol) {
            case "sqs" -> {
                String[] parts = endpoint == null ? new String[0] : endpoint.split(":", -1);
                if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")) throw invalid("Invalid parameter: SQS endpoint ARN");
                if (parts[5].endsWith(".fifo") && !topic.fifo) {
                    throw invalid("Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
                }
            }
            case "sms" -> {
                if (endpoint == null || !PHONE.matcher(endpoint).matches()) throw invalid("Invalid SMS endpoint: " + endpoint);
            }
            case "http", "https" -> {
                if (endpoint == null || !endpoint.toLowerCase().startsWith(protocol + "://")) {
                    throw invalid("Invalid parameter: Endpoint must match the specified protocol");
                }
            }
            case "email", "email-json" -> {
                if (endpoint == null || !endpoint.contains("@")) throw invalid("Invalid parameter: Email address");
            }
            default -> {
                String[] parts = endpoint == null ? new String[0] : endpoint.split(":", -1);
                if (parts.length < 6 || !parts[0].equals("arn")) throw invalid("Invalid parameter: " + protocol + " endpoint ARN");
            }
        }
        if (topic.fifo && !protocol.equals("sqs")) {
            throw invalid("Invalid parameter: Endpoint Protocol Reason: FIFO topics only support the SQS protocol");
        }
    }

    /**
     * Validates subscription attributes; returns the compiled filter policy when one is set.
     *
     * @param reasonPrefix "Attributes Reason: " inside Subscribe, "" in SetSubscriptionAttributes (AWS's wording)
     */
    private static FilterPolicy validateAttributes(Map<String, String> attributes, Topic topic, String endpoint,
                                                   String protocol, String reasonPrefix) {
        for (String name : attributes.keySet()) {
            if (!SnsAttributes.SUBSCRIPTION_SETTABLE.contains(name)) throw invalid("Invalid parameter: AttributeName");
        }
        String raw = attributes.get("RawMessageDelivery");
        if (raw != null) {
            if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
                throw invalid("Invalid parameter: " + reasonPrefix + "RawMessageDelivery: Invalid value [" + raw + "]. Must be true or false.");
            }
            attributes.put("RawMessageDelivery", raw.toLowerCase());
        }
        String scope = attributes.get("FilterPolicyScope");
        if (scope != null && !scope.equals("MessageAttributes") && !scope.equals("MessageBody")) {
            throw invalid("Invalid parameter: " + reasonPrefix + "FilterPolicyScope: Invalid value [" + scope
                    + "]. Please use either MessageBody or MessageAttributes");
        }
        String redrive = attributes.get("RedrivePolicy");
        if (redrive != null && !redrive.isEmpty()) {
            JsonNode node;
            try {
                node = JSON.readTree(redrive);
            } catch (JsonProcessingException e) {
                throw invalid("Invalid parameter: " + reasonPrefix + "RedrivePolicy: failed to parse JSON. " + e.getMessage());
            }
            JsonNode target = node == null ? null : node.get("deadLetterTargetArn");
            String[] parts = target == null || !target.isTextual() ? new String[0] : target.textValue().split(":", -1);
            if (parts.length != 6 || !parts[0].equals("arn")) {
                throw invalid("Invalid parameter: " + reasonPrefix + "RedrivePolicy: deadLetterTargetArn is an invalid arn");
            }
            if (topic.fifo && protocol.equals("sqs") && endpoint != null && endpoint.endsWith(".fifo") && !parts[5].endsWith(".fifo")) {
                throw invalid("Invalid parameter: " + reasonPrefix + "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
            }
        }
        String delivery = attributes.get("DeliveryPolicy");
        if (delivery != null && !delivery.isEmpty()) {
            attributes.put("DeliveryPolicy", DeliveryPolicy.normalizeSubscription(delivery, reasonPrefix));
        }
        String policyText = attributes.get("FilterPolicy");
        if (policyText == null || policyText.isEmpty()) return null;
        FilterPolicy policy;
        try {
            policy = FilterPolicy.parse(policyText);
        } catch (FilterPolicy.InvalidPolicy e) {
            throw invalid("Invalid parameter: " + reasonPrefix + "FilterPolicy: " + e.getMessage());
        }
        if (policy.nested() && !"MessageBody".equals(scope)) {
            throw invalid("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
        }
        return policy;
    }

    void unsubscribe(String arn) {
        if (arn == null || arn.isEmpty()) throw SnsErrors.required("SubscriptionArn");
        String[] parts = SnsResources.arnParts(arn, "SubscriptionArn");
        if (parts.length != 7 || parts[6].length() != 36) throw invalid("Invalid parameter: SubscriptionId");
        SnsRegion region = resources.peekRegion(parts);
        if (region == null) return;
        Subscription removed;
        Topic topic;
        synchronized (region) {
            removed = region.subscriptions.remove(arn);
            if (removed == null) return;
            if (removed.token != null) region.tokens.remove(removed.token);
            topic = region.topics.get(removed.topicArn);
            if (topic != null) {
                topic.subscriptions.remove(arn);
                topic.subscriptionsDeleted.incrementAndGet();
            }
        }
        if (topic != null && (removed.protocol.equals("http") || removed.protocol.equals("https"))) {
            removed.token = newToken();
            delivery.confirm(topic, removed, confirmation(topic, removed, SnsMessage.UNSUBSCRIBE_CONFIRMATION));
        }
    }

    ConfirmSubscriptionResponse confirmSubscription(RequestContext ctx, ConfirmSubscriptionInput in) {
        String topicArn = in.topicArn() == null ? "" : in.topicArn();
        String token = in.token() == null ? "" : in.token();
        String[] parts = topicArn.split(":", -1);
        if (parts.length < 6 || !parts[3].equals(ctx.region())) throw invalid("Invalid parameter: Topic");
        if (!TOKEN.matcher(token).matches()) throw invalid("Invalid token");
        SnsRegion region = resources.peekRegion(parts);
        String subArn = region == null ? null : region.tokens.get(token);
        Subscription s = subArn == null ? null : region.subscriptions.get(subArn);
        if (s == null || !s.topicArn.equals(topicArn)) throw invalid("Invalid parameter: Token");
        s.pendingConfirmation = false;
        return ConfirmSubscriptionResponse.builder().subscriptionArn(s.arn).build();
    }

    GetSubscriptionAttributesResponse getSubscriptionAttributes(RequestContext ctx, String arn) {
        Subscription s = resources.subscription(arn);
        Map<String, String> out = new TreeMap<>(s.attributes);
        out.put("ConfirmationWasAuthenticated", s.pendingConfirmation ? "false" : "true");
        out.put("Endpoint", s.endpoint);
        out.put("Owner", s.owner);
        out.put("PendingConfirmation", Boolean.toString(s.pendingConfirmation));
        out.put("Protocol", s.protocol);
        out.putIfAbsent("RawMessageDelivery", "false");
        out.put("SubscriptionArn", s.arn);
        out.put("SubscriptionPrincipal", "arn:" + ctx.partition() + ":iam::" + s.owner + ":user/polystack");
        out.put("TopicArn", s.topicArn);
        Topic topic = resources.regionOf(s.topicArn).topics.get(s.topicArn);
        if (topic != null && (s.protocol.equals("http") || s.protocol.equals("https"))) {
            out.put("EffectiveDeliveryPolicy", DeliveryPolicy.effectiveSubscription(topic.attributes.get("DeliveryPolicy"),
                    s.attributes.get("DeliveryPolicy")).toString());
        }
        return GetSubscriptionAttributesResponse.builder().attributes(new LinkedHashMap<>(out)).build();
    }

    void setSubscriptionAttributes(SetSubscriptionAttributesInput in) {
        String name = in.attributeName() == null ? "" : in.attributeName();
        String value = in.attributeValue();
        if (!SnsAttributes.SUBSCRIPTION_SETTABLE.contains(name)) throw invalid("Invalid parameter: AttributeName");
        Subscription s = resources.subscription(in.subscriptionArn());
        Topic topic = resources.regionOf(s.topicArn).topics.get(s.topicArn);
        synchronized (s) {
            Map<String, String> next = new LinkedHashMap<>(s.attributes);
            if (value == null || (value.isEmpty() && !name.equals("RawMessageDelivery"))) next.remove(name);
            else next.put(name, value);
            FilterPolicy policy = validateAttributes(next, topic == null ? new Topic() : topic, s.endpoint, s.protocol, "");
            if (policy != null) next.putIfAbsent("FilterPolicyScope", "MessageAttributes");
            s.attributes.clear();
            s.attributes.putAll(next);
            s.filterPolicy = policy;
        }
    }

    private static dev.polystack.services.sns.api.Subscription listEntry(Subscription s) {
        return dev.polystack.services.sns.api.Subscription.builder()
                .subscriptionArn(s.pendingConfirmation ? "PendingConfirmation" : s.arn)
                .owner(s.owner).protocol(s.protocol).endpoint(s.endpoint).topicArn(s.topicArn).build();
    }

    ListSubscriptionsResponse listSubscriptions(RequestContext ctx, ListSubscriptionsInput in) {
        List<Subscription> all = new ArrayList<>(resources.region(ctx).subscriptions.values());
        all.sort(Comparator.comparingLong(s -> s.created));
        List<dev.polystack.services.sns.api.Subscription> page = new ArrayList<>();
        String next = SnsPages.page(all, in.nextToken(), s -> page.add(listEntry(s)));
        return ListSubscriptionsResponse.builder().subscriptions(page).nextToken(next).build();
    }

    ListSubscriptionsByTopicResponse listSubscriptionsByTopic(RequestContext ctx, ListSubscriptionsByTopicInput in) {
        Topic topic = resources.topic(ctx, in.topicArn(), "TopicArn");
        SnsRegion region = resources.regionOf(topic.arn);
        List<Subscription> subs = new ArrayList<>();
        for (String arn : topic.subscriptions) {
            Subscription s = region.subscriptions.get(arn);
            if (s != null) subs.add(s);
        }
        List<dev.polystack.services.sns.api.Subscription> page = new ArrayList<>();
        String next = SnsPages.page(subs, in.nextToken(), s -> page.add(listEntry(s)));
        return ListSubscriptionsByTopicResponse.builder().subscriptions(page).nextToken(next).build();
    }
}
