package dev.polystack.protocol;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;

/** Timestamp wire formats shared by all protocols: ISO 8601, RFC 822 (HTTP date), epoch seconds. */
public final class Timestamps {
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** {@code 2014-04-29T18:30:38Z}, with milliseconds only when there are some. */
    public static String iso8601(Instant t) {
        return (t.getNano() / 1_000_000 == 0 ? ISO_SECONDS : ISO_MILLIS).format(t);
    }

    /** {@code 2014-04-29T18:30:38.000Z}: always milliseconds (what AWS's XML services usually send). */
    public static String iso8601Millis(Instant t) {
        return ISO_MILLIS.format(t);
    }

    /** {@code Tue, 29 Apr 2014 18:30:38 GMT}. */
    public static String httpDate(Instant t) {
        return HTTP_DATE.format(t);
    }

    /** Epoch seconds with up to millisecond fraction: {@code 1398796238} or {@code 1398796238.123}. */
    public static BigDecimal epochSeconds(Instant t) {
        long millis = t.getNano() / 1_000_000;
        if (millis == 0) return BigDecimal.valueOf(t.getEpochSecond());
        return BigDecimal.valueOf(t.getEpochSecond() * 1000 + millis, 3).stripTrailingZeros();
    }

    /** Epoch seconds as text (for headers and query strings). */
    public static String epochSecondsText(Instant t) {
        return epochSeconds(t).toPlainString();
    }

    public static Instant parseIso8601(String s) {
        String v = s.trim();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return ZonedDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e2) {
                return LocalDateTime.parse(v, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            }
        }
    }

    /** RFC 3339 {@code date-time} as Smithy servers accept it: {@code 1985-04-12T23:20:50[.52]Z}, nothing else. */
    public static Instant parseIso8601Strict(String s) {
        int n = s.length();
        boolean ok = n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z';
        if (ok && n > 20) ok = s.charAt(19) == '.' && n > 21;
        for (int i = 0; ok && i < n - 1; i++) {
            if (i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19) continue;
            ok = Character.isDigit(s.charAt(i));
        }
        if (!ok) throw new java.time.format.DateTimeParseException("not an RFC 3339 date-time in UTC", s, 0);
        return Instant.parse(s);
    }

    public static Instant parseHttpDate(String s) {
        return ZonedDateTime.parse(s.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    /** {@code 1398796238}, {@code 1398796238.5}. */
    public static Instant parseEpochSeconds(String s) {
        return fromEpochSeconds(new BigDecimal(s.trim()));
    }

    public static Instant fromEpochSeconds(BigDecimal seconds) {
        long whole = seconds.longValue();
        int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    public static Instant fromEpochSeconds(double seconds) {
        return fromEpochSeconds(BigDecimal.valueOf(seconds));
    }

    /**
     * A timestamp value from a provider's output tree as an Instant: Instant, Date, a Number (epoch seconds)
     * or a String in ISO 8601 are accepted.
     */
    public static Instant toInstant(Object v) {
        if (v instanceof Instant i) return i;
        if (v instanceof Date d) return d.toInstant();
        if (v instanceof ZonedDateTime z) return z.toInstant();
        if (v instanceof java.time.OffsetDateTime o) return o.toInstant();
        if (v instanceof BigDecimal b) return fromEpochSeconds(b);
        if (v instanceof Number n) return fromEpochSeconds(n.doubleValue());
        if (v instanceof String s) {
            try {
                return parseIso8601(s);
            } catch (DateTimeParseException e) {
                return parseEpochSeconds(s);
            }
        }
        throw new IllegalArgumentException("not a timestamp: " + v.getClass().getName());
    }
}
