package dev.polystack.services.lambda;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.InternalRoute;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.api.model.TreeConverter;
import dev.polystack.services.lambda.executor.ContainerEngine;
import dev.polystack.services.lambda.executor.InvocationResult;
import dev.polystack.services.lambda.executor.ProcessExecutor;
import dev.polystack.services.lambda.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Lambda service on its generated typed interface ({@link LambdaApi}): reads each operation's request, calls the
 * engine ({@link LambdaEngine}, {@link Invoker}, {@link Layers}, {@link EventSourceMappings}, {@link FunctionUrls})
 * and builds its answer ({@link LambdaShapes}). No semantics live here.
 */
public final class LambdaProvider implements LambdaApi, ServiceProvider, Persistable {
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
        ContainerEngine containers = ContainerEngine.fromSetting(env.config().get("LAMBDA_CONTAINER_ENGINE"),
                env.config().gatewayPort());
        if (containers != null) containers.removeLeftovers();
        this.executor = new ProcessExecutor(data.resolve("runtime-clients"), env.scheduler(), keepAlive, containers);
        this.engine = new LambdaEngine(store, code, executor::retire, containers);
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
        List<LambdaSnapshot.PendingDto> pending = LambdaSnapshot.load(store, in, urls, mappings.progress, mappings::newProgress);
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

    /** The gateway hands over a parameter tree; the generated dispatch turns it into the typed calls below. */
    @Override
    public Map<String, Object> invoke(RequestContext ctx, String op, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, op, in);
    }

    // ------------------------------------------------------------------ functions

    @Override
    public FunctionConfiguration createFunction(RequestContext ctx, CreateFunctionRequest in) {
        FunctionCode codeIn = in.code();
        byte[] zip = codeIn == null ? null : codeIn.zipFile() != null ? codeIn.zipFile()
                : zipFromS3(ctx, codeIn.s3Bucket(), codeIn.s3Key(), codeIn.s3ObjectVersion());
        FunctionConfig.Changes settings = changes(in.runtimeAsString(), in.role(), in.handler(), in.description(),
                in.timeout(), in.memorySize(), in.environment(), in.layers(), in.ephemeralStorage(), in.tracingConfig(),
                in.deadLetterConfig(), in.kmsKeyArn(), in.loggingConfig(), in.imageConfig());
        layers.validate(settings.layers());
        LambdaEngine.NewFunction nf = new LambdaEngine.NewFunction(in.functionName(), in.packageTypeAsString(), zip,
                codeIn == null ? null : codeIn.imageUri(), settings, in.architecturesAsStrings(), Boolean.TRUE.equals(in.publish()), in.tags());
        LambdaEngine.Found f = engine.createFunction(ctx.accountId(), ctx.region(), nf);
        ctx.response().status(201);
        return LambdaShapes.configuration(f.version(), f.function(), true);
    }

    @Override
    public GetFunctionResponse getFunction(RequestContext ctx, GetFunctionRequest in) {
        LambdaEngine.Found f = engine.getFunction(ref(ctx, in.functionName(), in.qualifier()));
        GetFunctionResponse.Builder out = GetFunctionResponse.builder()
                .configuration(LambdaShapes.configuration(f.version(), f.function(), true))
                .code(codeLocation(f.version().code()));
        Map<String, String> tags = engine.tags(f.function());
        if (!tags.isEmpty()) out.tags(tags);
        Integer reserved = engine.getConcurrency(new FunctionRef(f.function().account, f.function().region, f.function().name, null));
        if (reserved != null) out.concurrency(Concurrency.builder().reservedConcurrentExecutions(reserved).build());
        return out.build();
    }

    @Override
    public FunctionConfiguration getFunctionConfiguration(RequestContext ctx, GetFunctionConfigurationRequest in) {
        LambdaEngine.Found f = engine.getFunction(ref(ctx, in.functionName(), in.qualifier()));
        return LambdaShapes.configuration(f.version(), f.function(), true);
    }

    @Override
    public FunctionConfiguration updateFunctionConfiguration(RequestContext ctx, UpdateFunctionConfigurationRequest in) {
        FunctionConfig.Changes changes = changes(in.runtimeAsString(), in.role(), in.handler(), in.description(),
                in.timeout(), in.memorySize(), in.environment(), in.layers(), in.ephemeralStorage(), in.tracingConfig(),
                in.deadLetterConfig(), in.kmsKeyArn(), in.loggingConfig(), in.imageConfig());
        layers.validate(changes.layers());
        LambdaEngine.Found f = engine.updateConfiguration(ref(ctx, in.functionName(), null), changes, in.revisionId());
        return LambdaShapes.configuration(f.version(), f.function(), true);
    }

    @Override
    public FunctionConfiguration updateFunctionCode(RequestContext ctx, UpdateFunctionCodeRequest in) {
        byte[] zip = in.zipFile() != null ? in.zipFile() : zipFromS3(ctx, in.s3Bucket(), in.s3Key(), in.s3ObjectVersion());
        LambdaEngine.Found f = engine.updateCode(ref(ctx, in.functionName(), null), zip, in.imageUri(), in.architecturesAsStrings(),
                Boolean.TRUE.equals(in.publish()), in.revisionId());
        return LambdaShapes.configuration(f.version(), f.function(), true);
    }

    @Override
    public DeleteFunctionResponse deleteFunction(RequestContext ctx, DeleteFunctionRequest in) {
        FunctionRef deleted = ref(ctx, in.functionName(), in.qualifier());
        engine.deleteFunction(deleted);
        if (deleted.qualifier() == null) urls.forget(deleted.account(), deleted.region(), deleted.name());
        ctx.response().status(204);
        return DeleteFunctionResponse.builder().statusCode(204).build();
    }

    @Override
    public ListFunctionsResponse listFunctions(RequestContext ctx, ListFunctionsRequest in) {
        List<FunctionConfiguration> all = new ArrayList<>();
        for (LambdaEngine.Found f : engine.listFunctions(ctx.accountId(), ctx.region(), "ALL".equals(in.functionVersionAsString()))) {
            all.add(LambdaShapes.configuration(f.version(), f.function(), false));
        }
        LambdaShapes.Page<FunctionConfiguration> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListFunctionsResponse.builder().functions(page.items()).nextMarker(page.nextMarker()).build();
    }

    /** Where GetFunction says the code is: the package's download URL, or an image function's image. */
    private FunctionCodeLocation codeLocation(CodeRef c) {
        if (c.isImage()) return FunctionCodeLocation.builder().repositoryType("ECR").imageUri(c.imageUri()).resolvedImageUri(c.resolvedImageUri()).build();
        return FunctionCodeLocation.builder().repositoryType("S3").location(codeUrlBase() + c.fileName()).build();
    }

    /** A package read from S3 through whichever provider serves S3. */
    private byte[] zipFromS3(RequestContext ctx, String bucket, String key, String version) {
        if (bucket == null || key == null) return null;
        return invoker.calls.packageFromS3(ctx.accountId(), ctx.region(), bucket, key, version);
    }

    private String codeUrlBase() {
        return env.config().externalScheme() + "://" + env.config().externalHost() + CODE_PATH;
    }

    // ------------------------------------------------------------------ invoke

    @Override
    public InvocationResponse invoke(RequestContext ctx, InvocationRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), in.qualifier());
        byte[] payload = in.payload() == null ? new byte[0] : in.payload();
        String type = in.invocationTypeAsString();
        if ("Event".equals(type)) {
            invoker.invokeAsync(ref, payload);
            ctx.response().status(202);
            return InvocationResponse.builder().statusCode(202).payload(new byte[0]).build();
        }
        if ("DryRun".equals(type)) {
            invoker.dryRun(ref, payload);
            ctx.response().status(204);
            return InvocationResponse.builder().statusCode(204).payload(new byte[0]).build();
        }
        Invoker.Outcome o = invoker.invokeSync(ref, payload, in.clientContext(), ctx.requestId());
        InvocationResult r = o.result();
        return InvocationResponse.builder()
                .statusCode(200)
                .functionError(r.functionError())
                .logResult("Tail".equals(in.logTypeAsString()) ? tail(r.log()) : null)
                .executedVersion(o.executedVersion())
                .payload(r.payload() == null ? new byte[0] : r.payload())
                .build();
    }

    /** The legacy InvokeAsync: queues an Event invocation, answers 202 {Status: 202}. */
    @Override
    public InvokeAsyncResponse invokeAsync(RequestContext ctx, InvokeAsyncRequest in) {
        byte[] args;
        try (InputStream body = in.invokeArgs() == null ? InputStream.nullInputStream() : in.invokeArgs().stream()) {
            args = body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        invoker.invokeAsync(ref(ctx, in.functionName(), null), args);
        ctx.response().status(202);
        return InvokeAsyncResponse.builder().status(202).build();
    }

    /** The last 4 KB of the log, base64 (cut at a line start where possible, as AWS's tail reads). */
    static String tail(String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int from = Math.max(0, bytes.length - 4096);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    }

    // ------------------------------------------------------------------ versions and aliases

    @Override
    public FunctionConfiguration publishVersion(RequestContext ctx, PublishVersionRequest in) {
        LambdaEngine.Found f = engine.publishVersion(ref(ctx, in.functionName(), null), in.codeSha256(), in.description(), in.revisionId());
        return LambdaShapes.configuration(f.version(), f.function(), true);
    }

    @Override
    public ListVersionsByFunctionResponse listVersionsByFunction(RequestContext ctx, ListVersionsByFunctionRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), null);
        LambdaEngine.Found f = engine.getFunction(ref);
        List<FunctionConfiguration> all = new ArrayList<>();
        for (FunctionVersion v : engine.listVersions(ref)) all.add(LambdaShapes.configuration(v, f.function(), false));
        LambdaShapes.Page<FunctionConfiguration> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListVersionsByFunctionResponse.builder().versions(page.items()).nextMarker(page.nextMarker()).build();
    }

    @Override
    public AliasConfiguration createAlias(RequestContext ctx, CreateAliasRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), null);
        ctx.response().status(201);
        return LambdaShapes.alias(engine.createAlias(ref, in.name(), in.functionVersion(), in.description(),
                weights(in.routingConfig())), engine.function(ref));
    }

    @Override
    public AliasConfiguration getAlias(RequestContext ctx, GetAliasRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), null);
        return LambdaShapes.alias(engine.getAlias(ref, in.name()), engine.function(ref));
    }

    @Override
    public AliasConfiguration updateAlias(RequestContext ctx, UpdateAliasRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), null);
        return LambdaShapes.alias(engine.updateAlias(ref, in.name(), in.functionVersion(), in.description(),
                weights(in.routingConfig()), in.revisionId()), engine.function(ref));
    }

    @Override
    public void deleteAlias(RequestContext ctx, DeleteAliasRequest in) {
        engine.deleteAlias(ref(ctx, in.functionName(), null), in.name());
        ctx.response().status(204);
    }

    @Override
    public ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), null);
        LambdaFunction fn = engine.function(ref);
        List<AliasConfiguration> all = LambdaShapes.each(engine.listAliases(ref, in.functionVersion()), fn, LambdaShapes::alias);
        LambdaShapes.Page<AliasConfiguration> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListAliasesResponse.builder().aliases(page.items()).nextMarker(page.nextMarker()).build();
    }

    /** An alias's routing: null to keep it, empty to clear it. */
    private static Map<String, Double> weights(AliasRoutingConfiguration routing) {
        if (routing == null) return null;
        return routing.additionalVersionWeights() == null ? Map.of() : routing.additionalVersionWeights();
    }

    // ------------------------------------------------------------------ permissions and tags

    @Override
    public AddPermissionResponse addPermission(RequestContext ctx, AddPermissionRequest in) {
        Map<String, Object> st = engine.addPermission(ref(ctx, in.functionName(), in.qualifier()), in.statementId(),
                in.action(), in.principal(), in.sourceArn(), in.sourceAccount(), in.revisionId(), in.principalOrgID(),
                in.functionUrlAuthTypeAsString());
        ctx.response().status(201);
        return AddPermissionResponse.builder().statement(Json.write(st)).build();
    }

    @Override
    public void removePermission(RequestContext ctx, RemovePermissionRequest in) {
        engine.removePermission(ref(ctx, in.functionName(), in.qualifier()), in.statementId(), in.revisionId());
        ctx.response().status(204);
    }

    @Override
    public GetPolicyResponse getPolicy(RequestContext ctx, GetPolicyRequest in) {
        Map<String, Object> p = engine.getPolicy(ref(ctx, in.functionName(), in.qualifier()));
        return GetPolicyResponse.builder().policy(Json.write(p.get("Policy"))).revisionId((String) p.get("RevisionId")).build();
    }

    @Override
    public void tagResource(RequestContext ctx, TagResourceRequest in) {
        engine.tag(engine.taggable(in.resource(), ctx.accountId(), ctx.region()), in.tags() == null ? Map.of() : in.tags());
        ctx.response().status(204);
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceRequest in) {
        engine.untag(engine.taggable(in.resource(), ctx.accountId(), ctx.region()), in.tagKeys() == null ? List.of() : in.tagKeys());
        ctx.response().status(204);
    }

    @Override
    public ListTagsResponse listTags(RequestContext ctx, ListTagsRequest in) {
        return ListTagsResponse.builder().tags(engine.tags(engine.taggable(in.resource(), ctx.accountId(), ctx.region()))).build();
    }

    // ------------------------------------------------------------------ concurrency

    @Override
    public Concurrency putFunctionConcurrency(RequestContext ctx, PutFunctionConcurrencyRequest in) {
        int reserved = engine.putConcurrency(ref(ctx, in.functionName(), null), required(in.reservedConcurrentExecutions(),
                "ReservedConcurrentExecutions"));
        return Concurrency.builder().reservedConcurrentExecutions(reserved).build();
    }

    @Override
    public GetFunctionConcurrencyResponse getFunctionConcurrency(RequestContext ctx, GetFunctionConcurrencyRequest in) {
        return GetFunctionConcurrencyResponse.builder()
                .reservedConcurrentExecutions(engine.getConcurrency(ref(ctx, in.functionName(), null))).build();
    }

    @Override
    public void deleteFunctionConcurrency(RequestContext ctx, DeleteFunctionConcurrencyRequest in) {
        engine.deleteConcurrency(ref(ctx, in.functionName(), null));
        ctx.response().status(204);
    }

    @Override
    public PutProvisionedConcurrencyConfigResponse putProvisionedConcurrencyConfig(RequestContext ctx,
                                                                                   PutProvisionedConcurrencyConfigRequest in) {
        int n = required(in.provisionedConcurrentExecutions(), "ProvisionedConcurrentExecutions");
        engine.putProvisionedConcurrency(ref(ctx, in.functionName(), in.qualifier()), n);
        ctx.response().status(202);
        return PutProvisionedConcurrencyConfigResponse.builder().requestedProvisionedConcurrentExecutions(n)
                .availableProvisionedConcurrentExecutions(n).allocatedProvisionedConcurrentExecutions(n)
                .status("READY").lastModified(LambdaShapes.timestamp(Instant.now())).build();
    }

    @Override
    public GetProvisionedConcurrencyConfigResponse getProvisionedConcurrencyConfig(RequestContext ctx,
                                                                                   GetProvisionedConcurrencyConfigRequest in) {
        int n = engine.getProvisionedConcurrency(ref(ctx, in.functionName(), in.qualifier()));
        return GetProvisionedConcurrencyConfigResponse.builder().requestedProvisionedConcurrentExecutions(n)
                .availableProvisionedConcurrentExecutions(n).allocatedProvisionedConcurrentExecutions(n)
                .status("READY").lastModified(LambdaShapes.timestamp(Instant.now())).build();
    }

    @Override
    public ListProvisionedConcurrencyConfigsResponse listProvisionedConcurrencyConfigs(RequestContext ctx,
                                                                                     ListProvisionedConcurrencyConfigsRequest in) {
        LambdaEngine.ProvisionedConcurrency all = engine.provisionedConcurrencies(ref(ctx, in.functionName(), null));
        List<ProvisionedConcurrencyConfigListItem> items = new ArrayList<>();
        all.byQualifier().forEach((qualifier, n) -> items.add(ProvisionedConcurrencyConfigListItem.builder()
                .functionArn(all.functionArn() + ":" + qualifier).requestedProvisionedConcurrentExecutions(n)
                .availableProvisionedConcurrentExecutions(n).allocatedProvisionedConcurrentExecutions(n)
                .status("READY").lastModified(LambdaShapes.timestamp(Instant.now())).build()));
        LambdaShapes.Page<ProvisionedConcurrencyConfigListItem> page = LambdaShapes.page(items, in.marker(), in.maxItems());
        return ListProvisionedConcurrencyConfigsResponse.builder().provisionedConcurrencyConfigs(page.items())
                .nextMarker(page.nextMarker()).build();
    }

    @Override
    public void deleteProvisionedConcurrencyConfig(RequestContext ctx, DeleteProvisionedConcurrencyConfigRequest in) {
        engine.deleteProvisionedConcurrency(ref(ctx, in.functionName(), in.qualifier()));
        ctx.response().status(204);
    }

    private static int required(Integer value, String member) {
        if (value == null) throw LambdaErrors.invalidParameter(member + " is required.");
        return value;
    }

    // ------------------------------------------------------------------ event invoke config

    @Override
    public FunctionEventInvokeConfig putFunctionEventInvokeConfig(RequestContext ctx, PutFunctionEventInvokeConfigRequest in) {
        return putEventInvokeConfig(ref(ctx, in.functionName(), in.qualifier()), in.maximumRetryAttempts(),
                in.maximumEventAgeInSeconds(), in.destinationConfig(), false);
    }

    @Override
    public FunctionEventInvokeConfig updateFunctionEventInvokeConfig(RequestContext ctx, UpdateFunctionEventInvokeConfigRequest in) {
        return putEventInvokeConfig(ref(ctx, in.functionName(), in.qualifier()), in.maximumRetryAttempts(),
                in.maximumEventAgeInSeconds(), in.destinationConfig(), true);
    }

    private FunctionEventInvokeConfig putEventInvokeConfig(FunctionRef ref, Integer retries, Integer maxAge,
                                                           DestinationConfig dest, boolean merge) {
        String onSuccess = dest == null || dest.onSuccess() == null ? null : dest.onSuccess().destination();
        String onFailure = dest == null || dest.onFailure() == null ? null : dest.onFailure().destination();
        EventInvokeConfig c = engine.putEventInvokeConfig(ref, retries, maxAge, onSuccess, onFailure, merge);
        return LambdaShapes.eventInvokeConfig(c, engine.function(ref), ref.qualifier());
    }

    @Override
    public FunctionEventInvokeConfig getFunctionEventInvokeConfig(RequestContext ctx, GetFunctionEventInvokeConfigRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), in.qualifier());
        return LambdaShapes.eventInvokeConfig(engine.getEventInvokeConfig(ref), engine.function(ref), ref.qualifier());
    }

    @Override
    public void deleteFunctionEventInvokeConfig(RequestContext ctx, DeleteFunctionEventInvokeConfigRequest in) {
        engine.deleteEventInvokeConfig(ref(ctx, in.functionName(), in.qualifier()));
        ctx.response().status(204);
    }

    @Override
    public ListFunctionEventInvokeConfigsResponse listFunctionEventInvokeConfigs(RequestContext ctx,
                                                                                 ListFunctionEventInvokeConfigsRequest in) {
        FunctionRef ref = ref(ctx, in.functionName(), null);
        LambdaFunction fn = engine.function(ref);
        List<FunctionEventInvokeConfig> all = new ArrayList<>();
        for (var e : engine.listEventInvokeConfigs(ref)) {
            all.add(LambdaShapes.eventInvokeConfig(e.getValue(), fn, e.getKey().isEmpty() ? null : e.getKey()));
        }
        LambdaShapes.Page<FunctionEventInvokeConfig> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListFunctionEventInvokeConfigsResponse.builder().functionEventInvokeConfigs(page.items())
                .nextMarker(page.nextMarker()).build();
    }

    // ------------------------------------------------------------------ account

    @Override
    public GetAccountSettingsResponse getAccountSettings(RequestContext ctx, GetAccountSettingsRequest in) {
        long[] usage = engine.accountUsage(ctx.accountId(), ctx.region());
        return GetAccountSettingsResponse.builder()
                .accountLimit(AccountLimit.builder().totalCodeSize(80_530_636_800L).codeSizeUnzipped(CodeStore.MAX_UNZIPPED)
                        .codeSizeZipped(52_428_800L).concurrentExecutions(LambdaEngine.ACCOUNT_CONCURRENCY)
                        .unreservedConcurrentExecutions((int) usage[2]).build())
                .accountUsage(AccountUsage.builder().totalCodeSize(usage[0]).functionCount(usage[1]).build())
                .build();
    }

    // ------------------------------------------------------------------ layers

    @Override
    public PublishLayerVersionResponse publishLayerVersion(RequestContext ctx, PublishLayerVersionRequest in) {
        LayerVersionContentInput content = in.content();
        byte[] zip = content == null ? null : content.zipFile() != null ? content.zipFile()
                : zipFromS3(ctx, content.s3Bucket(), content.s3Key(), content.s3ObjectVersion());
        LayerVersion v = layers.publish(ctx.accountId(), ctx.region(), in.layerName(), zip, in.description(),
                in.compatibleRuntimesAsStrings(), in.compatibleArchitecturesAsStrings(), in.licenseInfo());
        ctx.response().status(201);
        // AWS answers PublishLayerVersion with the same members as GetLayerVersion: one builder, converted
        return TreeConverter.fromTree(PublishLayerVersionResponse.SHAPE,
                TreeConverter.toTree(GetLayerVersionResponse.SHAPE, layerVersion(v)));
    }

    @Override
    public GetLayerVersionResponse getLayerVersion(RequestContext ctx, GetLayerVersionRequest in) {
        return layerVersion(layers.get(ctx.accountId(), ctx.region(), in.layerName(), version(in.versionNumber())));
    }

    @Override
    public GetLayerVersionResponse getLayerVersionByArn(RequestContext ctx, GetLayerVersionByArnRequest in) {
        return layerVersion(layers.byArn(in.arn()));
    }

    private GetLayerVersionResponse layerVersion(LayerVersion v) {
        return GetLayerVersionResponse.builder()
                .content(LambdaShapes.layerContent(v, codeUrlBase())).layerArn(v.layerArn()).layerVersionArn(v.arn())
                .description(v.description()).createdDate(LambdaShapes.timestamp(v.created())).version((long) v.version())
                .compatibleRuntimes(v.compatibleRuntimes().isEmpty() ? null : v.compatibleRuntimes())
                .licenseInfo(v.licenseInfo())
                .compatibleArchitectures(v.compatibleArchitectures().isEmpty() ? null : v.compatibleArchitectures())
                .build();
    }

    @Override
    public void deleteLayerVersion(RequestContext ctx, DeleteLayerVersionRequest in) {
        layers.delete(ctx.accountId(), ctx.region(), in.layerName(), version(in.versionNumber()));
        ctx.response().status(204);
    }

    @Override
    public ListLayerVersionsResponse listLayerVersions(RequestContext ctx, ListLayerVersionsRequest in) {
        List<LayerVersionsListItem> all = new ArrayList<>();
        for (LayerVersion v : layers.versions(ctx.accountId(), ctx.region(), in.layerName())) {
            if (in.compatibleRuntimeAsString() == null || v.compatibleRuntimes().contains(in.compatibleRuntimeAsString())) {
                all.add(LambdaShapes.layerVersionItem(v));
            }
        }
        LambdaShapes.Page<LayerVersionsListItem> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListLayerVersionsResponse.builder().layerVersions(page.items()).nextMarker(page.nextMarker()).build();
    }

    @Override
    public ListLayersResponse listLayers(RequestContext ctx, ListLayersRequest in) {
        List<LayersListItem> all = new ArrayList<>();
        for (LayerVersion v : layers.latest(ctx.accountId(), ctx.region())) {
            all.add(LayersListItem.builder().layerName(v.name()).layerArn(v.layerArn())
                    .latestMatchingVersion(LambdaShapes.layerVersionItem(v)).build());
        }
        LambdaShapes.Page<LayersListItem> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListLayersResponse.builder().layers(page.items()).nextMarker(page.nextMarker()).build();
    }

    @Override
    public AddLayerVersionPermissionResponse addLayerVersionPermission(RequestContext ctx, AddLayerVersionPermissionRequest in) {
        Map<String, Object> added = layers.addPermission(ctx.accountId(), ctx.region(), in.layerName(),
                version(in.versionNumber()), in.statementId(), in.action(), in.principal(), in.organizationId(), in.revisionId());
        ctx.response().status(201);
        return AddLayerVersionPermissionResponse.builder().statement(Json.write(added.get("Statement")))
                .revisionId((String) added.get("RevisionId")).build();
    }

    @Override
    public void removeLayerVersionPermission(RequestContext ctx, RemoveLayerVersionPermissionRequest in) {
        layers.removePermission(ctx.accountId(), ctx.region(), in.layerName(), version(in.versionNumber()),
                in.statementId(), in.revisionId());
        ctx.response().status(204);
    }

    @Override
    public GetLayerVersionPolicyResponse getLayerVersionPolicy(RequestContext ctx, GetLayerVersionPolicyRequest in) {
        Map<String, Object> p = layers.policy(ctx.accountId(), ctx.region(), in.layerName(), version(in.versionNumber()));
        return GetLayerVersionPolicyResponse.builder().policy(Json.write(p.get("Policy")))
                .revisionId((String) p.get("RevisionId")).build();
    }

    private static int version(Long number) {
        return required(number == null ? null : number.intValue(), "VersionNumber");
    }

    // ------------------------------------------------------------------ event source mappings

    @Override
    public EventSourceMappingConfiguration createEventSourceMapping(RequestContext ctx, CreateEventSourceMappingRequest in) {
        ctx.response().status(202);
        return mappings.view(mappings.create(ctx, in));
    }

    @Override
    public EventSourceMappingConfiguration getEventSourceMapping(RequestContext ctx, GetEventSourceMappingRequest in) {
        return mappings.view(mappings.get(ctx, in.uuid()));
    }

    @Override
    public EventSourceMappingConfiguration updateEventSourceMapping(RequestContext ctx, UpdateEventSourceMappingRequest in) {
        ctx.response().status(202);
        return mappings.view(mappings.update(ctx, in));
    }

    @Override
    public EventSourceMappingConfiguration deleteEventSourceMapping(RequestContext ctx, DeleteEventSourceMappingRequest in) {
        ctx.response().status(202);
        return mappings.view(mappings.delete(ctx, in.uuid()));
    }

    @Override
    public ListEventSourceMappingsResponse listEventSourceMappings(RequestContext ctx, ListEventSourceMappingsRequest in) {
        List<EventSourceMappingConfiguration> all = new ArrayList<>();
        for (EventSourceMapping m : mappings.list(ctx, in.eventSourceArn(), in.functionName())) all.add(mappings.view(m));
        LambdaShapes.Page<EventSourceMappingConfiguration> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListEventSourceMappingsResponse.builder().eventSourceMappings(page.items()).nextMarker(page.nextMarker()).build();
    }

    // ------------------------------------------------------------------ function URLs

    @Override
    public CreateFunctionUrlConfigResponse createFunctionUrlConfig(RequestContext ctx, CreateFunctionUrlConfigRequest in) {
        FunctionUrls.UrlConfig c = urls.create(ref(ctx, in.functionName(), in.qualifier()), in.authTypeAsString(),
                in.cors(), in.invokeModeAsString());
        ctx.response().status(201);
        return CreateFunctionUrlConfigResponse.builder().functionUrl(urls.url(c)).functionArn(urls.functionArn(c))
                .authType(c.authType()).cors(c.cors()).creationTime(c.created().toString()).build();
    }

    @Override
    public GetFunctionUrlConfigResponse getFunctionUrlConfig(RequestContext ctx, GetFunctionUrlConfigRequest in) {
        FunctionUrls.UrlConfig c = urls.get(ref(ctx, in.functionName(), in.qualifier()));
        return GetFunctionUrlConfigResponse.builder().functionUrl(urls.url(c)).functionArn(urls.functionArn(c))
                .authType(c.authType()).cors(c.cors()).creationTime(c.created().toString())
                .lastModifiedTime(c.lastModified().toString()).invokeMode(c.invokeMode()).build();
    }

    @Override
    public UpdateFunctionUrlConfigResponse updateFunctionUrlConfig(RequestContext ctx, UpdateFunctionUrlConfigRequest in) {
        FunctionUrls.UrlConfig c = urls.update(ref(ctx, in.functionName(), in.qualifier()), in.authTypeAsString(),
                in.cors(), in.invokeModeAsString());
        return UpdateFunctionUrlConfigResponse.builder().functionUrl(urls.url(c)).functionArn(urls.functionArn(c))
                .authType(c.authType()).cors(c.cors()).creationTime(c.created().toString())
                .lastModifiedTime(c.lastModified().toString()).build();
    }

    @Override
    public void deleteFunctionUrlConfig(RequestContext ctx, DeleteFunctionUrlConfigRequest in) {
        urls.delete(ref(ctx, in.functionName(), in.qualifier()));
        ctx.response().status(204);
    }

    @Override
    public ListFunctionUrlConfigsResponse listFunctionUrlConfigs(RequestContext ctx, ListFunctionUrlConfigsRequest in) {
        List<FunctionUrlConfig> all = new ArrayList<>();
        for (FunctionUrls.UrlConfig c : urls.list(ref(ctx, in.functionName(), null))) {
            all.add(FunctionUrlConfig.builder().functionUrl(urls.url(c)).functionArn(urls.functionArn(c))
                    .authType(c.authType()).cors(c.cors()).creationTime(c.created().toString())
                    .lastModifiedTime(c.lastModified().toString()).invokeMode(c.invokeMode()).build());
        }
        LambdaShapes.Page<FunctionUrlConfig> page = LambdaShapes.page(all, in.marker(), in.maxItems());
        return ListFunctionUrlConfigsResponse.builder().functionUrlConfigs(page.items()).nextMarker(page.nextMarker()).build();
    }

    // ------------------------------------------------------------------ parameters

    private static FunctionRef ref(RequestContext ctx, String functionName, String qualifier) {
        return FunctionRef.parse(functionName, qualifier, ctx.accountId(), ctx.region());
    }

    /**
     * The settings CreateFunction and UpdateFunctionConfiguration share; a member the request leaves out is null
     * (kept), an empty environment or dead-letter target clears it.
     */
    private static FunctionConfig.Changes changes(String runtime, String role, String handler, String description,
                                                  Integer timeout, Integer memorySize, Environment environment,
                                                  List<String> layerArns, EphemeralStorage storage, TracingConfig tracing,
                                                  DeadLetterConfig dlq, String kmsKeyArn, LoggingConfig logging,
                                                  ImageConfig image) {
        Map<String, String> vars = environment == null ? null
                : environment.variables() == null ? Map.of() : environment.variables();
        return new FunctionConfig.Changes(runtime, role, handler, description, timeout, memorySize, vars, layerArns,
                storage == null ? null : storage.size(),
                tracing == null ? null : tracing.modeAsString(),
                dlq == null ? null : (dlq.targetArn() == null ? "" : dlq.targetArn()),
                kmsKeyArn,
                logging == null ? null : logging.logFormatAsString(),
                logging == null ? null : logging.logGroup(),
                image == null ? null : new FunctionConfig.ImageSettings(image.entryPoint(), image.command(), image.workingDirectory()));
    }
}
