package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;
import dev.polystack.services.s3.api.CommonPrefix;
import dev.polystack.services.s3.api.DeleteMarkerEntry;
import dev.polystack.services.s3.api.ListObjectVersionsOutput;
import dev.polystack.services.s3.api.ListObjectVersionsRequest;
import dev.polystack.services.s3.api.ListObjectsOutput;
import dev.polystack.services.s3.api.ListObjectsRequest;
import dev.polystack.services.s3.api.ListObjectsV2Output;
import dev.polystack.services.s3.api.ListObjectsV2Request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * ListObjects (v1, v2) and ListObjectVersions. A page is a walk over the sorted key map from the
 * starting key, jumping over every key of a common prefix at once, so its cost depends on the page
 * size, not on the bucket size.
 */
final class ListOps {
    private static final int MAX_KEYS = 1000;
    private final S3State state;

    ListOps(S3State state) {
        this.state = state;
    }

    /** One page: latest versions (or all versions) and common prefixes, in key order. */
    private record Page(List<Object> items, boolean truncated, String lastItem) {
    }

    /** A rolled-up common prefix in a page. */
    private record Prefix(String prefix) {
    }

    /**
     * Walks keys after {@code after} (exclusive; null from the start) under {@code prefix}, rolling keys
     * up at {@code delimiter}, collecting up to {@code max} entries.
     */
    private static Page walk(ConcurrentSkipListMap<String, KeyEntry> objects, String prefix, String delimiter, String after,
                             int max, boolean versions) {
        List<Object> items = new ArrayList<>();
        String last = null;
        // Consecutive keys come from an iterator over the map's tail (one step each); only a jump past a common
        // prefix searches the map again (a search per key was a quarter of a 1,000-key page's CPU).
        java.util.Iterator<Map.Entry<String, KeyEntry>> it;
        if (after != null && KeyOrder.INSTANCE.compare(after, prefix) >= 0) it = objects.tailMap(after, false).entrySet().iterator();
        else it = objects.tailMap(prefix, true).entrySet().iterator();
        boolean useDelimiter = delimiter != null && !delimiter.isEmpty();
        while (it.hasNext()) {
            Map.Entry<String, KeyEntry> e = it.next();
            String key = e.getKey();
            if (!key.startsWith(prefix)) break;
            if (useDelimiter) {
                int idx = key.indexOf(delimiter, prefix.length());
                if (idx >= 0) {
                    String cp = key.substring(0, idx + delimiter.length());
                    String next = successor(cp);
                    boolean alreadyListed = after != null && KeyOrder.INSTANCE.compare(cp, after) <= 0;
                    if (!alreadyListed) {
                        if (items.size() >= max) return new Page(items, true, last);
                        items.add(new Prefix(cp));
                        last = cp;
                    }
                    it = (next != null ? objects.tailMap(next, true) : objects.tailMap(key, false)).entrySet().iterator();
                    continue;
                }
            }
            KeyEntry entry = e.getValue();
            if (versions) {
                if (items.size() >= max) return new Page(items, true, last);
                items.add(entry);
                last = key;
            } else if (!entry.latest().deleteMarker) {
                if (items.size() >= max) return new Page(items, true, last);
                items.add(entry.latest());
                last = key;
            }
        }
        return new Page(items, false, last);
    }

    /** The smallest string greater than every string starting with {@code s} (null when not computable simply). */
    static String successor(String s) {
        char c = s.charAt(s.length() - 1);
        if (c == Character.MAX_VALUE || Character.isSurrogate(c) || c + 1 == Character.MIN_SURROGATE) return null;
        return s.substring(0, s.length() - 1) + (char) (c + 1);
    }

    /** The page size asked for, capped at 1,000; null asks for 1,000. */
    private static int maxKeys(Integer m) {
        if (m == null) return MAX_KEYS;
        if (m < 0) throw S3Errors.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", m.toString());
        return Math.min(m, MAX_KEYS);
    }

    static boolean urlEncoding(Map<String, Object> in) {
        return urlEncoding(In.str(in, "EncodingType"));
    }

    /** Whether keys are answered URL-encoded (encoding-type=url); any other encoding is refused. */
    static boolean urlEncoding(String enc) {
        if (enc == null) return false;
        if (!enc.equals("url")) throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", enc);
        return true;
    }

    ListObjectsV2Output listObjectsV2(RequestContext ctx, ListObjectsV2Request in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        boolean url = urlEncoding(in.encodingTypeAsString());
        String prefix = orEmpty(in.prefix());
        String delimiter = in.delimiter();
        String token = in.continuationToken();
        String startAfter = in.startAfter();
        int max = maxKeys(in.maxKeys());
        String after = token != null ? decodeToken(token) : emptyToNull(startAfter);
        Page page = max == 0 ? new Page(List.of(), false, null) : walk(bucket.objects, prefix, delimiter, after, max, false);
        boolean fetchOwner = Boolean.TRUE.equals(in.fetchOwner());
        return ListObjectsV2Output.builder()
                .isTruncated(page.truncated())
                .name(bucket.name)
                .prefix(enc(prefix, url))
                .delimiter(enc(delimiter, url))
                .maxKeys(in.maxKeys() == null ? MAX_KEYS : in.maxKeys())
                .encodingType(url ? "url" : null)
                .keyCount(page.items().size())
                .continuationToken(token)
                .nextContinuationToken(page.truncated() ? encodeToken(page.lastItem()) : null)
                .startAfter(token == null ? enc(startAfter, url) : null) // a token supersedes it: not echoed
                .contents(contents(page, url, fetchOwner))
                .commonPrefixes(commonPrefixes(page, url))
                .build();
    }

    ListObjectsOutput listObjects(RequestContext ctx, ListObjectsRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        boolean url = urlEncoding(in.encodingTypeAsString());
        String prefix = orEmpty(in.prefix());
        String delimiter = in.delimiter();
        String marker = in.marker();
        int max = maxKeys(in.maxKeys());
        Page page = max == 0 ? new Page(List.of(), false, null) : walk(bucket.objects, prefix, delimiter, emptyToNull(marker), max, false);
        return ListObjectsOutput.builder()
                .isTruncated(page.truncated())
                .marker(enc(orEmpty(marker), url))
                .nextMarker(page.truncated() && delimiter != null ? enc(page.lastItem(), url) : null)
                .name(bucket.name)
                .prefix(enc(prefix, url))
                .delimiter(delimiter != null && !delimiter.isEmpty() ? enc(delimiter, url) : null) // an empty one is not echoed (recorded)
                .maxKeys(in.maxKeys() == null ? MAX_KEYS : in.maxKeys())
                .encodingType(url ? "url" : null)
                .contents(contents(page, url, true))
                .commonPrefixes(commonPrefixes(page, url))
                .build();
    }

    /** A page's objects as listed (null for none: S3 leaves the element out). */
    private static List<dev.polystack.services.s3.api.Object> contents(Page page, boolean url, boolean owner) {
        List<dev.polystack.services.s3.api.Object> contents = new ArrayList<>();
        for (java.lang.Object item : page.items()) {
            if (!(item instanceof ObjectVersion v)) continue;
            contents.add(dev.polystack.services.s3.api.Object.builder()
                    .key(enc(v.key, url))
                    .lastModified(v.lastModified)
                    .eTag(v.etag)
                    .checksumAlgorithm(v.checksumAlgorithm == null ? null : List.of(v.checksumAlgorithm.name()))
                    .checksumType(v.checksumAlgorithm == null ? null : v.checksumType)
                    .size(v.size)
                    .storageClass(v.storageClass)
                    .owner(owner ? BucketOps.owner(v.ownerAccount) : null)
                    .build());
        }
        return contents.isEmpty() ? null : contents;
    }

    /** A page's common prefixes (null for none). */
    private static List<CommonPrefix> commonPrefixes(Page page, boolean url) {
        List<CommonPrefix> prefixes = new ArrayList<>();
        for (java.lang.Object item : page.items()) {
            if (item instanceof Prefix p) prefixes.add(CommonPrefix.builder().prefix(enc(p.prefix(), url)).build());
        }
        return prefixes.isEmpty() ? null : prefixes;
    }

    ListObjectVersionsOutput listObjectVersions(RequestContext ctx, ListObjectVersionsRequest in) {
        Bucket bucket = state.bucket(ctx, in.bucket());
        boolean url = urlEncoding(in.encodingTypeAsString());
        String prefix = orEmpty(in.prefix());
        String delimiter = in.delimiter();
        String keyMarker = emptyToNull(in.keyMarker());
        String versionIdMarker = emptyToNull(in.versionIdMarker());
        if (versionIdMarker != null && keyMarker == null) {
            throw S3Errors.invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker",
                    versionIdMarker);
        }
        int max = maxKeys(in.maxKeys());
        List<dev.polystack.services.s3.api.ObjectVersion> versions = new ArrayList<>();
        List<DeleteMarkerEntry> markers = new ArrayList<>();
        List<CommonPrefix> prefixes = new ArrayList<>();
        int count = 0;
        boolean truncated = false;
        String nextKey = null;
        String nextVersion = null;
        // resume inside the key of the marker when a version id marker is given
        String after = keyMarker;
        if (keyMarker != null && versionIdMarker != null) {
            KeyEntry entry = bucket.objects.get(keyMarker);
            if (entry != null) {
                boolean past = false;
                for (ObjectVersion v : entry.versions()) {
                    if (past) {
                        if (count >= max) {
                            truncated = true;
                            break;
                        }
                        addVersion(v, entry, versions, markers, url);
                        nextKey = v.key;
                        nextVersion = v.versionId;
                        count++;
                    } else if (v.versionId.equals(versionIdMarker)) {
                        past = true;
                    }
                }
            }
        }
        while (!truncated) {
            Page page = walk(bucket.objects, prefix, delimiter, after, 1, true);
            if (page.items().isEmpty()) break;
            java.lang.Object item = page.items().get(0);
            if (item instanceof Prefix p) {
                if (count >= max) {
                    truncated = true;
                    break;
                }
                prefixes.add(CommonPrefix.builder().prefix(enc(p.prefix(), url)).build());
                nextKey = p.prefix();
                nextVersion = null;
                count++;
                after = p.prefix();
                continue;
            }
            KeyEntry entry = (KeyEntry) item;
            for (ObjectVersion v : entry.versions()) {
                if (count >= max) {
                    truncated = true;
                    break;
                }
                addVersion(v, entry, versions, markers, url);
                nextKey = v.key;
                nextVersion = v.versionId;
                count++;
            }
            after = entry.latest().key;
        }
        return ListObjectVersionsOutput.builder()
                .isTruncated(truncated)
                .keyMarker(enc(orEmpty(keyMarker), url))
                .versionIdMarker(orEmpty(versionIdMarker))
                .nextKeyMarker(truncated ? enc(nextKey, url) : null)
                .nextVersionIdMarker(truncated ? nextVersion : null)
                .versions(versions.isEmpty() ? null : versions)
                .deleteMarkers(markers.isEmpty() ? null : markers)
                .name(bucket.name)
                .prefix(enc(prefix, url))
                .delimiter(enc(delimiter, url))
                .maxKeys(in.maxKeys() == null ? MAX_KEYS : in.maxKeys())
                .commonPrefixes(prefixes.isEmpty() ? null : prefixes)
                .encodingType(url ? "url" : null)
                .build();
    }

    private static void addVersion(ObjectVersion v, KeyEntry entry, List<dev.polystack.services.s3.api.ObjectVersion> versions,
                                   List<DeleteMarkerEntry> markers, boolean url) {
        if (v.deleteMarker) {
            markers.add(DeleteMarkerEntry.builder().owner(BucketOps.owner(v.ownerAccount)).key(enc(v.key, url))
                    .versionId(v.versionId).isLatest(entry.latest() == v).lastModified(v.lastModified).build());
            return;
        }
        versions.add(dev.polystack.services.s3.api.ObjectVersion.builder()
                .eTag(v.etag)
                .checksumAlgorithm(v.checksumAlgorithm == null ? null : List.of(v.checksumAlgorithm.name()))
                .checksumType(v.checksumAlgorithm == null ? null : v.checksumType)
                .size(v.size)
                .storageClass(v.storageClass)
                .key(enc(v.key, url))
                .versionId(v.versionId)
                .isLatest(entry.latest() == v)
                .lastModified(v.lastModified)
                .owner(BucketOps.owner(v.ownerAccount))
                .build());
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String encodeToken(String lastItem) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("1:" + lastItem).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (s.startsWith("1:")) return s.substring(2);
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw S3Errors.invalidArgument("The continuation token provided is incorrect", "continuation-token", null);
    }

    /** encoding-type=url: percent-encode everything but unreserved characters and '/'. */
    static String enc(String s, boolean url) {
        if (!url || s == null) return s;
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                    || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
