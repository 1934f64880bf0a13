package dev.polystack.services.s3;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code x-amz-meta-*} values as S3 keeps them. HTTP headers carry bytes (the gateway hands them over one
 * ISO-8859-1 char per byte); S3 reads them as UTF-8 and answers a value with characters a header cannot carry
 * as an RFC 2047 encoded word: Q-encoding ({@code =?UTF-8?Q?=C3=84M_S3?=}) for printable text, B-encoding for
 * control characters and broken UTF-8. A value that arrives RFC 2047-encoded is kept as it came, unless it
 * decodes to plain ASCII, which S3 stores decoded.
 */
final class UserMetadata {
    /** Bytes S3 writes as themselves in a Q-encoded word; a space becomes '_'. */
    private static final String Q_SAFE = "!\"#$%&'()*+,-./0123456789:;<>@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^`"
            + "abcdefghijklmnopqrstuvwxyz{|}~\t";
    /** Characters a value may hold to be kept unencoded. */
    private static final String PLAIN = Q_SAFE + " _=?";
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([QqBb])\\?([^?]*)\\?=");

    private UserMetadata() {
    }

    /** The value to store for a header value as the gateway received it (ISO-8859-1 chars, one per byte). */
    static String fromHeader(String value) {
        if (value == null) return "";
        return stored(utf8(value));
    }

    /** The header form of a text value (browser POST form fields arrive decoded): its UTF-8 bytes, one char each. */
    static String asHeader(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** The stored form of a decoded value: as is when printable ASCII, else an RFC 2047 encoded word. */
    static String stored(String text) {
        Matcher m = ENCODED_WORD.matcher(text);
        if (m.matches()) {
            String decoded = decodeWord(m);
            return decoded != null && plain(decoded) ? decoded : text;
        }
        if (plain(text)) return text;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (needsBase64(text)) return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(bytes) + "?=";
        StringBuilder q = new StringBuilder("=?UTF-8?Q?");
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c == ' ') q.append('_');
            else if (c < 0x80 && Q_SAFE.indexOf(c) >= 0) q.append((char) c);
            else q.append('=').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
        }
        return q.append("?=").toString();
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) if (PLAIN.indexOf(s.charAt(i)) < 0) return false;
        return true;
    }

    /** Control, format and unassigned characters, or U+FFFD from broken UTF-8: S3 base64-encodes those values. */
    private static boolean needsBase64(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0xFFFD) return true;
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                    || type == Character.PRIVATE_USE || type == Character.SURROGATE) return true;
        }
        return false;
    }

    /** The text of an encoded word, or null when its charset or encoding cannot be read. */
    private static String decodeWord(Matcher m) {
        try {
            java.nio.charset.Charset charset = java.nio.charset.Charset.forName(m.group(1));
            String data = m.group(3);
            byte[] bytes;
            if (m.group(2).equalsIgnoreCase("B")) {
                bytes = Base64.getDecoder().decode(data);
            } else {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < data.length(); i++) {
                    char c = data.charAt(i);
                    if (c == '_') out.write(' ');
                    else if (c == '=' && i + 2 < data.length()) {
                        out.write(Integer.parseInt(data.substring(i + 1, i + 3), 16));
                        i += 2;
                    } else out.write(c);
                }
                bytes = out.toByteArray();
            }
            return new String(bytes, charset);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Header chars (one per byte) read as UTF-8; a char beyond ISO-8859-1 means the value is already text. */
    private static String utf8(String latin1) {
        byte[] bytes = new byte[latin1.length()];
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c > 0xFF) return latin1;
            bytes[i] = (byte) c;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.UTF_8); // broken sequences become U+FFFD
        }
    }
}
