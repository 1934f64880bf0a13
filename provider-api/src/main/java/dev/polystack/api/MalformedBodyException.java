package dev.polystack.api;

import java.io.IOException;

/**
 * A request body that cannot be decoded: broken {@code aws-chunked} framing, a body shorter than its declared
 * length, {@code Content-Encoding: gzip} over bytes that are not gzip. The gateway's body decoders throw it from
 * the body stream, so it reaches whoever reads the body (router, codec or provider), usually wrapped (an
 * {@link java.io.UncheckedIOException} from {@link HttpRequestData#bodyBytes()}, a provider's own wrapper).
 * The gateway finds it in the cause chain ({@link #in(Throwable)}) and answers with {@link #toServiceException()},
 * a 400 in the service's protocol, instead of a 500. A provider that catches {@link IOException} from a body
 * may do the same.
 */
public final class MalformedBodyException extends IOException {
    private final String code;

    private MalformedBodyException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** Fewer bytes than declared (the stream ended early): S3's {@code IncompleteBody}. */
    public static MalformedBodyException incomplete(String detail) {
        return new MalformedBodyException("IncompleteBody",
                "You did not provide the number of bytes specified by the Content-Length HTTP header. (" + detail + ")");
    }

    /** Bytes that do not follow their declared encoding (bad chunk header, not gzip): {@code InvalidRequest}. */
    public static MalformedBodyException invalid(String detail) {
        return new MalformedBodyException("InvalidRequest", "The request body is malformed: " + detail);
    }

    /** The AWS error code to answer with. */
    public String code() {
        return code;
    }

    /** The 400 (sender fault) to answer with. */
    public ServiceException toServiceException() {
        return new ServiceException(code, getMessage(), 400, true);
    }

    /** The malformed-body exception behind {@code error} (itself or a cause), or null. */
    public static MalformedBodyException in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof MalformedBodyException m) return m;
            if (t.getCause() == t) break;
        }
        return null;
    }
}
