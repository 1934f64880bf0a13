package dev.polystack.services.lambda;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.StreamingBody;
import dev.polystack.services.lambda.executor.InvocationResult;
import dev.polystack.services.lambda.executor.ProcessExecutor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lambda service over rest-json: unpacks each operation's parameters, calls the engine ({@link LambdaEngine},
 * {@link Invoker}, {@link Layers}, {@link EventSourceMappings}) and shapes its answer. No semantics live here.
 */
public final class LambdaProvider implements ServiceProvider, Persistable {
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
    static final String CODE_PATH = "/_aws/lambda/code/";

    private final ProviderEnvironment env;
    private final AccountRegionStore<LambdaState> store = new AccountRegionStore<>((a, r) -> new LambdaState());
    private final CodeStore code;
    private final ProcessExecutor executor;
    private final LambdaEngine engine;
    private final Layers layers;
    private final InvocationLogs logs;
    private final Invoker invoker;
    private final EventSourceMappings mappings;
    private final FunctionUrls urls;

    public LambdaProvider(ProviderEnvironment env) {
        this.env = env;
        Path data = env.dataDirectory("lambda");
        this.code = new CodeStore(data);
        long keepAlive = env.config().integer("LAMBDA_KEEPALIVE_MS", 600_000);
        this.executor = new ProcessExecutor(data.resolve("runtime-clients"), env.scheduler(), keepAlive);
        this.engine = new LambdaEngine(store, code, executor::retire);
        this.layers = new Layers(store, code, data.resolve("opt"));
        this.logs = new InvocationLogs(env);
        this.invoker = new Invoker(engine, executor, code, layers, env, logs);
        this.mappings = new EventSourceMappings(store, engine, invoker, env);
        this.urls = new FunctionUrls(engine, invoker, env.config().externalScheme(), env.config().externalHost());
    }

    @Override
    public String service() {
        return "lambda";
    }

    /** Requests to a function URL host ({@code <url-id>.lambda-url.<region>.localhost.localstack.cloud}). */
    @Override
    public HttpResponseData handleHttp(RequestContext ctx) {
        String host = ctx.request().header("Host");
        if (host == null || !host.contains(".lambda-url.")) return null;
        return urls.serve(ctx.request());
    }

    @Override
    public List<InternalRoute> internalRoutes() {
        return List.of(new InternalRoute("GET", CODE_PATH, request -> {
            String name = request.path().substring(CODE_PATH.length());
            if (!name.matches("[A-Za-z0-9_-]+\\.zip")) return new HttpResponseData(404);
            Path file = code.zipFile(new CodeRef("", 0, name));
            if (!Files.exists(file)) return new HttpResponseData(404);
            try {
                return new HttpResponseData(200).header("Content-Type", "application/zip").body(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        List<LambdaSnapshot.PendingDto> pending = new ArrayList<>();
        for (Invoker.PendingEvent e : invoker.pendingEvents()) {
            pending.add(new LambdaSnapshot.PendingDto(e.requestId(), e.ref().account(), e.ref().region(), e.ref().name(),
                    e.ref().qualifier(), e.payload(), e.received().toEpochMilli(), e.attempt(), e.due().toEpochMilli()));
        }
        LambdaSnapshot.save(store, out, urls, mappings.progress, pending);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        mappings.close();
        executor.retire("");
        invoker.dropPending();
        List<LambdaSnapshot.PendingDto> pending = LambdaSnapshot.load(store, in, urls, mappings.progress);
        mappings.resume();
        List<Invoker.PendingEvent> events = new ArrayList<>();
        for (LambdaSnapshot.PendingDto p : pending) {
            events.add(new Invoker.PendingEvent(new FunctionRef(p.account(), p.region(), p.functionName(), p.qualifier()),
                    p.payload(), p.requestId(), Instant.ofEpochMilli(p.received()), p.attempt(), Instant.ofEpochMilli(p.due())));
        }
        invoker.resume(events);
    }

    @Override
    public void resetState() {
        mappings.close();
        executor.retire("");
        invoker.dropPending();
        mappings.progress.clear();
        store.clear();
        urls.byId.clear();
    }

    @Override
    public void close() {
        mappings.close();
        executor.close();
        logs.close();
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String op, Map<String, Object> in) {
        return switch (op) {
            case "CreateFunction" -> createFunction(ctx, in);
            case "GetFunction" -> getFunction(ctx, in);
            case "GetFunctionConfiguration" -> configuration(engine.getFunction(ref(ctx, in)).version(), engine.getFunction(ref(ctx, in)).function(), true);
            case "UpdateFunctionConfiguration" -> updateConfiguration(ctx, in);
            case "UpdateFunctionCode" -> updateCode(ctx, in);
            case "DeleteFunction" -> {
                FunctionRef deleted = ref(ctx, in);
                engine.deleteFunction(deleted);
                if (deleted.qualifier() == null) urls.forget(deleted.account(), deleted.region(), deleted.name());
                ctx.response().status(204);
                yield Map.of("StatusCode", 204);
            }
            case "ListFunctions" -> listFunctions(ctx, in);
            case "Invoke" -> invokeFunction(ctx, in);
            case "InvokeAsync" -> invokeAsync(ctx, in);
            case "PublishVersion" -> {
                LambdaEngine.Found f = engine.publishVersion(ref(ctx, in), str(in, "CodeSha256"), str(in, "Description"), str(in, "RevisionId"));
                yield configuration(f.version(), f.function(), true);
            }
            case "ListVersionsByFunction" -> {
                LambdaEngine.Found f = engine.getFunction(ref(ctx, in));
                List<Object> versions = new ArrayList<>();
                for (FunctionVersion v : engine.listVersions(ref(ctx, in))) versions.add(configuration(v, f.function(), false));
                yield paged(versions, in, "Versions");
            }
            case "CreateAlias" -> alias(engine.createAlias(ref(ctx, in), str(in, "Name"), str(in, "FunctionVersion"),
                    str(in, "Description"), weights(in)), engine.function(ref(ctx, in)));
            case "GetAlias" -> alias(engine.getAlias(ref(ctx, in), str(in, "Name")), engine.function(ref(ctx, in)));
            case "UpdateAlias" -> alias(engine.updateAlias(ref(ctx, in), str(in, "Name"), str(in, "FunctionVersion"),
                    str(in, "Description"), weights(in), str(in, "RevisionId")), engine.function(ref(ctx, in)));
            case "DeleteAlias" -> {
                engine.deleteAlias(ref(ctx, in), str(in, "Name"));
                yield Map.of();
            }
            case "ListAliases" -> {
                LambdaFunction fn = engine.function(ref(ctx, in));
                List<Object> out = new ArrayList<>();
                for (Alias a : engine.listAliases(ref(ctx, in), str(in, "FunctionVersion"))) out.add(alias(a, fn));
                yield paged(out, in, "Aliases");
            }
            case "AddPermission" -> {
                Map<String, Object> st = engine.addPermission(ref(ctx, in), str(in, "StatementId"), str(in, "Action"),
                        str(in, "Principal"), str(in, "SourceArn"), str(in, "SourceAccount"), str(in, "RevisionId"),
                        str(in, "PrincipalOrgID"), str(in, "FunctionUrlAuthType"));
                yield Map.of("Statement", Json.write(st));
            }
            case "RemovePermission" -> {
                engine.removePermission(ref(ctx, in), str(in, "StatementId"), str(in, "RevisionId"));
                yield Map.of();
            }
            case "GetPolicy" -> {
                Map<String, Object> p = engine.getPolicy(ref(ctx, in));
                yield Map.of("Policy", Json.write(p.get("Policy")), "RevisionId", p.get("RevisionId"));
            }
            case "TagResource" -> {
                engine.tag(engine.taggable(str(in, "Resource"), ctx.accountId(), ctx.region()), stringMap(in.get("Tags")));
                yield Map.of();
            }
            case "UntagResource" -> {
                engine.untag(engine.taggable(str(in, "Resource"), ctx.accountId(), ctx.region()), strings(in.get("TagKeys")));
                yield Map.of();
            }
            case "ListTags" -> Map.of("Tags", engine.tags(engine.taggable(str(in, "Resource"), ctx.accountId(), ctx.region())));
            case "PutFunctionConcurrency" -> Map.of("ReservedConcurrentExecutions",
                    engine.putConcurrency(ref(ctx, in), integer(in, "ReservedConcurrentExecutions")));
            case "GetFunctionConcurrency" -> {
                Integer c = engine.getConcurrency(ref(ctx, in));
                yield c == null ? Map.of() : Map.of("ReservedConcurrentExecutions", c);
            }
            case "DeleteFunctionConcurrency" -> {
                engine.deleteConcurrency(ref(ctx, in));
                yield Map.of();
            }
            case "PutProvisionedConcurrencyConfig" -> {
                int n = integer(in, "ProvisionedConcurrentExecutions");
                engine.putProvisionedConcurrency(ref(ctx, in), n);
                ctx.response().status(202);
                yield provisioned(n);
            }
            case "GetProvisionedConcurrencyConfig" -> provisioned(engine.getProvisionedConcurrency(ref(ctx, in)));
            case "DeleteProvisionedConcurrencyConfig" -> {
                engine.deleteProvisionedConcurrency(ref(ctx, in));
                yield Map.of();
            }
            case "PutFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig" -> {
                Map<String, Object> dest = map(in.get("DestinationConfig"));
                EventInvokeConfig c = engine.putEventInvokeConfig(ref(ctx, in), (Integer) in.get("MaximumRetryAttempts"),
                        (Integer) in.get("MaximumEventAgeInSeconds"), destination(dest, "OnSuccess"), destination(dest, "OnFailure"),
                        op.startsWith("Update"));
                yield eventInvokeConfig(c, engine.function(ref(ctx, in)), ref(ctx, in).qualifier());
            }
            case "GetFunctionEventInvokeConfig" -> eventInvokeConfig(engine.getEventInvokeConfig(ref(ctx, in)),
                    engine.function(ref(ctx, in)), ref(ctx, in).qualifier());
            case "DeleteFunctionEventInvokeConfig" -> {
                engine.deleteEventInvokeConfig(ref(ctx, in));
                yield Map.of();
            }
            case "ListFunctionEventInvokeConfigs" -> {
                LambdaFunction fn = engine.function(ref(ctx, in));
                List<Object> out = new ArrayList<>();
                for (var e : engine.listEventInvokeConfigs(ref(ctx, in))) {
                    out.add(eventInvokeConfig(e.getValue(), fn, e.getKey().isEmpty() ? null : e.getKey()));
                }
                yield paged(out, in, "FunctionEventInvokeConfigs");
            }
            case "GetAccountSettings" -> accountSettings(ctx);
            case "PublishLayerVersion" -> publishLayer(ctx, in);
            case "GetLayerVersion" -> layerVersion(layers.get(ctx.accountId(), ctx.region(), str(in, "LayerName"),
                    ((Number) in.get("VersionNumber")).intValue()));
            case "GetLayerVersionByArn" -> layerVersion(layers.byArn(str(in, "Arn")));
            case "DeleteLayerVersion" -> {
                layers.delete(ctx.accountId(), ctx.region(), str(in, "LayerName"), ((Number) in.get("VersionNumber")).intValue());
                yield Map.of();
            }
            case "ListLayerVersions" -> {
                List<Object> out = new ArrayList<>();
                for (LayerVersion v : layers.versions(ctx.accountId(), ctx.region(), str(in, "LayerName"))) {
                    if (in.get("CompatibleRuntime") == null || v.compatibleRuntimes().contains(str(in, "CompatibleRuntime"))) {
                        out.add(layerVersionItem(v));
                    }
                }
                yield paged(out, in, "LayerVersions");
            }
            case "ListLayers" -> {
                List<Object> out = new ArrayList<>();
                for (LayerVersion v : layers.latest(ctx.accountId(), ctx.region())) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("LayerName", v.name());
                    m.put("LayerArn", v.layerArn());
                    m.put("LatestMatchingVersion", layerVersionItem(v));
                    out.add(m);
                }
                yield paged(out, in, "Layers");
            }
            case "AddLayerVersionPermission" -> {
                Map<String, Object> added = layers.addPermission(ctx.accountId(), ctx.region(), str(in, "LayerName"),
                        integer(in, "VersionNumber"), str(in, "StatementId"), str(in, "Action"), str(in, "Principal"),
                        str(in, "OrganizationId"), str(in, "RevisionId"));
                ctx.response().status(201);
                yield Map.of("Statement", Json.write(added.get("Statement")), "RevisionId", added.get("RevisionId"));
            }
            case "RemoveLayerVersionPermission" -> {
                layers.removePermission(ctx.accountId(), ctx.region(), str(in, "LayerName"), integer(in, "VersionNumber"),
                        str(in, "StatementId"), str(in, "RevisionId"));
                ctx.response().status(204);
                yield Map.of();
            }
            case "GetLayerVersionPolicy" -> {
                Map<String, Object> p = layers.policy(ctx.accountId(), ctx.region(), str(in, "LayerName"), integer(in, "VersionNumber"));
                yield Map.of("Policy", Json.write(p.get("Policy")), "RevisionId", p.get("RevisionId"));
            }
            case "CreateEventSourceMapping" -> mappings.view(mappings.create(ctx, in));
            case "GetEventSourceMapping" -> mappings.view(mappings.get(ctx, str(in, "UUID")));
            case "UpdateEventSourceMapping" -> mappings.view(mappings.update(ctx, str(in, "UUID"), in));
            case "DeleteEventSourceMapping" -> {
                ctx.response().status(202);
                yield mappings.view(mappings.delete(ctx, str(in, "UUID")));
            }
            case "ListEventSourceMappings" -> {
                List<Object> out = new ArrayList<>();
                for (EventSourceMapping m : mappings.list(ctx, str(in, "EventSourceArn"), str(in, "FunctionName"))) out.add(mappings.view(m));
                yield paged(out, in, "EventSourceMappings");
            }
            case "CreateFunctionUrlConfig" -> {
                ctx.response().status(201);
                yield urls.view(urls.create(ref(ctx, in), str(in, "AuthType"), map(in.get("Cors")), str(in, "InvokeMode")), false, false);
            }
            case "GetFunctionUrlConfig" -> urls.view(urls.get(ref(ctx, in)), true, true);
            case "UpdateFunctionUrlConfig" -> urls.view(urls.update(ref(ctx, in), str(in, "AuthType"), map(in.get("Cors")),
                    str(in, "InvokeMode")), true, false);
            case "DeleteFunctionUrlConfig" -> {
                urls.delete(ref(ctx, in));
                ctx.response().status(204);
                yield Map.of();
            }
            case "ListFunctionUrlConfigs" -> {
                List<Object> out = new ArrayList<>();
                for (FunctionUrls.UrlConfig c : urls.list(ref(ctx, in))) out.add(urls.view(c, true, true));
                yield paged(out, in, "FunctionUrlConfigs");
            }
            default -> throw new UnsupportedOperationException(op);
        };
    }

    // ------------------------------------------------------------------ functions

    private Map<String, Object> createFunction(RequestContext ctx, Map<String, Object> in) {
        Map<String, Object> codeIn = map(in.get("Code"));
        byte[] zip = zipFrom(ctx, codeIn == null ? Map.of() : codeIn);
        FunctionConfig.Changes settings = changes(in);
        layers.validate(settings.layers());
        LambdaEngine.NewFunction nf = new LambdaEngine.NewFunction(str(in, "FunctionName"), str(in, "PackageType"), zip,
                settings, in.containsKey("Architectures") ? strings(in.get("Architectures")) : null,
                Boolean.TRUE.equals(in.get("Publish")), in.containsKey("Tags") ? stringMap(in.get("Tags")) : null);
        LambdaEngine.Found f = engine.createFunction(ctx.accountId(), ctx.region(), nf);
        ctx.response().status(201);
        return configuration(f.version(), f.function(), true);
    }

    private Map<String, Object> getFunction(RequestContext ctx, Map<String, Object> in) {
        LambdaEngine.Found f = engine.getFunction(ref(ctx, in));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Configuration", configuration(f.version(), f.function(), true));
        out.put("Code", Map.of("RepositoryType", "S3", "Location", env.config().externalScheme() + "://"
                + env.config().externalHost() + CODE_PATH + f.version().code().fileName()));
        Map<String, String> tags = engine.tags(f.function());
        if (!tags.isEmpty()) out.put("Tags", tags);
        Integer reserved = engine.getConcurrency(new FunctionRef(f.function().account, f.function().region, f.function().name, null));
        if (reserved != null) out.put("Concurrency", Map.of("ReservedConcurrentExecutions", reserved));
        return out;
    }

    private Map<String, Object> updateConfiguration(RequestContext ctx, Map<String, Object> in) {
        FunctionConfig.Changes changes = changes(in);
        layers.validate(changes.layers());
        LambdaEngine.Found f = engine.updateConfiguration(ref(ctx, in), changes, str(in, "RevisionId"));
        return configuration(f.version(), f.function(), true);
    }

    private Map<String, Object> updateCode(RequestContext ctx, Map<String, Object> in) {
        byte[] zip = zipFrom(ctx, in);
        LambdaEngine.Found f = engine.updateCode(ref(ctx, in), zip,
                in.containsKey("Architectures") ? strings(in.get("Architectures")) : null,
                Boolean.TRUE.equals(in.get("Publish")), str(in, "RevisionId"));
        return configuration(f.version(), f.function(), true);
    }

    private Map<String, Object> listFunctions(RequestContext ctx, Map<String, Object> in) {
        boolean all = "ALL".equals(str(in, "FunctionVersion"));
        List<Object> out = new ArrayList<>();
        for (LambdaEngine.Found f : engine.listFunctions(ctx.accountId(), ctx.region(), all)) {
            out.add(configuration(f.version(), f.function(), false));
        }
        return paged(out, in, "Functions");
    }

    /** The package from {@code ZipFile}, or read from S3 through the S3 provider ({@code S3Bucket}/{@code S3Key}). */
    private byte[] zipFrom(RequestContext ctx, Map<String, Object> in) {
        if (in.get("ZipFile") instanceof byte[] b) return b;
        String bucket = str(in, "S3Bucket");
        String key = str(in, "S3Key");
        if (bucket == null || key == null) return null;
        Map<String, Object> get = new LinkedHashMap<>(Map.of("Bucket", bucket, "Key", key));
        if (in.get("S3ObjectVersion") != null) get.put("VersionId", in.get("S3ObjectVersion"));
        Map<String, Object> out;
        try {
            out = env.call(RequestContext.internal(ctx.accountId(), ctx.region(), "s3"), "s3", "GetObject", get);
        } catch (ServiceException e) {
            throw LambdaErrors.invalidParameter("Error occurred while GetObject. S3 Error Code: " + e.code()
                    + ". S3 Error Message: " + e.getMessage());
        }
        Object body = out.get("Body");
        try {
            if (body instanceof byte[] b) return b;
            if (body instanceof StreamingBody s) {
                try (InputStream stream = s.stream()) {
                    return stream.readAllBytes();
                }
            }
            if (body instanceof InputStream s) {
                try (s) {
                    return s.readAllBytes();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw LambdaErrors.invalidParameter("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.");
    }

    // ------------------------------------------------------------------ invoke

    private Map<String, Object> invokeFunction(RequestContext ctx, Map<String, Object> in) {
        FunctionRef ref = ref(ctx, in);
        byte[] payload = payload(in.get("Payload"));
        String type = str(in, "InvocationType");
        Map<String, Object> out = new LinkedHashMap<>();
        if ("Event".equals(type)) {
            invoker.invokeAsync(ref, payload);
            ctx.response().status(202);
            out.put("StatusCode", 202);
            out.put("Payload", new byte[0]);
            return out;
        }
        if ("DryRun".equals(type)) {
            invoker.dryRun(ref, payload);
            ctx.response().status(204);
            out.put("StatusCode", 204);
            out.put("Payload", new byte[0]);
            return out;
        }
        Invoker.Outcome o = invoker.invokeSync(ref, payload, str(in, "ClientContext"), ctx.requestId());
        InvocationResult r = o.result();
        out.put("StatusCode", 200);
        if (r.functionError() != null) out.put("FunctionError", r.functionError());
        if ("Tail".equals(str(in, "LogType"))) out.put("LogResult", tail(r.log()));
        out.put("ExecutedVersion", o.executedVersion());
        out.put("Payload", r.payload() == null ? new byte[0] : r.payload());
        return out;
    }

    /** The legacy InvokeAsync: queues an Event invocation, answers 202 {Status: 202}. */
    private Map<String, Object> invokeAsync(RequestContext ctx, Map<String, Object> in) {
        invoker.invokeAsync(ref(ctx, in), payload(in.get("InvokeArgs")));
        ctx.response().status(202);
        return Map.of("Status", 202);
    }

    /** The last 4 KB of the log, base64 (cut at a line start where possible, as AWS's tail reads). */
    static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, bytes.length - 4096);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    }

    private static byte[] payload(Object p) {
        try {
            if (p == null) return new byte[0];
            if (p instanceof byte[] b) return b;
            if (p instanceof StreamingBody s) {
                try (InputStream in = s.stream()) {
                    return in.readAllBytes();
                }
            }
            if (p instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("unexpected payload type " + p.getClass());
    }

    // ------------------------------------------------------------------ shapes

    /** FunctionConfiguration as AWS reports it; {@code withState} false for list entries (AWS leaves state out there). */
    static Map<String, Object> configuration(FunctionVersion v, LambdaFunction fn, boolean withState) {
        FunctionConfig c = v.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("FunctionName", fn.name);
        m.put("FunctionArn", v.version().equals(FunctionVersion.LATEST) && withState ? fn.arn() : fn.arn() + ":" + v.version());
        if (c.runtime() != null) m.put("Runtime", c.runtime());
        m.put("Role", c.role());
        if (c.handler() != null) m.put("Handler", c.handler());
        m.put("CodeSize", v.code().size());
        m.put("Description", c.description());
        m.put("Timeout", c.timeout());
        m.put("MemorySize", c.memorySize());
        m.put("LastModified", LAST_MODIFIED.format(v.lastModified()));
        m.put("CodeSha256", v.code().sha256());
        m.put("Version", v.version());
        if (c.environment() != null) m.put("Environment", Map.of("Variables", c.environment()));
        if (c.deadLetterTargetArn() != null) m.put("DeadLetterConfig", Map.of("TargetArn", c.deadLetterTargetArn()));
        if (c.kmsKeyArn() != null) m.put("KMSKeyArn", c.kmsKeyArn());
        m.put("TracingConfig", Map.of("Mode", c.tracingMode()));
        m.put("RevisionId", v.revisionId());
        if (!c.layers().isEmpty()) {
            List<Object> ls = new ArrayList<>();
            for (String arn : c.layers()) ls.add(Map.of("Arn", arn, "CodeSize", 0L));
            m.put("Layers", ls);
        }
        if (withState) {
            m.put("State", v.state());
            if (v.state().equals("Pending")) {
                m.put("StateReason", "The function is being created.");
                m.put("StateReasonCode", "Creating");
            }
            if (v.lastUpdateStatus() != null) {
                m.put("LastUpdateStatus", v.lastUpdateStatus());
                if (v.lastUpdateStatus().equals("InProgress")) {
                    m.put("LastUpdateStatusReason", "The function is being created.");
                    m.put("LastUpdateStatusReasonCode", "Creating");
                }
            }
        }
        m.put("PackageType", c.packageType());
        m.put("Architectures", c.architectures());
        m.put("EphemeralStorage", Map.of("Size", c.ephemeralStorage()));
        m.put("SnapStart", Map.of("ApplyOn", "None", "OptimizationStatus", "Off"));
        if (withState && c.runtime() != null) {
            m.put("RuntimeVersionConfig", Map.of("RuntimeVersionArn", "arn:" + FunctionRef.partition(fn.region) + ":lambda:"
                    + fn.region + "::runtime:" + CodeStore.sha256(c.runtime().getBytes(StandardCharsets.UTF_8))
                    .replaceAll("[^A-Za-z0-9]", "").toLowerCase().substring(0, 40)));
        }
        m.put("LoggingConfig", Map.of("LogFormat", c.logFormat(), "LogGroup", c.logGroup()));
        return m;
    }

    private static Map<String, Object> alias(Alias a, LambdaFunction fn) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AliasArn", fn.arn() + ":" + a.name());
        m.put("Name", a.name());
        m.put("FunctionVersion", a.functionVersion());
        m.put("Description", a.description());
        if (!a.additionalWeights().isEmpty()) m.put("RoutingConfig", Map.of("AdditionalVersionWeights", a.additionalWeights()));
        m.put("RevisionId", a.revisionId());
        return m;
    }

    private static Map<String, Object> provisioned(int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("RequestedProvisionedConcurrentExecutions", n);
        m.put("AvailableProvisionedConcurrentExecutions", n);
        m.put("AllocatedProvisionedConcurrentExecutions", n);
        m.put("Status", "READY");
        m.put("LastModified", LAST_MODIFIED.format(Instant.now()));
        return m;
    }

    private static Map<String, Object> eventInvokeConfig(EventInvokeConfig c, LambdaFunction fn, String qualifier) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("LastModified", c.lastModified());
        m.put("FunctionArn", fn.arn() + ":" + (qualifier == null ? FunctionVersion.LATEST : qualifier));
        if (c.maximumRetryAttempts() != null) m.put("MaximumRetryAttempts", c.maximumRetryAttempts());
        if (c.maximumEventAgeInSeconds() != null) m.put("MaximumEventAgeInSeconds", c.maximumEventAgeInSeconds());
        Map<String, Object> dest = new LinkedHashMap<>();
        dest.put("OnSuccess", c.onSuccess() == null ? Map.of() : Map.of("Destination", c.onSuccess()));
        dest.put("OnFailure", c.onFailure() == null ? Map.of() : Map.of("Destination", c.onFailure()));
        m.put("DestinationConfig", dest);
        return m;
    }

    private Map<String, Object> accountSettings(RequestContext ctx) {
        long[] usage = engine.accountUsage(ctx.accountId(), ctx.region());
        Map<String, Object> limit = new LinkedHashMap<>();
        limit.put("TotalCodeSize", 80_530_636_800L);
        limit.put("CodeSizeUnzipped", CodeStore.MAX_UNZIPPED);
        limit.put("CodeSizeZipped", 52_428_800L);
        limit.put("ConcurrentExecutions", LambdaEngine.ACCOUNT_CONCURRENCY);
        limit.put("UnreservedConcurrentExecutions", (int) usage[2]);
        return Map.of("AccountLimit", limit, "AccountUsage", Map.of("TotalCodeSize", usage[0], "FunctionCount", usage[1]));
    }

    private Map<String, Object> publishLayer(RequestContext ctx, Map<String, Object> in) {
        Map<String, Object> content = map(in.get("Content"));
        byte[] zip = zipFrom(ctx, content == null ? Map.of() : content);
        LayerVersion v = layers.publish(ctx.accountId(), ctx.region(), str(in, "LayerName"), zip, str(in, "Description"),
                in.containsKey("CompatibleRuntimes") ? strings(in.get("CompatibleRuntimes")) : null,
                in.containsKey("CompatibleArchitectures") ? strings(in.get("CompatibleArchitectures")) : null,
                str(in, "LicenseInfo"));
        ctx.response().status(201);
        return layerVersion(v);
    }

    private Map<String, Object> layerVersion(LayerVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Content", Map.of("Location", env.config().externalScheme() + "://" + env.config().externalHost() + CODE_PATH
                + v.content().fileName(), "CodeSha256", v.content().sha256(), "CodeSize", v.content().size()));
        m.put("LayerArn", v.layerArn());
        m.put("LayerVersionArn", v.arn());
        m.put("Description", v.description());
        m.put("CreatedDate", LAST_MODIFIED.format(v.created()));
        m.put("Version", (long) v.version());
        if (!v.compatibleRuntimes().isEmpty()) m.put("CompatibleRuntimes", v.compatibleRuntimes());
        if (v.licenseInfo() != null) m.put("LicenseInfo", v.licenseInfo());
        if (!v.compatibleArchitectures().isEmpty()) m.put("CompatibleArchitectures", v.compatibleArchitectures());
        return m;
    }

    private static Map<String, Object> layerVersionItem(LayerVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("LayerVersionArn", v.arn());
        m.put("Version", (long) v.version());
        m.put("Description", v.description());
        m.put("CreatedDate", LAST_MODIFIED.format(v.created()));
        if (!v.compatibleRuntimes().isEmpty()) m.put("CompatibleRuntimes", v.compatibleRuntimes());
        if (v.licenseInfo() != null) m.put("LicenseInfo", v.licenseInfo());
        if (!v.compatibleArchitectures().isEmpty()) m.put("CompatibleArchitectures", v.compatibleArchitectures());
        return m;
    }

    /** Marker/MaxItems paging over a full list (Marker is the index of the next item). */
    private static Map<String, Object> paged(List<Object> all, Map<String, Object> in, String member) {
        int start = 0;
        String marker = str(in, "Marker");
        if (marker != null) {
            try {
                start = Math.max(0, Integer.parseInt(marker));
            } catch (NumberFormatException e) {
                throw LambdaErrors.invalidParameter("Invalid marker: " + marker);
            }
        }
        int max = in.get("MaxItems") instanceof Number n ? n.intValue() : 50;
        int end = Math.min(all.size(), start + max);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(member, start >= all.size() ? List.of() : all.subList(start, end));
        if (end < all.size()) out.put("NextMarker", Integer.toString(end));
        return out;
    }

    // ------------------------------------------------------------------ parameter unpacking

    private static FunctionRef ref(RequestContext ctx, Map<String, Object> in) {
        return FunctionRef.parse(str(in, "FunctionName"), str(in, "Qualifier"), ctx.accountId(), ctx.region());
    }

    private static FunctionConfig.Changes changes(Map<String, Object> in) {
        Map<String, Object> envIn = map(in.get("Environment"));
        Map<String, String> vars = envIn == null ? null : envIn.containsKey("Variables") ? stringMap(envIn.get("Variables")) : Map.of();
        Map<String, Object> tracing = map(in.get("TracingConfig"));
        Map<String, Object> dlq = map(in.get("DeadLetterConfig"));
        Map<String, Object> storage = map(in.get("EphemeralStorage"));
        Map<String, Object> logging = map(in.get("LoggingConfig"));
        return new FunctionConfig.Changes(str(in, "Runtime"), str(in, "Role"), str(in, "Handler"), str(in, "Description"),
                (Integer) in.get("Timeout"), (Integer) in.get("MemorySize"), vars,
                in.containsKey("Layers") ? strings(in.get("Layers")) : null,
                storage == null ? null : (Integer) storage.get("Size"),
                tracing == null ? null : str(tracing, "Mode"),
                dlq == null ? null : (dlq.get("TargetArn") == null ? "" : str(dlq, "TargetArn")),
                str(in, "KMSKeyArn"),
                logging == null ? null : str(logging, "LogFormat"),
                logging == null ? null : str(logging, "LogGroup"));
    }

    private static Map<String, Double> weights(Map<String, Object> in) {
        Map<String, Object> routing = map(in.get("RoutingConfig"));
        if (routing == null) return null;
        Map<String, Object> w = map(routing.get("AdditionalVersionWeights"));
        if (w == null) return Map.of();
        Map<String, Double> out = new LinkedHashMap<>();
        w.forEach((k, v) -> out.put(k, v == null ? null : ((Number) v).doubleValue()));
        return out;
    }

    private static String destination(Map<String, Object> dest, String member) {
        if (dest == null) return null;
        Map<String, Object> d = map(dest.get(member));
        return d == null ? null : str(d, "Destination");
    }

    static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    private static int integer(Map<String, Object> in, String key) {
        Object v = in.get(key);
        if (v instanceof Number n) return n.intValue();
        throw LambdaErrors.invalidParameter(key + " is required.");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return out;
    }
}
