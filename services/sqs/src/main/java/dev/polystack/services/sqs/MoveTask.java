package dev.polystack.services.sqs;

import dev.polystack.services.sqs.api.ListMessageMoveTasksResultEntry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A message move task (StartMessageMoveTask): moves the messages of a dead-letter queue to a
 * destination, or each back to the queue it came from, at most {@code maxPerSecond} per second.
 * Its task handle encodes the task id and the source ARN, as AWS's do.
 */
final class MoveTask {
    static final String RUNNING = "RUNNING";
    static final String COMPLETED = "COMPLETED";
    static final String CANCELLED = "CANCELLED";
    static final String CANCELLING = "CANCELLING";
    static final String FAILED = "FAILED";

    final String taskId;
    final String sourceArn;
    final String destinationArn;
    final Integer maxPerSecond;
    final long startedTimestamp;
    final long toMove;
    final AtomicLong moved = new AtomicLong();
    volatile String status = RUNNING;
    volatile String failureReason;
    volatile ScheduledFuture<?> future;

    MoveTask(String taskId, String sourceArn, String destinationArn, Integer maxPerSecond, long startedTimestamp, long toMove) {
        this.taskId = taskId;
        this.sourceArn = sourceArn;
        this.destinationArn = destinationArn;
        this.maxPerSecond = maxPerSecond;
        this.startedTimestamp = startedTimestamp;
        this.toMove = toMove;
    }

    String handle() {
        String json = "{\"taskId\":\"" + taskId + "\",\"sourceArn\":\"" + sourceArn + "\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** (taskId, sourceArn) from a handle, or null when it is not one. */
    static String[] parseHandle(String handle) {
        try {
            var node = QueueAttributes.JSON.readTree(Base64.getDecoder().decode(handle));
            String id = node.path("taskId").asText(null);
            String arn = node.path("sourceArn").asText(null);
            return id == null || arn == null ? null : new String[]{id, arn};
        } catch (Exception e) {
            return null;
        }
    }

    /** This task as ListMessageMoveTasks lists it. */
    ListMessageMoveTasksResultEntry toEntry() {
        return ListMessageMoveTasksResultEntry.builder()
                .taskHandle(RUNNING.equals(status) ? handle() : null)
                .status(status)
                .sourceArn(sourceArn)
                .destinationArn(destinationArn)
                .maxNumberOfMessagesPerSecond(maxPerSecond)
                .approximateNumberOfMessagesMoved(moved.get())
                .approximateNumberOfMessagesToMove(toMove)
                .failureReason(failureReason)
                .startedTimestamp(startedTimestamp)
                .build();
    }

    SqsState.MoveTaskState save() {
        return new SqsState.MoveTaskState(taskId, sourceArn, destinationArn, maxPerSecond, status, moved.get(), toMove,
                startedTimestamp, failureReason);
    }

    static MoveTask restore(SqsState.MoveTaskState s) {
        MoveTask t = new MoveTask(s.taskId(), s.sourceArn(), s.destinationArn(), s.maxPerSecond(), s.startedTimestamp(), s.toMove());
        t.moved.set(s.moved());
        t.status = s.status();
        t.failureReason = s.failureReason();
        return t;
    }
}
