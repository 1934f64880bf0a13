package dev.polystack.services.kms;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsInput.*;
import static dev.polystack.services.kms.KmsPaging.page;

/** Key tags, with AWS's validation order and limits. */
final class KmsTags {
    private static final int MAX_TAGS = 50;

    private final KmsKeyStore keys;

    KmsTags(KmsKeyStore keys) {
        this.keys = keys;
    }

    static LinkedHashMap<String, String> validateTags(Object tagsValue, LinkedHashMap<String, String> into) {
        if (!(tagsValue instanceof List<?> tags)) return into;
        int i = 0;
        for (Object t : tags) {
            i++;
            Map<?, ?> tag = (Map<?, ?>) t;
            String k = Objects.toString(tag.get("TagKey"), null);
            String v = Objects.toString(tag.get("TagValue"), null);
            if (k == null) throw validation("1 validation error detected: Value null at 'tags." + i + ".member.tagKey' failed to satisfy constraint: Member must not be null");
            if (v == null) throw validation("1 validation error detected: Value null at 'tags." + i + ".member.tagValue' failed to satisfy constraint: Member must not be null");
            KmsInput.stringLength("tags." + i + ".member.tagKey", k, 1, 128);
            KmsInput.stringLength("tags." + i + ".member.tagValue", v, 0, 256);
        }
        if (tags.size() > MAX_TAGS) throw new ServiceException("TagException", "Too many tags");
        HashSet<String> seen = new HashSet<>();
        LinkedHashMap<String, String> parsed = new LinkedHashMap<>();
        for (Object t : tags) {
            Map<?, ?> tag = (Map<?, ?>) t;
            String k = tag.get("TagKey").toString();
            if (k.regionMatches(true, 0, "aws:", 0, 4)) throw new ServiceException("TagException", "Tags beginning with aws: are reserved");
            if (!seen.add(k)) throw new ServiceException("TagException", "Duplicate tag keys");
            parsed.put(k, tag.get("TagValue").toString());
        }
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(into);
        merged.putAll(parsed);
        if (merged.size() > MAX_TAGS) throw new ServiceException("TagException", "Too many tags");
        return merged;
    }

    Map<String, Object> tagResource(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.tags = validateTags(in.get("Tags"), key.tags);
        }
        return Map.of();
    }

    Map<String, Object> untagResource(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            LinkedHashMap<String, String> next = new LinkedHashMap<>(key.tags);
            for (Object k : KmsInput.list(in, "TagKeys")) next.remove(k.toString());
            key.tags = next;
        }
        return Map.of();
    }

    Map<String, Object> listResourceTags(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        List<Map.Entry<String, String>> tags;
        synchronized (key) {
            tags = List.copyOf(key.tags.entrySet());
        }
        return page(in, tags, "Tags", e -> Map.of("TagKey", e.getKey(), "TagValue", e.getValue()));
    }
}
