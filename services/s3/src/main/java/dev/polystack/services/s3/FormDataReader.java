package dev.polystack.services.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a multipart/form-data body part by part from a stream, holding at most one buffer (64 KiB) of it:
 * text fields are read into strings, the file part is handed out as a stream that ends at the next
 * boundary, so a browser upload of any size goes to the blob store without being held in memory.
 * No library available here offers a streaming form parser below the web server, hence this one.
 */
final class FormDataReader {
    /** One part's headers: the field name and, for a file, its file name. */
    record Part(String name, String filename, String contentType) {
    }

    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_LINE = 16 * 1024;

    private final InputStream in;
    /** "\r\n--boundary": what ends every part (the body's first boundary gets a virtual leading CRLF). */
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean finished;
    private boolean inPart;
    private boolean started;
    /** Bytes before this index are known to hold no delimiter start (saves rescanning on small reads). */
    private int safeUntil;

    FormDataReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length];
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The next part's headers (its body must be read or skipped before asking again), or null after the last part. */
    Part next() throws IOException {
        if (finished) return null;
        if (!started || inPart) skip(partBody()); // the preamble before the first boundary, or an unread part
        started = true;
        // after a delimiter: "--" ends the form, CRLF starts a part
        ensure(2);
        if (limit - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        String line = readLine(); // the rest of the boundary line (normally empty)
        if (line == null) throw malformed();
        String name = null, filename = null, contentType = null;
        while (true) {
            String header = readLine();
            if (header == null) throw malformed();
            if (header.isEmpty()) break;
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-disposition:")) {
                name = param(header, "name");
                filename = param(header, "filename");
            } else if (lower.startsWith("content-type:")) {
                contentType = header.substring(13).trim();
            }
        }
        inPart = true;
        return new Part(name, filename, contentType);
    }

    /** The current part's body as a string (form fields), refusing more than {@code max} bytes. */
    String text(int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream body = partBody();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = body.read(chunk)) > 0) {
            out.write(chunk, 0, n);
            if (out.size() > max) throw new IOException("form field larger than " + max + " bytes");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The current part's body, ending where the next boundary starts. */
    InputStream partBody() {
        return new InputStream() {
            private boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done) return -1;
                if (len == 0) return 0;
                int available = safeUntil - pos;
                if (available <= 0) {
                    ensure(delimiter.length);
                    int at = indexOfDelimiter();
                    if (at == pos) {
                        pos += delimiter.length;
                        safeUntil = pos;
                        done = true;
                        inPart = false;
                        return -1;
                    }
                    safeUntil = at >= 0 ? at : limit - (delimiter.length - 1);
                    available = safeUntil - pos;
                    if (available <= 0) throw malformed(); // the body ended without its closing boundary
                }
                int n = Math.min(len, available);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private int indexOfDelimiter() {
        outer:
        for (int i = pos; i <= limit - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) if (buf[i + j] != delimiter[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Makes at least {@code n} bytes available after {@code pos} unless the stream ends first. */
    private void ensure(int n) throws IOException {
        if (limit - pos >= n || eof) return;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            safeUntil = Math.max(0, safeUntil - pos);
            pos = 0;
        }
        while (limit - pos < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) eof = true;
            else limit += r;
        }
    }

    /** A CRLF-terminated line (without it), or null at the end of the stream. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            ensure(2);
            if (limit - pos < 2) return null;
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(buf[pos++]);
            if (line.size() > MAX_HEADER_LINE) throw malformed();
        }
    }

    private static void skip(InputStream s) throws IOException {
        byte[] scratch = new byte[8192];
        while (s.read(scratch) >= 0) {
            // discard
        }
    }

    private static String param(String header, String name) {
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, name + "=", 0, name.length() + 1)) {
                String v = p.substring(name.length() + 1);
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) v = v.substring(1, v.length() - 1);
                return v;
            }
        }
        return null;
    }

    private static IOException malformed() {
        return new IOException("malformed multipart/form-data body");
    }
}
