package dev.polystack.services.sns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One message on its way to subscribers: a published notification or a (un)subscribe confirmation.
 * Immutable apart from memoized derived values (parsed body, signatures).
 */
final class SnsMessage {
    static final String NOTIFICATION = "Notification";
    static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
    static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    final String type;
    final String messageId;
    final String topicArn;
    final String subject;
    final String message;
    /** Per-protocol messages for MessageStructure=json, else null. */
    final Map<String, String> structured;
    final Map<String, MessageAttribute> attributes;
    final String groupId;
    final String deduplicationId;
    final String sequenceNumber;
    final Instant timestamp;
    final boolean fifoTopic;
    final String signatureVersion;
    /** Confirmation messages only. */
    final String token;
    final String subscribeUrl;

    /** The publisher's X-Amzn-Trace-Id header, or null; set before the message is handed to delivery. */
    volatile String traceHeader;

    private volatile JsonNode parsedBody;
    private volatile boolean bodyParsed;
    private final Map<String, String> signatures = new ConcurrentHashMap<>(2);

    SnsMessage(String type, String messageId, String topicArn, String subject, String message, Map<String, String> structured,
               Map<String, MessageAttribute> attributes, String groupId, String deduplicationId, String sequenceNumber,
               Instant timestamp, boolean fifoTopic, String signatureVersion, String token, String subscribeUrl) {
        this.type = type;
        this.messageId = messageId;
        this.topicArn = topicArn;
        this.subject = subject;
        this.message = message;
        this.structured = structured;
        this.attributes = attributes == null ? Map.of() : attributes;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.sequenceNumber = sequenceNumber;
        this.timestamp = timestamp;
        this.fifoTopic = fifoTopic;
        this.signatureVersion = signatureVersion == null ? "1" : signatureVersion;
        this.token = token;
        this.subscribeUrl = subscribeUrl;
    }

    boolean notification() {
        return NOTIFICATION.equals(type);
    }

    /** The message text a protocol receives (MessageStructure=json picks the protocol's entry or "default"). */
    String messageFor(String protocol) {
        if (structured == null) return message;
        String specific = structured.get(protocol);
        return specific != null ? specific : structured.get("default");
    }

    /** The default message parsed as JSON, or null when it is not JSON (for body filter policies). */
    JsonNode body() {
        if (!bodyParsed) {
            JsonNode node;
            try {
                node = JSON.readTree(messageFor("default"));
            } catch (Exception e) {
                node = null;
            }
            parsedBody = node;
            bodyParsed = true;
        }
        return parsedBody;
    }

    /**
     * AWS's JSON envelope for one subscriber, fields in AWS's order.
     *
     * @param unsubscribeUrl the subscriber's own unsubscribe link
     * @param signer         null for FIFO topics, whose envelopes carry no signature
     */
    String envelope(String protocol, String subscriptionArn, String unsubscribeUrl, String certUrl, SnsSigner signer) {
        String text = messageFor(protocol);
        StringWriter out = new StringWriter(text.length() + 512);
        try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Type", type);
            g.writeStringField("MessageId", messageId);
            if (notification()) {
                if (sequenceNumber != null) g.writeStringField("SequenceNumber", sequenceNumber);
            } else {
                g.writeStringField("Token", token);
            }
            g.writeStringField("TopicArn", topicArn);
            if (subject != null) g.writeStringField("Subject", subject);
            g.writeStringField("Message", text);
            if (!notification()) g.writeStringField("SubscribeURL", subscribeUrl);
            g.writeStringField("Timestamp", TIMESTAMP.format(timestamp));
            if (signer != null && !fifoTopic) {
                g.writeStringField("SignatureVersion", signatureVersion);
                g.writeStringField("Signature", signature(text, signer));
                g.writeStringField("SigningCertURL", certUrl);
            }
            if (notification()) {
                g.writeStringField("UnsubscribeURL", unsubscribeUrl);
                if (!attributes.isEmpty()) {
                    g.writeObjectFieldStart("MessageAttributes");
                    for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) {
                        g.writeObjectFieldStart(e.getKey());
                        g.writeStringField("Type", e.getValue().dataType());
                        g.writeStringField("Value", e.getValue().envelopeValue());
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** AWS's string to sign: selected "Name\nvalue\n" pairs in a fixed order. */
    private String signature(String text, SnsSigner signer) {
        return signatures.computeIfAbsent(text, t -> {
            StringBuilder s = new StringBuilder(t.length() + 256);
            s.append("Message\n").append(t).append('\n');
            s.append("MessageId\n").append(messageId).append('\n');
            if (notification()) {
                if (subject != null) s.append("Subject\n").append(subject).append('\n');
            } else {
                s.append("SubscribeURL\n").append(subscribeUrl).append('\n');
            }
            s.append("Timestamp\n").append(TIMESTAMP.format(timestamp)).append('\n');
            if (!notification()) s.append("Token\n").append(token).append('\n');
            s.append("TopicArn\n").append(topicArn).append('\n');
            s.append("Type\n").append(type).append('\n');
            return signer.sign(s.toString(), signatureVersion);
        });
    }
}
