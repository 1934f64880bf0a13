package dev.polystack.gateway.http;

import dev.polystack.api.MalformedBodyException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decodes {@code Content-Encoding: aws-chunked} as a stream: chunks of
 * {@code <hex size>[;chunk-signature=...]\r\n<data>\r\n}, a final zero-size chunk, then optional trailers
 * ({@code x-amz-checksum-crc32:...}) and an empty line. Chunk signatures are not verified (LocalStack's default).
 * When the last chunk has been read, the trailers are handed to the consumer, so they reach the request
 * headers before anyone sees the end of the body. A body that breaks the framing, ends early or does not add up
 * to its declared decoded length fails with a {@link MalformedBodyException} (a 400, not a 500).
 */
public final class AwsChunkedDecoder extends InputStream {
    private static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final Consumer<Map<String, String>> trailerSink;
    private final long declaredLength;
    private long decoded;
    private long remainingInChunk;
    private boolean finished;

    /** A decoder that does not check the decoded length. */
    public AwsChunkedDecoder(InputStream in, Consumer<Map<String, String>> trailerSink) {
        this(in, trailerSink, -1);
    }

    /**
     * @param trailerSink    receives the trailers (possibly empty) once, at the end of the body
     * @param declaredLength {@code x-amz-decoded-content-length}, or -1 when not given
     */
    public AwsChunkedDecoder(InputStream in, Consumer<Map<String, String>> trailerSink, long declaredLength) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 16 * 1024);
        this.trailerSink = trailerSink;
        this.declaredLength = declaredLength;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) return 0;
        if (finished) return -1;
        if (remainingInChunk == 0 && !nextChunk()) return -1;
        int n = in.read(buffer, offset, (int) Math.min(length, remainingInChunk));
        if (n < 0) throw MalformedBodyException.incomplete("the aws-chunked body ended inside a chunk");
        remainingInChunk -= n;
        decoded += n;
        if (remainingInChunk == 0) expectLineEnd();
        return n;
    }

    @Override
    public int available() throws IOException {
        return finished ? 0 : (int) Math.min(remainingInChunk, in.available());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads the next chunk header; false (and trailers delivered) at the final chunk. */
    private boolean nextChunk() throws IOException {
        String header = readLine();
        if (header == null) throw MalformedBodyException.incomplete("the aws-chunked body ended before its final chunk");
        int semicolon = header.indexOf(';');
        String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        long size;
        try {
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw MalformedBodyException.invalid("invalid aws-chunked chunk header '" + abbreviate(header) + "'");
        }
        if (size < 0) throw MalformedBodyException.invalid("invalid aws-chunked chunk size " + hex);
        if (size > 0) {
            remainingInChunk = size;
            return true;
        }
        finished = true;
        if (declaredLength >= 0 && decoded < declaredLength) {
            throw MalformedBodyException.incomplete("aws-chunked body of " + decoded + " bytes, x-amz-decoded-content-length "
                    + declaredLength);
        }
        if (declaredLength >= 0 && decoded > declaredLength) {
            throw MalformedBodyException.invalid("aws-chunked body of " + decoded + " bytes, longer than its "
                    + "x-amz-decoded-content-length " + declaredLength);
        }
        trailerSink.accept(readTrailers());
        return false;
    }

    private Map<String, String> readTrailers() throws IOException {
        Map<String, String> trailers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) throw MalformedBodyException.invalid("invalid aws-chunked trailer '" + abbreviate(line) + "'");
            trailers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return trailers;
    }

    private void expectLineEnd() throws IOException {
        String rest = readLine();
        if (rest == null) throw MalformedBodyException.incomplete("the aws-chunked body ended after a chunk's data");
        if (!rest.isEmpty()) throw MalformedBodyException.invalid("an aws-chunked chunk is longer than its declared size");
    }

    /** A line without its CRLF (a bare LF is accepted), or null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') break;
            if (line.size() >= MAX_LINE) throw MalformedBodyException.invalid("aws-chunked line longer than " + MAX_LINE + " bytes");
            line.write(b);
        }
        if (b < 0 && line.size() == 0) return null;
        byte[] bytes = line.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') len--;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
