package dev.polystack.services.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ServiceException;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy document of a browser POST upload: its expiration and its conditions (exact matches,
 * starts-with, content-length-range), checked against the form fields as S3 does, with S3's errors.
 * Signatures are not verified (LocalStack's default); only what the policy says is enforced.
 */
final class PostPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields a policy need not mention (S3's documented exceptions, plus the SigV2 credential). */
    private static final Set<String> EXEMPT = Set.of("file", "policy", "signature", "x-amz-signature", "awsaccesskeyid");

    /** content-length-range bounds, or null when the policy sets none. */
    private final long[] lengthRange;

    private PostPolicy(long[] lengthRange) {
        this.lengthRange = lengthRange;
    }

    /** Decodes and checks the policy against the form fields (lower-case names) and the bucket; the file size is checked later. */
    static PostPolicy check(String encoded, Map<String, String> fields, String bucket, Instant now) {
        JsonNode doc;
        try {
            doc = JSON.readTree(Base64.getMimeDecoder().decode(encoded.trim()));
        } catch (IOException | IllegalArgumentException e) {
            throw invalidPolicy("Invalid Policy: Invalid JSON.");
        }
        if (doc == null || !doc.isObject()) throw invalidPolicy("Invalid Policy: Invalid JSON.");
        JsonNode expiration = doc.get("expiration");
        if (expiration == null || !expiration.isTextual()) throw invalidPolicy("Invalid Policy: Policy missing expiration.");
        Instant expires;
        try {
            expires = OffsetDateTime.parse(expiration.textValue()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalidPolicy("Invalid Policy: Invalid 'expiration' value: '" + expiration.textValue() + "'");
        }
        if (!now.isBefore(expires)) throw denied("Invalid according to Policy: Policy expired.");
        JsonNode list = doc.get("conditions");
        if (list == null || !list.isArray()) throw invalidPolicy("Invalid Policy: Policy missing conditions.");
        List<JsonNode> conditions = new ArrayList<>();
        list.forEach(conditions::add);
        long[] range = null;
        java.util.Set<String> covered = new java.util.HashSet<>();
        for (JsonNode c : conditions) {
            if (c.isObject()) {
                if (c.size() != 1) {
                    throw invalidPolicy("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.");
                }
                Map.Entry<String, JsonNode> e = c.fields().next();
                String name = e.getKey().toLowerCase(Locale.ROOT);
                covered.add(name);
                String expected = e.getValue().asText();
                if (!expected.equals(value(name, fields, bucket))) throw failed(List.of("eq", "$" + e.getKey(), expected));
                continue;
            }
            if (!c.isArray() || c.size() != 3) throw invalidPolicy("Invalid Policy: Invalid Condition: " + c);
            String op = c.get(0).asText().toLowerCase(Locale.ROOT);
            if (op.equals("content-length-range")) {
                range = lengthRange(c);
                continue;
            }
            String ref = c.get(1).asText();
            String expected = c.get(2).asText();
            // a field is referred to as "$name"; anything else refers to no field and cannot hold
            String actual = ref.startsWith("$") ? value(ref.substring(1).toLowerCase(Locale.ROOT), fields, bucket) : null;
            if (ref.startsWith("$")) covered.add(ref.substring(1).toLowerCase(Locale.ROOT));
            boolean holds = switch (op) {
                case "eq" -> expected.equals(actual);
                case "starts-with" -> actual != null && actual.startsWith(expected);
                default -> throw invalidPolicy("Invalid Policy: Invalid Condition: unknown operation " + c.get(0).asText());
            };
            if (!holds) throw failed(List.of(c.get(0).asText(), ref, expected));
        }
        for (String field : fields.keySet()) {
            if (EXEMPT.contains(field) || field.startsWith("x-ignore-") || covered.contains(field)) continue;
            throw denied("Invalid according to Policy: Extra input fields: " + field);
        }
        return new PostPolicy(range);
    }

    /** The value a condition compares: a form field, or the bucket the form is posted to. */
    private static String value(String name, Map<String, String> fields, String bucket) {
        if (name.equals("bucket")) return bucket;
        return fields.get(name);
    }

    private static long[] lengthRange(JsonNode c) {
        try {
            long min = Long.parseLong(c.get(1).asText().trim());
            long max = Long.parseLong(c.get(2).asText().trim());
            return new long[]{min, max};
        } catch (NumberFormatException e) {
            List<Object> shown = new ArrayList<>();
            for (JsonNode n : c) shown.add(n.isNumber() ? n.numberValue() : n.asText());
            throw failed(shown);
        }
    }

    /** Wraps the file's stream so a size outside content-length-range fails the upload before anything is stored. */
    InputStream limit(InputStream file) {
        if (lengthRange == null) return file;
        long min = lengthRange[0], max = lengthRange[1];
        return new java.io.FilterInputStream(file) {
            long count;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) count += n;
                if (count > max) {
                    byte[] scratch = new byte[8192]; // S3 reports the whole proposed size
                    int r;
                    while ((r = in.read(scratch)) > 0) count += r;
                    throw new ServiceException("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400)
                            .with("MaxSizeAllowed", String.valueOf(max)).with("ProposedSize", String.valueOf(count));
                }
                if (n < 0 && count < min) {
                    throw new ServiceException("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400)
                            .with("MinSizeAllowed", String.valueOf(min)).with("ProposedSize", String.valueOf(count));
                }
                return n;
            }
        };
    }

    private static ServiceException failed(List<Object> condition) {
        StringBuilder s = new StringBuilder("Invalid according to Policy: Policy Condition failed: [");
        for (Iterator<Object> it = condition.iterator(); it.hasNext(); ) {
            Object o = it.next();
            s.append(o instanceof Number ? o.toString() : "\"" + o + "\"");
            if (it.hasNext()) s.append(", ");
        }
        return denied(s.append(']').toString());
    }

    private static ServiceException denied(String message) {
        return new ServiceException("AccessDenied", message, 403);
    }

    private static ServiceException invalidPolicy(String message) {
        return new ServiceException("InvalidPolicyDocument", message, 400);
    }
}
