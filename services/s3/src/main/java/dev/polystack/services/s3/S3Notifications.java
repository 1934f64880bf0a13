package dev.polystack.services.s3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.events.api.EventsApi;
import dev.polystack.services.events.api.PutEventsRequest;
import dev.polystack.services.events.api.PutEventsRequestEntry;
import dev.polystack.services.lambda.api.GetFunctionRequest;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.LambdaApi;
import dev.polystack.services.sns.api.GetTopicAttributesInput;
import dev.polystack.services.sns.api.PublishInput;
import dev.polystack.services.sns.api.SnsApi;
import dev.polystack.services.sqs.api.GetQueueUrlRequest;
import dev.polystack.services.sqs.api.SendMessageRequest;
import dev.polystack.services.sqs.api.SqsApi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3 event notifications: validates a bucket's NotificationConfiguration as S3 does (ARNs, events,
 * filter rules, overlapping filters, destinations that must exist unless SkipDestinationValidation),
 * sends the s3:TestEvent on configuration, and delivers the event records of object operations to SQS
 * queues, SNS topics and Lambda functions. Delivery is asynchronous (one background thread, so records of
 * a bucket keep their order) and goes through {@link ProviderEnvironment#call}, so S3 knows nothing of
 * the SQS/SNS/Lambda providers. With an EventBridgeConfiguration, object events also go to the default
 * event bus through EventBridge's PutEvents, in its detail format.
 */
final class S3Notifications implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(S3Notifications.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** The MD5 of nothing: the eTag S3 reports for a delete marker. */
    private static final String EMPTY_ETAG = "d41d8cd98f00b204e9800998ecf8427e";
    private static final int BACKLOG = 10_000;

    /** The event types S3 accepts in a configuration (botocore's Event enum). */
    static final Set<String> EVENTS = Set.of("s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put",
            "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*",
            "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post",
            "s3:ObjectRestore:Completed", "s3:Replication:*", "s3:Replication:OperationFailedReplication",
            "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
            "s3:Replication:OperationReplicatedAfterThreshold", "s3:ObjectRestore:Delete", "s3:LifecycleTransition",
            "s3:IntelligentTiering", "s3:ObjectAcl:Put", "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete",
            "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
            "s3:ObjectAnnotation:*", "s3:ObjectAnnotation:Put", "s3:ObjectAnnotation:Delete", "s3:ObjectRetention:Put");

    /** One kind of destination: the configuration list, its ARN member, the name S3 uses in its errors, the ARN's service. */
    private record Destination(String list, String arnMember, String argumentName, String service) {
    }

    private static final List<Destination> DESTINATIONS = List.of(
            new Destination("QueueConfigurations", "QueueArn", "Queue", "sqs"),
            new Destination("TopicConfigurations", "TopicArn", "Topic", "sns"),
            new Destination("LambdaFunctionConfigurations", "LambdaFunctionArn", "CloudFunction", "lambda"));

    private final ProviderEnvironment env;
    /** Typed calls to whichever provider serves each destination. */
    private final SqsApi sqs;
    private final SnsApi sns;
    private final LambdaApi lambda;
    private final EventsApi events;
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private volatile ThreadPoolExecutor worker;

    /** @param env null: nothing is delivered and destinations are not checked (provider-level unit tests) */
    S3Notifications(ProviderEnvironment env) {
        this.env = env;
        this.sqs = env == null ? null : SqsApi.client(env);
        this.sns = env == null ? null : SnsApi.client(env);
        this.lambda = env == null ? null : LambdaApi.client(env);
        this.events = env == null ? null : EventsApi.client(env);
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Validates a NotificationConfiguration and returns it as S3 stores it: filter rule names as
     * "Prefix"/"Suffix", every configuration with an Id.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> validate(Map<String, Object> config, boolean skipDestinationValidation) {
        Map<String, Object> out = new LinkedHashMap<>(config);
        List<Rule> rules = new ArrayList<>();
        for (Destination d : DESTINATIONS) {
            if (!config.containsKey(d.list())) continue;
            List<Object> normalized = new ArrayList<>();
            for (Object o : In.list(config, d.list())) {
                Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) o);
                String arn = In.str(c, d.arnMember());
                if (!parses(arn, d.service())) {
                    throw S3Errors.invalidArgument("The ARN could not be parsed", d.argumentName(), arn);
                }
                if (c.get("Id") == null || In.str(c, "Id").isEmpty()) c.put("Id", newConfigurationId());
                List<Object> events = In.list(c, "Events");
                if (events.isEmpty()) throw S3Errors.malformedXml();
                for (Object e : events) {
                    if (!EVENTS.contains(e.toString())) {
                        throw S3Errors.invalidArgument("The event is not supported for notifications", "Event", e.toString());
                    }
                }
                String[] prefixSuffix = normalizeFilter(c);
                rules.add(new Rule(d, arn, events, prefixSuffix[0], prefixSuffix[1]));
                normalized.add(c);
            }
            out.put(d.list(), normalized);
        }
        checkOverlaps(rules);
        if (!skipDestinationValidation && env != null) checkDestinationsExist(rules);
        return out;
    }

    private record Rule(Destination destination, String arn, List<Object> events, String prefix, String suffix) {
    }

    /** Normalizes the Filter of one configuration in place; returns {prefix, suffix} ("" when absent). */
    @SuppressWarnings("unchecked")
    private static String[] normalizeFilter(Map<String, Object> c) {
        String[] ps = {"", ""};
        Map<String, Object> filter = In.map(c, "Filter");
        Map<String, Object> key = filter == null ? null : In.map(filter, "Key");
        if (key == null) return ps;
        List<Object> normalizedRules = new ArrayList<>();
        boolean prefixSeen = false;
        boolean suffixSeen = false;
        for (Object r : In.list(key, "FilterRules")) {
            Map<String, Object> rule = (Map<String, Object>) r;
            String name = In.str(rule, "Name");
            String value = In.str(rule, "Value");
            String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
            boolean prefix = lower.equals("prefix");
            if (!prefix && !lower.equals("suffix")) {
                throw S3Errors.invalidArgument("filter rule name must be either prefix or suffix", "FilterRule.Name", name);
            }
            if (prefix ? prefixSeen : suffixSeen) {
                throw S3Errors.invalidArgument("Cannot specify more than one " + lower + " rule in a filter.", "FilterRule.Name", name);
            }
            if (prefix) prefixSeen = true;
            else suffixSeen = true;
            ps[prefix ? 0 : 1] = value == null ? "" : value;
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("Name", prefix ? "Prefix" : "Suffix");
            n.put("Value", value == null ? "" : value);
            normalizedRules.add(n);
        }
        Map<String, Object> newKey = new LinkedHashMap<>(key);
        newKey.put("FilterRules", normalizedRules);
        Map<String, Object> newFilter = new LinkedHashMap<>(filter);
        newFilter.put("Key", newKey);
        c.put("Filter", newFilter);
        return ps;
    }

    /**
     * S3 refuses two configurations that could both match one object for one event type: same or
     * overlapping events, with prefixes where one starts the other and suffixes where one ends the other.
     */
    private static void checkOverlaps(List<Rule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                Rule a = rules.get(i), b = rules.get(j);
                boolean prefixes = a.prefix().startsWith(b.prefix()) || b.prefix().startsWith(a.prefix());
                boolean suffixes = a.suffix().endsWith(b.suffix()) || b.suffix().endsWith(a.suffix());
                if (prefixes && suffixes && eventsOverlap(a.events(), b.events())) {
                    throw S3Errors.invalidArgument("Configuration is ambiguously defined. Cannot have overlapping suffixes in two "
                            + "rules if the prefixes are overlapping for the same event type.", "Event", a.events().get(0).toString());
                }
            }
        }
    }

    private static boolean eventsOverlap(List<Object> a, List<Object> b) {
        for (Object x : a) {
            for (Object y : b) {
                String p = x.toString(), q = y.toString();
                if (p.equals(q) || wildcardCovers(p, q) || wildcardCovers(q, p)) return true;
            }
        }
        return false;
    }

    /** "s3:ObjectCreated:*" covers "s3:ObjectCreated:Put". */
    private static boolean wildcardCovers(String pattern, String event) {
        return pattern.endsWith(":*") && event.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    /** Every destination that does not exist, reported together as S3 does (ArgumentName1/ArgumentValue1, ...). */
    private void checkDestinationsExist(List<Rule> rules) {
        Map<String, String> failures = new LinkedHashMap<>();
        for (Rule r : rules) {
            if (failures.containsKey(r.arn())) continue;
            String problem = destinationProblem(r);
            if (problem != null) failures.put(r.destination().service().equals("lambda") ? r.arn() + ", null" : r.arn(), problem);
        }
        if (failures.isEmpty()) return;
        ServiceException e = new ServiceException("InvalidArgument", "Unable to validate the following destination configurations", 400);
        int n = 1;
        for (Map.Entry<String, String> f : failures.entrySet()) {
            e.with("ArgumentName" + n, f.getKey()).with("ArgumentValue" + n, f.getValue());
            n++;
        }
        throw e;
    }

    /** Why a destination is unusable, or null when it exists (or cannot be checked here). */
    private String destinationProblem(Rule r) {
        String[] arn = r.arn().split(":", 6);
        String region = arn[3], account = arn[4], resource = arn[5];
        try {
            switch (r.destination().service()) {
                case "sqs" -> queueUrl(account, region, resource, r.arn());
                case "sns" -> sns.getTopicAttributes(RequestContext.internal(account, region, "sns"),
                        GetTopicAttributesInput.builder().topicArn(r.arn()).build());
                default -> lambda.getFunction(RequestContext.internal(account, region, "lambda"),
                        GetFunctionRequest.builder().functionName(r.arn()).build());
            }
            return null;
        } catch (ServiceException e) {
            return switch (r.destination().service()) {
                case "sqs" -> "The destination queue does not exist";
                case "sns" -> "The destination topic does not exist";
                // a missing function is refused; a Lambda service that is not available here cannot say, so it is accepted
                default -> e.code().equals("ResourceNotFoundException") ? "Not authorized to invoke function [" + r.arn() + "]" : null;
            };
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static boolean parses(String arn, String service) {
        if (arn == null) return false;
        String[] p = arn.split(":", 6);
        return p.length == 6 && p[0].equals("arn") && !p[1].isEmpty() && p[2].equals(service) && !p[3].isEmpty()
                && !p[4].isEmpty() && !p[5].isEmpty();
    }

    private static String newConfigurationId() {
        return Base64.getEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** S3 sends an s3:TestEvent to every SQS queue and SNS topic of a configuration when it is put. */
    @SuppressWarnings("unchecked")
    void sendTestEvents(RequestContext ctx, Bucket bucket, Map<String, Object> config) {
        if (env == null) return;
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Service", "Amazon S3");
        event.put("Event", "s3:TestEvent");
        event.put("Time", EVENT_TIME.format(Instant.now()));
        event.put("Bucket", bucket.name);
        event.put("RequestId", ctx.requestId());
        event.put("HostId", hostId(ctx));
        String body = json(event);
        Set<String> sent = new java.util.HashSet<>();
        for (Destination d : DESTINATIONS) {
            if (d.service().equals("lambda")) continue;
            for (Object o : In.list(config, d.list())) {
                String arn = In.str((Map<String, Object>) o, d.arnMember());
                if (sent.add(arn)) submit(() -> send(d.service(), arn, body, bucket));
            }
        }
    }

    // ---------------------------------------------------------------- events

    /** ObjectCreated:Put / Post / Copy / CompleteMultipartUpload. */
    void objectCreated(RequestContext ctx, Bucket bucket, ObjectVersion v, String how) {
        if (!configured(bucket)) return;
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(v.key));
        object.put("size", v.size);
        object.put("eTag", Writes.unquote(v.etag));
        if (!"null".equals(v.versionId)) object.put("versionId", v.versionId);
        object.put("sequencer", nextSequencer());
        emit(ctx, bucket, "ObjectCreated:" + how, "2.1", v.key, object);
    }

    /** ObjectRemoved:Delete (a version or an unversioned object is gone) or ObjectRemoved:DeleteMarkerCreated. */
    void objectRemoved(RequestContext ctx, Bucket bucket, String key, String versionId, boolean markerCreated) {
        if (!configured(bucket)) return;
        Map<String, Object> object = removedObject(key, versionId, markerCreated);
        emit(ctx, bucket, markerCreated ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete", "2.1", key, object);
    }

    /** The record's {@code s3.object} for a removal: a delete marker has the empty body's ETag. */
    private Map<String, Object> removedObject(String key, String versionId, boolean markerCreated) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(key));
        if (markerCreated) object.put("eTag", EMPTY_ETAG);
        if (versionId != null && !"null".equals(versionId)) object.put("versionId", versionId);
        object.put("sequencer", nextSequencer());
        return object;
    }

    /** ObjectTagging:Put / Delete and ObjectAcl:Put: event version 2.3, no size and no sequencer. */
    void objectSubresource(RequestContext ctx, Bucket bucket, ObjectVersion v, String eventName) {
        if (!configured(bucket)) return;
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(v.key));
        object.put("eTag", Writes.unquote(v.etag));
        if (!"null".equals(v.versionId)) object.put("versionId", v.versionId);
        emit(ctx, bucket, eventName, "2.3", v.key, object);
    }

    /** LifecycleExpiration:Delete / DeleteMarkerCreated: S3 itself is the actor. */
    void lifecycleExpired(Bucket bucket, String key, String versionId, boolean markerCreated) {
        if (!configured(bucket)) return;
        Map<String, Object> object = removedObject(key, versionId, markerCreated);
        String requestId = UUID.randomUUID().toString();
        emit(new Actor("s3.amazonaws.com", "s3.amazonaws.com", requestId, Base64.getEncoder().encodeToString(requestId.getBytes(
                StandardCharsets.UTF_8))), bucket, markerCreated ? "LifecycleExpiration:DeleteMarkerCreated" : "LifecycleExpiration:Delete",
                "2.3", key, object);
    }

    /** Who caused an event: the record's userIdentity, sourceIPAddress and response ids. */
    private record Actor(String principalId, String sourceIp, String requestId, String hostId) {
        static Actor of(RequestContext ctx) {
            return new Actor(S3Notifications.principalId(ctx.accountId()), S3Notifications.sourceIp(ctx), ctx.requestId(),
                    S3Notifications.hostId(ctx));
        }
    }

    /** The cheap check on every write: a bucket without queue, topic or function configurations costs one map lookup. */
    private static boolean configured(Bucket bucket) {
        return bucket.configurations.get("notification") != null;
    }

    private void emit(RequestContext ctx, Bucket bucket, String eventName, String eventVersion, String key,
                      Map<String, Object> object) {
        emit(Actor.of(ctx), bucket, eventName, eventVersion, key, object);
    }

    @SuppressWarnings("unchecked")
    private void emit(Actor actor, Bucket bucket, String eventName, String eventVersion, String key,
                      Map<String, Object> object) {
        if (env == null || !(bucket.configurations.get("notification") instanceof Map<?, ?> config)) return;
        Instant time = Instant.now();
        for (Destination d : DESTINATIONS) {
            for (Object o : In.list((Map<String, Object>) config, d.list())) {
                Map<String, Object> c = (Map<String, Object>) o;
                if (!matchesEvent(In.list(c, "Events"), eventName) || !matchesFilter(c, key)) continue;
                Map<String, Object> record = record(actor, bucket, eventName, eventVersion, time, In.str(c, "Id"), object);
                String body = json(Map.of("Records", List.of(record)));
                String arn = In.str(c, d.arnMember());
                submit(() -> send(d.service(), arn, body, bucket));
            }
        }
        if (((Map<String, Object>) config).containsKey("EventBridgeConfiguration")) {
            PutEventsRequestEntry entry = eventBridgeEntry(actor, bucket, eventName, key, object);
            if (entry != null) submit(() -> events.putEvents(RequestContext.internal(bucket.accountId, bucket.region, "events"),
                    PutEventsRequest.builder().entries(List.of(entry)).build()));
        }
    }

    /**
     * The PutEvents entry for a bucket with EventBridgeConfiguration, in EventBridge's detail format
     * ("Object Created", "Object Deleted" ...; kebab-case members), or null for events S3 does not send there.
     */
    private static PutEventsRequestEntry eventBridgeEntry(Actor actor, Bucket bucket, String eventName, String key,
                                                        Map<String, Object> object) {
        String detailType;
        String reason;
        String deletionType = null;
        switch (eventName) {
            case "ObjectCreated:Put" -> { detailType = "Object Created"; reason = "PutObject"; }
            case "ObjectCreated:Post" -> { detailType = "Object Created"; reason = "POST Object"; }
            case "ObjectCreated:Copy" -> { detailType = "Object Created"; reason = "CopyObject"; }
            case "ObjectCreated:CompleteMultipartUpload" -> { detailType = "Object Created"; reason = "CompleteMultipartUpload"; }
            case "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated" -> {
                detailType = "Object Deleted";
                reason = "DeleteObject";
                deletionType = eventName.endsWith("MarkerCreated") ? "Delete Marker Created" : "Permanently Deleted";
            }
            case "LifecycleExpiration:Delete", "LifecycleExpiration:DeleteMarkerCreated" -> {
                detailType = "Object Deleted";
                reason = "Lifecycle Expiration";
                deletionType = eventName.endsWith("MarkerCreated") ? "Delete Marker Created" : "Permanently Deleted";
            }
            case "ObjectTagging:Put" -> { detailType = "Object Tags Added"; reason = "PutObjectTagging"; }
            case "ObjectTagging:Delete" -> { detailType = "Object Tags Deleted"; reason = "DeleteObjectTagging"; }
            case "ObjectAcl:Put" -> { detailType = "Object ACL Updated"; reason = "PutObjectAcl"; }
            default -> { return null; }
        }
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("key", key);
        if (object.containsKey("size")) obj.put("size", object.get("size"));
        if (object.containsKey("eTag")) obj.put("etag", object.get("eTag"));
        if (object.containsKey("versionId")) obj.put("version-id", object.get("versionId"));
        if (object.containsKey("sequencer")) obj.put("sequencer", object.get("sequencer"));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("version", "0");
        detail.put("bucket", Map.of("name", bucket.name));
        detail.put("object", obj);
        detail.put("request-id", actor.requestId());
        detail.put("requester", bucket.accountId);
        detail.put("source-ip-address", actor.sourceIp());
        detail.put("reason", reason);
        if (deletionType != null) detail.put("deletion-type", deletionType);
        return PutEventsRequestEntry.builder().source("aws.s3").detailType(detailType).detail(json(detail))
                .resources(List.of("arn:" + partition(bucket.region) + ":s3:::" + bucket.name)).build();
    }

    static boolean matchesEvent(List<Object> configured, String eventName) {
        String full = "s3:" + eventName;
        for (Object e : configured) {
            String p = e.toString();
            if (p.equals(full) || wildcardCovers(p, full)) return true;
        }
        return false;
    }

    /**
     * Prefix and suffix rules. S3's documentation asks for URL-encoded filter values ("+" for a space), so a
     * rule matches either the key as stored or its encoded form.
     */
    @SuppressWarnings("unchecked")
    static boolean matchesFilter(Map<String, Object> c, String key) {
        Map<String, Object> filter = In.map(c, "Filter");
        Map<String, Object> k = filter == null ? null : In.map(filter, "Key");
        if (k == null) return true;
        String encoded = null;
        for (Object r : In.list(k, "FilterRules")) {
            Map<String, Object> rule = (Map<String, Object>) r;
            String value = String.valueOf(rule.getOrDefault("Value", ""));
            boolean prefix = "prefix".equalsIgnoreCase(In.str(rule, "Name"));
            if (prefix ? key.startsWith(value) : key.endsWith(value)) continue;
            if (encoded == null) encoded = encodeKey(key);
            if (prefix ? encoded.startsWith(value) : encoded.endsWith(value)) continue;
            return false;
        }
        return true;
    }

    private static Map<String, Object> record(Actor actor, Bucket bucket, String eventName, String eventVersion,
                                              Instant time, String configurationId, Map<String, Object> object) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("eventVersion", eventVersion);
        r.put("eventSource", "aws:s3");
        r.put("awsRegion", bucket.region);
        r.put("eventTime", EVENT_TIME.format(time));
        r.put("eventName", eventName);
        r.put("userIdentity", Map.of("principalId", actor.principalId()));
        r.put("requestParameters", Map.of("sourceIPAddress", actor.sourceIp()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("x-amz-request-id", actor.requestId());
        response.put("x-amz-id-2", actor.hostId());
        r.put("responseElements", response);
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", configurationId);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", bucket.name);
        b.put("ownerIdentity", Map.of("principalId", principalId(bucket.accountId)));
        b.put("arn", "arn:" + partition(bucket.region) + ":s3:::" + bucket.name);
        s3.put("bucket", b);
        s3.put("object", object);
        r.put("s3", s3);
        return r;
    }

    /** Keys appear URL-encoded in event records (a space as '+'), with '/' kept. */
    static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** An Amazon customer id shaped principal ("A" + 13 upper-case characters), stable per account. */
    static String principalId(String accountId) {
        return "A" + S3State.canonicalId(accountId).substring(0, 13).toUpperCase(Locale.ROOT);
    }

    private static String sourceIp(RequestContext ctx) {
        String forwarded = ctx.request() == null ? null : ctx.request().header("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) return forwarded.split(",")[0].trim();
        return "127.0.0.1";
    }

    private static String hostId(RequestContext ctx) {
        return Base64.getEncoder().encodeToString(String.valueOf(ctx.requestId()).getBytes(StandardCharsets.UTF_8));
    }

    private static String partition(String region) {
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        return "aws";
    }

    /** Sequencers grow with every event, so consumers can order events of one key as S3 documents. */
    private String nextSequencer() {
        return String.format("%018X", sequencer.incrementAndGet());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- delivery

    private void submit(Runnable delivery) {
        worker().execute(() -> {
            try {
                delivery.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "S3 notification delivery failed: " + e);
            }
        });
    }

    /** One lazily started daemon thread; a full backlog makes the request thread deliver itself (nothing is dropped). */
    private ThreadPoolExecutor worker() {
        ThreadPoolExecutor w = worker;
        if (w != null) return w;
        synchronized (this) {
            if (worker == null) {
                ThreadPoolExecutor created = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(BACKLOG), r -> {
                    Thread t = new Thread(r, "s3-notifications");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
                created.allowCoreThreadTimeOut(true);
                worker = created;
            }
            return worker;
        }
    }

    private void send(String service, String arn, String body, Bucket bucket) {
        String[] p = arn.split(":", 6);
        String region = p[3], account = p[4], resource = p[5];
        // S3 delivers as s3.amazonaws.com on behalf of the bucket: under ENFORCE_IAM the queue's or topic's policy must allow that
        RequestContext.Delivery delivery = new RequestContext.Delivery("s3.amazonaws.com", "arn:" + p[1] + ":s3:::" + bucket.name,
                bucket.accountId);
        switch (service) {
            case "sqs" -> {
                RequestContext ctx = RequestContext.delivery(account, region, "sqs", delivery);
                try {
                    sqs.sendMessage(ctx, SendMessageRequest.builder().queueUrl(queueUrl(account, region, resource, arn))
                            .messageBody(body).build());
                } catch (ServiceException e) {
                    queueUrls.remove(arn); // the queue may have been deleted and created again
                    throw e;
                }
            }
            case "sns" -> sns.publish(RequestContext.delivery(account, region, "sns", delivery), PublishInput.builder()
                    .topicArn(arn).message(body).subject("Amazon S3 Notification").build());
            default -> lambda.invoke(RequestContext.internal(account, region, "lambda"), InvocationRequest.builder()
                    .functionName(arn).invocationType("Event").payload(body.getBytes(StandardCharsets.UTF_8)).build());
        }
    }

    private String queueUrl(String account, String region, String name, String arn) {
        String url = queueUrls.get(arn);
        if (url != null) return url;
        url = sqs.getQueueUrl(RequestContext.internal(account, region, "sqs"),
                GetQueueUrlRequest.builder().queueName(name).queueOwnerAWSAccountId(account).build()).queueUrl();
        if (url == null) throw new ServiceException("QueueDoesNotExist", "The specified queue does not exist.");
        queueUrls.put(arn, url);
        return url;
    }

    /** Waits until every event accepted so far has been handed to its destination (tests). */
    boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            ThreadPoolExecutor w = worker;
            if (w == null || (w.getActiveCount() == 0 && w.getQueue().isEmpty())) return true;
            Thread.sleep(5);
        }
        return false;
    }

    @Override
    public void close() {
        ThreadPoolExecutor w = worker;
        if (w != null) w.shutdown();
    }
}
