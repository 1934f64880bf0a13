package dev.polystack.services.events;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends matched events to targets, off the request thread, through {@link ProviderEnvironment#call} (so
 * EventBridge knows nothing of the SQS, SNS, Lambda ... providers). A failed call is retried with
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

    private final ProviderEnvironment env;
    private final ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    /** The last delivery queued per rule and FIFO queue target, so the next one waits for it. */
    private final Map<String, CompletableFuture<Void>> fifoTails = new ConcurrentHashMap<>();
    /** Calls another event bus's PutEvents in this provider (bus-to-bus targets). */
    private final BusForwarder forwarder;

    interface BusForwarder {
        void forward(String busArn, String eventJson);
    }

    EventDelivery(ProviderEnvironment env, BusForwarder forwarder) {
        this.env = env;
        this.forwarder = forwarder;
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
        inFlight.incrementAndGet();
        if (job.target().arn().endsWith(".fifo")) {
            inOrder(job);
        } else {
            workers.execute(() -> run(job));
        }
    }

    /**
     * A FIFO queue target receives a rule's events in the order they were put: each delivery to it starts
     * after the previous one finished (other targets are delivered in parallel).
     */
    private void inOrder(Job job) {
        String key = job.ruleArn() + "|" + job.target().id();
        @SuppressWarnings("unchecked") CompletableFuture<Void>[] mine = new CompletableFuture[1];
        fifoTails.compute(key, (k, tail) -> {
            CompletableFuture<Void> previous = tail == null ? CompletableFuture.completedFuture(null) : tail;
            mine[0] = previous.thenRunAsync(() -> run(job), workers);
            return mine[0];
        });
        mine[0].whenComplete((r, e) -> fifoTails.remove(key, mine[0]));
    }

    private void run(Job job) {
        try {
            send(job);
        } catch (RuntimeException e) {
            failed(job, e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void failed(Job job, RuntimeException e) {
        Target t = job.target();
        boolean retryable = !(e instanceof ServiceException se) || se.status() >= 500 || "ThrottlingException".equals(se.code());
        int maxRetries = t.maximumRetryAttempts() == null ? DEFAULT_RETRIES : t.maximumRetryAttempts();
        long maxAgeMs = (t.maximumEventAgeInSeconds() == null ? DEFAULT_MAX_AGE_SECONDS : t.maximumEventAgeInSeconds()) * 1000L;
        long delayMs = Math.min(60_000L, 1000L << Math.min(job.attempt(), 6));
        boolean young = System.currentTimeMillis() + delayMs - job.acceptedAt() < maxAgeMs;
        if (retryable && job.attempt() < maxRetries && young && env != null) {
            inFlight.incrementAndGet();
            env.scheduler().schedule(() -> {
                inFlight.decrementAndGet();
                submit(job.next());
            }, delayMs, TimeUnit.MILLISECONDS);
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "EventBridge → " + t.arn() + " failed: " + e);
        if (t.deadLetterArn() != null) toDeadLetterQueue(job, e, retryable ? "MaximumRetryAttempts" : null);
    }

    private void toDeadLetterQueue(Job job, RuntimeException cause, String exhausted) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("RULE_ARN", stringAttribute(job.ruleArn()));
        attributes.put("TARGET_ARN", stringAttribute(job.target().arn()));
        attributes.put("ERROR_CODE", stringAttribute(cause instanceof ServiceException se ? se.code() : "InternalException"));
        attributes.put("ERROR_MESSAGE", stringAttribute(String.valueOf(cause.getMessage())));
        if (exhausted != null) attributes.put("EXHAUSTED_RETRY_CONDITION", stringAttribute(exhausted));
        attributes.put("RETRY_ATTEMPTS", Map.of("DataType", "Number", "StringValue", String.valueOf(job.attempt())));
        try {
            String arn = job.target().deadLetterArn();
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("QueueUrl", queueUrl(arn));
            input.put("MessageBody", job.payload());
            input.put("MessageAttributes", attributes);
            env.call(contextFor(arn), "sqs", "SendMessage", input);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "EventBridge dead-letter queue " + job.target().deadLetterArn() + " failed: " + e);
        }
    }

    private static Map<String, Object> stringAttribute(String value) {
        return Map.of("DataType", "String", "StringValue", value == null || value.isEmpty() ? "-" : value);
    }

    private void send(Job job) {
        Target t = job.target();
        String arn = t.arn();
        RequestContext ctx = contextFor(arn);
        switch (t.service()) {
            case "sqs" -> {
                Map<String, Object> input = new LinkedHashMap<>();
                input.put("QueueUrl", queueUrl(arn));
                input.put("MessageBody", job.payload());
                if (arn.endsWith(".fifo")) {
                    if (t.messageGroupId() != null) input.put("MessageGroupId", t.messageGroupId());
                    input.put("MessageDeduplicationId", job.eventId());
                }
                try {
                    env.call(ctx, "sqs", "SendMessage", input);
                } catch (ServiceException e) {
                    queueUrls.remove(arn);
                    throw e;
                }
            }
            case "sns" -> env.call(ctx, "sns", "Publish", Map.of("TopicArn", arn, "Message", job.payload()));
            case "lambda" -> env.call(ctx, "lambda", "Invoke", Map.of("FunctionName", arn, "InvocationType", "Event",
                    "Payload", job.payload().getBytes(StandardCharsets.UTF_8)));
            case "kinesis" -> {
                String key = job.eventId();
                if (t.partitionKeyPath() != null) {
                    try {
                        var node = TargetInput.select(new com.fasterxml.jackson.databind.ObjectMapper().readTree(job.payload()), t.partitionKeyPath());
                        if (node != null) key = node.asText();
                    } catch (Exception ignored) {
                        // the event id stays the key
                    }
                }
                env.call(ctx, "kinesis", "PutRecord", Map.of("StreamName", arn.substring(arn.indexOf(":stream/") + 8),
                        "Data", job.payload().getBytes(StandardCharsets.UTF_8), "PartitionKey", key));
            }
            case "firehose" -> env.call(ctx, "firehose", "PutRecord", Map.of(
                    "DeliveryStreamName", arn.substring(arn.indexOf(":deliverystream/") + 16),
                    "Record", Map.of("Data", job.payload().getBytes(StandardCharsets.UTF_8))));
            case "states" -> env.call(ctx, "stepfunctions", "StartExecution", Map.of("stateMachineArn", arn,
                    "input", job.payload()));
            case "logs" -> toLogs(ctx, arn, job);
            case "events" -> forwarder.forward(arn, job.payload());
            default -> throw new ServiceException("InvalidParameter", "Unsupported target " + arn);
        }
    }

    /** A log group target: the event goes to a stream named after the event id, created on the way. */
    private void toLogs(RequestContext ctx, String arn, Job job) {
        String group = arn.substring(arn.indexOf(":log-group:") + 11);
        if (group.endsWith(":*")) group = group.substring(0, group.length() - 2);
        String stream = job.eventId();
        try {
            env.call(ctx, "logs", "CreateLogStream", Map.of("logGroupName", group, "logStreamName", stream));
        } catch (ServiceException e) {
            if (!e.code().equals("ResourceAlreadyExistsException")) throw e;
        }
        env.call(ctx, "logs", "PutLogEvents", Map.of("logGroupName", group, "logStreamName", stream,
                "logEvents", java.util.List.of(Map.of("timestamp", System.currentTimeMillis(), "message", job.payload()))));
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
        Map<String, Object> out = env.call(contextFor(queueArn), "sqs", "GetQueueUrl",
                Map.of("QueueName", parts[5], "QueueOwnerAWSAccountId", parts[4]));
        url = (String) out.get("QueueUrl");
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
