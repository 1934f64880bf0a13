package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.services.firehose.api.FirehoseApi;
import dev.polystack.services.firehose.api.PutRecordInput;
import dev.polystack.services.firehose.api.Record;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.LambdaApi;
import dev.polystack.services.ses.api.Body;
import dev.polystack.services.ses.api.Content;
import dev.polystack.services.ses.api.Destination;
import dev.polystack.services.ses.api.SendEmailRequest;
import dev.polystack.services.ses.api.SesApi;
import dev.polystack.services.ses.api.VerifyEmailIdentityRequest;
import dev.polystack.api.ServiceException;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.MessageAttributeValue;
import dev.polystack.services.sqs.api.MessageSystemAttributeValue;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SqsApi;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers published messages to subscribers, off the request thread: Publish only validates, builds
 * the {@link SnsMessage} and hands it here, so its latency does not grow with the number of
 * subscribers. The backlog of fan-outs is bounded ({@code SNS_DELIVERY_BACKLOG}, default 20,000): past
 * it, Publish waits for room. A fixed pool of workers fans each message out; a FIFO topic's messages go through one
 * {@link SerialExecutor} per topic so subscribers see them in publish order. HTTP endpoints are
 * called from virtual threads (following the {@link DeliveryPolicy}) so a slow endpoint never holds a worker,
 * except for FIFO topics where the order matters more.
 */
final class SnsDelivery implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SnsDelivery.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    /** SQS, whichever provider serves it (typed calls through the environment). */
    private final SqsApi sqs;
    private final SnsSigner signer;
    private final ThreadPoolExecutor workers;
    /**
     * Bounds the fan-outs waiting for a worker: when subscribers cannot keep up, Publish waits for room
     * instead of letting the backlog grow without limit.
     */
    private final Semaphore backlog;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, SerialExecutor> fifoLanes = new ConcurrentHashMap<>();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private volatile HttpClient http;
    /** Sends of one HTTP/S attempt when a pooled connection dies before answering (see attemptHttp). */
    private static final int MAX_SENDS_PER_ATTEMPT = 3;
    /** Messages to targets that only exist here (SMS, platform endpoints), for the inspection endpoints. */
    final SentMessages sent = new SentMessages();

    SnsDelivery(ProviderEnvironment env, SnsSigner signer) {
        this.env = env;
        this.sqs = SqsApi.client(env);
        this.signer = signer;
        int threads = env.config().integer("SNS_DELIVERY_THREADS", Math.max(2, Runtime.getRuntime().availableProcessors()));
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "sns-delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.workers.allowCoreThreadTimeOut(true);
        this.backlog = new Semaphore(env.config().integer("SNS_DELIVERY_BACKLOG", 20_000));
    }

    /** The base URL clients reach this server at (SubscribeURL, UnsubscribeURL, SigningCertURL). */
    String baseUrl() {
        return env.config().externalScheme() + "://" + env.config().externalHost();
    }

    String unsubscribeUrl(String subscriptionArn) {
        return baseUrl() + "/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn;
    }

    String subscribeUrl(String topicArn, String token) {
        return baseUrl() + "/?Action=ConfirmSubscription&TopicArn=" + topicArn + "&Token=" + token;
    }

    private String certUrl() {
        return baseUrl() + "/_aws/sns/" + signer.certificateName();
    }

    /** Fans a notification out to the given subscriptions (asynchronously). */
    void dispatch(Topic topic, SnsMessage message, List<Subscription> subscriptions) {
        if (subscriptions.isEmpty()) return;
        backlog.acquireUninterruptibly();
        Runnable task = () -> {
            try {
                for (Subscription s : subscriptions) {
                    try {
                        if (s.pendingConfirmation || !accepts(s, message)) continue;
                        deliver(topic, s, message, topic.fifo);
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "SNS delivery to " + s.arn + " failed", e);
                    }
                }
            } finally {
                backlog.release();
            }
        };
        if (topic.fifo) fifoLanes.computeIfAbsent(topic.arn, k -> new SerialExecutor(workers)).execute(task);
        else workers.execute(task);
    }

    /** Sends a (un)subscribe confirmation to an HTTP(S) or email endpoint. */
    void confirm(Topic topic, Subscription subscription, SnsMessage confirmation) {
        if (subscription.protocol.startsWith("email")) blocking.execute(() -> toEmail(subscription, confirmation));
        else blocking.execute(() -> postHttp(topic, subscription, confirmation));
    }

    void forgetLane(String topicArn) {
        fifoLanes.remove(topicArn);
    }

    static boolean accepts(Subscription s, SnsMessage m) {
        FilterPolicy policy = s.filterPolicy;
        if (policy == null) return true;
        return s.filtersBody() ? policy.matchesBody(m.body()) : policy.matchesAttributes(m.attributes);
    }

    private void deliver(Topic topic, Subscription s, SnsMessage m, boolean ordered) {
        switch (s.protocol) {
            case "sqs" -> toSqs(s, m, s.endpoint, true);
            case "http", "https" -> {
                if (ordered) postHttp(topic, s, m);
                else blocking.execute(() -> postHttp(topic, s, m));
            }
            case "email", "email-json" -> blocking.execute(() -> toEmail(s, m));
            case "lambda" -> blocking.execute(() -> toLambda(s, m));
            case "firehose" -> blocking.execute(() -> toFirehose(s, m));
            case "sms" -> sent.sms(arnAccount(s.topicArn), arnRegion(s.topicArn), s.endpoint, m.messageFor("sms"), s.arn, m.topicArn);
            case "application" -> sent.platform(arnAccount(s.endpoint), arnRegion(s.endpoint), s.endpoint, m.messageFor(platformKey(s.endpoint)), m.messageId);
            default -> LOG.log(System.Logger.Level.DEBUG, "SNS: no delivery for protocol " + s.protocol + " (" + s.endpoint + ")");
        }
    }

    private static String platformKey(String endpointArn) {
        // arn:aws:sns:region:account:endpoint/GCM/app/id → GCM
        String[] parts = endpointArn.split(":", 6);
        if (parts.length == 6) {
            String[] path = parts[5].split("/");
            if (path.length > 1) return path[1];
        }
        return "default";
    }

    private String body(Subscription s, SnsMessage m, String protocol) {
        return s.raw() ? m.messageFor(protocol) : m.envelope(protocol, s.arn, unsubscribeUrl(s.arn), m.fifoTopic ? null : certUrl(), signer);
    }

    // ---------------------------------------------------------------- SQS

    /** Sends to an SQS queue ARN; on failure tries the subscription's dead-letter queue (once). */
    private void toSqs(Subscription s, SnsMessage m, String queueArn, boolean redriveOnFailure) {
        String[] arn = queueArn.split(":", 6);
        if (arn.length < 6) return;
        String region = arn[3], account = arn[4], name = arn[5];
        boolean fifoQueue = name.endsWith(".fifo");
        SendMessageRequest.Builder input = SendMessageRequest.builder().messageBody(body(s, m, "sqs"));
        if (s.raw() && !m.attributes.isEmpty()) {
            Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
            m.attributes.forEach((k, v) -> attrs.put(k, v.toSqs()));
            input.messageAttributes(attrs);
        }
        if (m.traceHeader != null) {
            input.messageSystemAttributes(Map.of("AWSTraceHeader",
                    MessageSystemAttributeValue.builder().dataType("String").stringValue(m.traceHeader).build()));
        }
        if (fifoQueue) {
            input.messageGroupId(m.groupId).messageDeduplicationId(m.deduplicationId);
        } else if (m.groupId != null && !m.fifoTopic) {
            input.messageGroupId(m.groupId);
        }
        // SNS delivers as sns.amazonaws.com on behalf of the topic: under ENFORCE_IAM the queue's policy must allow that
        RequestContext ctx = RequestContext.delivery(account, region, "sqs",
                new RequestContext.Delivery("sns.amazonaws.com", m.topicArn, arnAccount(m.topicArn)));
        try {
            String url = queueUrl(RequestContext.internal(account, region, "sqs"), queueArn, account, name);
            sqs.sendMessage(ctx, input.queueUrl(url).build());
        } catch (RuntimeException e) {
            queueUrls.remove(queueArn);
            LOG.log(System.Logger.Level.DEBUG, "SNS → SQS " + queueArn + " failed: " + e);
            if (redriveOnFailure) redrive(s, m);
        }
    }

    private String queueUrl(RequestContext ctx, String queueArn, String account, String name) {
        String url = queueUrls.get(queueArn);
        if (url != null) return url;
        url = sqs.getQueueUrl(ctx, GetQueueUrlRequest.builder().queueName(name).queueOwnerAWSAccountId(account).build()).queueUrl();
        if (url == null) throw new ServiceException("QueueDoesNotExist", "The specified queue does not exist.");
        queueUrls.put(queueArn, url);
        return url;
    }

    private void redrive(Subscription s, SnsMessage m) {
        String policy = s.attributes.get("RedrivePolicy");
        if (policy == null) return;
        try {
            JsonNode target = JSON.readTree(policy).get("deadLetterTargetArn");
            if (target != null && target.isTextual()) toSqs(s, m, target.textValue(), false);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "SNS redrive failed: " + e);
        }
    }

    // ---------------------------------------------------------------- HTTP(S)

    private HttpClient http() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) http = c = newHttpClient();
                else c = http;
            }
        }
        return c;
    }

    /** Local endpoints often use self-signed certificates: an emulator delivers to them anyway. */
    private static HttpClient newHttpClient() {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[]{new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            b.sslContext(ssl);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "SNS: default TLS trust for HTTPS endpoints: " + e);
        }
        return b.build();
    }

    /**
     * POSTs a message to an HTTP(S) endpoint, retrying as the effective delivery policy says (topic policy,
     * overridden by the subscription's). AWS counts any status from 200 to 499 as delivered; 5xx, connection
     * failures and timeouts are retried. A notification that still fails goes to the RedrivePolicy queue;
     * (un)subscribe confirmations don't.
     */
    private void postHttp(Topic topic, Subscription s, SnsMessage m) {
        boolean raw = m.notification() && s.raw();
        String body = m.notification() ? body(s, m, s.protocol)
                : m.envelope(s.protocol, s.arn, null, certUrl(), signer);
        DeliveryPolicy.Http policy = DeliveryPolicy.forDelivery(topic.attributes.get("DeliveryPolicy"), s.attributes.get("DeliveryPolicy"));
        String contentType = m.notification() ? policy.contentType() : DeliveryPolicy.DEFAULT_CONTENT_TYPE;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s.endpoint))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", contentType)
                .header("User-Agent", "Amazon Simple Notification Service Agent")
                .header("x-amz-sns-message-type", m.type)
                .header("x-amz-sns-message-id", m.messageId)
                .header("x-amz-sns-topic-arn", m.topicArn);
        if (m.notification()) request.header("x-amz-sns-subscription-arn", s.arn);
        if (raw) request.header("x-amz-sns-rawdelivery", "true");
        HttpRequest built = request.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        List<Double> delays = policy.retry().delays();
        try {
            for (int attempt = 0; attempt <= delays.size(); attempt++) {
                if (attempt > 0) sleepSeconds(delays.get(attempt - 1));
                awaitThrottle(s, policy.maxReceivesPerSecond());
                if (attemptHttp(s, built)) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (m.notification()) redrive(s, m);
    }

    /**
     * One delivery attempt; true when the endpoint took it (any status below 500).
     *
     * <p>The client pools connections. A subscriber that answers HTTP/1.0 (Python's http.server by default) closes
     * each one, and a request sent on a pooled connection as it closes fails with no answer (EOF, reset, broken
     * pipe). That is the connection's fault, not the endpoint's, so it is sent again at once, on a new connection,
     * as part of the same attempt; it used to cost the attempt and the retry delay (20 s by default). A refused
     * connection or a timeout is the endpoint's failure and ends the attempt.
     */
    private boolean attemptHttp(Subscription s, HttpRequest request) throws InterruptedException {
        for (int send = 1; ; send++) {
            try {
                HttpResponse<Void> response = http().send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 500) return true;
                LOG.log(System.Logger.Level.DEBUG, "SNS → " + s.endpoint + ": HTTP " + response.statusCode());
                return false;
            } catch (InterruptedException e) {
                throw e;
            } catch (java.io.IOException e) {
                boolean endpointFailed = e instanceof java.net.ConnectException || e instanceof java.net.http.HttpTimeoutException;
                if (!endpointFailed && send < MAX_SENDS_PER_ATTEMPT) continue;
                LOG.log(System.Logger.Level.DEBUG, "SNS → " + s.endpoint + ": " + e);
                return false;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "SNS → " + s.endpoint + ": " + e);
                return false;
            }
        }
    }

    private static void sleepSeconds(double seconds) throws InterruptedException {
        long millis = Math.round(seconds * 1000);
        if (millis > 0) Thread.sleep(millis);
    }

    /** Spaces attempts to one subscription at least 1/maxReceivesPerSecond apart (0 = unthrottled). */
    private static void awaitThrottle(Subscription s, int maxReceivesPerSecond) throws InterruptedException {
        if (maxReceivesPerSecond <= 0) return;
        long interval = 1_000_000_000L / maxReceivesPerSecond;
        long now = System.nanoTime();
        long slot = Math.max(now, s.nextDeliverySlot.getAndUpdate(next -> Math.max(next, now) + interval));
        long wait = slot - now;
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }

    // ---------------------------------------------------------------- email (through SES)

    /** The sender of AWS's SNS emails; verified with SES once per account and region before the first email. */
    static final String EMAIL_SENDER = "no-reply@sns.amazonaws.com";
    private final Map<String, Boolean> verifiedSenders = new ConcurrentHashMap<>();

    /**
     * Emails a message through whichever provider serves SES (so it shows wherever that service shows sent
     * mail): "email" gets AWS's plain text with the unsubscribe footer, "email-json" the JSON envelope.
     * Called on a virtual thread: SES may be a Python-hosted service that takes a while to start.
     */
    private void toEmail(Subscription s, SnsMessage m) {
        String account = arnAccount(s.topicArn), region = arnRegion(s.topicArn);
        RequestContext ctx = RequestContext.internal(account, region, "ses");
        boolean json = s.protocol.equals("email-json");
        String subject, text;
        if (m.notification()) {
            subject = m.subject != null ? m.subject : "AWS Notification Message";
            text = json ? m.envelope(s.protocol, s.arn, unsubscribeUrl(s.arn), certUrl(), signer)
                    : m.messageFor(s.protocol) + "\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n"
                    + unsubscribeUrl(s.arn) + "\n\nPlease do not reply directly to this email.";
        } else {
            subject = "AWS Notification - Subscription Confirmation";
            text = json ? m.envelope(s.protocol, s.arn, null, certUrl(), signer)
                    : m.message + "\n\nTo confirm, visit:\n" + m.subscribeUrl;
        }
        try {
            String key = account + "/" + region;
            if (!verifiedSenders.containsKey(key)) {
                callTarget(() -> SesApi.client(env).verifyEmailIdentity(ctx,
                        VerifyEmailIdentityRequest.builder().emailAddress(EMAIL_SENDER).build()));
                verifiedSenders.put(key, true);
            }
            SendEmailRequest email = SendEmailRequest.builder().source(EMAIL_SENDER)
                    .destination(Destination.builder().toAddresses(List.of(s.endpoint)).build())
                    .message(dev.polystack.services.ses.api.Message.builder()
                            .subject(Content.builder().data(subject).build())
                            .body(Body.builder().text(Content.builder().data(text).build()).build())
                            .build())
                    .build();
            callTarget(() -> SesApi.client(env).sendEmail(ctx, email));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            deliveryFailed("ses", s.endpoint, e);
            if (m.notification()) redrive(s, m);
        }
    }

    // ---------------------------------------------------------------- Lambda, Firehose

    private void toLambda(Subscription s, SnsMessage m) {
        try {
            ObjectNode sns = (ObjectNode) JSON.readTree(m.envelope("lambda", s.arn, unsubscribeUrl(s.arn), m.fifoTopic ? null : certUrl(), signer));
            if (!sns.has("Subject")) sns.putNull("Subject");
            if (sns.has("SigningCertURL")) sns.set("SigningCertUrl", sns.remove("SigningCertURL"));
            sns.set("UnsubscribeUrl", sns.remove("UnsubscribeURL"));
            if (!sns.has("MessageAttributes")) sns.putObject("MessageAttributes");
            ObjectNode record = JSON.createObjectNode();
            record.put("EventSource", "aws:sns").put("EventVersion", "1.0").put("EventSubscriptionArn", s.arn).set("Sns", sns);
            ObjectNode event = JSON.createObjectNode();
            event.putArray("Records").add(record);
            String[] arn = s.endpoint.split(":");
            RequestContext ctx = RequestContext.internal(arn.length > 4 ? arn[4] : arnAccount(s.topicArn), arn.length > 3 ? arn[3] : arnRegion(s.topicArn), "lambda");
            InvocationRequest invocation = InvocationRequest.builder().functionName(s.endpoint).invocationType("Event")
                    .payload(JSON.writeValueAsBytes(event)).build();
            callTarget(() -> LambdaApi.client(env).invoke(ctx, invocation));
        } catch (Exception e) {
            deliveryFailed("lambda", s.endpoint, e);
            redrive(s, m);
        }
    }

    private void toFirehose(Subscription s, SnsMessage m) {
        try {
            String[] arn = s.endpoint.split(":", 6);
            String stream = arn[5].substring(arn[5].indexOf('/') + 1);
            RequestContext ctx = RequestContext.internal(arn[4], arn[3], "firehose");
            PutRecordInput record = PutRecordInput.builder().deliveryStreamName(stream)
                    .recordValue(Record.builder().data(body(s, m, "firehose").getBytes(StandardCharsets.UTF_8)).build()).build();
            callTarget(() -> FirehoseApi.client(env).putRecord(ctx, record));
        } catch (Exception e) {
            deliveryFailed("firehose", s.endpoint, e);
            redrive(s, m);
        }
    }

    /** How long a delivery waits for a target service that is still starting (a Python-hosted one takes a while). */
    private static final Duration TARGET_STARTING_PATIENCE = Duration.ofMinutes(5);

    /**
     * Calls another service for a delivery. AWS retries deliveries to its own services for days; here the only
     * transient failure is a service still starting (ServiceUnavailable), retried with a doubling delay
     * (1 s up to 20 s, AWS's managed-endpoint backoff) for at most {@link #TARGET_STARTING_PATIENCE}.
     */
    private <T> T callTarget(java.util.function.Supplier<T> call) throws InterruptedException {
        long deadline = System.nanoTime() + TARGET_STARTING_PATIENCE.toNanos();
        long delayMillis = 1_000;
        while (true) {
            try {
                return call.get();
            } catch (ServiceException e) {
                boolean starting = "ServiceUnavailable".equals(e.code());
                if (!starting || System.nanoTime() + delayMillis * 1_000_000 > deadline) throw e;
                Thread.sleep(delayMillis);
                delayMillis = Math.min(delayMillis * 2, 20_000);
            }
        }
    }

    /** Services whose provider refused an in-process call, warned about once each. */
    private final Set<String> unreachableServices = ConcurrentHashMap.newKeySet();

    /**
     * Logs a failed delivery to another service. A provider that takes no in-process calls (a moto-hosted one
     * answers raw HTTP only) gets one warning, so the reason a target never receives anything is visible.
     */
    private void deliveryFailed(String service, String endpoint, Exception e) {
        if (e instanceof UnsupportedOperationException && unreachableServices.add(service)) {
            LOG.log(System.Logger.Level.WARNING, "SNS cannot deliver to " + service + " (" + endpoint + "): " + e.getMessage());
        } else {
            LOG.log(System.Logger.Level.DEBUG, "SNS → " + service + " " + endpoint + " failed: " + e);
        }
    }

    static String arnAccount(String arn) {
        String[] p = arn.split(":");
        return p.length > 4 ? p[4] : "";
    }

    static String arnRegion(String arn) {
        String[] p = arn.split(":");
        return p.length > 3 ? p[3] : "";
    }

    /** Waits until every message accepted so far has been handed to its subscribers (tests, shutdown). */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (workers.getActiveCount() == 0 && workers.getQueue().isEmpty()) return true;
            Thread.sleep(5);
        }
        return false;
    }

    @Override
    public void close() {
        workers.shutdown();
        blocking.shutdownNow();
    }

    /** SMS and platform-endpoint messages kept for LocalStack's inspection endpoints. */
    static final class SentMessages {
        /** account → region → phone number → messages. */
        final Map<String, Map<String, Map<String, List<Map<String, Object>>>>> sms = new ConcurrentHashMap<>();
        /** account → region → endpoint ARN → messages. */
        final Map<String, Map<String, Map<String, List<Map<String, Object>>>>> platform = new ConcurrentHashMap<>();

        void sms(String account, String region, String phone, String message, String subscriptionArn, String topicArn) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("PhoneNumber", phone);
            entry.put("Message", message);
            if (subscriptionArn != null) entry.put("SubscriptionArn", subscriptionArn);
            if (topicArn != null) entry.put("TopicArn", topicArn);
            add(sms, account, region, phone, entry);
        }

        void platform(String account, String region, String endpointArn, String message, String messageId) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("TargetArn", endpointArn);
            entry.put("Message", message);
            entry.put("MessageId", messageId);
            add(platform, account, region, endpointArn, entry);
        }

        private static void add(Map<String, Map<String, Map<String, List<Map<String, Object>>>>> store, String account,
                                String region, String key, Map<String, Object> entry) {
            List<Map<String, Object>> list = store.computeIfAbsent(account, a -> new ConcurrentHashMap<>())
                    .computeIfAbsent(region, r -> new ConcurrentHashMap<>())
                    .computeIfAbsent(key, k -> new ArrayList<>());
            synchronized (list) {
                list.add(entry);
            }
        }
    }
}
