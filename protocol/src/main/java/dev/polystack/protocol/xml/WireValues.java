package dev.polystack.protocol.xml;

import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.model.TimestampFormat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Date;
import java.util.Locale;

/**
 * Scalar values as text on the wire (query forms, XML bodies, REST headers and query strings) and back:
 * timestamps in the three AWS formats, numbers, booleans, base64 blobs. Shared by query, ec2 and rest-xml.
 */
public final class WireValues {
    private WireValues() {
    }

    /** RFC 1123 with a two-digit day, as AWS writes it ({@code Tue, 03 Jun 2008 11:05:30 GMT}). */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** A malformed scalar: the codec turns it into the protocol's validation error. */
    public static final class BadValueException extends RuntimeException {
        public BadValueException(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------- output

    /** A scalar tree value as wire text; timestamps in {@code format} (ISO 8601 when null). */
    public static String format(ShapeType type, Object value, TimestampFormat format) {
        return switch (type) {
            case TIMESTAMP -> formatTimestamp(value, format == null ? TimestampFormat.ISO8601 : format);
            case BLOB -> value instanceof byte[] b ? Base64.getEncoder().encodeToString(b)
                    : Base64.getEncoder().encodeToString(value.toString().getBytes(StandardCharsets.UTF_8));
            case FLOAT, DOUBLE -> formatDouble(value);
            case BOOLEAN -> value instanceof Boolean b ? (b ? "true" : "false") : value.toString();
            default -> value.toString();
        };
    }

    public static String formatDouble(Object value) {
        if (!(value instanceof Number n)) return value.toString();
        if (n instanceof BigDecimal bd) return bd.toPlainString();
        if (n instanceof Integer || n instanceof Long || n instanceof BigInteger) return n.toString();
        double d = n.doubleValue();
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        String s = n instanceof Float f ? Float.toString(f) : Double.toString(d);
        if (s.indexOf('E') >= 0) s = new BigDecimal(s).toPlainString();
        return s;
    }

    public static String formatTimestamp(Object value, TimestampFormat format) {
        Instant t = toInstant(value);
        if (t == null) return value.toString();
        return switch (format) {
            case ISO8601 -> iso8601(t);
            case RFC822 -> HTTP_DATE.format(t);
            case UNIX_TIMESTAMP -> epochSeconds(t);
            case UNIX_TIMESTAMP_MILLIS -> Long.toString(t.toEpochMilli());
        };
    }

    /** {@code 2015-01-25T08:00:00Z}, with milliseconds only when there are some. */
    public static String iso8601(Instant t) {
        OffsetDateTime d = t.atOffset(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(24);
        int year = d.getYear();
        if (year < 1000) sb.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        sb.append(year).append('-');
        two(sb, d.getMonthValue()).append('-');
        two(sb, d.getDayOfMonth()).append('T');
        two(sb, d.getHour()).append(':');
        two(sb, d.getMinute()).append(':');
        two(sb, d.getSecond());
        int millis = d.getNano() / 1_000_000;
        if (millis != 0) {
            sb.append('.');
            if (millis < 100) sb.append('0');
            if (millis < 10) sb.append('0');
            sb.append(millis);
        }
        return sb.append('Z').toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        if (v < 10) sb.append('0');
        return sb.append(v);
    }

    public static String epochSeconds(Instant t) {
        long ms = t.toEpochMilli();
        if (ms % 1000 == 0) return Long.toString(ms / 1000);
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) return i;
        if (value instanceof Date d) return d.toInstant();
        if (value instanceof OffsetDateTime o) return o.toInstant();
        if (value instanceof ZonedDateTime z) return z.toInstant();
        if (value instanceof Number n) return Instant.ofEpochMilli(Math.round(n.doubleValue() * 1000));
        return null;
    }

    // ---------------------------------------------------------------- input

    /**
     * Wire text to a tree value for a scalar shape.
     *
     * @throws BadValueException when the text is not a value of that type
     */
    public static Object parse(ShapeType type, String text, TimestampFormat format) {
        switch (type) {
            case STRING:
                return text;
            case INTEGER:
            case BYTE:
            case SHORT:
                try {
                    return Integer.parseInt(text.trim());
                } catch (NumberFormatException e) {
                    throw new BadValueException("not an integer");
                }
            case LONG:
                try {
                    return Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw new BadValueException("not a long");
                }
            case BIG_INTEGER:
                try {
                    return new BigInteger(text.trim());
                } catch (NumberFormatException e) {
                    throw new BadValueException("not an integer");
                }
            case BIG_DECIMAL:
                try {
                    return new BigDecimal(text.trim());
                } catch (NumberFormatException e) {
                    throw new BadValueException("not a number");
                }
            case FLOAT:
            case DOUBLE:
                return parseDouble(text);
            case BOOLEAN:
                String b = text.trim();
                if (b.equalsIgnoreCase("true")) return Boolean.TRUE;
                if (b.equalsIgnoreCase("false")) return Boolean.FALSE;
                throw new BadValueException("not a boolean");
            case BLOB:
                try {
                    return Base64.getMimeDecoder().decode(text.trim());
                } catch (IllegalArgumentException e) {
                    throw new BadValueException("not base64");
                }
            case TIMESTAMP:
                return parseTimestamp(text, format);
            default:
                return text;
        }
    }

    public static Double parseDouble(String text) {
        String s = text.trim();
        switch (s) {
            case "NaN": return Double.NaN;
            case "Infinity": return Double.POSITIVE_INFINITY;
            case "-Infinity": return Double.NEGATIVE_INFINITY;
            default:
        }
        if (s.isEmpty() || s.indexOf('x') >= 0 || s.indexOf('X') >= 0 || !Character.isDigit(s.charAt(s.length() - 1)) && s.charAt(s.length() - 1) != '.') {
            throw new BadValueException("not a number");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadValueException("not a number");
        }
    }

    /** Accepts ISO 8601 (with or without fraction or offset), RFC 1123 and epoch seconds, whatever {@code format} says. */
    public static Instant parseTimestamp(String text, TimestampFormat format) {
        String s = text.trim();
        if (s.isEmpty()) throw new BadValueException("empty timestamp");
        char c0 = s.charAt(0);
        if (format == TimestampFormat.UNIX_TIMESTAMP || (c0 >= '0' && c0 <= '9' || c0 == '-') && s.indexOf('-', 1) < 0 && s.indexOf(':') < 0) {
            try {
                BigDecimal secs = new BigDecimal(s);
                return Instant.ofEpochSecond(secs.longValue(), secs.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            } catch (NumberFormatException | ArithmeticException e) {
                if (format == TimestampFormat.UNIX_TIMESTAMP) throw new BadValueException("not an epoch timestamp");
            }
        }
        if (Character.isLetter(c0)) {
            try {
                return ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw new BadValueException("not an HTTP date");
            }
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // No offset at all: UTC.
                return java.time.LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new BadValueException("not an ISO 8601 timestamp");
            }
        }
    }
}
