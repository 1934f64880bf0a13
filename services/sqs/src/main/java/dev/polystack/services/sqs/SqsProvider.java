package dev.polystack.services.sqs;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Config;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.sqs.api.AddPermissionRequest;
import dev.polystack.services.sqs.api.CancelMessageMoveTaskRequest;
import dev.polystack.services.sqs.api.CancelMessageMoveTaskResult;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchRequest;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityBatchResult;
import dev.polystack.services.sqs.api.ChangeMessageVisibilityRequest;
import dev.polystack.services.sqs.api.CreateQueueRequest;
import dev.polystack.services.sqs.api.CreateQueueResult;
import dev.polystack.services.sqs.api.DeleteMessageBatchRequest;
import dev.polystack.services.sqs.api.DeleteMessageBatchResult;
import dev.polystack.services.sqs.api.DeleteMessageRequest;
import dev.polystack.services.sqs.api.DeleteQueueRequest;
import dev.polystack.services.sqs.api.GetQueueAttributesRequest;
import dev.polystack.services.sqs.api.GetQueueAttributesResult;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.GetQueueUrlResult;
import dev.polystack.services.sqs.api.ListDeadLetterSourceQueuesRequest;
import dev.polystack.services.sqs.api.ListDeadLetterSourceQueuesResult;
import dev.polystack.services.sqs.api.ListMessageMoveTasksRequest;
import dev.polystack.services.sqs.api.ListMessageMoveTasksResult;
import dev.polystack.services.sqs.api.ListQueueTagsRequest;
import dev.polystack.services.sqs.api.ListQueueTagsResult;
import dev.polystack.services.sqs.api.ListQueuesRequest;
import dev.polystack.services.sqs.api.ListQueuesResult;
import dev.polystack.services.sqs.api.PurgeQueueRequest;
import dev.polystack.services.sqs.api.ReceiveMessageRequest;
import dev.polystack.services.sqs.api.ReceiveMessageResult;
import dev.polystack.services.sqs.api.RemovePermissionRequest;
import dev.polystack.services.sqs.api.SendMessageBatchRequest;
import dev.polystack.services.sqs.api.SendMessageBatchResult;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SendMessageResult;
import dev.polystack.services.sqs.api.SetQueueAttributesRequest;
import dev.polystack.services.sqs.api.SqsApi;
import dev.polystack.services.sqs.api.StartMessageMoveTaskRequest;
import dev.polystack.services.sqs.api.StartMessageMoveTaskResult;
import dev.polystack.services.sqs.api.TagQueueRequest;
import dev.polystack.services.sqs.api.UntagQueueRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The native SQS provider, dispatch only: implements the typed {@link SqsApi} (generated from botocore's specification)
 * by handing each operation to {@link SqsQueues} (queues, attributes, tags, permissions), {@link SqsMessaging} (send,
 * receive, delete, visibility) or {@link MessageMoves}, over the queue engine {@link SqsQueue} and the lookups of
 * {@link SqsResources}; {@link #invoke} is the generic dispatch from the parameter tree. It also saves and loads state.
 * Queues live in an {@link AccountRegionStore}, so accounts and regions are isolated; a queue URL names its account
 * (and usually its region), so a request may reach another account's queue by URL, as on AWS.
 */
public final class SqsProvider implements SqsApi, ServiceProvider, Persistable {
    private final SqsResources resources;
    private final AccountRegionStore<SqsStore> stores;
    private final LongSupplier clock;
    private final SqsQueues queues;
    private final SqsMessaging messaging;
    private final MessageMoves moves;

    public SqsProvider(ProviderEnvironment environment) {
        this(environment.config(), environment.scheduler(), System::currentTimeMillis);
    }

    /** @param clock epoch millis (tests drive time with it) */
    SqsProvider(Config config, ScheduledExecutorService scheduler, LongSupplier clock) {
        this.resources = new SqsResources(config);
        this.stores = resources.stores;
        this.clock = clock;
        this.queues = new SqsQueues(resources, config, clock);
        this.messaging = new SqsMessaging(resources, clock);
        this.moves = new MessageMoves(stores, resources::queueByArn, scheduler, clock);
    }

    @Override
    public String service() {
        return "sqs";
    }

    @Override
    public List<InternalRoute> internalRoutes() {
        return List.of(new InternalRoute(null, "/_aws/sqs/messages", new PeekEndpoint(this)::handle));
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ================================================================ operations: queues (SqsQueues), messages
    // (SqsMessaging), message move tasks (MessageMoves)

    @Override
    public CreateQueueResult createQueue(RequestContext ctx, CreateQueueRequest in) {
        return queues.createQueue(ctx, in);
    }

    @Override
    public GetQueueUrlResult getQueueUrl(RequestContext ctx, GetQueueUrlRequest in) {
        return queues.getQueueUrl(ctx, in);
    }

    @Override
    public ListQueuesResult listQueues(RequestContext ctx, ListQueuesRequest in) {
        return queues.listQueues(ctx, in);
    }

    @Override
    public void deleteQueue(RequestContext ctx, DeleteQueueRequest in) {
        queues.deleteQueue(ctx, in);
    }

    @Override
    public GetQueueAttributesResult getQueueAttributes(RequestContext ctx, GetQueueAttributesRequest in) {
        return queues.getQueueAttributes(ctx, in);
    }

    @Override
    public void setQueueAttributes(RequestContext ctx, SetQueueAttributesRequest in) {
        queues.setQueueAttributes(ctx, in);
    }

    @Override
    public void purgeQueue(RequestContext ctx, PurgeQueueRequest in) {
        queues.purgeQueue(ctx, in);
    }

    @Override
    public void tagQueue(RequestContext ctx, TagQueueRequest in) {
        queues.tagQueue(ctx, in);
    }

    @Override
    public void untagQueue(RequestContext ctx, UntagQueueRequest in) {
        queues.untagQueue(ctx, in);
    }

    @Override
    public ListQueueTagsResult listQueueTags(RequestContext ctx, ListQueueTagsRequest in) {
        return queues.listQueueTags(ctx, in);
    }

    @Override
    public ListDeadLetterSourceQueuesResult listDeadLetterSourceQueues(RequestContext ctx, ListDeadLetterSourceQueuesRequest in) {
        return queues.listDeadLetterSourceQueues(ctx, in);
    }

    @Override
    public void addPermission(RequestContext ctx, AddPermissionRequest in) {
        queues.addPermission(ctx, in);
    }

    @Override
    public void removePermission(RequestContext ctx, RemovePermissionRequest in) {
        queues.removePermission(ctx, in);
    }

    @Override
    public SendMessageResult sendMessage(RequestContext ctx, SendMessageRequest in) {
        return messaging.sendMessage(ctx, in);
    }

    @Override
    public SendMessageBatchResult sendMessageBatch(RequestContext ctx, SendMessageBatchRequest in) {
        return messaging.sendMessageBatch(ctx, in);
    }

    @Override
    public ReceiveMessageResult receiveMessage(RequestContext ctx, ReceiveMessageRequest in) {
        return messaging.receiveMessage(ctx, in);
    }

    @Override
    public void deleteMessage(RequestContext ctx, DeleteMessageRequest in) {
        messaging.deleteMessage(ctx, in);
    }

    @Override
    public DeleteMessageBatchResult deleteMessageBatch(RequestContext ctx, DeleteMessageBatchRequest in) {
        return messaging.deleteMessageBatch(ctx, in);
    }

    @Override
    public void changeMessageVisibility(RequestContext ctx, ChangeMessageVisibilityRequest in) {
        messaging.changeMessageVisibility(ctx, in);
    }

    @Override
    public ChangeMessageVisibilityBatchResult changeMessageVisibilityBatch(RequestContext ctx, ChangeMessageVisibilityBatchRequest in) {
        return messaging.changeMessageVisibilityBatch(ctx, in);
    }

    @Override
    public StartMessageMoveTaskResult startMessageMoveTask(RequestContext ctx, StartMessageMoveTaskRequest in) {
        return moves.start(in);
    }

    @Override
    public CancelMessageMoveTaskResult cancelMessageMoveTask(RequestContext ctx, CancelMessageMoveTaskRequest in) {
        return moves.cancel(in);
    }

    @Override
    public ListMessageMoveTasksResult listMessageMoveTasks(RequestContext ctx, ListMessageMoveTasksRequest in) {
        return moves.list(in);
    }

    // ================================================================ persistence

    @Override
    public int stateVersion() {
        return SqsState.VERSION;
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        List<SqsState.RegionState> regions = new ArrayList<>();
        stores.all().forEach((account, byRegion) -> byRegion.forEach((region, store) -> {
            List<SqsState.QueueState> queues = new ArrayList<>();
            store.queues.values().forEach(q -> queues.add(q.save()));
            List<SqsState.MoveTaskState> tasks = new ArrayList<>();
            store.moveTasks.values().forEach(list -> {
                synchronized (list) {
                    list.forEach(t -> tasks.add(t.save()));
                }
            });
            regions.add(new SqsState.RegionState(account, region, queues, tasks));
        }));
        QueueAttributes.JSON.writeValue(out, new SqsState.Root(SqsState.VERSION, regions));
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != SqsState.VERSION) throw new IOException("unsupported SQS state version " + version);
        SqsState.Root root = QueueAttributes.JSON.readValue(in, SqsState.Root.class);
        resetState();
        for (SqsState.RegionState r : root.regions()) {
            SqsStore store = stores.get(r.accountId(), r.region());
            String partition = RequestContext.internal(r.accountId(), r.region(), "sqs").partition();
            for (SqsState.QueueState qs : r.queues()) {
                SqsQueue q = new SqsQueue(qs.name(), r.accountId(), r.region(), partition, qs.fifo(), clock, qs.createdTimestamp());
                q.restore(qs);
                store.queues.put(q.name, q);
            }
            for (SqsState.MoveTaskState ts : r.moveTasks()) {
                MoveTask t = MoveTask.restore(ts);
                store.moveTasks.computeIfAbsent(t.sourceArn, a -> new ArrayList<>()).add(t);
                if (MoveTask.RUNNING.equals(t.status)) moves.schedule(t);
            }
        }
    }

    @Override
    public void resetState() {
        stores.all().values().forEach(byRegion -> byRegion.values().forEach(store -> {
            store.moveTasks.values().forEach(list -> {
                synchronized (list) {
                    list.forEach(MessageMoves::finish);
                }
            });
            store.queues.values().forEach(SqsQueue::markDeleted);
        }));
        stores.clear();
    }

    @Override
    public void close() {
        resetState();
    }

    /** Stores, for the peek endpoint. */
    AccountRegionStore<SqsStore> stores() {
        return stores;
    }

    Function<String, SqsQueue> resolver() {
        return resources::queueByArn;
    }

    /** A queue by account, region and name, or null (the peek endpoint). */
    SqsQueue find(String accountId, String region, String name) {
        return resources.find(accountId, region, name);
    }

    /** One received message as a parameter tree (the peek endpoint answers in ReceiveMessage's shape). */
    static Map<String, Object> messageTree(SqsMessage m, String receiptHandle, int receiveCount, long firstReceive,
                                           String sequenceNumber, Set<String> systemNames, List<String> attributeNames) {
        return SqsMessaging.messageTree(m, receiptHandle, receiveCount, firstReceive, sequenceNumber, systemNames, attributeNames);
    }
}
