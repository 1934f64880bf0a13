package dev.polystack.services.sqs;

import java.util.Map;

/**
 * A message in a queue. The fields set at send time are immutable; the delivery state (state,
 * visibility deadline, receive count, current receipt handle) changes only under the owning queue's lock.
 */
final class SqsMessage {
    enum State { DELAYED, VISIBLE, INFLIGHT, DELETED }

    final String messageId;
    final String body;
    final String md5OfBody;
    final Map<String, MessageAttribute> attributes;
    final String md5OfAttributes;
    final Map<String, MessageAttribute> systemAttributes;
    final String md5OfSystemAttributes;
    final long sentTimestamp;
    final String senderId;
    final String groupId;
    final String deduplicationId;
    final String deadLetterSourceArn;
    /** FIFO sequence number (20 digits), assigned by the queue holding the message; null for standard queues. */
    String sequenceNumber;

    State state;
    /** Epoch millis at which a DELAYED or INFLIGHT message becomes visible. */
    long visibleAt;
    int receiveCount;
    long firstReceiveTimestamp;
    /** When the current receive happened (the 12-hour visibility limit counts from it). */
    long lastReceivedAt;
    String receiptHandle;
    /** Arrival order in the queue holding it (standard queues serve visible messages oldest arrival first). */
    long arrival;
    /** Bumped at every state change: timers scheduled for an older stamp are stale and ignored. */
    long stamp;

    SqsMessage(String messageId, String body, String md5OfBody, Map<String, MessageAttribute> attributes,
               String md5OfAttributes, Map<String, MessageAttribute> systemAttributes, String md5OfSystemAttributes,
               long sentTimestamp, String senderId, String groupId, String deduplicationId, String deadLetterSourceArn) {
        this.messageId = messageId;
        this.body = body;
        this.md5OfBody = md5OfBody;
        this.attributes = attributes;
        this.md5OfAttributes = md5OfAttributes;
        this.systemAttributes = systemAttributes;
        this.md5OfSystemAttributes = md5OfSystemAttributes;
        this.sentTimestamp = sentTimestamp;
        this.senderId = senderId;
        this.groupId = groupId;
        this.deduplicationId = deduplicationId;
        this.deadLetterSourceArn = deadLetterSourceArn;
    }

    /** A copy for another queue (dead-letter redrive, move tasks), keeping identity, counts and timestamps. */
    SqsMessage copyFor(String deadLetterSourceArn) {
        SqsMessage m = new SqsMessage(messageId, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                md5OfSystemAttributes, sentTimestamp, senderId, groupId, deduplicationId, deadLetterSourceArn);
        m.receiveCount = receiveCount;
        m.firstReceiveTimestamp = firstReceiveTimestamp;
        return m;
    }
}
