package dev.polystack.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AWS error. {@code code} is the error shape's name in the service specification
 * (for example {@code QueueDoesNotExist}, {@code NoSuchBucket}); the protocol serializer adds what the
 * specification says about it (awsQueryError codes, x-amzn-query-error). Extra members of the error
 * shape (S3's {@code BucketName}, {@code Key}, ...) go in {@link #fields()}.
 */
public class ServiceException extends RuntimeException {
    private final String code;
    private final int status;
    private final boolean senderFault;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private String queryCode;

    public ServiceException(String code, String message, int status, boolean senderFault) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        this.senderFault = senderFault;
    }

    /** A client error (sender fault) with status 400. */
    public ServiceException(String code, String message) {
        this(code, message, 400, true);
    }

    public ServiceException(String code, String message, int status) {
        this(code, message, status, status < 500);
    }

    public String code() { return code; }

    public int status() { return status; }

    public boolean senderFault() { return senderFault; }

    /** Extra members of the error shape, serialized beside Code and Message. */
    public Map<String, Object> fields() { return fields; }

    public ServiceException with(String member, Object value) {
        fields.put(member, value);
        return this;
    }

    /**
     * The code the query protocol reports for this error (and, for awsQueryCompatible JSON services, the
     * first part of {@code x-amzn-query-error}), when it differs from {@link #code()} and the
     * specification does not carry it: SQS's botocore specification lacks the awsQueryError traits, so
     * the SQS provider says {@code AWS.SimpleQueueService.NonExistentQueue} here for {@code QueueDoesNotExist}.
     * Null means: whatever the specification says, else {@link #code()}.
     */
    public String queryCode() { return queryCode; }

    public ServiceException queryCode(String queryCode) {
        this.queryCode = queryCode;
        return this;
    }
}
