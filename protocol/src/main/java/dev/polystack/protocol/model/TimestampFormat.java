package dev.polystack.protocol.model;

/** Wire formats of timestamps ({@code timestampFormat} in specifications). */
public enum TimestampFormat {
    ISO8601, RFC822, UNIX_TIMESTAMP;

    public static TimestampFormat of(String s) {
        if (s == null) return null;
        return switch (s) {
            case "iso8601", "date-time" -> ISO8601;
            case "rfc822", "http-date" -> RFC822;
            case "unixTimestamp", "epoch-seconds" -> UNIX_TIMESTAMP;
            default -> throw new IllegalArgumentException("unknown timestamp format " + s);
        };
    }
}
