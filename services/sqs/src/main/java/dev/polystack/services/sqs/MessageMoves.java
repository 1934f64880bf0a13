package dev.polystack.services.sqs;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.services.sqs.api.CancelMessageMoveTaskRequest;
import dev.polystack.services.sqs.api.CancelMessageMoveTaskResult;
import dev.polystack.services.sqs.api.ListMessageMoveTasksRequest;
import dev.polystack.services.sqs.api.ListMessageMoveTasksResult;
import dev.polystack.services.sqs.api.ListMessageMoveTasksResultEntry;
import dev.polystack.services.sqs.api.StartMessageMoveTaskRequest;
import dev.polystack.services.sqs.api.StartMessageMoveTaskResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Message move tasks (StartMessageMoveTask, CancelMessageMoveTask, ListMessageMoveTasks): moving the messages of a
 * dead-letter queue back to their sources or to another queue, at a rate, on the shared scheduler.
 */
final class MessageMoves {
    private final AccountRegionStore<SqsStore> stores;
    private final Function<String, SqsQueue> queues;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;

    /** @param queues a queue anywhere by ARN, or null */
    MessageMoves(AccountRegionStore<SqsStore> stores, Function<String, SqsQueue> queues, ScheduledExecutorService scheduler,
                 LongSupplier clock) {
        this.stores = stores;
        this.queues = queues;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    StartMessageMoveTaskResult start(StartMessageMoveTaskRequest in) {
        String sourceArn = in.sourceArn();
        String destinationArn = in.destinationArn();
        Integer rate = in.maxNumberOfMessagesPerSecond();
        if (rate != null && (rate < 1 || rate > 500)) {
            throw SqsErrors.invalidParameter("MaxNumberOfMessagesPerSecond", rate,
                    "Must be an integer between 1 and 500, if provided.");
        }
        SqsQueue source = queues.apply(sourceArn);
        if (source == null) throw SqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        SqsStore store = stores.get(source.accountId, source.region);
        if (store.deadLetterSources(source.arn).isEmpty()) {
            throw SqsErrors.invalidParameterValue("Source queue must be configured as a Dead Letter Queue.");
        }
        if (destinationArn != null && queues.apply(destinationArn) == null) {
            throw SqsErrors.resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
        }
        List<MoveTask> tasks = store.moveTasks.computeIfAbsent(source.arn, a -> new ArrayList<>());
        MoveTask task;
        synchronized (tasks) {
            for (MoveTask t : tasks) {
                if (MoveTask.RUNNING.equals(t.status)) {
                    throw SqsErrors.invalidParameterValue("There is already a task running. Only one active task is "
                            + "allowed for a source queue arn at a given time.");
                }
            }
            SqsQueue.Counts counts = source.counts();
            task = new MoveTask(MessageFactory.newMessageId(), source.arn, destinationArn, rate, clock.getAsLong(),
                    counts.visible() + counts.inflight() + counts.delayed());
            tasks.add(task);
        }
        schedule(task);
        return StartMessageMoveTaskResult.builder().taskHandle(task.handle()).build();
    }

    /** Runs a task on the scheduler (also a running task restored from a snapshot). */
    void schedule(MoveTask task) {
        long period = task.maxPerSecond != null ? 1000 : 50;
        task.future = scheduler.scheduleAtFixedRate(() -> runMoveStep(task), 0, period, TimeUnit.MILLISECONDS);
    }

    /** Moves the next slice of messages; ends the task when done, cancelled or failed. */
    private void runMoveStep(MoveTask task) {
        try {
            if (!MoveTask.RUNNING.equals(task.status)) {
                finish(task);
                return;
            }
            SqsQueue source = queues.apply(task.sourceArn);
            if (source == null) {
                fail(task, "AWS.SimpleQueueService.NonExistentQueue");
                return;
            }
            long remaining = task.toMove - task.moved.get();
            int slice = (int) Math.min(remaining, task.maxPerSecond != null ? task.maxPerSecond : 1000);
            List<SqsMessage> batch = slice > 0 ? source.takeForMove(slice) : List.of();
            for (int i = 0; i < batch.size(); i++) {
                SqsMessage m = batch.get(i);
                SqsQueue destination = queues.apply(task.destinationArn != null ? task.destinationArn : m.deadLetterSourceArn);
                if (destination == null) {
                    for (int j = i; j < batch.size(); j++) source.enqueueMoved(batch.get(j).copyFor(batch.get(j).deadLetterSourceArn));
                    fail(task, "AWS.SimpleQueueService.NonExistentQueue");
                    return;
                }
                SqsMessage copy = m.copyFor(null);
                copy.receiveCount = 0;
                copy.firstReceiveTimestamp = 0;
                destination.enqueueMoved(copy);
                task.moved.incrementAndGet();
            }
            if (batch.isEmpty() || task.moved.get() >= task.toMove) {
                task.status = MoveTask.COMPLETED;
                finish(task);
            }
        } catch (RuntimeException e) {
            fail(task, "InternalError");
        }
    }

    private static void fail(MoveTask task, String reason) {
        task.failureReason = reason;
        task.status = MoveTask.FAILED;
        finish(task);
    }

    /** Stops a task's timer. */
    static void finish(MoveTask task) {
        var f = task.future;
        if (f != null) f.cancel(false);
    }

    CancelMessageMoveTaskResult cancel(CancelMessageMoveTaskRequest in) {
        String handle = in.taskHandle();
        String[] parsed = handle == null ? null : MoveTask.parseHandle(handle);
        if (parsed == null) throw SqsErrors.invalidParameterValue("Value for parameter TaskHandle is invalid.");
        SqsQueue source = queues.apply(parsed[1]);
        if (source == null) throw SqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        List<MoveTask> tasks = stores.get(source.accountId, source.region).moveTasks.getOrDefault(source.arn, List.of());
        synchronized (tasks) {
            for (MoveTask t : tasks) {
                if (t.taskId.equals(parsed[0]) && MoveTask.RUNNING.equals(t.status)) {
                    t.status = MoveTask.CANCELLED;
                    finish(t);
                    return CancelMessageMoveTaskResult.builder().approximateNumberOfMessagesMoved(t.moved.get()).build();
                }
            }
        }
        throw SqsErrors.resourceNotFound("Task does not exist.");
    }

    ListMessageMoveTasksResult list(ListMessageMoveTasksRequest in) {
        SqsQueue source = queues.apply(in.sourceArn());
        if (source == null) throw SqsErrors.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        Integer max = in.maxResults();
        if (max != null && (max < 1 || max > 10)) {
            throw SqsErrors.invalidParameter("MaxResults", max, "Must be an integer between 1 and 10, if provided.");
        }
        List<MoveTask> tasks = stores.get(source.accountId, source.region).moveTasks.getOrDefault(source.arn, List.of());
        List<ListMessageMoveTasksResultEntry> results = new ArrayList<>();
        synchronized (tasks) {
            for (int i = tasks.size() - 1; i >= 0 && results.size() < (max != null ? max : 1); i--) {
                results.add(tasks.get(i).toEntry());
            }
        }
        return ListMessageMoveTasksResult.builder().results(results).build();
    }
}
