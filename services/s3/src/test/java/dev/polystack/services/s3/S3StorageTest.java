package dev.polystack.services.s3;

import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.services.s3.storage.DiskBlobStore;
import dev.polystack.services.s3.storage.MemoryBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.polystack.services.s3.S3TestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Storage: atomic writes, streaming without heap, concurrency, and persistence round trips. */
class S3StorageTest {
    @TempDir
    Path dir;

    /** A body that breaks after some bytes, as a client that disconnects mid-upload. */
    private static InputStream failingAfter(int bytes) {
        return new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent >= bytes) throw new IOException("connection reset");
                sent++;
                return 'x';
            }
        };
    }

    /** A body of {@code size} bytes generated on the fly (never held in memory). */
    private static InputStream generated(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                if (left <= 0) return -1;
                left--;
                return (int) (left & 0x7f);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) b[off + i] = (byte) ((left - 1 - i) & 0x7f);
                left -= n;
                return n;
            }
        };
    }

    private static long filesUnder(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void brokenUploadLeavesNoObjectAndNoFile() throws Exception {
        Path data = dir.resolve("data");
        S3Provider s3 = new S3Provider(new DiskBlobStore(data));
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt"));
        put(s3, "bkt", "k", "old".getBytes());
        assertThrows(ServiceException.class, () -> s3.invoke(ctx(), "PutObject",
                params("Bucket", "bkt", "Key", "k", "Body", new StreamingBody(failingAfter(100_000), 200_000))));
        assertArrayEquals("old".getBytes(), get(s3, "bkt", "k"), "the previous version stays whole");
        assertEquals(1, filesUnder(data), "no temporary or partial file is left");
        error("BadDigest", () -> put(s3, "bkt", "k", "new".getBytes(), "ChecksumSHA256", ChecksumAlgorithm.SHA256.of("x".getBytes())));
        assertEquals(1, filesUnder(data));
        put(s3, "bkt", "k", "new".getBytes());
        assertEquals(1, filesUnder(data), "the overwritten version's file is gone");
    }

    @Test
    void largeObjectsStreamThroughTheMemoryStoreWithoutHeap() throws Exception {
        MemoryBlobStore blobs = new MemoryBlobStore(dir.resolve("spill"), 1024 * 1024, 64L * 1024 * 1024);
        S3Provider s3 = new S3Provider(blobs);
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt"));
        long size = 64L * 1024 * 1024;
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (InputStream in = generated(size)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md5.update(buf, 0, n);
        }
        Map<String, Object> out = s3.invoke(ctx(), "PutObject", params("Bucket", "bkt", "Key", "big",
                "Body", new StreamingBody(generated(size), size)));
        assertEquals("\"" + HexFormat.of().formatHex(md5.digest()) + "\"", out.get("ETag"));
        assertEquals(0, blobs.heapBytes(), "spilled to disk, not kept on the heap");
        Map<String, Object> got = s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "big", "Range", "bytes=-10"));
        assertEquals(10, body(got).length);
        StreamingBody whole = (StreamingBody) s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "big")).get("Body");
        assertEquals(size, whole.length());
        try (InputStream in = whole.stream()) {
            assertEquals(size, in.transferTo(OutputStreamSink.INSTANCE));
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    @Test
    void concurrentPutsOfOneKeyLeaveOneWholeVersion() throws Exception {
        S3Provider s3 = new S3Provider(new DiskBlobStore(dir.resolve("data")));
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt"));
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] b = new byte[200_000 + i];
            java.util.Arrays.fill(b, (byte) i);
            bodies.add(b);
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (byte[] b : bodies) futures.add(pool.submit(() -> put(s3, "bkt", "race", b)));
                futures.add(pool.submit(() -> {
                    byte[] read = get(s3, "bkt", "race");
                    assertTrue(bodies.stream().anyMatch(x -> java.util.Arrays.equals(x, read)), "a torn read");
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        Map<String, Object> out = s3.invoke(ctx(), "GetObject", params("Bucket", "bkt", "Key", "race"));
        byte[] data = body(out);
        assertTrue(bodies.stream().anyMatch(b -> java.util.Arrays.equals(b, data)));
        assertEquals("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"", out.get("ETag"));
        assertEquals(1, filesUnder(dir.resolve("data")), "replaced versions' files are freed");
    }

    private static void populate(S3Provider s3) {
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "kept"));
        s3.invoke(ctx("111111111111", "eu-west-1", Map.of()), "CreateBucket",
                params("Bucket", "other-account", "CreateBucketConfiguration", Map.of("LocationConstraint", "eu-west-1")));
        s3.invoke(ctx(), "PutBucketVersioning", params("Bucket", "kept", "VersioningConfiguration", Map.of("Status", "Enabled")));
        put(s3, "kept", "k", "first".getBytes());
        put(s3, "kept", "k", "second".getBytes(), "Metadata", Map.of("m", "v"), "ContentType", "text/plain", "Tagging", "t=1");
        s3.invoke(ctx(), "DeleteObject", params("Bucket", "kept", "Key", "gone"));
        s3.invoke(ctx(), "PutBucketLifecycleConfiguration", params("Bucket", "kept", "LifecycleConfiguration",
                Map.of("Rules", List.of(Map.of("ID", "r", "Filter", Map.of(), "Status", "Enabled", "Expiration",
                        Map.of("Date", java.time.Instant.parse("2030-01-01T00:00:00Z")))))));
        String upload = (String) s3.invoke(ctx(), "CreateMultipartUpload", params("Bucket", "kept", "Key", "uploads-kept")).get("UploadId");
        s3.invoke(ctx(), "UploadPart", params("Bucket", "kept", "Key", "uploads-kept", "UploadId", upload, "PartNumber", 1,
                "Body", StreamingBody.of("part".getBytes())));
    }

    @SuppressWarnings("unchecked")
    private static void verify(S3Provider s3) {
        Map<String, Object> head = s3.invoke(ctx(), "HeadObject", params("Bucket", "kept", "Key", "k"));
        assertEquals(Map.of("m", "v"), head.get("Metadata"));
        assertEquals("text/plain", head.get("ContentType"));
        assertArrayEquals("second".getBytes(), get(s3, "kept", "k"));
        Map<String, Object> versions = s3.invoke(ctx(), "ListObjectVersions", params("Bucket", "kept"));
        assertEquals(2, ((List<?>) versions.get("Versions")).size());
        assertEquals(1, ((List<?>) versions.get("DeleteMarkers")).size());
        Map<String, Object> oldest = (Map<String, Object>) ((List<?>) versions.get("Versions")).get(1);
        assertArrayEquals("first".getBytes(), body(s3.invoke(ctx(), "GetObject",
                params("Bucket", "kept", "Key", "k", "VersionId", oldest.get("VersionId")))));
        assertEquals(1, ((List<?>) s3.invoke(ctx(), "GetObjectTagging", params("Bucket", "kept", "Key", "k")).get("TagSet")).size());
        Map<String, Object> rule = (Map<String, Object>) ((List<?>) s3.invoke(ctx(), "GetBucketLifecycleConfiguration",
                params("Bucket", "kept")).get("Rules")).get(0);
        assertEquals(java.time.Instant.parse("2030-01-01T00:00:00Z"), ((Map<String, Object>) rule.get("Expiration")).get("Date"));
        Map<String, Object> uploads = s3.invoke(ctx(), "ListMultipartUploads", params("Bucket", "kept"));
        String upload = (String) ((Map<String, Object>) ((List<?>) uploads.get("Uploads")).get(0)).get("UploadId");
        assertEquals(1, ((List<?>) s3.invoke(ctx(), "ListParts", params("Bucket", "kept", "Key", "uploads-kept", "UploadId", upload))
                .get("Parts")).size());
        assertEquals("eu-west-1", s3.invoke(ctx(), "HeadBucket", params("Bucket", "other-account")).get("BucketRegion"));
        error("BucketAlreadyExists", () -> s3.invoke(ctx(), "CreateBucket", params("Bucket", "other-account")));
    }

    @Test
    void persistenceRoundTripWithTheDiskStore() throws Exception {
        Path data = dir.resolve("data");
        S3Provider before = new S3Provider(new DiskBlobStore(data));
        populate(before);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        before.saveState(saved);
        // a blob written after the save (a crash before the next one) is orphaned and cleaned up on load
        put(before, "kept", "after-save", "orphan".getBytes());
        long files = filesUnder(data);
        S3Provider after = new S3Provider(new DiskBlobStore(data));
        after.loadState(new ByteArrayInputStream(saved.toByteArray()), after.stateVersion());
        verify(after);
        assertEquals(files - 1, filesUnder(data));
        error("NoSuchKey", () -> get(after, "kept", "after-save"));
    }

    @Test
    void persistenceRoundTripWithTheMemoryStoreCarriesTheBytes() throws Exception {
        S3Provider before = memoryProvider(dir.resolve("a"));
        populate(before);
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        before.saveState(saved);
        S3Provider after = memoryProvider(dir.resolve("b"));
        after.loadState(new ByteArrayInputStream(saved.toByteArray()), after.stateVersion());
        verify(after);
        after.resetState();
        error("NoSuchBucket", () -> get(after, "kept", "k"));
    }

    /**
     * CompleteMultipartUpload's 409 check compares the key with its state when the upload began: a restart in
     * between (PERSISTENCE=1) must not forget that state, nor the Object Lock the upload asked for.
     */
    @Test
    void uploadsKeepTheKeyStateTheyBeganWithAcrossASnapshot() throws Exception {
        S3Provider before = memoryProvider(dir.resolve("a"));
        before.invoke(ctx(), "CreateBucket", params("Bucket", "uploads-kept"));
        put(before, "uploads-kept", "same", "v1".getBytes());
        put(before, "uploads-kept", "overwritten", "v1".getBytes());
        String unchanged = upload(before, "same");
        String fresh = upload(before, "new");
        String stale = upload(before, "overwritten");
        put(before, "uploads-kept", "overwritten", "v2".getBytes()); // after the upload began: its completion conflicts
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        before.saveState(saved);
        S3Provider after = memoryProvider(dir.resolve("b"));
        after.loadState(new ByteArrayInputStream(saved.toByteArray()), after.stateVersion());

        String etag = (String) after.invoke(ctx(), "HeadObject", params("Bucket", "uploads-kept", "Key", "same")).get("ETag");
        assertNotNull(completeOnePart(after, "same", unchanged, "IfMatch", etag).get("ETag"));
        assertNotNull(completeOnePart(after, "new", fresh, "IfNoneMatch", "*").get("ETag"));
        String current = (String) after.invoke(ctx(), "HeadObject", params("Bucket", "uploads-kept", "Key", "overwritten")).get("ETag");
        ServiceException conflict = error("ConditionalRequestConflict", () -> completeOnePart(after, "overwritten", stale, "IfMatch", current));
        assertEquals(409, conflict.status());
    }

    private static String upload(S3Provider s3, String key) {
        String id = (String) s3.invoke(ctx(), "CreateMultipartUpload", params("Bucket", "uploads-kept", "Key", key)).get("UploadId");
        s3.invoke(ctx(), "UploadPart", params("Bucket", "uploads-kept", "Key", key, "UploadId", id, "PartNumber", 1,
                "Body", StreamingBody.of("part".getBytes())));
        return id;
    }

    private static Map<String, Object> completeOnePart(S3Provider s3, String key, String id, String condition, String value) {
        String etag = (String) ((Map<?, ?>) ((List<?>) s3.invoke(ctx(), "ListParts", params("Bucket", "uploads-kept", "Key", key, "UploadId", id))
                .get("Parts")).get(0)).get("ETag");
        return s3.invoke(ctx(), "CompleteMultipartUpload", params("Bucket", "uploads-kept", "Key", key, "UploadId", id, condition, value,
                "MultipartUpload", Map.of("Parts", List.of(params("PartNumber", 1, "ETag", etag)))));
    }

    /** A crash restores the last snapshot on disk: the bytes it refers to must still be there, whatever came after it. */
    @Test
    void blobsTheSnapshotOnDiskNeedsOutliveOverwritesUntilANewerSnapshotIsOnDisk() throws Exception {
        Path data = dir.resolve("data");
        S3Provider s3 = new S3Provider(new DiskBlobStore(data));
        s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt"));
        put(s3, "bkt", "k", "one".getBytes());
        put(s3, "bkt", "gone", "doomed".getBytes());
        byte[] first = saved(s3);
        s3.stateSaved();

        put(s3, "bkt", "k", "two".getBytes()); // overwrite and delete after the save: the old bytes are held
        s3.invoke(ctx(), "DeleteObject", params("Bucket", "bkt", "Key", "gone"));
        assertEquals("one", new String(get(restored(data, first), "bkt", "k")));
        assertEquals("doomed", new String(get(restored(data, first), "bkt", "gone")));

        byte[] second = saved(s3); // written, but never confirmed on disk (a failed save): still held
        put(s3, "bkt", "k", "three".getBytes());
        assertEquals("one", new String(get(restored(data, first), "bkt", "k")));
        s3.resetState(); // a reset keeps what the snapshot on disk refers to as well
        assertEquals("two", new String(get(restored(data, second), "bkt", "k")));

        s3.invoke(ctx(), "CreateBucket", params("Bucket", "bkt"));
        put(s3, "bkt", "fresh", "x".getBytes());
        byte[] third = saved(s3);
        s3.stateSaved(); // now on disk: everything only older snapshots needed is deleted
        assertEquals(1, filesUnder(data.resolve("blobs")));
        assertEquals("x", new String(get(restored(data, third), "bkt", "fresh")));
    }

    private static byte[] saved(S3Provider s3) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s3.saveState(out);
        return out.toByteArray();
    }

    /**
     * What a restart after a kill -9 at this moment would see: a new provider over (a copy of) the folder as it
     * is now, loading the given snapshot. A copy, so that the load's clean-up leaves the running provider's files alone.
     */
    private S3Provider restored(Path data, byte[] snapshot) throws IOException {
        Path copy = Files.createTempDirectory(dir, "crash-");
        try (Stream<Path> files = Files.walk(data)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(data.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        S3Provider after = new S3Provider(new DiskBlobStore(copy));
        after.loadState(new ByteArrayInputStream(snapshot), after.stateVersion());
        return after;
    }
}
