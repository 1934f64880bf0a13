package dev.polystack.services.s3;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Dates as HTTP headers carry them (RFC 1123), with ISO-8601 accepted too. */
final class HttpDates {
    private HttpDates() {
    }

    static Instant parse(String text) {
        String t = text.trim();
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(t, Instant::from);
        } catch (DateTimeParseException e) {
            return Instant.parse(t);
        }
    }

    static String format(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }
}
