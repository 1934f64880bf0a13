package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.services.lambda.api.CreateEventSourceMappingRequest;
import dev.polystack.services.lambda.api.DestinationConfig;
import dev.polystack.services.lambda.api.EventSourceMappingConfiguration;
import dev.polystack.services.lambda.api.Filter;
import dev.polystack.services.lambda.api.FilterCriteria;
import dev.polystack.services.lambda.api.OnFailure;
import dev.polystack.services.lambda.api.UpdateEventSourceMappingRequest;
import dev.polystack.services.sqs.api.SqsApi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Event source mappings: their API (create, get, update, delete, list) and one running poller per enabled mapping. */
final class EventSourceMappings implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountRegionStore<LambdaState> store;
    private final LambdaEngine engine;
    private final Invoker invoker;
    private final ProviderEnvironment env;
    private final SqsApi sqs;
    private final ConcurrentHashMap<String, EventSourcePoller> pollers = new ConcurrentHashMap<>();
    /** Per stream mapping, how far it got (an updated mapping, or a restored one, resumes there). */
    final ConcurrentHashMap<String, MappingProgress> progress = new ConcurrentHashMap<>();

    EventSourceMappings(AccountRegionStore<LambdaState> store, LambdaEngine engine, Invoker invoker, ProviderEnvironment env) {
        this.store = store;
        this.engine = engine;
        this.invoker = invoker;
        this.env = env;
        this.sqs = SqsApi.client(env);
    }

    EventSourceMapping create(RequestContext ctx, CreateEventSourceMappingRequest in) {
        String source = in.eventSourceArn();
        if (source == null) {
            throw LambdaErrors.invalidParameter("Unrecognized event source, must be kafka or specify an EventSourceArn.");
        }
        String[] arn = source.split(":", 6);
        if (arn.length < 6 || !arn[0].equals("arn")) {
            throw LambdaErrors.validation(source, "eventSourceArn", "Member must satisfy regular expression pattern: "
                    + "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)");
        }
        String service = arn[2];
        if (!service.equals("sqs") && !service.equals("kinesis") && !service.equals("dynamodb")) {
            throw LambdaErrors.invalidParameter("Unrecognized event source.");
        }
        boolean stream = !service.equals("sqs");
        String position = in.startingPositionAsString();
        if (stream) checkStreamSettings(source, service, position);
        FunctionRef ref = FunctionRef.parse(in.functionName(), null, ctx.accountId(), ctx.region());
        LambdaEngine.Found found = engine.resolveForInvoke(ref);
        String functionArn = ref.qualifier() == null ? found.function().arn() : found.function().arn() + ":" + ref.qualifier();
        int batch = in.batchSize() != null ? in.batchSize() : stream ? 100 : 10;
        int window = in.maximumBatchingWindowInSeconds() != null ? in.maximumBatchingWindowInSeconds() : 0;
        if (batch < 1 || batch > 10_000) {
            throw LambdaErrors.validation(Integer.toString(batch), "batchSize", batch < 1
                    ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 10000");
        }
        if (!stream && batch > 10 && window == 0) {
            throw LambdaErrors.invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
        }
        if (stream) sourceFor(service, source).check();
        List<Map<String, Object>> filters = filters(in.filterCriteria());
        boolean enabled = !Boolean.FALSE.equals(in.enabled());
        Integer retries = in.maximumRetryAttempts() != null ? in.maximumRetryAttempts() : stream ? Integer.valueOf(-1) : null;
        Integer maxAge = in.maximumRecordAgeInSeconds() != null ? in.maximumRecordAgeInSeconds() : stream ? Integer.valueOf(-1) : null;
        int parallel = in.parallelizationFactor() != null ? in.parallelizationFactor() : 1;
        int tumbling = in.tumblingWindowInSeconds() != null ? in.tumblingWindowInSeconds() : 0;
        checkRanges(parallel, tumbling);
        EventSourceMapping m = new EventSourceMapping(UUID.randomUUID().toString(), ctx.accountId(), ctx.region(), source,
                functionArn, batch, window, enabled, enabled ? "Enabled" : "Disabled",
                in.functionResponseTypesAsStrings(), filters, position, retries,
                onFailure(in.destinationConfig(), null), Instant.now(), in.tags(), in.startingPositionTimestamp(), maxAge,
                Boolean.TRUE.equals(in.bisectBatchOnFunctionError()), parallel, tumbling);
        store.get(ctx).mappings.put(m.uuid(), m);
        if (enabled) startPoller(m);
        return m.withState(enabled ? "Creating" : "Disabled", enabled);
    }

    EventSourceMapping get(RequestContext ctx, String uuid) {
        EventSourceMapping m = store.get(ctx).mappings.get(uuid == null ? "" : uuid);
        if (m == null) {
            throw LambdaErrors.notFound("The resource you requested does not exist.");
        }
        return m;
    }

    EventSourceMapping update(RequestContext ctx, UpdateEventSourceMappingRequest in) {
        EventSourceMapping old = get(ctx, in.uuid());
        int batch = in.batchSize() != null ? in.batchSize() : old.batchSize();
        int window = in.maximumBatchingWindowInSeconds() != null ? in.maximumBatchingWindowInSeconds() : old.maximumBatchingWindowInSeconds();
        boolean enabled = in.enabled() != null ? in.enabled() : old.enabled();
        String functionArn = old.functionArn();
        int parallel = in.parallelizationFactor() != null ? in.parallelizationFactor() : old.parallelizationFactor();
        int tumbling = in.tumblingWindowInSeconds() != null ? in.tumblingWindowInSeconds() : old.tumblingWindowInSeconds();
        checkRanges(parallel, tumbling);
        if (in.functionName() != null) {
            FunctionRef ref = FunctionRef.parse(in.functionName(), null, ctx.accountId(), ctx.region());
            LambdaEngine.Found f = engine.resolveForInvoke(ref);
            functionArn = ref.qualifier() == null ? f.function().arn() : f.function().arn() + ":" + ref.qualifier();
        }
        EventSourceMapping m = new EventSourceMapping(old.uuid(), old.account(), old.region(), old.eventSourceArn(),
                functionArn, batch, window, enabled, enabled ? "Enabled" : "Disabled",
                in.functionResponseTypes() != null ? in.functionResponseTypesAsStrings() : old.functionResponseTypes(),
                in.filterCriteria() != null ? filters(in.filterCriteria()) : old.filters(), old.startingPosition(),
                in.maximumRetryAttempts() != null ? in.maximumRetryAttempts() : old.maximumRetryAttempts(),
                onFailure(in.destinationConfig(), old.onFailureDestination()), Instant.now(), old.tags(),
                old.startingPositionTimestamp(),
                in.maximumRecordAgeInSeconds() != null ? in.maximumRecordAgeInSeconds() : old.maximumRecordAgeInSeconds(),
                in.bisectBatchOnFunctionError() != null ? in.bisectBatchOnFunctionError() : old.bisectBatchOnFunctionError(),
                parallel, tumbling);
        store.get(ctx).mappings.put(m.uuid(), m);
        stopPoller(m.uuid());
        if (enabled) startPoller(m);
        return m.withState(enabled ? "Updating" : "Disabling", enabled);
    }

    EventSourceMapping delete(RequestContext ctx, String uuid) {
        EventSourceMapping m = get(ctx, uuid);
        store.get(ctx).mappings.remove(m.uuid());
        stopPoller(m.uuid());
        progress.remove(m.uuid());
        return m.withState("Deleting", m.enabled());
    }

    List<EventSourceMapping> list(RequestContext ctx, String sourceArn, String functionName) {
        String fnArn = null;
        if (functionName != null) {
            FunctionRef ref = FunctionRef.parse(functionName, null, ctx.accountId(), ctx.region());
            fnArn = ref.qualifiedArn();
        }
        List<EventSourceMapping> out = new ArrayList<>();
        for (EventSourceMapping m : store.get(ctx).mappings.values()) {
            if (sourceArn != null && !sourceArn.equals(m.eventSourceArn())) continue;
            if (fnArn != null && !fnArn.equals(m.functionArn())) continue;
            out.add(m);
        }
        out.sort(Comparator.comparing(EventSourceMapping::lastModified));
        return out;
    }

    /** Restarts the pollers of every enabled mapping (after a restore). */
    void resume() {
        pollers.values().forEach(EventSourcePoller::close);
        pollers.clear();
        store.all().values().forEach(regions -> regions.values().forEach(state -> state.mappings.values().forEach(m -> {
            if (m.enabled()) startPoller(m);
        })));
    }

    EventSourceMappingConfiguration view(EventSourceMapping m) {
        EventSourceMappingConfiguration.Builder out = EventSourceMappingConfiguration.builder()
                .uuid(m.uuid())
                .batchSize(m.batchSize())
                .maximumBatchingWindowInSeconds(m.maximumBatchingWindowInSeconds())
                .eventSourceArn(m.eventSourceArn())
                .functionArn(m.functionArn())
                .lastModified(m.lastModified())
                .state(m.state())
                .stateTransitionReason(m.isStream() ? "User action" : "USER_INITIATED")
                .functionResponseTypes(m.functionResponseTypes())
                .eventSourceMappingArn(m.arn())
                .startingPosition(m.startingPosition())
                .startingPositionTimestamp(m.startingPositionTimestamp());
        if (!m.filters().isEmpty()) {
            List<Filter> filters = new ArrayList<>();
            for (Map<String, Object> f : m.filters()) {
                filters.add(Filter.builder().pattern(f.get("Pattern") == null ? null : f.get("Pattern").toString()).build());
            }
            out.filterCriteria(FilterCriteria.builder().filters(filters).build());
        }
        if (m.isStream()) {
            MappingProgress p = progress.get(m.uuid());
            out.lastProcessingResult(p == null ? MappingProgress.NO_RECORDS : p.lastProcessingResult())
                    .parallelizationFactor(m.parallelizationFactor())
                    .destinationConfig(DestinationConfig.builder()
                            .onFailure(OnFailure.builder().destination(m.onFailureDestination()).build()).build())
                    .maximumRecordAgeInSeconds(m.maximumRecordAgeInSeconds() == null ? -1 : m.maximumRecordAgeInSeconds())
                    .bisectBatchOnFunctionError(m.bisectBatchOnFunctionError())
                    .maximumRetryAttempts(m.maximumRetryAttempts() == null ? -1 : m.maximumRetryAttempts())
                    .tumblingWindowInSeconds(m.tumblingWindowInSeconds());
        }
        return out.build();
    }

    /** A mapping's progress, empty: its changes mark Lambda's state changed (saved soon with PERSISTENCE=1). */
    MappingProgress newProgress() {
        return new MappingProgress(() -> env.stateChanged("lambda"));
    }

    /** The poller for a mapping's kind of source. */
    EventSourcePoller pollerFor(EventSourceMapping m) {
        String uuid = m.uuid();
        Supplier<EventSourceMapping> current = () -> store.get(m.account(), m.region()).mappings.get(uuid);
        if (!m.isStream()) return new SqsPoller(current, sqs, invoker, engine);
        return new StreamPoller(current, sourceFor(m.sourceService(), m.eventSourceArn()), invoker, engine,
                progress.computeIfAbsent(uuid, k -> newProgress()));
    }

    private StreamSource sourceFor(String service, String arn) {
        return service.equals("kinesis") ? new KinesisSource(env, arn) : new DynamoStreamSource(env, arn);
    }

    /** AWS's bounds of ParallelizationFactor (1-10) and TumblingWindowInSeconds (0-900). */
    private static void checkRanges(int parallel, int tumbling) {
        if (parallel < 1 || parallel > 10) {
            throw LambdaErrors.validation(Integer.toString(parallel), "parallelizationFactor", parallel < 1
                    ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 10");
        }
        if (tumbling < 0 || tumbling > 900) {
            throw LambdaErrors.validation(Integer.toString(tumbling), "tumblingWindowInSeconds", tumbling < 0
                    ? "Member must have value greater than or equal to 0" : "Member must have value less than or equal to 900");
        }
    }

    /** AWS's checks of a stream mapping's starting position, in AWS's order. */
    private static void checkStreamSettings(String arn, String service, String position) {
        if (position != null && !List.of("LATEST", "AT_TIMESTAMP", "TRIM_HORIZON").contains(position)) {
            throw LambdaErrors.validation(position, "startingPosition",
                    "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]");
        }
        if (position == null) {
            throw LambdaErrors.invalidParameter("1 validation error detected: Value null at 'startingPosition' failed to "
                    + "satisfy constraint: Member must not be null.");
        }
        if (service.equals("dynamodb") && position.equals("AT_TIMESTAMP")) {
            throw LambdaErrors.invalidParameter("Unsupported starting position for arn type: " + arn);
        }
    }

    /** The on-failure destination of {@code DestinationConfig}, else {@code current}. */
    private static String onFailure(DestinationConfig config, String current) {
        if (config == null) return current;
        return config.onFailure() == null ? null : config.onFailure().destination();
    }

    private void startPoller(EventSourceMapping m) {
        EventSourcePoller p = pollerFor(m);
        if (p == null) return;
        EventSourcePoller old = pollers.put(m.uuid(), p);
        if (old != null) old.close();
        p.start();
    }

    private void stopPoller(String uuid) {
        EventSourcePoller p = pollers.remove(uuid);
        if (p != null) p.close();
    }

    /** The filters of {@code FilterCriteria}, each pattern checked to be a JSON object as AWS does. */
    private static List<Map<String, Object>> filters(FilterCriteria criteria) {
        if (criteria == null || criteria.filters() == null) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Filter filter : criteria.filters()) {
            String pattern = filter.pattern();
            if (pattern != null) {
                try {
                    if (!JSON.readTree(pattern).isObject()) throw new IllegalArgumentException();
                } catch (Exception e) {
                    throw LambdaErrors.invalidParameter("Invalid filter pattern definition.");
                }
            }
            out.add(pattern == null ? Map.of() : Map.of("Pattern", pattern));
        }
        return out;
    }

    @Override
    public void close() {
        pollers.values().forEach(EventSourcePoller::close);
        pollers.clear();
    }
}
