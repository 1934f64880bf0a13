package dev.polystack.protocol.model;

/** Where a member travels in an HTTP request or response (botocore's {@code location}). */
public enum Location {
    /** In the body (or, for query/ec2, in the form). */
    BODY,
    /** A URI label: {@code /{Bucket}/{Key+}}. */
    URI,
    /** One query-string parameter, or (a map member without a name) all remaining ones. */
    QUERYSTRING,
    /** One header. */
    HEADER,
    /** All headers starting with a prefix (a map member; {@code locationName} is the prefix). */
    HEADERS,
    /** The HTTP status code of a response. */
    STATUS_CODE;

    static Location of(String botocore) {
        if (botocore == null) return BODY;
        return switch (botocore) {
            case "uri" -> URI;
            case "querystring" -> QUERYSTRING;
            case "header" -> HEADER;
            case "headers" -> HEADERS;
            case "statusCode" -> STATUS_CODE;
            default -> throw new IllegalArgumentException("unknown location " + botocore);
        };
    }
}
