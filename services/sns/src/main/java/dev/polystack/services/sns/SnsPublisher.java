package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.RequestContext;
import dev.polystack.services.sns.api.BatchEntryIdsNotDistinctException;
import dev.polystack.services.sns.api.BatchRequestTooLongException;
import dev.polystack.services.sns.api.EmptyBatchRequestException;
import dev.polystack.services.sns.api.EndpointDisabledException;
import dev.polystack.services.sns.api.InvalidBatchEntryIdException;
import dev.polystack.services.sns.api.MessageAttributeValue;
import dev.polystack.services.sns.api.PublishBatchInput;
import dev.polystack.services.sns.api.PublishBatchRequestEntry;
import dev.polystack.services.sns.api.PublishBatchResponse;
import dev.polystack.services.sns.api.PublishBatchResultEntry;
import dev.polystack.services.sns.api.PublishInput;
import dev.polystack.services.sns.api.PublishResponse;
import dev.polystack.services.sns.api.TooManyEntriesInBatchRequestException;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.polystack.services.sns.SnsErrors.invalid;
import static dev.polystack.services.sns.SnsErrors.invalidValue;
import static dev.polystack.services.sns.SnsErrors.notFound;

/**
 * Publish and PublishBatch: AWS's validation of the message, its structure and attributes, FIFO rules and
 * deduplication, then the hand-over to {@link SnsDelivery}. Messages to phone numbers and platform endpoints
 * are kept for the developer endpoints instead of being sent.
 */
final class SnsPublisher {
    static final int MAX_MESSAGE_BYTES = 262_144;
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SnsResources resources;
    private final SnsDelivery delivery;
    private final SnsPlatform platform;

    SnsPublisher(SnsResources resources, SnsDelivery delivery, SnsPlatform platform) {
        this.resources = resources;
        this.delivery = delivery;
        this.platform = platform;
    }

    /** What Publish and each PublishBatch entry carry. */
    private record Entry(String message, String subject, String structure, Map<String, MessageAttributeValue> attributes,
                         String groupId, String deduplicationId) {
        static Entry of(PublishInput in) {
            return new Entry(in.message(), in.subject(), in.messageStructure(), in.messageAttributes(),
                    in.messageGroupId(), in.messageDeduplicationId());
        }

        static Entry of(PublishBatchRequestEntry in) {
            return new Entry(in.message(), in.subject(), in.messageStructure(), in.messageAttributes(),
                    in.messageGroupId(), in.messageDeduplicationId());
        }
    }

    /** An entry that passed validation. */
    private record Prepared(Entry entry, Map<String, String> structured, Map<String, MessageAttribute> attributes, int size) {
    }

    PublishResponse publish(RequestContext ctx, PublishInput in) {
        String phone = in.phoneNumber();
        String topicArn = in.topicArn();
        String targetArn = in.targetArn();
        if (phone != null && topicArn == null && targetArn == null) {
            if (!SnsSubscriptions.PHONE.matcher(phone).matches()) throw invalid("Invalid parameter: PhoneNumber Reason: " + phone + " is not valid to publish to");
            Prepared p = prepare(Entry.of(in), "messageAttributes");
            String id = UUID.randomUUID().toString();
            delivery.sent.sms(ctx.accountId(), ctx.region(), phone, p.entry().message(), null, null);
            return PublishResponse.builder().messageId(id).build();
        }
        String parameter = topicArn != null ? "TopicArn" : "TargetArn";
        String arn = topicArn != null ? topicArn : targetArn;
        if (arn == null || arn.isEmpty()) throw SnsErrors.required("TopicArn or TargetArn");
        String[] parts = SnsResources.arnParts(arn, parameter);
        if (targetArn != null && topicArn == null && parts[5].startsWith("endpoint/")) {
            return publishToEndpoint(in, targetArn, parts);
        }
        if (!parts[3].equals(ctx.region())) throw invalid("Invalid parameter: " + parameter);
        Entry entry = Entry.of(in);
        Prepared prepared = prepare(entry, "messageAttributes");
        if (prepared.size() > MAX_MESSAGE_BYTES) throw invalid("Invalid parameter: Message too long");
        Topic topic = resources.findTopic(ctx, arn, parameter);
        if (topic == null) {
            if (targetArn != null && topicArn == null) {
                throw invalid("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified");
            }
            throw notFound("Topic does not exist");
        }
        checkFifo(topic, entry);
        SnsMessage message = accept(topic, prepared, traceHeader(ctx));
        return PublishResponse.builder().messageId(message.messageId).sequenceNumber(message.sequenceNumber).build();
    }

    /** A push notification to one platform endpoint: kept for /_aws/sns/platform-endpoint-messages. */
    private PublishResponse publishToEndpoint(PublishInput in, String targetArn, String[] parts) {
        SnsPlatform.Endpoint endpoint = platform.findEndpoint(targetArn);
        if (endpoint == null) throw invalid("Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified");
        Prepared p = prepare(Entry.of(in), "messageAttributes");
        if ("false".equalsIgnoreCase(endpoint.attributes.get("Enabled"))) {
            throw new EndpointDisabledException("Endpoint is disabled");
        }
        String id = UUID.randomUUID().toString();
        String platformName = parts[5].split("/")[1];
        String text = p.structured() == null ? p.entry().message()
                : p.structured().getOrDefault(platformName, p.structured().get("default"));
        delivery.sent.platform(parts[4], parts[3], targetArn, text, id);
        return PublishResponse.builder().messageId(id).build();
    }

    PublishBatchResponse publishBatch(RequestContext ctx, PublishBatchInput in) {
        Topic topic = resources.topic(ctx, in.topicArn(), "TopicArn");
        List<PublishBatchRequestEntry> entries = in.publishBatchRequestEntries() == null ? List.of() : in.publishBatchRequestEntries();
        if (entries.isEmpty()) throw new EmptyBatchRequestException("The batch request doesn't contain any entries.");
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw new TooManyEntriesInBatchRequestException("The batch request contains more entries than permissible.");
        }
        Set<String> ids = new HashSet<>();
        for (PublishBatchRequestEntry entry : entries) {
            String id = entry.id() == null ? "" : entry.id();
            if (id.length() > 80) throw new InvalidBatchEntryIdException("The Id of a batch entry in the batch request is too long: " + id);
            if (!BATCH_ID.matcher(id).matches()) {
                throw new InvalidBatchEntryIdException("The Id of a batch entry in the batch request contains an impermissible character: " + id);
            }
            if (!ids.add(id)) throw new BatchEntryIdsNotDistinctException("Two or more batch entries in the request have the same Id.");
        }
        List<Prepared> prepared = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = Entry.of(entries.get(i));
            Prepared p = prepare(e, "publishBatchRequestEntries." + (i + 1) + ".member.messageAttributes");
            checkFifo(topic, e);
            total += p.size();
            prepared.add(p);
        }
        if (total > MAX_MESSAGE_BYTES) {
            throw new BatchRequestTooLongException("The length of all the messages put together is more than the limit.");
        }
        List<PublishBatchResultEntry> successful = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            SnsMessage m = accept(topic, prepared.get(i), traceHeader(ctx));
            successful.add(PublishBatchResultEntry.builder().id(entries.get(i).id()).messageId(m.messageId)
                    .sequenceNumber(m.sequenceNumber).build());
        }
        return PublishBatchResponse.builder().successful(successful).failed(new ArrayList<>()).build();
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
            structured = structuredMessage(e.message());
        } else if (e.structure() != null && !e.structure().isEmpty()) {
            throw invalid("Invalid parameter: MessageStructure");
        }
        return new Prepared(e, structured, attributes, size);
    }

    /** MessageStructure=json: one text per protocol, with the {@code default} one required. */
    private static Map<String, String> structuredMessage(String message) {
        JsonNode node;
        try {
            node = JSON.readTree(message);
        } catch (JsonProcessingException ex) {
            throw invalid("Invalid parameter: Message Structure - JSON message body failed to parse");
        }
        if (node == null || !node.isObject()) throw invalid("Invalid parameter: Message Structure - JSON message body failed to parse");
        if (!node.path("default").isTextual()) throw invalid("Invalid parameter: Message Structure - No default entry in JSON message body");
        Map<String, String> structured = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> p : node.properties()) {
            structured.put(p.getKey(), p.getValue().isTextual() ? p.getValue().textValue() : p.getValue().toString());
        }
        return structured;
    }

    private static Map<String, MessageAttribute> messageAttributes(Map<String, MessageAttributeValue> raw, String path) {
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        if (raw == null) return out;
        for (Map.Entry<String, MessageAttributeValue> e : raw.entrySet()) {
            String name = e.getKey();
            validateAttributeName(name);
            MessageAttributeValue value = e.getValue();
            String dataType = value == null ? null : value.dataType();
            if (dataType == null) throw SnsErrors.mustNotBeNull(path + "." + name + ".member.dataType");
            String stringValue = value.stringValue();
            byte[] binaryValue = value.binaryValue();
            switch (baseType(dataType)) {
                case "String", "Number" -> {
                    String base = baseType(dataType);
                    if (binaryValue != null) {
                        throw invalidValue("The message attribute '" + name + "' with type '" + base + "' must use field 'String'.");
                    }
                    if (stringValue == null || stringValue.isEmpty()) {
                        throw invalidValue("The message attribute '" + name
                                + "' must contain non-empty message attribute value for message attribute type '" + base + "'.");
                    }
                    if (base.equals("Number")) {
                        try {
                            new BigDecimal(stringValue.trim());
                        } catch (NumberFormatException ex) {
                            throw invalidValue("Could not cast message attribute '" + name + "' value to number.");
                        }
                    }
                    out.put(name, new MessageAttribute(dataType, stringValue, null));
                }
                case "Binary" -> {
                    if (stringValue != null) {
                        throw invalidValue("The message attribute '" + name + "' with type 'Binary' must use field 'Binary'.");
                    }
                    if (binaryValue == null || binaryValue.length == 0) {
                        throw invalidValue("The message attribute '" + name
                                + "' must contain non-empty message attribute value for message attribute type 'Binary'.");
                    }
                    out.put(name, new MessageAttribute(dataType, null, binaryValue));
                }
                default -> throw invalidValue("The message attribute '" + name
                        + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
            }
        }
        return out;
    }

    /**
     * The base type of a DataType: {@code String}, {@code Number} or {@code Binary}, optionally followed by a dot
     * and a custom label ({@code String.prefixed}); a dot with nothing after it ({@code String.}) is no type at all.
     */
    static String baseType(String dataType) {
        int dot = dataType.indexOf('.');
        if (dot < 0) return dataType;
        return dot == dataType.length() - 1 ? "" : dataType.substring(0, dot);
    }

    private static void validateAttributeName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length >= 256) {
            throw invalidValue("Length of message attribute name must be less than 256 bytes.");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
            if (!ok) {
                throw invalidValue("Invalid non-alphanumeric character '#x" + Integer.toHexString(c).toUpperCase()
                        + "' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.");
            }
            i += Character.charCount(c);
        }
        if (name.startsWith(".")) throw invalidValue("Invalid message attribute name starting with character '.' was found.");
        if (name.endsWith(".")) throw invalidValue("Invalid message attribute name ending with character '.' was found.");
        if (name.contains("..")) throw invalidValue("Message attribute name can not have successive '.' character.");
    }

    private static void checkFifo(Topic topic, Entry e) {
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
            Topic.Deduplicated seen = topic.deduplication.compute(deduplicationId, (k, old) -> old != null && old.expiresAt() >= now ? old
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
            SnsRegion region = resources.regionOf(topic.arn);
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
}
