package dev.polystack.protocol.model;

/** Wire formats of timestamps ({@code timestampFormat} in specifications). */
public enum TimestampFormat {
    ISO8601, RFC822, UNIX_TIMESTAMP,
    /**
     * Epoch milliseconds: never named in a specification, but what the AWS SDKs for Java send and expect in CBOR
     * bodies of JSON-protocol services ({@code application/x-amz-cbor-1.1}, tag 1 with a millisecond count).
     */
    UNIX_TIMESTAMP_MILLIS;

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
