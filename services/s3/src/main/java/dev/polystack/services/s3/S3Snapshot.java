package dev.polystack.services.s3;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.services.s3.storage.BlobStore;
import dev.polystack.services.s3.storage.DiskBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3's persisted state, format version {@value #VERSION} (JSON):
 * <pre>
 * { "format": "polystack-s3", "version": 1, "durableBlobs": true|false,
 *   "buckets": [ { "partition", "name", "accountId", "region", "created", "locationConstraint", "objectLockEnabled",
 *                  "versioning", "mfaDelete", "configurations": {name: tree},
 *                  "keys": [ { "key", "versions": [ version, ... newest first ] } ],
 *                  "uploads": [ { upload fields, "parts": [ part, ... ] } ] } ],
 *   "blobs": { blobId: base64 }   (only when the blob store is not durable: the bytes travel in the snapshot) }
 * </pre>
 * Trees keep their types: timestamps as {"$instant": ISO-8601}, blobs as {"$bytes": base64}.
 * With the on-disk store object bodies stay in their files; blob files no metadata refers to
 * (written after the last save, before a crash) are deleted on load, and the files the snapshot on disk
 * refers to are kept until a newer snapshot no longer does ({@link DiskBlobStore}).
 */
final class S3Snapshot {
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private S3Snapshot() {
    }

    static void save(S3State state, OutputStream out) throws IOException {
        boolean durable = state.blobs.durable();
        Set<String> referenced = new HashSet<>();
        DiskBlobStore disk = state.blobs instanceof DiskBlobStore d ? d : null;
        if (disk != null) disk.snapshotStarting(); // before listing: deletions from now on are held
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("format", "polystack-s3");
            g.writeNumberField("version", VERSION);
            g.writeBooleanField("durableBlobs", durable);
            g.writeArrayFieldStart("buckets");
            for (Map.Entry<String, ConcurrentHashMap<String, Bucket>> p : state.partitions.entrySet()) {
                for (Bucket b : p.getValue().values()) writeBucket(g, p.getKey(), b, referenced);
            }
            g.writeEndArray();
            if (!durable) {
                g.writeObjectFieldStart("blobs");
                for (String id : referenced) {
                    try (InputStream in = state.blobs.open(id, 0, Long.MAX_VALUE)) {
                        g.writeFieldName(id);
                        g.writeBinary(in.readAllBytes());
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // deleted by a concurrent overwrite after we listed it: the newer version is listed instead
                    }
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        if (disk != null) disk.snapshotListed(referenced);
    }

    /** The snapshot written by the last {@link #save} is safely on disk. */
    static void saved(S3State state) {
        if (state.blobs instanceof DiskBlobStore disk) disk.snapshotSaved();
    }

    private static void writeBucket(JsonGenerator g, String partition, Bucket b, Set<String> referenced) throws IOException {
        g.writeStartObject();
        g.writeStringField("partition", partition);
        g.writeStringField("name", b.name);
        g.writeStringField("accountId", b.accountId);
        g.writeStringField("region", b.region);
        g.writeStringField("created", b.created.toString());
        if (b.locationConstraint != null) g.writeStringField("locationConstraint", b.locationConstraint);
        g.writeBooleanField("objectLockEnabled", b.objectLockEnabled);
        if (b.versioning != null) g.writeStringField("versioning", b.versioning);
        if (b.mfaDelete != null) g.writeStringField("mfaDelete", b.mfaDelete);
        g.writeFieldName("configurations");
        g.writeTree(toJson(new LinkedHashMap<>(b.configurations)));
        g.writeArrayFieldStart("keys");
        for (KeyEntry e : b.objects.values()) {
            g.writeStartObject();
            g.writeStringField("key", e.latest().key);
            g.writeArrayFieldStart("versions");
            for (ObjectVersion v : e.versions()) {
                writeVersion(g, v);
                for (ObjectVersion.Segment s : v.segments) referenced.add(s.blobId());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("uploads");
        List<MultipartUpload> uploads = new ArrayList<>(b.uploads.values());
        uploads.sort(java.util.Comparator.comparingLong(u -> u.sequence));
        for (MultipartUpload u : uploads) {
            g.writeStartObject();
            g.writeStringField("uploadId", u.uploadId);
            g.writeStringField("key", u.key);
            g.writeStringField("initiated", u.initiated.toString());
            g.writeStringField("ownerAccount", u.ownerAccount);
            g.writeFieldName("headers");
            g.writeObject(u.headers);
            g.writeFieldName("metadata");
            g.writeObject(u.metadata);
            g.writeStringField("storageClass", u.storageClass);
            g.writeFieldName("encryption");
            g.writeObject(u.encryption);
            g.writeStringField("checksumAlgorithm", u.checksumAlgorithm.name());
            g.writeBooleanField("checksumRequested", u.checksumRequested);
            g.writeStringField("checksumType", u.checksumType);
            g.writeFieldName("tags");
            g.writeTree(toJson(u.tags));
            g.writeFieldName("acl");
            g.writeTree(toJson(u.acl));
            writeLock(g, u.lock);
            writeKeyAtStart(g, u, b.objects.get(u.key));
            g.writeArrayFieldStart("parts");
            for (MultipartUpload.Part p : u.parts.values()) {
                g.writeStartObject();
                g.writeNumberField("partNumber", p.partNumber());
                g.writeStringField("etag", p.etag());
                g.writeNumberField("size", p.size());
                g.writeStringField("lastModified", p.lastModified().toString());
                g.writeStringField("blobId", p.blobId());
                if (p.checksum() != null) g.writeStringField("checksum", p.checksum());
                g.writeEndObject();
                referenced.add(p.blobId());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeVersion(JsonGenerator g, ObjectVersion v) throws IOException {
        g.writeStartObject();
        g.writeStringField("versionId", v.versionId);
        if (v.deleteMarker) g.writeBooleanField("deleteMarker", true);
        g.writeStringField("lastModified", v.lastModified.toString());
        if (v.etag != null) g.writeStringField("etag", v.etag);
        g.writeNumberField("size", v.size);
        g.writeStringField("ownerAccount", v.ownerAccount);
        g.writeArrayFieldStart("segments");
        for (ObjectVersion.Segment s : v.segments) {
            g.writeStartObject();
            g.writeStringField("blobId", s.blobId());
            g.writeNumberField("size", s.size());
            if (s.checksum() != null) g.writeStringField("checksum", s.checksum());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeFieldName("headers");
        g.writeObject(v.headers);
        g.writeFieldName("metadata");
        g.writeObject(v.metadata);
        if (v.storageClass != null) g.writeStringField("storageClass", v.storageClass);
        g.writeFieldName("encryption");
        g.writeObject(v.encryption);
        if (v.checksumAlgorithm != null) {
            g.writeStringField("checksumAlgorithm", v.checksumAlgorithm.name());
            g.writeStringField("checksumValue", v.checksumValue);
            g.writeStringField("checksumType", v.checksumType);
        }
        g.writeNumberField("partsCount", v.partsCount);
        g.writeFieldName("tags");
        g.writeTree(toJson(v.tags()));
        if (v.acl() != null) {
            g.writeFieldName("acl");
            g.writeTree(toJson(v.acl()));
        }
        if (v.restoredUntil() != null) g.writeStringField("restoredUntil", v.restoredUntil().toString());
        writeLock(g, v.lock());
        g.writeEndObject();
    }

    private static void writeLock(JsonGenerator g, ObjectVersion.Lock lock) throws IOException {
        if (lock == null) return;
        g.writeObjectFieldStart("lock");
        if (lock.mode() != null) g.writeStringField("mode", lock.mode());
        if (lock.retainUntil() != null) g.writeStringField("retainUntil", lock.retainUntil().toString());
        if (lock.legalHold() != null) g.writeStringField("legalHold", lock.legalHold());
        g.writeEndObject();
    }

    /**
     * The key's state when the upload began, for CompleteMultipartUpload's 409 check: "absent" (no version),
     * the version by id and time (found again among the restored versions), or "replaced" (that version is
     * gone already, so any completion with a condition conflicts).
     */
    private static void writeKeyAtStart(JsonGenerator g, MultipartUpload u, KeyEntry current) throws IOException {
        if (!u.keyStateKnown) return;
        ObjectVersion start = u.keyAtStart;
        g.writeObjectFieldStart("keyAtStart");
        if (start == null) {
            g.writeStringField("state", "absent");
        } else if (current != null && current.versions().stream().anyMatch(v -> v == start)) {
            g.writeStringField("state", "version");
            g.writeStringField("versionId", start.versionId);
            g.writeStringField("lastModified", start.lastModified.toString());
        } else {
            g.writeStringField("state", "replaced");
        }
        g.writeEndObject();
    }

    private static void readKeyAtStart(JsonNode n, MultipartUpload u, KeyEntry current) {
        if (!n.isObject()) return; // older snapshots: the check is skipped
        switch (n.path("state").asText()) {
            case "absent" -> u.keyAtStart = null;
            case "version" -> u.keyAtStart = current == null ? REPLACED : current.versions().stream()
                    .filter(v -> v.versionId.equals(n.path("versionId").asText())
                            && v.lastModified.toString().equals(n.path("lastModified").asText()))
                    .findFirst().orElse(REPLACED);
            default -> u.keyAtStart = REPLACED;
        }
        u.keyStateKnown = true;
    }

    /** Stands for a version that no longer exists: never the key's latest, so a conditional completion conflicts. */
    private static final ObjectVersion REPLACED = ObjectVersion.deleteMarker("", "replaced", Instant.EPOCH, "");

    static void load(S3State state, InputStream in, int version) throws IOException {
        if (version != VERSION) throw new IOException("unsupported S3 state format version " + version);
        JsonNode root = JSON.readTree(in);
        if (root == null || !"polystack-s3".equals(root.path("format").asText())) throw new IOException("not an S3 state file");
        boolean durableBlobs = root.path("durableBlobs").asBoolean();
        state.partitions.clear();
        if (!state.blobs.durable()) state.blobs.clear();
        // blobs that travelled inline are written into the current store under new ids
        Map<String, String> blobIds = new HashMap<>();
        JsonNode inline = root.path("blobs");
        for (Iterator<Map.Entry<String, JsonNode>> it = inline.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            BlobStore.Blob b = state.blobs.write(new java.io.ByteArrayInputStream(e.getValue().binaryValue()));
            blobIds.put(e.getKey(), b.id());
        }
        Set<String> referenced = new HashSet<>();
        for (JsonNode bn : root.path("buckets")) {
            Bucket b = new Bucket(bn.path("name").asText(), bn.path("accountId").asText(), bn.path("region").asText(),
                    Instant.parse(bn.path("created").asText()), text(bn, "locationConstraint"), bn.path("objectLockEnabled").asBoolean());
            b.versioning = text(bn, "versioning");
            b.mfaDelete = text(bn, "mfaDelete");
            for (Iterator<Map.Entry<String, JsonNode>> it = bn.path("configurations").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.configurations.put(e.getKey(), fromJson(e.getValue()));
            }
            for (JsonNode kn : bn.path("keys")) {
                String key = kn.path("key").asText();
                List<ObjectVersion> versions = new ArrayList<>();
                for (JsonNode vn : kn.path("versions")) {
                    ObjectVersion v = readVersion(key, vn, durableBlobs, blobIds);
                    if (v == null) continue;
                    for (ObjectVersion.Segment s : v.segments) referenced.add(s.blobId());
                    versions.add(v);
                }
                if (!versions.isEmpty()) b.objects.put(key, new KeyEntry(versions));
            }
            for (JsonNode un : bn.path("uploads")) {
                MultipartUpload u = new MultipartUpload(un.path("uploadId").asText(), un.path("key").asText(),
                        Instant.parse(un.path("initiated").asText()), un.path("ownerAccount").asText(), strings(un.path("headers")),
                        strings(un.path("metadata")), text(un, "storageClass"), strings(un.path("encryption")),
                        ChecksumAlgorithm.valueOf(un.path("checksumAlgorithm").asText()), un.path("checksumRequested").asBoolean(),
                        text(un, "checksumType"), tagList(un.path("tags")), aclTree(un.path("acl")));
                for (JsonNode pn : un.path("parts")) {
                    String blob = blobId(pn.path("blobId").asText(), durableBlobs, blobIds);
                    if (blob == null || !state.blobs.exists(blob)) continue;
                    referenced.add(blob);
                    u.parts.put(pn.path("partNumber").asInt(), new MultipartUpload.Part(pn.path("partNumber").asInt(),
                            pn.path("etag").asText(), pn.path("size").asLong(), Instant.parse(pn.path("lastModified").asText()), blob,
                            text(pn, "checksum")));
                }
                u.lock = lock(un.path("lock"));
                readKeyAtStart(un.path("keyAtStart"), u, b.objects.get(u.key));
                b.uploads.put(u.uploadId, u);
            }
            state.buckets(bn.path("partition").asText("aws")).put(b.name, b);
        }
        if (state.blobs instanceof DiskBlobStore disk) disk.restored(referenced);
    }

    private static ObjectVersion readVersion(String key, JsonNode vn, boolean durableBlobs, Map<String, String> blobIds) {
        List<ObjectVersion.Segment> segments = new ArrayList<>();
        for (JsonNode sn : vn.path("segments")) {
            String blob = blobId(sn.path("blobId").asText(), durableBlobs, blobIds);
            if (blob == null) return null; // its bytes were not saved (overwritten during the save): drop the version
            segments.add(new ObjectVersion.Segment(blob, sn.path("size").asLong(), text(sn, "checksum")));
        }
        String alg = text(vn, "checksumAlgorithm");
        return new ObjectVersion(key, vn.path("versionId").asText(), vn.path("deleteMarker").asBoolean(),
                Instant.parse(vn.path("lastModified").asText()), text(vn, "etag"), vn.path("size").asLong(),
                vn.path("ownerAccount").asText(), segments, strings(vn.path("headers")), strings(vn.path("metadata")),
                text(vn, "storageClass"), strings(vn.path("encryption")), alg == null ? null : ChecksumAlgorithm.valueOf(alg),
                text(vn, "checksumValue"), text(vn, "checksumType"), vn.path("partsCount").asInt(), tagList(vn.path("tags")),
                aclTree(vn.path("acl"))).lock(lock(vn.path("lock")))
                .restoredUntil(text(vn, "restoredUntil") == null ? null : Instant.parse(text(vn, "restoredUntil")));
    }

    private static ObjectVersion.Lock lock(JsonNode n) {
        if (!n.isObject()) return null;
        String until = text(n, "retainUntil");
        return new ObjectVersion.Lock(text(n, "mode"), until == null ? null : Instant.parse(until), text(n, "legalHold"));
    }

    private static String blobId(String saved, boolean durableBlobs, Map<String, String> blobIds) {
        return durableBlobs ? saved : blobIds.get(saved);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tagList(JsonNode n) {
        Object v = fromJson(n);
        if (!(v instanceof List<?> l)) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) out.add((Map<String, Object>) o);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> aclTree(JsonNode n) {
        Object v = fromJson(n);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** A parameter tree as JSON, keeping timestamps and blobs recognisable. */
    static JsonNode toJson(Object value) {
        if (value == null) return JSON.nullNode();
        if (value instanceof Map<?, ?> m) {
            ObjectNode o = JSON.createObjectNode();
            m.forEach((k, v) -> o.set(String.valueOf(k), toJson(v)));
            return o;
        }
        if (value instanceof List<?> l) {
            var a = JSON.createArrayNode();
            for (Object v : l) a.add(toJson(v));
            return a;
        }
        if (value instanceof Instant i) return JSON.createObjectNode().put("$instant", i.toString());
        if (value instanceof byte[] b) return JSON.createObjectNode().put("$bytes", Base64.getEncoder().encodeToString(b));
        if (value instanceof Boolean b) return JSON.getNodeFactory().booleanNode(b);
        if (value instanceof Integer i) return JSON.getNodeFactory().numberNode(i);
        if (value instanceof Long l) return JSON.getNodeFactory().numberNode(l);
        if (value instanceof Double d) return JSON.getNodeFactory().numberNode(d);
        if (value instanceof Number n) return JSON.getNodeFactory().numberNode(n.doubleValue());
        return JSON.getNodeFactory().textNode(value.toString());
    }

    static Object fromJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return null;
        if (n.isObject()) {
            if (n.size() == 1 && n.has("$instant")) return Instant.parse(n.get("$instant").asText());
            if (n.size() == 1 && n.has("$bytes")) return Base64.getDecoder().decode(n.get("$bytes").asText());
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), fromJson(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode x : n) l.add(fromJson(x));
            return l;
        }
        if (n.isBoolean()) return n.booleanValue();
        if (n.isInt()) return n.intValue();
        if (n.isLong()) return n.longValue();
        if (n.isNumber()) return n.doubleValue();
        return n.asText();
    }
}
