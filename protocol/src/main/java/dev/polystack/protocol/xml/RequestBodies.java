package dev.polystack.protocol.xml;

import dev.polystack.api.HttpRequestData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** Small request bodies (forms, XML documents) as bytes. */
public final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * The body, gunzipped when it says {@code Content-Encoding: gzip} and still starts with gzip's magic
     * bytes (SDKs compress some request bodies; when the gateway decoded it already, the magic is gone).
     * Only for bodies that are documents, never for S3 object data (stored with its encoding as sent).
     */
    public static byte[] document(HttpRequestData request) {
        byte[] b = request.bodyBytes();
        if (b.length < 2 || (b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b) return b;
        String enc = request.header("Content-Encoding");
        if (enc == null || !enc.toLowerCase(java.util.Locale.ROOT).contains("gzip")) return b;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
