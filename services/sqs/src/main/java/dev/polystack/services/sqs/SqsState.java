package dev.polystack.services.sqs;

import java.util.List;
import java.util.Map;

/**
 * The persisted form of the SQS provider's state (JSON via Jackson), format version {@link #VERSION}:
 * <pre>
 * { "version": 1,
 *   "regions": [ { "accountId", "region", "queues": [QueueState...], "moveTasks": [MoveTaskState...] } ] }
 * </pre>
 * Times are epoch milliseconds, so delays and visibility timeouts resume where they were after a restart.
 */
final class SqsState {
    static final int VERSION = 1;

    private SqsState() {
    }

    record Root(int version, List<RegionState> regions) {
    }

    record RegionState(String accountId, String region, List<QueueState> queues, List<MoveTaskState> moveTasks) {
    }

    record QueueState(String name, boolean fifo, long createdTimestamp, long lastModifiedTimestamp,
                      Map<String, String> attributes, Map<String, String> tags, List<MessageState> messages,
                      Map<String, DedupState> deduplication, long sequence, long lastPurge) {
    }

    record DedupState(long expiresAt, String messageId, String sequenceNumber) {
    }

    record MessageState(String messageId, String body, Map<String, MessageAttribute> attributes,
                        Map<String, MessageAttribute> systemAttributes, long sentTimestamp, String senderId,
                        String groupId, String deduplicationId, String deadLetterSourceArn, String sequenceNumber,
                        String state, long visibleAt, int receiveCount, long firstReceiveTimestamp,
                        long lastReceivedAt, String receiptHandle) {

        static MessageState of(SqsMessage m) {
            return new MessageState(m.messageId, m.body, m.attributes, m.systemAttributes, m.sentTimestamp, m.senderId,
                    m.groupId, m.deduplicationId, m.deadLetterSourceArn, m.sequenceNumber, m.state.name(), m.visibleAt,
                    m.receiveCount, m.firstReceiveTimestamp, m.lastReceivedAt, m.receiptHandle);
        }

        SqsMessage toMessage() {
            SqsMessage m = new SqsMessage(messageId, body, MessageMd5.ofBody(body), attributes,
                    MessageMd5.ofAttributes(attributes), systemAttributes, MessageMd5.ofAttributes(systemAttributes),
                    sentTimestamp, senderId, groupId, deduplicationId, deadLetterSourceArn);
            m.sequenceNumber = sequenceNumber;
            m.receiveCount = receiveCount;
            m.firstReceiveTimestamp = firstReceiveTimestamp;
            m.lastReceivedAt = lastReceivedAt;
            m.receiptHandle = receiptHandle;
            return m;
        }
    }

    record MoveTaskState(String taskId, String sourceArn, String destinationArn, Integer maxPerSecond, String status,
                         long moved, long toMove, long startedTimestamp, String failureReason) {
    }
}
