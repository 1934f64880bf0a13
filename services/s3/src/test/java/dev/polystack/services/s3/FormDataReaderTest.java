package dev.polystack.services.s3;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FormDataReaderTest {
    private static final String BOUNDARY = "XyZ-boundary";

    /** A stream that hands out at most a few bytes per read, so delimiters straddle every buffer edge. */
    private static InputStream trickle(byte[] data, long seed) {
        Random random = new Random(seed);
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
            }
        };
    }

    private static byte[] form(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nmy/key\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(file);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void fieldsAndFileSurviveAnyReadSizes() throws IOException {
        // the file holds near-misses of the delimiter: CRLF, "\r\n--", and the boundary without its dashes
        byte[] file = ("start\r\n\r\n--XyZ-bound\r\n-" + BOUNDARY + "end").getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        for (byte[] content : new byte[][]{file, big, new byte[0]}) {
            for (long seed = 0; seed < 5; seed++) {
                FormDataReader r = new FormDataReader(trickle(form(content), seed), BOUNDARY);
                FormDataReader.Part key = r.next();
                assertEquals("key", key.name());
                assertEquals("my/key", r.text(1000));
                assertEquals("empty", r.next().name());
                assertEquals("", r.text(1000));
                FormDataReader.Part f = r.next();
                assertEquals("file", f.name());
                assertEquals("a.bin", f.filename());
                assertEquals("application/octet-stream", f.contentType());
                assertArrayEquals(content, r.partBody().readAllBytes());
                assertNull(r.next());
            }
        }
    }

    @Test
    void aBodyWithoutItsClosingBoundaryIsAnError() throws IOException {
        byte[] cut = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end here")
                .getBytes(StandardCharsets.UTF_8);
        FormDataReader r = new FormDataReader(new ByteArrayInputStream(cut), BOUNDARY);
        assertEquals("file", r.next().name());
        assertThrows(IOException.class, () -> r.partBody().readAllBytes());
    }

    @Test
    void oversizedFieldsAreRefused() throws IOException {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\n" + "k".repeat(100) + "\r\n--"
                + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        FormDataReader r = new FormDataReader(new ByteArrayInputStream(body), BOUNDARY);
        r.next();
        assertThrows(IOException.class, () -> r.text(10));
    }
}
