package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.lambda.api.Cors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Lambda's state as JSON for {@code PERSISTENCE=1}: functions with their versions, aliases, policies, tags,
 * concurrency and event invoke configuration, layers, event source mappings with their progress (checkpoints,
 * tumbling windows) and asynchronous invocations not finished yet. Code and layer packages are
 * files under {@code DATA_DIR/lambda/code} already; the snapshot refers to them by name.
 */
final class LambdaSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record VersionDto(String version, FunctionConfig config, CodeRef code, String revisionId, long lastModified,
                      String state, String lastUpdateStatus) {
    }

    record InvokeConfigDto(String qualifier, Integer maximumRetryAttempts, Integer maximumEventAgeInSeconds,
                           String onSuccess, String onFailure, long lastModified) {
    }

    record FunctionDto(String name, VersionDto latest, List<VersionDto> versions, int lastPublished, List<Alias> aliases,
                       Map<String, String> tags, Integer reservedConcurrency, Map<String, Integer> provisionedConcurrency,
                       Map<String, Map<String, Map<String, Object>>> policies, String policyRevisionId,
                       List<InvokeConfigDto> eventInvokeConfigs) {
    }

    record MappingDto(String uuid, String eventSourceArn, String functionArn, int batchSize, int window, boolean enabled,
                      List<String> functionResponseTypes, List<Map<String, Object>> filters, String startingPosition,
                      Integer maximumRetryAttempts, long lastModified, Map<String, String> tags,
                      String onFailureDestination, Long startingPositionTimestamp, Integer maximumRecordAgeInSeconds,
                      Boolean bisectBatchOnFunctionError, Integer parallelizationFactor,
                      Integer tumblingWindowInSeconds, ProgressDto progress) {
    }

    /** A stream mapping's checkpoints, open windows and last result (see {@link MappingProgress}). */
    record ProgressDto(Map<String, String> checkpoints, Map<String, WindowDto> windows, String lastProcessingResult) {
    }

    record WindowDto(long start, long end, String state) {
    }

    /** An asynchronous invocation not finished yet (queued, running or waiting to be retried). */
    record PendingDto(String requestId, String account, String region, String functionName, String qualifier,
                      byte[] payload, long received, int attempt, long due) {
    }

    record LayerDto(String name, int version, CodeRef content, String description, List<String> compatibleRuntimes,
                    List<String> compatibleArchitectures, String licenseInfo, long created,
                    Map<String, Map<String, Object>> policy, String policyRevisionId) {
    }

    record RegionDto(String account, String region, List<FunctionDto> functions, List<MappingDto> mappings,
                     List<LayerDto> layers, Map<String, Integer> layerHighWater) {
    }

    record UrlDto(String urlId, String account, String region, String functionName, String qualifier, String authType,
                  Map<String, Object> cors, String invokeMode, long created, long lastModified) {
    }

    /** The whole snapshot: regions' resources and the function URLs (indexed across regions by URL id). */
    record SnapshotDto(List<RegionDto> regions, List<UrlDto> urls, List<PendingDto> pendingInvocations) {
    }

    private LambdaSnapshot() {
    }

    static void save(AccountRegionStore<LambdaState> store, OutputStream out, FunctionUrls urls,
                     Map<String, MappingProgress> progress, List<PendingDto> pending) throws IOException {
        List<RegionDto> regions = new ArrayList<>();
        store.all().forEach((account, byRegion) -> byRegion.forEach((region, state) -> {
            List<FunctionDto> fns = new ArrayList<>();
            for (LambdaFunction fn : state.functions.values()) {
                synchronized (fn) {
                    List<VersionDto> versions = new ArrayList<>();
                    fn.versions.values().forEach(v -> versions.add(dto(v)));
                    List<InvokeConfigDto> eics = new ArrayList<>();
                    fn.eventInvokeConfigs.forEach((q, c) -> eics.add(new InvokeConfigDto(q, c.maximumRetryAttempts(),
                            c.maximumEventAgeInSeconds(), c.onSuccess(), c.onFailure(), c.lastModified().toEpochMilli())));
                    fns.add(new FunctionDto(fn.name, dto(fn.latest), versions, fn.lastPublished,
                            new ArrayList<>(fn.aliases.values()), new LinkedHashMap<>(fn.tags), fn.reservedConcurrency,
                            new LinkedHashMap<>(fn.provisionedConcurrency), copy(fn.policies), fn.policyRevisionId, eics));
                }
            }
            List<MappingDto> mappings = new ArrayList<>();
            for (EventSourceMapping m : state.mappings.values()) {
                mappings.add(new MappingDto(m.uuid(), m.eventSourceArn(), m.functionArn(), m.batchSize(),
                        m.maximumBatchingWindowInSeconds(), m.enabled(), m.functionResponseTypes(), m.filters(),
                        m.startingPosition(), m.maximumRetryAttempts(), m.lastModified().toEpochMilli(), m.tags(),
                        m.onFailureDestination(), m.startingPositionTimestamp() == null ? null : m.startingPositionTimestamp().toEpochMilli(),
                        m.maximumRecordAgeInSeconds(), m.bisectBatchOnFunctionError(), m.parallelizationFactor(),
                        m.tumblingWindowInSeconds(), dto(progress.get(m.uuid()))));
            }
            List<LayerDto> layers = new ArrayList<>();
            synchronized (state.layers) {
                state.layers.values().forEach(vs -> vs.values().forEach(l -> layers.add(new LayerDto(l.name(), l.version(),
                        l.content(), l.description(), l.compatibleRuntimes(), l.compatibleArchitectures(), l.licenseInfo(),
                        l.created().toEpochMilli(), l.policy(), l.policyRevisionId()))));
            }
            regions.add(new RegionDto(account, region, fns, mappings, layers, new LinkedHashMap<>(state.layerHighWater)));
        }));
        List<UrlDto> urlDtos = new ArrayList<>();
        urls.byId.values().forEach(c -> urlDtos.add(new UrlDto(c.urlId(), c.account(), c.region(), c.functionName(),
                c.qualifier(), c.authType(), c.cors() == null ? null : TreeConverter.toTree(Cors.SHAPE, c.cors()), c.invokeMode(), c.created().toEpochMilli(), c.lastModified().toEpochMilli())));
        JSON.writeValue(out, new SnapshotDto(regions, urlDtos, pending));
    }

    /** Restores the store, the URLs and the mappings' progress; answers the asynchronous invocations to resume. */
    static List<PendingDto> load(AccountRegionStore<LambdaState> store, InputStream in, FunctionUrls urls,
                                 Map<String, MappingProgress> progress, Supplier<MappingProgress> newProgress) throws IOException {
        SnapshotDto snapshot = JSON.readValue(in, SnapshotDto.class);
        progress.clear();
        store.clear();
        urls.byId.clear();
        for (UrlDto u : snapshot.urls()) {
            urls.byId.put(u.urlId(), new FunctionUrls.UrlConfig(u.urlId(), u.account(), u.region(), u.functionName(),
                    u.qualifier(), u.authType(), u.cors() == null ? null : TreeConverter.fromTree(Cors.SHAPE, u.cors()), u.invokeMode(), Instant.ofEpochMilli(u.created()),
                    Instant.ofEpochMilli(u.lastModified())));
        }
        for (RegionDto r : snapshot.regions()) {
            LambdaState state = new LambdaState();
            for (FunctionDto f : r.functions()) {
                LambdaFunction fn = new LambdaFunction(f.name(), r.account(), r.region());
                fn.latest = version(f.latest(), fn);
                f.versions().forEach(v -> fn.versions.put(Integer.parseInt(v.version()), version(v, fn)));
                fn.lastPublished = f.lastPublished();
                f.aliases().forEach(a -> fn.aliases.put(a.name(), a));
                fn.tags.putAll(f.tags());
                fn.reservedConcurrency = f.reservedConcurrency();
                fn.provisionedConcurrency.putAll(f.provisionedConcurrency());
                fn.policies.putAll(f.policies());
                fn.policyRevisionId = f.policyRevisionId();
                f.eventInvokeConfigs().forEach(c -> fn.eventInvokeConfigs.put(c.qualifier(), new EventInvokeConfig(
                        c.maximumRetryAttempts(), c.maximumEventAgeInSeconds(), c.onSuccess(), c.onFailure(),
                        Instant.ofEpochMilli(c.lastModified()))));
                state.functions.put(fn.name, fn);
            }
            for (MappingDto m : r.mappings()) {
                state.mappings.put(m.uuid(), new EventSourceMapping(m.uuid(), r.account(), r.region(), m.eventSourceArn(),
                        m.functionArn(), m.batchSize(), m.window(), m.enabled(), m.enabled() ? "Enabled" : "Disabled",
                        m.functionResponseTypes(), m.filters(), m.startingPosition(), m.maximumRetryAttempts(),
                        m.onFailureDestination(), Instant.ofEpochMilli(m.lastModified()), m.tags(),
                        m.startingPositionTimestamp() == null ? null : Instant.ofEpochMilli(m.startingPositionTimestamp()),
                        m.maximumRecordAgeInSeconds(), Boolean.TRUE.equals(m.bisectBatchOnFunctionError()),
                        m.parallelizationFactor() == null ? 1 : m.parallelizationFactor(),
                        m.tumblingWindowInSeconds() == null ? 0 : m.tumblingWindowInSeconds()));
                if (m.progress() != null) progress.put(m.uuid(), progress(m.progress(), newProgress));
            }
            for (LayerDto l : r.layers()) {
                state.layers.computeIfAbsent(l.name(), k -> new TreeMap<>()).put(l.version(), new LayerVersion(l.name(),
                        l.version(), r.account(), r.region(), l.content(), l.description(), l.compatibleRuntimes(),
                        l.compatibleArchitectures(), l.licenseInfo(), Instant.ofEpochMilli(l.created()),
                        l.policy() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(l.policy()), l.policyRevisionId()));
            }
            state.layerHighWater.putAll(r.layerHighWater());
            store.put(r.account(), r.region(), state);
        }
        return snapshot.pendingInvocations() == null ? List.of() : snapshot.pendingInvocations();
    }

    private static ProgressDto dto(MappingProgress p) {
        if (p == null) return null;
        Map<String, WindowDto> windows = new LinkedHashMap<>();
        new java.util.TreeMap<>(p.windows()).forEach((shard, w) ->
                windows.put(shard, new WindowDto(w.start().getEpochSecond(), w.end().getEpochSecond(), w.state())));
        return new ProgressDto(new java.util.TreeMap<>(p.checkpoints()), windows, p.lastProcessingResult());
    }

    private static MappingProgress progress(ProgressDto d, Supplier<MappingProgress> newProgress) {
        MappingProgress p = newProgress.get();
        Map<String, MappingProgress.Window> windows = new LinkedHashMap<>();
        if (d.windows() != null) {
            d.windows().forEach((shard, w) -> windows.put(shard, new MappingProgress.Window(Instant.ofEpochSecond(w.start()),
                    Instant.ofEpochSecond(w.end()), w.state())));
        }
        p.restore(d.checkpoints(), windows, d.lastProcessingResult());
        return p;
    }

    private static VersionDto dto(FunctionVersion v) {
        return new VersionDto(v.version(), v.config(), v.code(), v.revisionId(), v.lastModified().toEpochMilli(),
                v.state(), v.lastUpdateStatus());
    }

    private static FunctionVersion version(VersionDto d, LambdaFunction fn) {
        return new FunctionVersion(d.version(), d.config(), d.code(), d.revisionId(), Instant.ofEpochMilli(d.lastModified()),
                d.state(), d.lastUpdateStatus(), fn.arn() + ":" + d.version() + ":" + UUID.randomUUID());
    }

    private static Map<String, Map<String, Map<String, Object>>> copy(Map<String, Map<String, Map<String, Object>>> p) {
        Map<String, Map<String, Map<String, Object>>> out = new LinkedHashMap<>();
        p.forEach((q, statements) -> out.put(q, new LinkedHashMap<>(statements)));
        return out;
    }
}
