package dev.polystack.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * A streaming blob in a parameter tree (S3 object data, Lambda payload streams): the data is read
 * from {@code stream} once; {@code length} is -1 when unknown.
 */
public record StreamingBody(InputStream stream, long length) {
    public static StreamingBody of(byte[] bytes) {
        return new StreamingBody(new ByteArrayInputStream(bytes), bytes.length);
    }
}
