package dev.polystack.services.s3;

import dev.polystack.api.RequestContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
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

    private static int maxKeys(Map<String, Object> in, String member) {
        Integer m = In.integer(in, member);
        if (m == null) return MAX_KEYS;
        if (m < 0) throw S3Errors.invalidArgument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys", m.toString());
        return Math.min(m, MAX_KEYS);
    }

    static boolean urlEncoding(Map<String, Object> in) {
        String enc = In.str(in, "EncodingType");
        if (enc == null) return false;
        if (!enc.equals("url")) throw S3Errors.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", enc);
        return true;
    }

    Map<String, Object> listObjectsV2(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        boolean url = urlEncoding(in);
        String prefix = orEmpty(In.str(in, "Prefix"));
        String delimiter = In.str(in, "Delimiter");
        String token = In.str(in, "ContinuationToken");
        String startAfter = In.str(in, "StartAfter");
        int max = maxKeys(in, "MaxKeys");
        String after = token != null ? decodeToken(token) : emptyToNull(startAfter);
        Page page = max == 0 ? new Page(List.of(), false, null) : walk(bucket.objects, prefix, delimiter, after, max, false);
        boolean fetchOwner = In.bool(in, "FetchOwner");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("IsTruncated", page.truncated());
        out.put("Name", bucket.name);
        out.put("Prefix", enc(prefix, url));
        if (delimiter != null) out.put("Delimiter", enc(delimiter, url));
        out.put("MaxKeys", In.integer(in, "MaxKeys") == null ? MAX_KEYS : In.integer(in, "MaxKeys"));
        if (url) out.put("EncodingType", "url");
        out.put("KeyCount", page.items().size());
        if (token != null) out.put("ContinuationToken", token);
        if (page.truncated()) out.put("NextContinuationToken", encodeToken(page.lastItem()));
        if (startAfter != null && token == null) out.put("StartAfter", enc(startAfter, url)); // a token supersedes it: not echoed
        fill(out, page, url, fetchOwner);
        return out;
    }

    Map<String, Object> listObjects(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        boolean url = urlEncoding(in);
        String prefix = orEmpty(In.str(in, "Prefix"));
        String delimiter = In.str(in, "Delimiter");
        String marker = In.str(in, "Marker");
        int max = maxKeys(in, "MaxKeys");
        Page page = max == 0 ? new Page(List.of(), false, null) : walk(bucket.objects, prefix, delimiter, emptyToNull(marker), max, false);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("IsTruncated", page.truncated());
        out.put("Marker", enc(orEmpty(marker), url));
        if (page.truncated() && delimiter != null) out.put("NextMarker", enc(page.lastItem(), url));
        out.put("Name", bucket.name);
        out.put("Prefix", enc(prefix, url));
        if (delimiter != null && !delimiter.isEmpty()) out.put("Delimiter", enc(delimiter, url)); // an empty one is not echoed (recorded)
        out.put("MaxKeys", In.integer(in, "MaxKeys") == null ? MAX_KEYS : In.integer(in, "MaxKeys"));
        if (url) out.put("EncodingType", "url");
        fill(out, page, url, true);
        return out;
    }

    private static void fill(Map<String, Object> out, Page page, boolean url, boolean owner) {
        List<Object> contents = new ArrayList<>();
        List<Object> prefixes = new ArrayList<>();
        for (Object item : page.items()) {
            if (item instanceof Prefix p) {
                prefixes.add(Map.of("Prefix", enc(p.prefix(), url)));
                continue;
            }
            ObjectVersion v = (ObjectVersion) item;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Key", enc(v.key, url));
            c.put("LastModified", v.lastModified);
            c.put("ETag", v.etag);
            if (v.checksumAlgorithm != null) {
                c.put("ChecksumAlgorithm", List.of(v.checksumAlgorithm.name()));
                c.put("ChecksumType", v.checksumType);
            }
            c.put("Size", v.size);
            c.put("StorageClass", v.storageClass);
            if (owner) c.put("Owner", S3State.owner(v.ownerAccount));
            contents.add(c);
        }
        if (!contents.isEmpty()) out.put("Contents", contents);
        if (!prefixes.isEmpty()) out.put("CommonPrefixes", prefixes);
    }

    Map<String, Object> listObjectVersions(RequestContext ctx, Map<String, Object> in) {
        Bucket bucket = state.bucket(ctx, In.str(in, "Bucket"));
        boolean url = urlEncoding(in);
        String prefix = orEmpty(In.str(in, "Prefix"));
        String delimiter = In.str(in, "Delimiter");
        String keyMarker = emptyToNull(In.str(in, "KeyMarker"));
        String versionIdMarker = emptyToNull(In.str(in, "VersionIdMarker"));
        if (versionIdMarker != null && keyMarker == null) {
            throw S3Errors.invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker",
                    versionIdMarker);
        }
        int max = maxKeys(in, "MaxKeys");
        List<Object> versions = new ArrayList<>();
        List<Object> markers = new ArrayList<>();
        List<Object> prefixes = new ArrayList<>();
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
            Object item = page.items().get(0);
            if (item instanceof Prefix p) {
                if (count >= max) {
                    truncated = true;
                    break;
                }
                prefixes.add(Map.of("Prefix", enc(p.prefix(), url)));
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("IsTruncated", truncated);
        out.put("KeyMarker", enc(orEmpty(keyMarker), url));
        out.put("VersionIdMarker", orEmpty(versionIdMarker));
        if (truncated) {
            out.put("NextKeyMarker", enc(nextKey, url));
            if (nextVersion != null) out.put("NextVersionIdMarker", nextVersion);
        }
        if (!versions.isEmpty()) out.put("Versions", versions);
        if (!markers.isEmpty()) out.put("DeleteMarkers", markers);
        out.put("Name", bucket.name);
        out.put("Prefix", enc(prefix, url));
        if (delimiter != null) out.put("Delimiter", enc(delimiter, url));
        out.put("MaxKeys", In.integer(in, "MaxKeys") == null ? MAX_KEYS : In.integer(in, "MaxKeys"));
        if (!prefixes.isEmpty()) out.put("CommonPrefixes", prefixes);
        if (url) out.put("EncodingType", "url");
        return out;
    }

    private static void addVersion(ObjectVersion v, KeyEntry entry, List<Object> versions, List<Object> markers, boolean url) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (v.deleteMarker) {
            m.put("Owner", S3State.owner(v.ownerAccount));
            m.put("Key", enc(v.key, url));
            m.put("VersionId", v.versionId);
            m.put("IsLatest", entry.latest() == v);
            m.put("LastModified", v.lastModified);
            markers.add(m);
            return;
        }
        m.put("ETag", v.etag);
        if (v.checksumAlgorithm != null) {
            m.put("ChecksumAlgorithm", List.of(v.checksumAlgorithm.name()));
            m.put("ChecksumType", v.checksumType);
        }
        m.put("Size", v.size);
        m.put("StorageClass", v.storageClass);
        m.put("Key", enc(v.key, url));
        m.put("VersionId", v.versionId);
        m.put("IsLatest", entry.latest() == v);
        m.put("LastModified", v.lastModified);
        m.put("Owner", S3State.owner(v.ownerAccount));
        versions.add(m);
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
