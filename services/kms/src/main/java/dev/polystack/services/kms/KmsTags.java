package dev.polystack.services.kms;

import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.kms.api.ListResourceTagsRequest;
import dev.polystack.services.kms.api.ListResourceTagsResponse;
import dev.polystack.services.kms.api.Tag;
import dev.polystack.services.kms.api.TagResourceRequest;
import dev.polystack.services.kms.api.UntagResourceRequest;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.kms.KmsErrors.*;
import static dev.polystack.services.kms.KmsValidation.*;
import static dev.polystack.services.kms.KmsPaging.page;

/** Key tags, with AWS's validation order and limits. */
final class KmsTags {
    private static final int MAX_TAGS = 50;

    private final KmsKeyStore keys;

    KmsTags(KmsKeyStore keys) {
        this.keys = keys;
    }

    /** {@code into} with {@code tags} merged in, after AWS's checks (null tags: {@code into} itself). */
    static LinkedHashMap<String, String> validateTags(List<Tag> tags, LinkedHashMap<String, String> into) {
        if (tags == null) return into;
        int i = 0;
        for (Tag tag : tags) {
            i++;
            String k = tag == null ? null : tag.tagKey();
            String v = tag == null ? null : tag.tagValue();
            if (k == null) throw validation("1 validation error detected: Value null at 'tags." + i + ".member.tagKey' failed to satisfy constraint: Member must not be null");
            if (v == null) throw validation("1 validation error detected: Value null at 'tags." + i + ".member.tagValue' failed to satisfy constraint: Member must not be null");
            stringLength("tags." + i + ".member.tagKey", k, 1, 128);
            stringLength("tags." + i + ".member.tagValue", v, 0, 256);
        }
        if (tags.size() > MAX_TAGS) throw new ServiceException("TagException", "Too many tags");
        HashSet<String> seen = new HashSet<>();
        LinkedHashMap<String, String> parsed = new LinkedHashMap<>();
        for (Tag tag : tags) {
            String k = tag.tagKey();
            if (k.regionMatches(true, 0, "aws:", 0, 4)) throw new ServiceException("TagException", "Tags beginning with aws: are reserved");
            if (!seen.add(k)) throw new ServiceException("TagException", "Duplicate tag keys");
            parsed.put(k, tag.tagValue());
        }
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(into);
        merged.putAll(parsed);
        if (merged.size() > MAX_TAGS) throw new ServiceException("TagException", "Too many tags");
        return merged;
    }

    static List<Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().tagKey(e.getKey()).tagValue(e.getValue()).build()).toList();
    }

    void tagResource(RequestContext ctx, TagResourceRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.tags = validateTags(in.tags(), key.tags);
        }
    }

    void untagResource(RequestContext ctx, UntagResourceRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            LinkedHashMap<String, String> next = new LinkedHashMap<>(key.tags);
            if (in.tagKeys() != null) in.tagKeys().forEach(next::remove);
            key.tags = next;
        }
    }

    ListResourceTagsResponse listResourceTags(RequestContext ctx, ListResourceTagsRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        List<Map.Entry<String, String>> tags;
        synchronized (key) {
            tags = List.copyOf(key.tags.entrySet());
        }
        var page = page(in.limit(), in.marker(), tags, e -> Tag.builder().tagKey(e.getKey()).tagValue(e.getValue()).build());
        return ListResourceTagsResponse.builder().tags(page.items()).truncated(page.truncated()).nextMarker(page.nextMarker()).build();
    }
}
