package dev.polystack.services.s3;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.services.s3.storage.MemoryBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Helpers for provider-level tests: contexts, parameter trees, reading bodies. */
class S3TestSupport {
    static final String ACCOUNT = "000000000000";

    static S3Provider memoryProvider(Path dir) {
        return new S3Provider(new MemoryBlobStore(dir.resolve("spill"), 1024 * 1024, 64L * 1024 * 1024));
    }

    static RequestContext ctx() {
        return ctx(ACCOUNT, "us-east-1", Map.of());
    }

    static RequestContext ctx(String account, String region, Map<String, String> headers) {
        return new RequestContext(account, region, "s3", "req-1", null, HttpRequestData.of("PUT", "/", headers, new byte[0]));
    }

    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static Map<String, Object> put(S3Provider p, String bucket, String key, byte[] data, Object... extra) {
        Map<String, Object> in = params("Bucket", bucket, "Key", key, "Body", StreamingBody.of(data));
        in.putAll(params(extra));
        return p.invoke(ctx(), "PutObject", in);
    }

    static byte[] body(Map<String, Object> out) {
        try (InputStream in = ((StreamingBody) out.get("Body")).stream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] get(S3Provider p, String bucket, String key) {
        return body(p.invoke(ctx(), "GetObject", params("Bucket", bucket, "Key", key)));
    }

    static ServiceException error(String code, Runnable r) {
        ServiceException e = assertThrows(ServiceException.class, r::run);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("s3test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> mutable(Map<String, Object> m) {
        return new HashMap<>(m);
    }
}
