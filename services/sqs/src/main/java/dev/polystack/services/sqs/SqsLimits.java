package dev.polystack.services.sqs;

/** SQS's documented quotas and defaults, in one place. */
final class SqsLimits {
    private SqsLimits() {
    }

    static final int MAX_MESSAGE_SIZE = 1_048_576;
    static final int MIN_MESSAGE_SIZE = 1_024;
    static final int MAX_VISIBILITY_TIMEOUT = 43_200;
    static final int MAX_DELAY_SECONDS = 900;
    static final int MAX_WAIT_TIME_SECONDS = 20;
    static final int MIN_RETENTION = 60;
    static final int MAX_RETENTION = 1_209_600;
    static final int MAX_BATCH_ENTRIES = 10;
    static final int MAX_MESSAGE_ATTRIBUTES = 10;
    static final int MAX_RECEIVE_MESSAGES = 10;
    static final int MAX_QUEUE_NAME_LENGTH = 80;
    static final long DEDUPLICATION_INTERVAL_MILLIS = 5 * 60 * 1000L;
    static final long PURGE_INTERVAL_MILLIS = 60 * 1000L;
    static final long RECENTLY_DELETED_MILLIS = 60 * 1000L;

    static final int DEFAULT_VISIBILITY_TIMEOUT = 30;
    static final int DEFAULT_RETENTION = 345_600;
}
