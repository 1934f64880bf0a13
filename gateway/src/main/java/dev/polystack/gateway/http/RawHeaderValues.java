package dev.polystack.gateway.http;

import io.helidon.http.Header;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Request header values with their bytes intact. Helidon decodes header bytes as US-ASCII, so a byte above
 * 0x7F (a UTF-8 {@code x-amz-meta-*} value, which S3 accepts and answers RFC 2047-encoded) arrives as U+FFFD
 * and is lost. HTTP's own reading of such bytes is ISO-8859-1 (RFC 9110 obs-text): for those rare values this
 * re-reads the bytes Helidon kept, one char per byte, so that services can decode them as they need.
 */
final class RawHeaderValues {
    private static final Field LAZY_VALUE;
    private static final Field BUFFER;
    private static final Field OFFSET;
    private static final Field LENGTH;

    static {
        Field lazy = null, buffer = null, offset = null, length = null;
        try {
            lazy = Class.forName("io.helidon.http.HeaderValueLazy").getDeclaredField("value");
            Class<?> lazyString = Class.forName("io.helidon.common.buffers.LazyString");
            buffer = lazyString.getDeclaredField("buffer");
            offset = lazyString.getDeclaredField("offset");
            length = lazyString.getDeclaredField("length");
            lazy.setAccessible(true);
            buffer.setAccessible(true);
            offset.setAccessible(true);
            length.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            lazy = null; // another Helidon: values stay as Helidon decoded them
        }
        LAZY_VALUE = lazy;
        BUFFER = buffer;
        OFFSET = offset;
        LENGTH = length;
    }

    private RawHeaderValues() {
    }

    static List<String> of(Header h) {
        List<String> values = h.allValues();
        if (LAZY_VALUE == null || values.size() != 1 || values.get(0).indexOf('\uFFFD') < 0) return values;
        try {
            if (!LAZY_VALUE.getDeclaringClass().isInstance(h)) return values;
            Object lazy = LAZY_VALUE.get(h);
            byte[] bytes = (byte[]) BUFFER.get(lazy);
            String raw = new String(bytes, OFFSET.getInt(lazy), LENGTH.getInt(lazy), StandardCharsets.ISO_8859_1);
            return List.of(raw.strip());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return values;
        }
    }
}
