package dev.polystack.services.sqs;

import dev.polystack.services.sqs.api.MessageAttributeValue;
import dev.polystack.services.sqs.api.MessageSystemAttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a SendMessage request (or one SendMessageBatch entry) into a message, enforcing SQS's rules on
 * the body's characters and size, message attributes, group and deduplication ids, and delays.
 */
final class MessageFactory {
    private MessageFactory() {
    }

    /** A validated message plus the per-message delay the request asked for (null: the queue's). */
    record Draft(SqsMessage message, Integer delaySeconds, int size) {
    }

    /**
     * @param batch       true for a SendMessageBatch entry (size errors are worded differently there)
     * @param traceHeader the request's {@code X-Amzn-Trace-Id} header (null if none): becomes the message's
     *                    {@code AWSTraceHeader} system attribute unless the request sets that attribute itself. As on
     *                    AWS it does not count towards {@code MD5OfMessageSystemAttributes}, which covers only the
     *                    attributes sent.
     */
    static Draft create(SqsQueue queue, String body, Map<String, MessageAttributeValue> messageAttributes,
                        Map<String, MessageSystemAttributeValue> messageSystemAttributes, Integer delay, String groupId,
                        String dedupId, String senderId, boolean batch, long now, String traceHeader) {
        if (body == null || body.isEmpty()) throw SqsErrors.missingParameter("MessageBody");
        int size = checkCharactersAndMeasure(body);

        Map<String, MessageAttribute> attributes = attributes(messageAttributes);
        for (Map.Entry<String, MessageAttribute> e : attributes.entrySet()) size += e.getValue().size(e.getKey());
        Map<String, MessageAttribute> systemAttributes = systemAttributes(messageSystemAttributes);

        int maxSize = Integer.parseInt(queue.attribute("MaximumMessageSize"));
        if (size > maxSize) {
            throw SqsErrors.invalidParameterValue("One or more parameters " + (batch ? "cannot be validated" : "are invalid")
                    + ". Reason: Message must be shorter than " + maxSize + " bytes.");
        }

        if (groupId != null) checkId("MessageGroupId", groupId);
        if (dedupId != null) checkId("MessageDeduplicationId", dedupId);
        if (queue.fifo) {
            if (delay != null && delay != 0) {
                throw SqsErrors.invalidParameter("DelaySeconds", delay,
                        "The request include parameter that is not valid for this queue type.");
            }
            delay = null;
            if (groupId == null) {
                throw batch ? SqsErrors.invalidParameterValue("The request must contain the parameter MessageGroupId.")
                        : SqsErrors.missingParameter("MessageGroupId");
            }
            if (dedupId == null) {
                if (!"true".equals(queue.attribute("ContentBasedDeduplication"))) {
                    throw SqsErrors.invalidParameterValue("The queue should either have ContentBasedDeduplication enabled "
                            + "or MessageDeduplicationId provided explicitly");
                }
                dedupId = sha256(body);
            }
        } else {
            if (dedupId != null) {
                throw SqsErrors.invalidParameter("MessageDeduplicationId", dedupId,
                        "The request include parameter that is not valid for this queue type");
            }
            if (delay != null && (delay < 0 || delay > SqsLimits.MAX_DELAY_SECONDS)) {
                throw SqsErrors.invalidParameter("DelaySeconds", delay, "DelaySeconds must be >= 0 and <= 900");
            }
        }
        String md5OfSystemAttributes = MessageMd5.ofAttributes(systemAttributes);
        if (traceHeader != null && !traceHeader.isBlank() && !systemAttributes.containsKey("AWSTraceHeader")) {
            systemAttributes = new LinkedHashMap<>(systemAttributes);
            systemAttributes.put("AWSTraceHeader", new MessageAttribute("String", traceHeader, null));
        }
        SqsMessage m = new SqsMessage(newMessageId(), body, MessageMd5.ofBody(body), attributes,
                MessageMd5.ofAttributes(attributes), systemAttributes, md5OfSystemAttributes,
                now, senderId, groupId, queue.fifo ? dedupId : null, null);
        return new Draft(m, delay, size);
    }

    /** The first code point outside SQS's allowed set (as for bodies), or -1. */
    private static int firstInvalidCharacter(String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if ((cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) || (cp >= 0xD800 && cp <= 0xDFFF)
                    || cp == 0xFFFE || cp == 0xFFFF) {
                return cp;
            }
        }
        return -1;
    }

    /** UTF-8 size of the body; throws InvalidMessageContents for characters outside SQS's set. */
    private static int checkCharactersAndMeasure(String body) {
        int size = 0;
        for (int i = 0; i < body.length(); ) {
            int cp = body.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                if (cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) throw SqsErrors.invalidMessageContents(cp);
                size += 1;
            } else if (cp < 0x800) {
                size += 2;
            } else if (cp < 0x10000) {
                if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) throw SqsErrors.invalidMessageContents(cp);
                size += 3;
            } else {
                size += 4;
            }
        }
        return size;
    }

    static Map<String, MessageAttribute> attributes(Map<String, MessageAttributeValue> map) {
        if (map == null || map.isEmpty()) return Map.of();
        if (map.size() > SqsLimits.MAX_MESSAGE_ATTRIBUTES) {
            throw SqsErrors.invalidParameterValue("Number of message attributes [" + map.size()
                    + "] exceeds the allowed maximum [" + SqsLimits.MAX_MESSAGE_ATTRIBUTES + "].");
        }
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (Map.Entry<String, MessageAttributeValue> e : map.entrySet()) {
            String name = e.getKey();
            checkAttributeName(name);
            MessageAttributeValue v = e.getValue();
            out.put(name, v == null ? attribute(name, null, null, null, "user")
                    : attribute(name, v.dataType(), v.stringValue(), v.binaryValue(), "user"));
        }
        return out;
    }

    private static Map<String, MessageAttribute> systemAttributes(Map<String, MessageSystemAttributeValue> map) {
        if (map == null || map.isEmpty()) return Map.of();
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (Map.Entry<String, MessageSystemAttributeValue> e : map.entrySet()) {
            String name = e.getKey();
            if (!name.equals("AWSTraceHeader")) {
                throw SqsErrors.invalidParameterValue("Message system attribute name '" + name + "' is invalid.");
            }
            MessageSystemAttributeValue v = e.getValue();
            MessageAttribute a = v == null ? attribute(name, null, null, null, "system")
                    : attribute(name, v.dataType(), v.stringValue(), v.binaryValue(), "system");
            if (!a.dataType().equals("String")) {
                throw SqsErrors.invalidParameterValue("Message system attribute '" + name + "' has an invalid data type: "
                        + a.dataType() + ". Only String is supported.");
            }
            out.put(name, a);
        }
        return out;
    }

    private static MessageAttribute attribute(String name, String dataType, String stringValue, byte[] binaryValue, String kind) {
        if (dataType == null || dataType.isEmpty()) {
            throw SqsErrors.invalidParameterValue("The message attribute '" + name + "' must contain non-empty message attribute type.");
        }
        String base = dataType.contains(".") ? dataType.substring(0, dataType.indexOf('.')) : dataType;
        switch (base) {
            case "String", "Number" -> {
                String s = stringValue;
                if (s == null || s.isEmpty()) {
                    throw SqsErrors.invalidParameterValue("Message (" + kind + ") attribute '" + name
                            + "' must contain a non-empty value of type '" + base + "'.");
                }
                int bad = firstInvalidCharacter(s);
                if (bad >= 0) throw SqsErrors.invalidAttributeValueCharacter(bad);
                if (base.equals("Number")) checkNumber(name, s);
                return new MessageAttribute(dataType, s, null);
            }
            case "Binary" -> {
                byte[] bytes = binaryValue;
                if (bytes == null || bytes.length == 0) {
                    throw SqsErrors.invalidParameterValue("Message (" + kind + ") attribute '" + name
                            + "' must contain a non-empty value of type 'Binary'.");
                }
                return new MessageAttribute(dataType, null, bytes);
            }
            default -> throw SqsErrors.invalidParameterValue("The type of message (" + kind + ") attribute '" + name
                    + "' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
        }
    }

    private static void checkNumber(String name, String value) {
        try {
            new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw SqsErrors.invalidParameterValue("Can't cast the value of message (user) attribute '" + name + "' to a number.");
        }
    }

    private static void checkAttributeName(String name) {
        boolean valid = !name.isEmpty() && name.length() <= 256 && !name.startsWith(".") && !name.endsWith(".")
                && !name.contains("..");
        for (int i = 0; valid && i < name.length(); i++) {
            char c = name.charAt(i);
            valid = Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
        }
        if (!valid) {
            throw SqsErrors.invalidParameterValue("Message (user) attribute name '" + name + "' is invalid. "
                    + "The attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            throw SqsErrors.invalidParameterValue("Message (user) attribute name '" + name
                    + "' is reserved for use by AWS and Amazon.");
        }
    }

    /** Group and deduplication ids: 1 to 128 alphanumeric or punctuation characters. */
    private static void checkId(String parameter, String value) {
        boolean valid = !value.isEmpty() && value.length() <= 128;
        for (int i = 0; valid && i < value.length(); i++) {
            char c = value.charAt(i);
            valid = c > 0x20 && c < 0x7F;
        }
        if (!valid) {
            throw SqsErrors.invalidParameter(parameter, value,
                    parameter + " can only include alphanumeric and punctuation characters. 1 to 128 in length.");
        }
    }

    /** A random (version 4) UUID without SecureRandom's cost: message ids need uniqueness, not secrecy. */
    static String newMessageId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
