package dev.polystack.services.s3;

import dev.polystack.api.ServiceException;
import dev.polystack.services.s3.api.Tag;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Tag sets: parsing the x-amz-tagging header and validating TagSet lists. */
final class Tagging {
    private Tagging() {
    }

    /** Characters AWS allows in tag keys and values (letters, digits, spaces and + - = . _ : / @). */
    private static final java.util.regex.Pattern TAG_TEXT = java.util.regex.Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    static boolean validText(String text) {
        return TAG_TEXT.matcher(text).matches();
    }

    /** {@code k1=v1&k2=v2} (URL-encoded) → [{Key, Value}]. */
    static List<Map<String, Object>> parseHeader(String header) {
        if (header == null || header.isEmpty()) return List.of();
        List<Map<String, Object>> tags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            // a repeated name, or text no tag may hold ("k1=v1,k2=v2" is one tag whose value has "," and "=")
            if (!seen.add(k) || !validText(k) || !validText(v) || v.contains("=")) {
                throw S3Errors.invalidArgument("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query "
                        + "parameters without tag name duplicates.", "x-amz-tagging", header);
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("Key", k);
            t.put("Value", v);
            tags.add(t);
        }
        return tags;
    }

    /** Validates a TagSet from a request body; returns it as a list of {Key, Value}. */
    static List<Map<String, Object>> validate(List<Object> tagSet, boolean objectTags) {
        List<Tag> typed = new ArrayList<>();
        for (Object o : tagSet) {
            if (!(o instanceof Map<?, ?> t)) throw S3Errors.malformedXml();
            Object k = t.get("Key");
            Object v = t.get("Value");
            typed.add(Tag.builder().key(k == null ? null : k.toString()).value(v == null ? null : v.toString()).build());
        }
        return validateTags(typed, objectTags);
    }

    /** Validates a typed TagSet; returns it as stored, a list of {Key, Value}. */
    static List<Map<String, Object>> validateTags(List<Tag> tagSet, boolean objectTags) {
        List<Map<String, Object>> tags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Tag t : tagSet) {
            String k = t.key();
            String v = t.value();
            if (k == null || v == null) throw S3Errors.malformedXml();
            if (k.startsWith("aws:")) {
                if (objectTags) {
                    throw new ServiceException("InvalidTag", "Your TagKey cannot be prefixed with aws:", 400).with("TagKey", k);
                }
                throw new ServiceException("InvalidTag", "System tags cannot be added/updated by requester", 400).with("TagKey", k);
            }
            if (!seen.add(k)) {
                throw new ServiceException("InvalidTag", "Cannot provide multiple Tags with the same key", 400).with("TagKey", k);
            }
            if (!validText(k)) throw new ServiceException("InvalidTag", "The TagKey you have provided is invalid", 400).with("TagKey", k);
            if (!validText(v)) {
                throw new ServiceException("InvalidTag", "The TagValue you have provided is invalid", 400).with("TagKey", k).with("TagValue", v);
            }
            Map<String, Object> tag = new LinkedHashMap<>();
            tag.put("Key", k);
            tag.put("Value", v);
            tags.add(tag);
        }
        if (objectTags && tags.size() > 10) {
            throw new ServiceException("BadRequest", "Object tags cannot be greater than 10", 400);
        }
        return tags;
    }

    /** A stored tag set as the typed TagSet of an answer. */
    static List<Tag> asTags(List<Map<String, Object>> stored) {
        List<Tag> out = new ArrayList<>(stored.size());
        for (Map<String, Object> t : stored) out.add(Tag.builder().key(String.valueOf(t.get("Key"))).value(String.valueOf(t.get("Value"))).build());
        return out;
    }
}
