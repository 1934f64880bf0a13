package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Native SNS: topics (standard and FIFO), subscriptions, publishing with filter policies and
 * asynchronous delivery ({@link SnsDelivery}) to SQS, HTTP(S), Lambda and Firehose.
 * Errors follow what AWS answers (codes are botocore error shape names; messages as recorded).
 */
public final class SnsProvider implements ServiceProvider, Persistable {
    static final int MAX_MESSAGE_BYTES = 262_144;
    /** Subscription attributes whose default a repeated Subscribe may restate (AWS returns the same ARN). */
    private static final Map<String, String> SUBSCRIPTION_DEFAULTS = Map.of("RawMessageDelivery", "false",
            "FilterPolicyScope", "MessageAttributes");
    private static final int PAGE_SIZE = 100;
    private static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Set<String> SMS_ATTRIBUTES = Set.of("DefaultSenderID", "DefaultSMSType", "MonthlySpendLimit",
            "DeliveryStatusIAMRole", "DeliveryStatusSuccessSamplingRate", "UsageReportS3Bucket");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{1,15}");
    private static final Set<String> PROTOCOLS = Set.of("http", "https", "email", "email-json", "sms", "sqs",
            "application", "lambda", "firehose");
    private static final Set<String> AUTO_CONFIRMED = Set.of("sqs", "lambda", "firehose", "application", "sms");
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountRegionStore<SnsRegion> store = new AccountRegionStore<>((a, r) -> new SnsRegion());
    private final SnsSigner signer = SnsSigner.SHARED;
    private final SnsDelivery delivery;
    private final SnsPlatform platform = new SnsPlatform(store);

    public SnsProvider(ProviderEnvironment env) {
        this.delivery = new SnsDelivery(env, signer);
    }

    @Override
    public String service() {
        return "sns";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return switch (operation) {
            case "CreateTopic" -> createTopic(ctx, in);
            case "DeleteTopic" -> deleteTopic(ctx, in);
            case "GetTopicAttributes" -> getTopicAttributes(ctx, in);
            case "SetTopicAttributes" -> setTopicAttributes(ctx, in);
            case "ListTopics" -> listTopics(ctx, in);
            case "Subscribe" -> subscribe(ctx, in);
            case "Unsubscribe" -> unsubscribe(ctx, in);
            case "ConfirmSubscription" -> confirmSubscription(ctx, in);
            case "GetSubscriptionAttributes" -> getSubscriptionAttributes(ctx, in);
            case "SetSubscriptionAttributes" -> setSubscriptionAttributes(ctx, in);
            case "ListSubscriptions" -> listSubscriptions(ctx, in);
            case "ListSubscriptionsByTopic" -> listSubscriptionsByTopic(ctx, in);
            case "Publish" -> publish(ctx, in);
            case "PublishBatch" -> publishBatch(ctx, in);
            case "TagResource" -> tagResource(ctx, in);
            case "UntagResource" -> untagResource(ctx, in);
            case "ListTagsForResource" -> listTagsForResource(ctx, in);
            case "AddPermission" -> addPermission(ctx, in);
            case "RemovePermission" -> removePermission(ctx, in);
            case "GetDataProtectionPolicy" -> Map.of("DataProtectionPolicy",
                    nullToEmpty(topic(ctx, str(in, "ResourceArn"), "ResourceArn").dataProtectionPolicy));
            case "PutDataProtectionPolicy" -> {
                topic(ctx, str(in, "ResourceArn"), "ResourceArn").dataProtectionPolicy = str(in, "DataProtectionPolicy");
                yield Map.of();
            }
            case "SetSMSAttributes" -> {
                Map<String, String> attrs = new LinkedHashMap<>();
                map(in, "attributes").forEach((k, v) -> attrs.put(k, String.valueOf(v)));
                validateSmsAttributes(attrs);
                store.get(ctx).smsAttributes.putAll(attrs);
                yield Map.of();
            }
            case "GetSMSAttributes" -> getSmsAttributes(ctx, in);
            case "CheckIfPhoneNumberIsOptedOut" -> Map.of("isOptedOut",
                    store.get(ctx).optedOut.containsKey(str(in, "phoneNumber")));
            case "ListPhoneNumbersOptedOut" -> Map.of("phoneNumbers", new ArrayList<>(store.get(ctx).optedOut.keySet()));
            case "OptInPhoneNumber" -> {
                String phone = nullToEmpty(str(in, "phoneNumber"));
                if (!PHONE.matcher(phone).matches()) throw invalid("Invalid parameter: PhoneNumber Reason: input incorrectly formatted");
                store.get(ctx).optedOut.remove(phone);
                yield Map.of();
            }
            case "CreatePlatformApplication" -> platform.createApplication(ctx, in);
            case "GetPlatformApplicationAttributes" -> platform.getApplicationAttributes(in);
            case "SetPlatformApplicationAttributes" -> platform.setApplicationAttributes(in);
            case "ListPlatformApplications" -> platform.listApplications(ctx);
            case "DeletePlatformApplication" -> platform.deleteApplication(in);
            case "CreatePlatformEndpoint" -> platform.createEndpoint(in);
            case "GetEndpointAttributes" -> platform.getEndpointAttributes(in);
            case "SetEndpointAttributes" -> platform.setEndpointAttributes(in);
            case "DeleteEndpoint" -> platform.deleteEndpoint(in);
            case "ListEndpointsByPlatformApplication" -> platform.listEndpoints(in);
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    // ---------------------------------------------------------------- errors and helpers

    static ServiceException invalid(String message) {
        return new ServiceException("InvalidParameterException", message, 400);
    }

    static ServiceException notFound(String message) {
        return new ServiceException("NotFoundException", message, 404);
    }

    private static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Splits an ARN, with AWS's complaint when it has fewer than 6 parts. */
    private static String[] arnParts(String arn, String parameter) {
        String value = arn == null ? "" : arn;
        String[] parts = value.split(":", -1);
        if (parts.length < 6) {
            throw invalid("Invalid parameter: " + parameter + " Reason: An ARN must have at least 6 elements, not " + parts.length);
        }
        return parts;
    }

    /** The topic an ARN names; another region's ARN is an invalid parameter, as in AWS. */
    private Topic topic(RequestContext ctx, String arn, String parameter) {
        Topic t = findTopic(ctx, arn, parameter);
        if (t == null) throw notFound("Topic does not exist");
        return t;
    }

    private Topic findTopic(RequestContext ctx, String arn, String parameter) {
        String[] parts = arnParts(arn, parameter);
        if (!parts[3].equals(ctx.region())) throw invalid("Invalid parameter: " + parameter);
        SnsRegion region = store.peek(parts[4], parts[3]);
        return region == null ? null : region.topics.get(arn);
    }

    private SnsRegion regionOf(String arn) {
        String[] parts = arn.split(":", -1);
        return store.get(parts[4], parts[3]);
    }

    private static String partitionArn(RequestContext ctx, String service, String resource) {
        return "arn:" + ctx.partition() + ":" + service + ":" + ctx.region() + ":" + ctx.accountId() + ":" + resource;
    }

    // ---------------------------------------------------------------- topics

    private Map<String, Object> createTopic(RequestContext ctx, Map<String, Object> in) {
        String name = nullToEmpty(str(in, "Name"));
        Map<String, Object> attributes = map(in, "Attributes");
        boolean fifo = "true".equalsIgnoreCase(String.valueOf(attributes.get("FifoTopic")));
        boolean validName = fifo
                ? name.endsWith(".fifo") && name.length() <= 256 && TOPIC_NAME.matcher(name.substring(0, name.length() - 5)).matches()
                : TOPIC_NAME.matcher(name).matches();
        if (!validName) throw invalid("Invalid parameter: Topic Name");
        Map<String, String> requested = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            if (e.getKey().equals("FifoTopic")) continue;
            if (!SnsAttributes.TOPIC_SETTABLE.contains(e.getKey())) throw invalid("Invalid parameter: Attributes Reason: Unknown attribute " + e.getKey());
            requested.put(e.getKey(), String.valueOf(e.getValue()));
        }
        validateTopicAttributes(requested, fifo, "Attributes Reason: ");
        Map<String, String> tags = tags(list(in, "Tags"));
        String arn = partitionArn(ctx, "sns", name);
        SnsRegion region = store.get(ctx);
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
                if (!sameTags) {
                    throw invalid("Invalid parameter: Tags Reason: Topic already exists with different tags");
                }
                return Map.of("TopicArn", arn);
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
        return Map.of("TopicArn", arn);
    }

    /**
     * Validates topic attributes, replacing a DeliveryPolicy by the form AWS stores.
     *
     * @param reasonPrefix "Attributes Reason: " inside CreateTopic, "" in SetTopicAttributes (AWS's wording)
     */
    private static void validateTopicAttributes(Map<String, String> attributes, boolean fifo, String reasonPrefix) {
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

    private static Map<String, String> tags(List<Object> tagList) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object o : tagList) {
            if (!(o instanceof Map<?, ?> t)) continue;
            String key = String.valueOf(t.get("Key"));
            if (out.containsKey(key)) throw invalid("Invalid parameter: Duplicated keys are not allowed.");
            out.put(key, t.get("Value") == null ? "" : String.valueOf(t.get("Value")));
        }
        return out;
    }

    private Map<String, Object> deleteTopic(RequestContext ctx, Map<String, Object> in) {
        String arn = str(in, "TopicArn");
        Topic topic = findTopic(ctx, arn, "TopicArn");
        if (topic == null) return Map.of();
        SnsRegion region = regionOf(arn);
        synchronized (region) {
            region.topics.remove(arn);
            for (String subArn : topic.subscriptions) {
                Subscription s = region.subscriptions.remove(subArn);
                if (s != null && s.token != null) region.tokens.remove(s.token);
            }
        }
        delivery.forgetLane(arn);
        return Map.of();
    }

    private Map<String, Object> getTopicAttributes(RequestContext ctx, Map<String, Object> in) {
        Topic topic = topic(ctx, str(in, "TopicArn"), "TopicArn");
        SnsRegion region = regionOf(topic.arn);
        int confirmed = 0, pending = 0;
        for (String subArn : topic.subscriptions) {
            Subscription s = region.subscriptions.get(subArn);
            if (s == null) continue;
            if (s.pendingConfirmation) pending++;
            else confirmed++;
        }
        return Map.of("Attributes", SnsAttributes.render(topic, SnsDelivery.arnAccount(topic.arn), confirmed, pending));
    }

    private Map<String, Object> setTopicAttributes(RequestContext ctx, Map<String, Object> in) {
        Topic topic = topic(ctx, str(in, "TopicArn"), "TopicArn");
        String name = nullToEmpty(str(in, "AttributeName"));
        String value = str(in, "AttributeValue");
        if (!SnsAttributes.TOPIC_SETTABLE.contains(name)) throw invalid("Invalid parameter: AttributeName");
        Map<String, String> checked = new HashMap<>();
        if (value != null) checked.put(name, value);
        validateTopicAttributes(checked, topic.fifo, "");
        value = checked.get(name);
        if (name.equals("DataProtectionPolicy")) {
            topic.dataProtectionPolicy = value;
        } else if (value == null || value.isEmpty()) {
            topic.attributes.remove(name);
        } else {
            topic.attributes.put(name, value);
        }
        return Map.of();
    }

    private Map<String, Object> listTopics(RequestContext ctx, Map<String, Object> in) {
        SnsRegion region = store.get(ctx);
        List<Topic> topics = new ArrayList<>(region.topics.values());
        topics.sort(Comparator.comparingLong(t -> t.created));
        List<Object> page = new ArrayList<>();
        String next = paginate(topics, str(in, "NextToken"), t -> page.add(Map.of("TopicArn", t.arn)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Topics", page);
        if (next != null) out.put("NextToken", next);
        return out;
    }

    /** Offset-based pages of {@value #PAGE_SIZE}; returns the next token or null. */
    private static <T> String paginate(List<T> items, String token, java.util.function.Consumer<T> sink) {
        int start = 0;
        if (token != null && !token.isEmpty()) {
            try {
                start = Integer.parseInt(new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid parameter: NextToken");
            }
        }
        int end = Math.min(items.size(), start + PAGE_SIZE);
        for (int i = start; i < end; i++) sink.accept(items.get(i));
        return end < items.size()
                ? java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8))
                : null;
    }

    // ---------------------------------------------------------------- subscriptions

    private Map<String, Object> subscribe(RequestContext ctx, Map<String, Object> in) {
        String topicArn = str(in, "TopicArn");
        String protocol = nullToEmpty(str(in, "Protocol"));
        String endpoint = str(in, "Endpoint");
        Topic topic = topic(ctx, topicArn, "TopicArn");
        if (!PROTOCOLS.contains(protocol)) throw invalid("Invalid parameter: Amazon SNS does not support this protocol string: " + protocol);
        validateEndpoint(topic, protocol, endpoint);
        Map<String, String> attributes = new LinkedHashMap<>();
        map(in, "Attributes").forEach((k, v) -> attributes.put(k, String.valueOf(v)));
        FilterPolicy policy = validateSubscriptionAttributes(attributes, topic, endpoint, protocol, "Attributes Reason: ");
        SnsRegion region = regionOf(topicArn);
        Subscription subscription;
        synchronized (region) {
            for (String existingArn : topic.subscriptions) {
                Subscription existing = region.subscriptions.get(existingArn);
                if (existing != null && existing.protocol.equals(protocol) && existing.endpoint.equals(endpoint)) {
                    for (Map.Entry<String, String> e : attributes.entrySet()) {
                        // an attribute asked for with its default value matches one never set
                        String current = existing.attributes.getOrDefault(e.getKey(), SUBSCRIPTION_DEFAULTS.get(e.getKey()));
                        if (!e.getValue().equals(current)) {
                            throw invalid("Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
                        }
                    }
                    return Map.of("SubscriptionArn", subscriptionArnForResponse(existing, in));
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
        return Map.of("SubscriptionArn", subscriptionArnForResponse(subscription, in));
    }

    private static String subscriptionArnForResponse(Subscription s, Map<String, Object> in) {
        boolean returnArn = Boolean.TRUE.equals(in.get("ReturnSubscriptionArn"))
                || "true".equalsIgnoreCase(String.valueOf(in.get("ReturnSubscriptionArn")));
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
    private static FilterPolicy validateSubscriptionAttributes(Map<String, String> attributes, Topic topic, String endpoint,
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
        boolean bodyScope = "MessageBody".equals(scope);
        if (policy.nested() && !bodyScope) {
            throw invalid("Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
        }
        return policy;
    }

    private Subscription subscription(RequestContext ctx, String arn) {
        String[] parts = arnParts(arn, "SubscriptionArn");
        SnsRegion region = store.peek(parts[4], parts[3]);
        Subscription s = region == null ? null : region.subscriptions.get(arn);
        if (s == null) throw notFound("Subscription does not exist");
        return s;
    }

    private Map<String, Object> unsubscribe(RequestContext ctx, Map<String, Object> in) {
        String arn = str(in, "SubscriptionArn");
        if (arn == null || arn.isEmpty()) throw invalid("Invalid parameter: SubscriptionArn Reason: no value for required parameter");
        String[] parts = arnParts(arn, "SubscriptionArn");
        if (parts.length != 7 || parts[6].length() != 36) throw invalid("Invalid parameter: SubscriptionId");
        SnsRegion region = store.peek(parts[4], parts[3]);
        if (region == null) return Map.of();
        Subscription removed;
        Topic topic;
        synchronized (region) {
            removed = region.subscriptions.remove(arn);
            if (removed == null) return Map.of();
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
        return Map.of();
    }

    private Map<String, Object> confirmSubscription(RequestContext ctx, Map<String, Object> in) {
        String topicArn = nullToEmpty(str(in, "TopicArn"));
        String token = nullToEmpty(str(in, "Token"));
        String[] parts = topicArn.split(":", -1);
        if (parts.length < 6 || !parts[3].equals(ctx.region())) throw invalid("Invalid parameter: Topic");
        if (!token.matches("[0-9a-fA-F]{16,}")) throw invalid("Invalid token");
        SnsRegion region = store.peek(parts[4], parts[3]);
        String subArn = region == null ? null : region.tokens.get(token);
        Subscription s = subArn == null ? null : region.subscriptions.get(subArn);
        if (s == null || !s.topicArn.equals(topicArn)) throw invalid("Invalid parameter: Token");
        s.pendingConfirmation = false;
        return Map.of("SubscriptionArn", s.arn);
    }

    private Map<String, Object> getSubscriptionAttributes(RequestContext ctx, Map<String, Object> in) {
        Subscription s = subscription(ctx, str(in, "SubscriptionArn"));
        Map<String, String> out = new java.util.TreeMap<>(s.attributes);
        out.put("ConfirmationWasAuthenticated", s.pendingConfirmation ? "false" : "true");
        out.put("Endpoint", s.endpoint);
        out.put("Owner", s.owner);
        out.put("PendingConfirmation", Boolean.toString(s.pendingConfirmation));
        out.put("Protocol", s.protocol);
        out.putIfAbsent("RawMessageDelivery", "false");
        out.put("SubscriptionArn", s.arn);
        out.put("SubscriptionPrincipal", "arn:" + ctx.partition() + ":iam::" + s.owner + ":user/polystack");
        out.put("TopicArn", s.topicArn);
        Topic topic = regionOf(s.topicArn).topics.get(s.topicArn);
        if (topic != null && (s.protocol.equals("http") || s.protocol.equals("https"))) {
            out.put("EffectiveDeliveryPolicy", DeliveryPolicy.effectiveSubscription(topic.attributes.get("DeliveryPolicy"),
                    s.attributes.get("DeliveryPolicy")).toString());
        }
        return Map.of("Attributes", new LinkedHashMap<>(out));
    }

    private Map<String, Object> setSubscriptionAttributes(RequestContext ctx, Map<String, Object> in) {
        String name = nullToEmpty(str(in, "AttributeName"));
        String value = str(in, "AttributeValue");
        if (!SnsAttributes.SUBSCRIPTION_SETTABLE.contains(name)) throw invalid("Invalid parameter: AttributeName");
        Subscription s = subscription(ctx, str(in, "SubscriptionArn"));
        Topic topic = regionOf(s.topicArn).topics.get(s.topicArn);
        synchronized (s) {
            Map<String, String> next = new LinkedHashMap<>(s.attributes);
            if (value == null || (value.isEmpty() && !name.equals("RawMessageDelivery"))) next.remove(name);
            else next.put(name, value);
            FilterPolicy policy = validateSubscriptionAttributes(next, topic == null ? new Topic() : topic, s.endpoint, s.protocol, "");
            if (policy != null) next.putIfAbsent("FilterPolicyScope", "MessageAttributes");
            s.attributes.clear();
            s.attributes.putAll(next);
            s.filterPolicy = policy;
        }
        return Map.of();
    }

    private static Map<String, Object> listEntry(Subscription s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("SubscriptionArn", s.pendingConfirmation ? "PendingConfirmation" : s.arn);
        e.put("Owner", s.owner);
        e.put("Protocol", s.protocol);
        e.put("Endpoint", s.endpoint);
        e.put("TopicArn", s.topicArn);
        return e;
    }

    private Map<String, Object> listSubscriptions(RequestContext ctx, Map<String, Object> in) {
        List<Subscription> all = new ArrayList<>(store.get(ctx).subscriptions.values());
        all.sort(Comparator.comparingLong(s -> s.created));
        List<Object> page = new ArrayList<>();
        String next = paginate(all, str(in, "NextToken"), s -> page.add(listEntry(s)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Subscriptions", page);
        if (next != null) out.put("NextToken", next);
        return out;
    }

    private Map<String, Object> listSubscriptionsByTopic(RequestContext ctx, Map<String, Object> in) {
        Topic topic = topic(ctx, str(in, "TopicArn"), "TopicArn");
        SnsRegion region = regionOf(topic.arn);
        List<Subscription> subs = new ArrayList<>();
        for (String arn : topic.subscriptions) {
            Subscription s = region.subscriptions.get(arn);
            if (s != null) subs.add(s);
        }
        List<Object> page = new ArrayList<>();
        String next = paginate(subs, str(in, "NextToken"), s -> page.add(listEntry(s)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Subscriptions", page);
        if (next != null) out.put("NextToken", next);
        return out;
    }

    // ---------------------------------------------------------------- publishing

    /** What Publish and each PublishBatch entry carry. */
    private record Entry(String message, String subject, String structure, Map<String, Object> attributes,
                         String groupId, String deduplicationId) {
        static Entry of(Map<String, Object> in) {
            return new Entry(str(in, "Message"), str(in, "Subject"), str(in, "MessageStructure"), map(in, "MessageAttributes"),
                    str(in, "MessageGroupId"), str(in, "MessageDeduplicationId"));
        }
    }

    /** An entry that passed validation. */
    private record Prepared(Entry entry, Map<String, String> structured, Map<String, MessageAttribute> attributes, int size) {
    }

    private Prepared prepare(Entry e, String attributePath) {
        if (e.message() == null || e.message().isEmpty()) throw invalid("Invalid parameter: Empty message");
        if (e.subject() != null && (e.subject().isEmpty() || e.subject().length() > 100)) throw invalid("Invalid parameter: Subject");
        Map<String, MessageAttribute> attributes = messageAttributes(e.attributes(), attributePath);
        int size = e.message().getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttribute> a : attributes.entrySet()) {
            size += a.getKey().getBytes(StandardCharsets.UTF_8).length + a.getValue().dataType().length()
                    + (a.getValue().binary() ? a.getValue().binaryValue().length : a.getValue().stringValue().getBytes(StandardCharsets.UTF_8).length);
        }
        Map<String, String> structured = null;
        if ("json".equals(e.structure())) {
            JsonNode node;
            try {
                node = JSON.readTree(e.message());
            } catch (JsonProcessingException ex) {
                throw invalid("Invalid parameter: Message Structure - JSON message body failed to parse");
            }
            if (node == null || !node.isObject() || !node.path("default").isTextual()) {
                if (node == null || !node.isObject()) throw invalid("Invalid parameter: Message Structure - JSON message body failed to parse");
                throw invalid("Invalid parameter: Message Structure - No default entry in JSON message body");
            }
            structured = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> p : node.properties()) {
                structured.put(p.getKey(), p.getValue().isTextual() ? p.getValue().textValue() : p.getValue().toString());
            }
        } else if (e.structure() != null && !e.structure().isEmpty()) {
            throw invalid("Invalid parameter: MessageStructure");
        }
        return new Prepared(e, structured, attributes, size);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, MessageAttribute> messageAttributes(Map<String, Object> raw, String path) {
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String name = e.getKey();
            validateAttributeName(name);
            Map<String, Object> value = e.getValue() instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            Object type = value.get("DataType");
            if (type == null) {
                throw new ServiceException("ValidationError", "1 validation error detected: Value null at '" + path + "." + name
                        + ".member.dataType' failed to satisfy constraint: Member must not be null", 400);
            }
            String dataType = type.toString();
            String base = dataType.contains(".") ? dataType.substring(0, dataType.indexOf('.')) : dataType;
            Object stringValue = value.get("StringValue");
            Object binaryValue = value.get("BinaryValue");
            switch (base) {
                case "String", "Number" -> {
                    if (binaryValue != null) {
                        throw new ServiceException("InvalidParameterValueException", "The message attribute '" + name + "' with type '"
                                + base + "' must use field 'String'.", 400);
                    }
                    if (stringValue == null || stringValue.toString().isEmpty()) {
                        throw new ServiceException("InvalidParameterValueException", "The message attribute '" + name
                                + "' must contain non-empty message attribute value for message attribute type '" + base + "'.", 400);
                    }
                    if (base.equals("Number")) {
                        try {
                            new java.math.BigDecimal(stringValue.toString().trim());
                        } catch (NumberFormatException ex) {
                            throw new ServiceException("InvalidParameterValueException", "Could not cast message attribute '" + name
                                    + "' value to number.", 400);
                        }
                    }
                    out.put(name, new MessageAttribute(dataType, stringValue.toString(), null));
                }
                case "Binary" -> {
                    if (stringValue != null) {
                        throw new ServiceException("InvalidParameterValueException", "The message attribute '" + name
                                + "' with type 'Binary' must use field 'Binary'.", 400);
                    }
                    byte[] bytes = binaryValue instanceof byte[] b ? b
                            : binaryValue == null ? null : binaryValue.toString().getBytes(StandardCharsets.UTF_8);
                    if (bytes == null || bytes.length == 0) {
                        throw new ServiceException("InvalidParameterValueException", "The message attribute '" + name
                                + "' must contain non-empty message attribute value for message attribute type 'Binary'.", 400);
                    }
                    out.put(name, new MessageAttribute(dataType, null, bytes));
                }
                default -> throw new ServiceException("InvalidParameterValueException", "The message attribute '" + name
                        + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", 400);
            }
        }
        return out;
    }

    private static void validateAttributeName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length >= 256) {
            throw new ServiceException("InvalidParameterValueException", "Length of message attribute name must be less than 256 bytes.", 400);
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                throw new ServiceException("InvalidParameterValueException", "Invalid non-alphanumeric character '#x"
                        + Integer.toHexString(c).toUpperCase() + "' was found in the message attribute name. Can only include "
                        + "alphanumeric characters, hyphens, underscores, or dots.", 400);
            }
            i += Character.charCount(c);
        }
        if (name.startsWith(".")) {
            throw new ServiceException("InvalidParameterValueException", "Invalid message attribute name starting with character '.' was found.", 400);
        }
        if (name.endsWith(".")) {
            throw new ServiceException("InvalidParameterValueException", "Invalid message attribute name ending with character '.' was found.", 400);
        }
        if (name.contains("..")) {
            throw new ServiceException("InvalidParameterValueException", "Message attribute name can not have successive '.' character.", 400);
        }
    }

    private void checkFifo(Topic topic, Entry e) {
        if (topic.fifo) {
            if (e.groupId() == null || e.groupId().isEmpty()) {
                throw invalid("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
            }
            if ((e.deduplicationId() == null || e.deduplicationId().isEmpty()) && !topic.contentBasedDeduplication()) {
                throw invalid("Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
            }
        } else if (e.deduplicationId() != null) {
            throw invalid("Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
        }
    }

    private Map<String, Object> publish(RequestContext ctx, Map<String, Object> in) {
        String phone = str(in, "PhoneNumber");
        String topicArn = str(in, "TopicArn");
        String targetArn = str(in, "TargetArn");
        if (phone != null && topicArn == null && targetArn == null) {
            if (!PHONE.matcher(phone).matches()) throw invalid("Invalid parameter: PhoneNumber Reason: " + phone + " is not valid to publish to");
            Prepared p = prepare(Entry.of(in), "messageAttributes");
            String id = UUID.randomUUID().toString();
            delivery.sent.sms(ctx.accountId(), ctx.region(), phone, p.entry().message(), null, null);
            return Map.of("MessageId", id);
        }
        String parameter = topicArn != null ? "TopicArn" : "TargetArn";
        String arn = topicArn != null ? topicArn : targetArn;
        if (arn == null) throw invalid("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        String[] parts = arnParts(arn, parameter);
        if (targetArn != null && topicArn == null && parts[5].startsWith("endpoint/")) {
            SnsPlatform.Endpoint endpoint = platform.findEndpoint(targetArn);
            if (endpoint == null) throw invalid("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified");
            Prepared p = prepare(Entry.of(in), "messageAttributes");
            if ("false".equalsIgnoreCase(endpoint.attributes.get("Enabled"))) {
                throw new ServiceException("EndpointDisabledException", "Endpoint is disabled", 400);
            }
            String id = UUID.randomUUID().toString();
            String platformName = parts[5].split("/")[1];
            String text = p.structured() == null ? p.entry().message()
                    : p.structured().getOrDefault(platformName, p.structured().get("default"));
            delivery.sent.platform(parts[4], parts[3], targetArn, text, id);
            return Map.of("MessageId", id);
        }
        if (!parts[3].equals(ctx.region())) throw invalid("Invalid parameter: " + parameter);
        Entry entry = Entry.of(in);
        Prepared prepared = prepare(entry, "messageAttributes");
        if (prepared.size() > MAX_MESSAGE_BYTES) throw invalid("Invalid parameter: Message too long");
        Topic topic = findTopic(ctx, arn, parameter);
        if (topic == null) {
            if (targetArn != null && topicArn == null) {
                throw invalid("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified");
            }
            throw notFound("Topic does not exist");
        }
        checkFifo(topic, entry);
        SnsMessage message = accept(topic, prepared, traceHeader(ctx));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("MessageId", message.messageId);
        if (message.sequenceNumber != null) out.put("SequenceNumber", message.sequenceNumber);
        return out;
    }

    /** The X-Ray trace header of a Publish (it reaches SQS subscribers as the AWSTraceHeader system attribute). */
    private static String traceHeader(RequestContext ctx) {
        return ctx.request() == null ? null : ctx.request().header("X-Amzn-Trace-Id");
    }

    /**
     * Assigns ids (or finds the FIFO duplicate) and hands the message to delivery. On a FIFO topic this
     * runs under the topic's lock so sequence numbers and delivery order agree.
     */
    private SnsMessage accept(Topic topic, Prepared p, String traceHeader) {
        if (topic.fifo) {
            synchronized (topic) {
                return acceptInOrder(topic, p, traceHeader);
            }
        }
        return acceptInOrder(topic, p, traceHeader);
    }

    private SnsMessage acceptInOrder(Topic topic, Prepared p, String traceHeader) {
        Entry e = p.entry();
        String deduplicationId = null;
        String sequenceNumber = null;
        String messageId = UUID.randomUUID().toString();
        boolean duplicate = false;
        if (topic.fifo) {
            deduplicationId = e.deduplicationId() != null && !e.deduplicationId().isEmpty() ? e.deduplicationId() : sha256(e.message());
            long now = System.currentTimeMillis();
            if (topic.deduplication.size() > 1024) topic.deduplication.values().removeIf(d -> d.expiresAt() < now);
            String fresh = messageId;
            String dedupKey = deduplicationId;
            Topic.Deduplicated seen = topic.deduplication.compute(dedupKey, (k, old) -> old != null && old.expiresAt() >= now ? old
                    : new Topic.Deduplicated(fresh, String.format("%020d", 10_000_000_000_000_000L + topic.sequence.incrementAndGet()),
                    now + DEDUPLICATION_WINDOW.toMillis()));
            duplicate = !seen.messageId().equals(fresh);
            messageId = seen.messageId();
            sequenceNumber = seen.sequenceNumber();
        }
        SnsMessage message = new SnsMessage(SnsMessage.NOTIFICATION, messageId, topic.arn, e.subject(), e.message(), p.structured(),
                p.attributes(), e.groupId(), deduplicationId, sequenceNumber, Instant.now(), topic.fifo,
                topic.attributes.get("SignatureVersion"), null, null);
        message.traceHeader = traceHeader;
        if (!duplicate) {
            SnsRegion region = regionOf(topic.arn);
            List<Subscription> targets = new ArrayList<>(topic.subscriptions.size());
            for (String arn : topic.subscriptions) {
                Subscription s = region.subscriptions.get(arn);
                if (s != null) targets.add(s);
            }
            delivery.dispatch(topic, message, targets);
        }
        return message;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> publishBatch(RequestContext ctx, Map<String, Object> in) {
        String topicArn = str(in, "TopicArn");
        Topic topic = topic(ctx, topicArn, "TopicArn");
        List<Object> rawEntries = list(in, "PublishBatchRequestEntries");
        if (rawEntries.isEmpty()) throw new ServiceException("EmptyBatchRequestException", "The batch request doesn't contain any entries.", 400);
        if (rawEntries.size() > 10) {
            throw new ServiceException("TooManyEntriesInBatchRequestException", "The batch request contains more entries than permissible.", 400);
        }
        Set<String> ids = new HashSet<>();
        for (Object o : rawEntries) {
            String id = str((Map<String, Object>) o, "Id");
            id = id == null ? "" : id;
            if (id.length() > 80) {
                throw new ServiceException("InvalidBatchEntryIdException", "The Id of a batch entry in the batch request is too long: " + id, 400);
            }
            if (!BATCH_ID.matcher(id).matches()) {
                throw new ServiceException("InvalidBatchEntryIdException", "The Id of a batch entry in the batch request contains an impermissible character: " + id, 400);
            }
            if (!ids.add(id)) {
                throw new ServiceException("BatchEntryIdsNotDistinctException", "Two or more batch entries in the request have the same Id.", 400);
            }
        }
        List<Prepared> prepared = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < rawEntries.size(); i++) {
            Entry e = Entry.of((Map<String, Object>) rawEntries.get(i));
            Prepared p = prepare(e, "publishBatchRequestEntries." + (i + 1) + ".member.messageAttributes");
            checkFifo(topic, e);
            total += p.size();
            prepared.add(p);
        }
        if (total > MAX_MESSAGE_BYTES) {
            throw new ServiceException("BatchRequestTooLongException", "The length of all the messages put together is more than the limit.", 400);
        }
        List<Object> successful = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            SnsMessage m = accept(topic, prepared.get(i), traceHeader(ctx));
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("Id", str((Map<String, Object>) rawEntries.get(i), "Id"));
            ok.put("MessageId", m.messageId);
            if (m.sequenceNumber != null) ok.put("SequenceNumber", m.sequenceNumber);
            successful.add(ok);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Successful", successful);
        out.put("Failed", new ArrayList<>());
        return out;
    }

    // ---------------------------------------------------------------- tags, permissions, SMS

    private Topic taggable(RequestContext ctx, String arn) {
        String[] parts = arnParts(arn, "ResourceArn");
        SnsRegion region = parts[3].equals(ctx.region()) ? store.peek(parts[4], parts[3]) : null;
        Topic t = region == null ? null : region.topics.get(arn);
        if (t == null) throw new ServiceException("ResourceNotFoundException", "Resource does not exist", 404);
        return t;
    }

    private Map<String, Object> tagResource(RequestContext ctx, Map<String, Object> in) {
        Topic t = taggable(ctx, str(in, "ResourceArn"));
        Map<String, String> tags = tags(list(in, "Tags"));
        synchronized (t) {
            Map<String, String> merged = new LinkedHashMap<>(t.tags);
            merged.putAll(tags);
            if (merged.size() > 50) {
                throw new ServiceException("TagLimitExceededException", "Could not complete request: tag quota of per resource exceeded", 400);
            }
            t.tags.putAll(tags);
        }
        return Map.of();
    }

    private Map<String, Object> untagResource(RequestContext ctx, Map<String, Object> in) {
        Topic t = taggable(ctx, str(in, "ResourceArn"));
        synchronized (t) {
            for (Object key : list(in, "TagKeys")) t.tags.remove(String.valueOf(key));
        }
        return Map.of();
    }

    private Map<String, Object> listTagsForResource(RequestContext ctx, Map<String, Object> in) {
        Topic t = taggable(ctx, str(in, "ResourceArn"));
        List<Object> out = new ArrayList<>();
        synchronized (t) {
            t.tags.forEach((k, v) -> out.add(Map.of("Key", k, "Value", v)));
        }
        return Map.of("Tags", out);
    }

    private Map<String, Object> addPermission(RequestContext ctx, Map<String, Object> in) {
        Topic topic = topic(ctx, str(in, "TopicArn"), "TopicArn");
        String label = str(in, "Label");
        List<Object> accounts = list(in, "AWSAccountId");
        List<Object> actions = list(in, "ActionName");
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
            for (Object a : accounts) principals.add("arn:" + ctx.partition() + ":iam::" + a + ":root");
            if (principals.size() == 1) principal.put("AWS", principals.get(0));
            else principals.forEach(principal.putArray("AWS")::add);
            List<String> actionNames = new ArrayList<>();
            for (Object a : actions) {
                String action = String.valueOf(a);
                if (action.contains(":") || !action.matches("[A-Za-z*]+")) throw invalid("Invalid parameter: Policy statement action out of service scope!");
                actionNames.add("SNS:" + action);
            }
            if (actionNames.size() == 1) statement.put("Action", actionNames.get(0));
            else actionNames.forEach(statement.putArray("Action")::add);
            statement.put("Resource", topic.arn);
            statements.add(statement);
            topic.attributes.put("Policy", policy.toString());
        }
        return Map.of();
    }

    private Map<String, Object> removePermission(RequestContext ctx, Map<String, Object> in) {
        Topic topic = topic(ctx, str(in, "TopicArn"), "TopicArn");
        String label = str(in, "Label");
        synchronized (topic) {
            ObjectNode policy = policyOf(topic);
            ArrayNode statements = (ArrayNode) policy.withArray("Statement");
            for (int i = statements.size() - 1; i >= 0; i--) {
                if (label.equals(statements.get(i).path("Sid").asText())) statements.remove(i);
            }
            topic.attributes.put("Policy", policy.toString());
        }
        return Map.of();
    }

    private static ObjectNode policyOf(Topic topic) {
        String text = topic.attributes.getOrDefault("Policy", SnsAttributes.defaultPolicy(topic.arn, SnsDelivery.arnAccount(topic.arn)));
        try {
            JsonNode node = JSON.readTree(text);
            if (node instanceof ObjectNode o) return o;
        } catch (JsonProcessingException ignored) {
            // fall back to the default policy below
        }
        try {
            return (ObjectNode) JSON.readTree(SnsAttributes.defaultPolicy(topic.arn, SnsDelivery.arnAccount(topic.arn)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SetSMSAttributes' names, and AWS's answers (no "Invalid parameter:" prefix here, as recorded). */
    private static void validateSmsAttributes(Map<String, String> attributes) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!SMS_ATTRIBUTES.contains(e.getKey())) throw invalid(e.getKey() + " is not a valid attribute");
        }
        String type = attributes.get("DefaultSMSType");
        if (type != null && !type.equals("Promotional") && !type.equals("Transactional")) throw invalid("DefaultSMSType is invalid");
    }

    private Map<String, Object> getSmsAttributes(RequestContext ctx, Map<String, Object> in) {
        // an account's spend limit is 1 USD until raised (AWS reports it even where nothing was set)
        Map<String, String> all = new java.util.TreeMap<>(Map.of("MonthlySpendLimit", "1"));
        all.putAll(store.get(ctx).smsAttributes);
        List<Object> wanted = list(in, "attributes");
        Map<String, Object> out = new LinkedHashMap<>();
        if (wanted.isEmpty()) out.putAll(all);
        else for (Object w : wanted) {
            String v = all.get(String.valueOf(w));
            if (v != null) out.put(String.valueOf(w), v);
        }
        return Map.of("attributes", out);
    }

    // ---------------------------------------------------------------- internal endpoints

    @Override
    public List<InternalRoute> internalRoutes() {
        return List.of(
                new InternalRoute("GET", "/_aws/sns/subscription-tokens", this::subscriptionToken),
                new InternalRoute(null, "/_aws/sns/sms-messages", r -> sentMessages(r, delivery.sent.sms, "sms_messages")),
                new InternalRoute(null, "/_aws/sns/platform-endpoint-messages", r -> sentMessages(r, delivery.sent.platform, "platform_endpoint_messages")),
                new InternalRoute("GET", "/_aws/sns/SimpleNotificationService-", this::certificate));
    }

    private HttpResponseData subscriptionToken(HttpRequestData request) {
        String path = request.path();
        String arn = URLDecoder.decode(path.substring(Math.min(path.length(), "/_aws/sns/subscription-tokens/".length())), StandardCharsets.UTF_8);
        String[] parts = arn.split(":", -1);
        if (parts.length != 7 || !parts[0].equals("arn")) {
            return json(400, Map.of("error", "The provided SubscriptionARN is invalid", "subscription_arn", arn));
        }
        SnsRegion region = store.peek(parts[4], parts[3]);
        Subscription s = region == null ? null : region.subscriptions.get(arn);
        if (s == null) return json(404, Map.of("error", "The requested SubscriptionARN does not exist", "subscription_arn", arn));
        return json(200, Map.of("subscription_token", s.token, "subscription_arn", arn));
    }

    private HttpResponseData sentMessages(HttpRequestData request,
                                          Map<String, Map<String, Map<String, List<Map<String, Object>>>>> sent, String field) {
        String account = request.queryParameter("accountId") != null ? request.queryParameter("accountId") : dev.polystack.api.Config.DEFAULT_ACCOUNT;
        String region = request.queryParameter("region") != null ? request.queryParameter("region") : dev.polystack.api.Config.DEFAULT_REGION;
        Map<String, List<Map<String, Object>>> messages = sent.getOrDefault(account, Map.of()).getOrDefault(region, Map.of());
        if (request.method().equals("DELETE")) {
            messages.clear();
            return new HttpResponseData(204);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> copy = new LinkedHashMap<>();
        messages.forEach((k, v) -> {
            synchronized (v) {
                copy.put(k, new ArrayList<>(v));
            }
        });
        out.put(field, copy);
        out.put("region", region);
        return json(200, out);
    }

    private HttpResponseData certificate(HttpRequestData request) {
        if (!request.path().endsWith("/" + signer.certificateName())) return new HttpResponseData(404);
        return new HttpResponseData(200).header("Content-Type", "application/x-pem-file").body(signer.certificatePem());
    }

    private static HttpResponseData json(int status, Object body) {
        try {
            return new HttpResponseData(status).header("Content-Type", "application/json").body(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- persistence and lifecycle

    /** Format version 1: {@code {"regions": {account: {region: SnsRegion}}}} (Jackson, public fields). */
    static final class Snapshot {
        public Map<String, Map<String, SnsRegion>> regions = new LinkedHashMap<>();
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode regions = root.putObject("regions");
        store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            synchronized (state) { // topics and their subscriptions as one consistent picture
                regions.withObjectProperty(account).set(region, JSON.valueToTree(state));
            }
        }));
        JSON.writeValue(out, root);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported SNS state version " + version);
        Snapshot snapshot = JSON.readValue(in, Snapshot.class);
        store.clear();
        snapshot.regions.forEach((account, regions) -> regions.forEach((region, state) -> {
            for (Subscription s : state.subscriptions.values()) {
                String policy = s.attributes.get("FilterPolicy");
                if (policy != null && !policy.isEmpty()) {
                    try {
                        s.filterPolicy = FilterPolicy.parse(policy);
                    } catch (FilterPolicy.InvalidPolicy e) {
                        s.filterPolicy = null;
                    }
                }
            }
            if (state.topics.values().stream().anyMatch(t -> !t.fifo)) signer.warmUp(); // signed envelopes ahead
            store.put(account, region, state);
        }));
    }

    @Override
    public void resetState() {
        store.clear();
    }

    /** Waits for queued deliveries (tests). */
    boolean awaitDeliveries(Duration timeout) throws InterruptedException {
        return delivery.awaitIdle(timeout);
    }

    @Override
    public void close() {
        try {
            delivery.awaitIdle(Duration.ofSeconds(5)); // let accepted messages reach their queues
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.close();
    }
}
