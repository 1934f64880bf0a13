package dev.polystack.services.events;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.services.firehose.api.FirehoseApi;
import dev.polystack.services.firehose.api.Record;
import dev.polystack.services.kinesis.api.KinesisApi;
import dev.polystack.services.kinesis.api.PutRecordInput;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.LambdaApi;
import dev.polystack.services.logs.api.CreateLogStreamRequest;
import dev.polystack.services.logs.api.InputLogEvent;
import dev.polystack.services.logs.api.LogsApi;
import dev.polystack.services.logs.api.PutLogEventsRequest;
import dev.polystack.services.sns.api.PublishInput;
import dev.polystack.services.sns.api.SnsApi;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.MessageAttributeValue;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SqsApi;
import dev.polystack.services.stepfunctions.api.StartExecutionInput;
import dev.polystack.services.stepfunctions.api.StepFunctionsApi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends matched events to targets, off the request thread, through each target service's typed API
 * ({@code SqsApi.client(env)} ...: EventBridge knows only the targets' API modules, not their providers). A failed call is retried with
 * exponential back-off within the target's RetryPolicy (185 attempts and 24 hours by default, as AWS);
 * errors that retrying cannot fix (a missing queue, a bad parameter: 4xx) and exhausted retries go to the
 * target's dead-letter queue with AWS's message attributes.
 */
final class EventDelivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventDelivery.class.getName());
    private static final int DEFAULT_RETRIES = 185;
    private static final int DEFAULT_MAX_AGE_SECONDS = 86_400;

    /** One event on its way to one target. */
    record Job(String account, String region, String ruleArn, Target target, String payload, String eventId,
               long acceptedAt, int attempt) {
        Job next() {
            return new Job(account, region, ruleArn, target, payload, eventId, acceptedAt, attempt + 1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final SqsApi sqs;
    private final SnsApi sns;
    private final LambdaApi lambda;
    private final KinesisApi kinesis;
    private final FirehoseApi firehose;
    private final StepFunctionsApi stepFunctions;
    private final LogsApi logs;
    private final ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    /** The last delivery queued per rule and FIFO queue target, so the next one waits for it. */
    private final Map<String, CompletableFuture<Void>> fifoTails = new ConcurrentHashMap<>();
    /** Calls another event bus's PutEvents in this provider (bus-to-bus targets). */
    private final BusForwarder forwarder;
    private final ApiDestinations apiDestinations;
    /**
     * Every accepted delivery not yet done (queued, running, or waiting for a retry), by id, with the time its next
     * attempt is due: part of the snapshot, so that with PERSISTENCE=1 what was pending at a clean shutdown is
     * delivered after the restart (at least once: one in flight while the snapshot was written may arrive twice).
     */
    private final Map<Long, PendingRetry> undelivered = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Deliveries waiting for a retry's time (not running). */
    private final AtomicInteger waiting = new AtomicInteger();

    /** A delivery of {@code job} whose next attempt is due at {@code dueAt} (epoch ms). */
    record PendingRetry(Job job, long dueAt) {
    }

    interface BusForwarder {
        void forward(String busArn, String eventJson);
    }

    EventDelivery(ProviderEnvironment env, BusForwarder forwarder, ApiDestinations apiDestinations) {
        this.env = env;
        this.forwarder = forwarder;
        this.apiDestinations = apiDestinations;
        this.sqs = SqsApi.client(env);
        this.sns = SnsApi.client(env);
        this.lambda = LambdaApi.client(env);
        this.kinesis = KinesisApi.client(env);
        this.firehose = FirehoseApi.client(env);
        this.stepFunctions = StepFunctionsApi.client(env);
        this.logs = LogsApi.client(env);
        int threads = env == null ? 1 : env.config().integer("EVENTS_DELIVERY_THREADS",
                Math.max(2, Runtime.getRuntime().availableProcessors()));
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "events-delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void submit(Job job) {
        if (env == null) return; // engine-only unit tests deliver nothing
        long id = ids.incrementAndGet();
        undelivered.put(id, new PendingRetry(job, job.acceptedAt()));
        start(id, job);
    }

    private void start(long id, Job job) {
        inFlight.incrementAndGet();
        long now = System.currentTimeMillis();
        long slot = job.target().arn().contains(":api-destination/") ? apiDestinations.reserve(job.target().arn(), now) : now;
        if (slot > now) {
            // over the API destination's InvocationRateLimitPerSecond: delayed to its slot, never dropped
            waiting.incrementAndGet();
            env.scheduler().schedule(() -> {
                waiting.decrementAndGet();
                if (undelivered.containsKey(id)) dispatch(id, job);
                else inFlight.decrementAndGet();   // dropped by a reset meanwhile
            }, slot - now, TimeUnit.MILLISECONDS);
            return;
        }
        dispatch(id, job);
    }

    private void dispatch(long id, Job job) {
        if (job.target().arn().endsWith(".fifo")) {
            inOrder(id, job);
        } else {
            workers.execute(() -> run(id, job));
        }
    }

    /**
     * A FIFO queue target receives a rule's events in the order they were put: each delivery to it starts
     * after the previous one finished (other targets are delivered in parallel).
     */
    private void inOrder(long id, Job job) {
        String key = job.ruleArn() + "|" + job.target().id();
        // handleAsync, not thenRunAsync: a delivery that died (an Error escaping run) must not skip the ones after it.
        CompletableFuture<Void> mine = fifoTails.compute(key, (k, tail) ->
                (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                        .handleAsync((r, e) -> { run(id, job); return null; }, workers));
        mine.whenComplete((r, e) -> fifoTails.remove(key, mine));
    }

    private void run(long id, Job job) {
        try {
            send(job);
            done(id, job);
        } catch (RuntimeException e) {
            failed(id, job, e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** A delivery is over (delivered, or given up): it leaves the set a snapshot keeps. */
    private void done(long id, Job job) {
        undelivered.remove(id);
        if (job.attempt() > 0) env.stateChanged("events");   // the snapshot still names it as pending
    }

    private void failed(long id, Job job, RuntimeException e) {
        Target t = job.target();
        boolean retryable = !(e instanceof ServiceException se) || se.status() >= 500 || "ThrottlingException".equals(se.code());
        int maxRetries = t.maximumRetryAttempts() == null ? DEFAULT_RETRIES : t.maximumRetryAttempts();
        long maxAgeMs = (t.maximumEventAgeInSeconds() == null ? DEFAULT_MAX_AGE_SECONDS : t.maximumEventAgeInSeconds()) * 1000L;
        long delayMs = Math.min(60_000L, 1000L << Math.min(job.attempt(), 6));
        boolean young = System.currentTimeMillis() + delayMs - job.acceptedAt() < maxAgeMs;
        if (retryable && job.attempt() < maxRetries && young && env != null) {
            retryLater(id, new PendingRetry(job.next(), System.currentTimeMillis() + delayMs));
            env.stateChanged("events");
            return;
        }
        done(id, job);
        LOG.log(System.Logger.Level.DEBUG, "EventBridge → " + t.arn() + " failed: " + e);
        if (t.deadLetterArn() != null) toDeadLetterQueue(job, e, retryable ? "MaximumRetryAttempts" : null);
    }

    /** Schedules the next attempt of delivery {@code id}; it stays in {@link #undelivered} meanwhile. */
    private void retryLater(long id, PendingRetry retry) {
        undelivered.put(id, retry);
        inFlight.incrementAndGet();
        waiting.incrementAndGet();
        env.scheduler().schedule(() -> {
            waiting.decrementAndGet();
            inFlight.decrementAndGet();
            if (undelivered.get(id) == retry) start(id, retry.job());   // not dropped by a reset meanwhile
        }, Math.max(0, retry.dueAt() - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    /** The deliveries not yet done, with when each is due (for the snapshot). */
    List<PendingRetry> pendingRetries() {
        return List.copyOf(undelivered.values());
    }

    /** Replaces the pending deliveries with a snapshot's (those overdue start at once). */
    void restoreRetries(List<PendingRetry> restored) {
        undelivered.clear();
        if (env == null) return;
        for (PendingRetry r : restored) retryLater(ids.incrementAndGet(), r);
    }

    private void toDeadLetterQueue(Job job, RuntimeException cause, String exhausted) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("RULE_ARN", stringAttribute(job.ruleArn()));
        attributes.put("TARGET_ARN", stringAttribute(job.target().arn()));
        attributes.put("ERROR_CODE", stringAttribute(cause instanceof ServiceException se ? se.code() : "InternalException"));
        attributes.put("ERROR_MESSAGE", stringAttribute(String.valueOf(cause.getMessage())));
        if (exhausted != null) attributes.put("EXHAUSTED_RETRY_CONDITION", stringAttribute(exhausted));
        attributes.put("RETRY_ATTEMPTS", MessageAttributeValue.builder().dataType("Number").stringValue(String.valueOf(job.attempt())).build());
        try {
            String arn = job.target().deadLetterArn();
            sqs.sendMessage(contextFor(arn), SendMessageRequest.builder().queueUrl(queueUrl(arn)).messageBody(job.payload())
                    .messageAttributes(attributes).build());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "EventBridge dead-letter queue " + job.target().deadLetterArn() + " failed: " + e);
        }
    }

    private static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value == null || value.isEmpty() ? "-" : value).build();
    }

    /** One delivery, through the target service's typed API (whichever provider serves it). */
    private void send(Job job) {
        Target t = job.target();
        String arn = t.arn();
        RequestContext ctx = contextFor(arn);
        byte[] payload = job.payload().getBytes(StandardCharsets.UTF_8);
        switch (t.service()) {
            case "sqs" -> {
                SendMessageRequest.Builder message = SendMessageRequest.builder().queueUrl(queueUrl(arn)).messageBody(job.payload());
                if (arn.endsWith(".fifo")) message.messageGroupId(t.messageGroupId()).messageDeduplicationId(job.eventId());
                // EventBridge delivers as events.amazonaws.com on behalf of the rule: under ENFORCE_IAM the queue's policy must allow that
                String[] rule = job.ruleArn() == null ? new String[0] : job.ruleArn().split(":", 6);
                RequestContext delivery = rule.length < 6 ? ctx : RequestContext.delivery(ctx.accountId(), ctx.region(), "sqs",
                        new RequestContext.Delivery("events.amazonaws.com", job.ruleArn(), rule[4]));
                try {
                    sqs.sendMessage(delivery, message.build());
                } catch (ServiceException e) {
                    queueUrls.remove(arn);
                    throw e;
                }
            }
            case "sns" -> sns.publish(ctx, PublishInput.builder().topicArn(arn).message(job.payload()).build());
            case "lambda" -> lambda.invoke(ctx, InvocationRequest.builder().functionName(arn).invocationType("Event").payload(payload).build());
            case "kinesis" -> kinesis.putRecord(ctx, PutRecordInput.builder().streamName(arn.substring(arn.indexOf(":stream/") + 8))
                    .data(payload).partitionKey(partitionKey(t, job)).build());
            case "firehose" -> firehose.putRecord(ctx, dev.polystack.services.firehose.api.PutRecordInput.builder()
                    .deliveryStreamName(arn.substring(arn.indexOf(":deliverystream/") + 16))
                    .recordValue(Record.builder().data(payload).build()).build());
            case "states" -> stepFunctions.startExecution(ctx, StartExecutionInput.builder().stateMachineArn(arn).input(job.payload()).build());
            case "logs" -> toLogs(ctx, arn, job);
            case "events" -> {
                if (arn.contains(":api-destination/")) apiDestinations.invoke(arn, t.http(), job.payload());
                else forwarder.forward(arn, job.payload());
            }
            default -> throw new ServiceException("InvalidParameter", "Unsupported target " + arn);
        }
    }

    /** A Kinesis target's partition key: the value at KinesisParameters.PartitionKeyPath, else the event id. */
    private static String partitionKey(Target t, Job job) {
        if (t.partitionKeyPath() == null) return job.eventId();
        try {
            JsonNode node = TargetInput.select(JSON.readTree(job.payload()), t.partitionKeyPath());
            if (node != null) return node.asText();
        } catch (Exception ignored) {
            // the event id stays the key
        }
        return job.eventId();
    }

    /** A log group target: the event goes to a stream named after the event id, created on the way. */
    private void toLogs(RequestContext ctx, String arn, Job job) {
        String group = arn.substring(arn.indexOf(":log-group:") + 11);
        if (group.endsWith(":*")) group = group.substring(0, group.length() - 2);
        String stream = job.eventId();
        try {
            logs.createLogStream(ctx, CreateLogStreamRequest.builder().logGroupName(group).logStreamName(stream).build());
        } catch (ServiceException e) {
            if (!e.code().equals("ResourceAlreadyExistsException")) throw e;
        }
        logs.putLogEvents(ctx, PutLogEventsRequest.builder().logGroupName(group).logStreamName(stream)
                .logEvents(List.of(InputLogEvent.builder().timestamp(System.currentTimeMillis()).message(job.payload()).build())).build());
    }

    private static RequestContext contextFor(String arn) {
        String[] parts = arn.split(":", 6);
        return RequestContext.internal(parts.length > 4 ? parts[4] : "000000000000", parts.length > 3 ? parts[3] : "us-east-1",
                parts.length > 2 ? parts[2] : "events");
    }

    private String queueUrl(String queueArn) {
        String url = queueUrls.get(queueArn);
        if (url != null) return url;
        String[] parts = queueArn.split(":", 6);
        if (parts.length < 6) throw new ServiceException("InvalidParameter", "Bad queue ARN " + queueArn);
        url = sqs.getQueueUrl(contextFor(queueArn), GetQueueUrlRequest.builder().queueName(parts[5])
                .queueOwnerAWSAccountId(parts[4]).build()).queueUrl();
        queueUrls.put(queueArn, url);
        return url;
    }

    /** Waits until nothing is queued or running (scheduled retries included), up to {@code timeout}. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** Waits until nothing is queued or running, retries waiting for their time aside (a snapshot keeps those). */
    boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() - waiting.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    /** Events accepted but not yet delivered (queued, running, or waiting for a retry). */
    int pending() {
        return inFlight.get();
    }

    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String newEventId() {
        return UUID.randomUUID().toString();
    }
}
