package dev.polystack.services.sqs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The digests SQS returns: MD5 of the body, and AWS's MD5 of message (or system) attributes: for each
 * attribute in name order, the 4-byte big-endian length and UTF-8 bytes of its name, then of its data
 * type, then one transport byte (1 string/number, 2 binary), then the length and bytes of the value.
 */
final class MessageMd5 {
    private static final HexFormat HEX = HexFormat.of();

    private MessageMd5() {
    }

    static String ofBody(String body) {
        return HEX.formatHex(md5().digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Null when there are no attributes (SQS then leaves the digest out). */
    static String ofAttributes(Map<String, MessageAttribute> attributes) {
        if (attributes == null || attributes.isEmpty()) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        for (Map.Entry<String, MessageAttribute> e : new TreeMap<>(attributes).entrySet()) {
            MessageAttribute a = e.getValue();
            writeLengthPrefixed(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            writeLengthPrefixed(out, a.dataType().getBytes(StandardCharsets.UTF_8));
            if (a.isBinary()) {
                out.write(2);
                writeLengthPrefixed(out, a.binaryValue());
            } else {
                out.write(1);
                writeLengthPrefixed(out, a.stringValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HEX.formatHex(md5().digest(out.toByteArray()));
    }

    private static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(bytes, 0, n);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
