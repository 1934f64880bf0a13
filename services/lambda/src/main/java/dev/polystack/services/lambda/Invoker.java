package dev.polystack.services.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.lambda.executor.ConcurrencyLimitException;
import dev.polystack.services.lambda.executor.ContainerImage;
import dev.polystack.services.lambda.executor.InvocationResult;
import dev.polystack.services.lambda.executor.LaunchSpec;
import dev.polystack.services.lambda.executor.ProcessExecutor;
import dev.polystack.services.lambda.executor.RuntimeUnavailableException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The invocation path: synchronous, asynchronous (with retries and destinations) and dry-run invocations, payload
 * limits, the environment a function sees, and where its logs go.
 */
final class Invoker {
    static final int SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
    /** AWS raised the asynchronous limit from 256 KB to 1 MB (botocore's Invoke documentation says 1 MB). */
    static final int ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
    /** AWS answers a larger response with a function error naming 6291556 bytes (recorded from AWS). */
    static final int RESPONSE_LIMIT = 6 * 1024 * 1024 + 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(Invoker.class.getName());

    private final LambdaEngine engine;
    private final ProcessExecutor executor;
    private final CodeStore code;
    private final Layers layers;
    private final ProviderEnvironment env;
    private final InvocationLogs logs;
    final ServiceCalls calls;
    private final long retryBaseDelayMs;
    private final ConcurrentHashMap<String, Map<String, String>> credentials = new ConcurrentHashMap<>();
    /** Asynchronous invocations not finished yet, by request id: saved with the state and resumed after a restore. */
    private final ConcurrentHashMap<String, PendingEvent> pending = new ConcurrentHashMap<>();

    /** A queued asynchronous invocation: its next attempt (1 first) is due at {@code due}. */
    record PendingEvent(FunctionRef ref, byte[] payload, String requestId, Instant received, int attempt, Instant due) {
        PendingEvent retry(long delayMs) {
            return new PendingEvent(ref, payload, requestId, received, attempt + 1, Instant.now().plusMillis(delayMs));
        }
    }

    Invoker(LambdaEngine engine, ProcessExecutor executor, CodeStore code, Layers layers, ProviderEnvironment env,
            InvocationLogs logs) {
        this.engine = engine;
        this.executor = executor;
        this.code = code;
        this.layers = layers;
        this.env = env;
        this.logs = logs;
        this.calls = new ServiceCalls(env);
        this.retryBaseDelayMs = env.config().integer("LAMBDA_RETRY_BASE_DELAY_SECONDS", 60) * 1000L;
    }

    /** A finished synchronous invocation and the version that ran. */
    record Outcome(InvocationResult result, String executedVersion) {
    }

    /** A synchronous invocation; its request id is the API request's, as on AWS (the function's context shows it). */
    Outcome invokeSync(FunctionRef ref, byte[] payload, String clientContext, String requestId) {
        if (payload.length > SYNC_PAYLOAD_LIMIT) {
            throw LambdaErrors.requestTooLarge("Request must be smaller than " + SYNC_PAYLOAD_LIMIT + " bytes for the InvokeFunction operation");
        }
        checkJson(payload);
        LambdaEngine.Found found = engine.resolveForInvoke(ref);
        InvocationResult r = run(found, ref, requestId == null ? UUID.randomUUID().toString() : requestId, payload,
                clientContext, true);
        return new Outcome(r, found.version().version());
    }

    /** Validates and queues an Event invocation; it runs in the background with the function's retry settings. */
    String invokeAsync(FunctionRef ref, byte[] payload) {
        if (payload.length > ASYNC_PAYLOAD_LIMIT) {
            throw LambdaErrors.requestTooLarge("Request must be smaller than " + ASYNC_PAYLOAD_LIMIT + " bytes for the InvokeFunction operation");
        }
        checkJson(payload);
        engine.resolveForInvoke(ref);
        String requestId = UUID.randomUUID().toString();
        PendingEvent event = new PendingEvent(ref, payload, requestId, Instant.now(), 1, Instant.now());
        pending.put(requestId, event);
        Thread.ofVirtual().name("lambda-async-" + ref.name()).start(() -> runAsync(event));
        return requestId;
    }

    /** The asynchronous invocations not finished yet (for the snapshot). */
    List<PendingEvent> pendingEvents() {
        return List.copyOf(pending.values());
    }

    /** Queues restored asynchronous invocations again, each at the time its next attempt was due. */
    void resume(List<PendingEvent> events) {
        for (PendingEvent e : events) {
            pending.put(e.requestId(), e);
            long delay = Math.max(0, e.due().toEpochMilli() - System.currentTimeMillis());
            env.scheduler().schedule(() -> Thread.ofVirtual().start(() -> runAsync(e)), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** A queued invocation is done (or given up): it leaves the saved state too. */
    private void forget(PendingEvent e) {
        if (pending.remove(e.requestId(), e)) env.stateChanged("lambda");
    }

    /** Forgets every queued asynchronous invocation (state reset or replaced by a restore). */
    void dropPending() {
        pending.clear();
    }

    /** DryRun: the function and version exist and the payload is acceptable. */
    String dryRun(FunctionRef ref, byte[] payload) {
        checkJson(payload);
        return engine.resolveForInvoke(ref).version().version();
    }

    /** One attempt of a queued invocation; on failure the next one is queued, or the event given up (destination). */
    private void runAsync(PendingEvent e) {
        if (pending.get(e.requestId()) != e) return; // reset, or restored anew, meanwhile
        FunctionRef ref = e.ref();
        LambdaEngine.Found found;
        try {
            found = engine.resolveForInvoke(ref);
        } catch (ServiceException ex) {
            forget(e);
            return; // deleted meanwhile: nothing to run, as on AWS
        }
        EventInvokeConfig config = engine.eventInvokeConfigFor(found.function(), ref.qualifier());
        InvocationResult r;
        try {
            r = run(found, ref, e.requestId(), e.payload(), null, false);
        } catch (ServiceException ex) {
            // throttled or unavailable: AWS keeps the event and tries again later (up to the maximum event age)
            LOG.log(System.Logger.Level.DEBUG, "async invoke of " + found.function().arn() + " failed: " + ex.getMessage());
            r = null;
        }
        int maxRetries = config != null && config.maximumRetryAttempts() != null ? config.maximumRetryAttempts() : 2;
        int maxAge = config != null && config.maximumEventAgeInSeconds() != null ? config.maximumEventAgeInSeconds() : 21600;
        if (r != null && !r.failed()) {
            forget(e);
            if (config != null && config.onSuccess() != null) {
                deliver(found, config.onSuccess(), e.requestId(), e.payload(), r, "Success", e.attempt());
            }
            return;
        }
        long delay = retryBaseDelayMs * e.attempt();
        boolean expired = Instant.now().plusMillis(delay).isAfter(e.received().plusSeconds(maxAge));
        if (e.attempt() <= maxRetries && !expired) {
            PendingEvent next = e.retry(delay);
            if (!pending.replace(e.requestId(), e, next)) return;
            env.stateChanged("lambda"); // the next attempt's number and time are saved
            env.scheduler().schedule(() -> Thread.ofVirtual().start(() -> runAsync(next)), delay, TimeUnit.MILLISECONDS);
            return;
        }
        forget(e);
        if (config != null && config.onFailure() != null) {
            deliver(found, config.onFailure(), e.requestId(), e.payload(), r, expired ? "EventAgeExceeded" : "RetriesExhausted", e.attempt());
        } else if (found.version().config().deadLetterTargetArn() != null) {
            deadLetter(found, found.version().config().deadLetterTargetArn(), e.requestId(), e.payload(), r);
        }
    }

    /** Runs an invocation in an environment of the version; throttling and missing runtimes become AWS errors. */
    InvocationResult run(LambdaEngine.Found found, FunctionRef ref, String requestId, byte[] payload,
                         String clientContext, boolean sync) {
        LaunchSpec spec = launchSpec(found);
        String invokedArn = ref.qualifier() == null ? found.function().arn() : found.function().arn() + ":" + ref.qualifier();
        InvocationResult r;
        try {
            r = executor.invoke(spec, requestId, payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload,
                    invokedArn, clientContext);
        } catch (ConcurrencyLimitException e) {
            throw LambdaErrors.tooManyRequests("ReservedFunctionConcurrentInvocationLimitExceeded");
        } catch (RuntimeUnavailableException e) {
            throw new ServiceException("InvalidRuntimeException", e.getMessage(), 502).with("Type", "User");
        }
        if (!r.failed() && r.payload() != null && r.payload().length > RESPONSE_LIMIT) {
            String msg = "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (" + RESPONSE_LIMIT
                    + " bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}";
            r = new InvocationResult(msg.getBytes(StandardCharsets.UTF_8), "Unhandled", "Function.ResponseSizeTooLarge", r.log());
        }
        logs.write(found.function(), found.version().version(), spec.environment().get("AWS_LAMBDA_LOG_STREAM_NAME"), r.log());
        return r;
    }

    // ------------------------------------------------------------------ the environment a function sees

    LaunchSpec launchSpec(LambdaEngine.Found found) {
        LambdaFunction fn = found.function();
        FunctionVersion v = found.version();
        FunctionConfig c = v.config();
        Path taskRoot = code.unpacked(v.code());
        Path opt = layers.optDirectory(c.layers(), fn.account, fn.region);
        boolean image = v.code().isImage();
        Map<String, String> e = new LinkedHashMap<>();
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        // an image keeps its own PATH; its code and layers are where AWS puts them (/var/task, /opt)
        if (!image) e.put("PATH", opt == null ? path : opt.resolve("bin") + ":" + path);
        e.put("LANG", "en_US.UTF-8");
        e.put("TZ", ":UTC");
        e.put("LAMBDA_TASK_ROOT", image ? "/var/task" : taskRoot.toString());
        e.put("LAMBDA_RUNTIME_DIR", image ? "/var/runtime" : taskRoot.toString());
        e.put("_HANDLER", c.handler() == null ? "" : c.handler());
        if (!image) e.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + c.runtime());
        e.put("AWS_LAMBDA_FUNCTION_NAME", fn.name);
        e.put("AWS_LAMBDA_FUNCTION_VERSION", v.version());
        e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(c.memorySize()));
        e.put("AWS_LAMBDA_LOG_GROUP_NAME", c.logGroup());
        e.put("AWS_LAMBDA_LOG_STREAM_NAME", LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/["
                + v.version() + "]" + UUID.randomUUID().toString().replace("-", ""));
        e.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        e.put("AWS_REGION", fn.region);
        e.put("AWS_DEFAULT_REGION", fn.region);
        e.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + env.config().gatewayPort());
        e.put("PYTHONUNBUFFERED", "1");
        e.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        e.putAll(roleCredentials(fn, c.role()));
        if (opt != null && !image) {
            e.put("PYTHONPATH", opt.resolve("python") + ":" + opt.resolve("python/lib/" + pythonDir(c.runtime()) + "/site-packages"));
            e.put("NODE_PATH", opt.resolve("nodejs/node_modules") + ":" + opt.resolve("nodejs/" + nodeDir(c.runtime()) + "/node_modules"));
            e.put("LD_LIBRARY_PATH", opt.resolve("lib").toString());
            e.put("POLYSTACK_LAMBDA_OPT", opt.toString());
        }
        if (c.environment() != null) e.putAll(c.environment());
        Integer reserved;
        synchronized (fn) {
            reserved = fn.reservedConcurrency;
        }
        int max = reserved != null ? reserved : LambdaEngine.ACCOUNT_CONCURRENCY;
        return new LaunchSpec(v.executionKey(), fn.name, fn.arn(), v.version(), c.runtime(), c.handler(), c.timeout(),
                c.memorySize(), taskRoot, opt, Map.copyOf(e), max, !image ? null : new ContainerImage(v.code().imageUri(),
                c.image() == null ? null : c.image().entryPoint(), c.image() == null ? null : c.image().command(),
                c.image() == null ? null : c.image().workingDirectory()));
    }

    private static String pythonDir(String runtime) {
        return runtime != null && runtime.startsWith("python") ? runtime : "python3";
    }

    private static String nodeDir(String runtime) {
        return runtime != null && runtime.startsWith("nodejs") ? "node" + runtime.substring(6, runtime.indexOf('.')) : "node";
    }

    /** The execution role's temporary credentials from STS (cached for 50 minutes), else LocalStack's test keys. */
    private Map<String, String> roleCredentials(LambdaFunction fn, String role) {
        String key = fn.account + "|" + fn.region + "|" + role;
        Map<String, String> cached = credentials.get(key);
        if (cached != null && Long.parseLong(cached.get("expires")) > System.currentTimeMillis()) return strip(cached);
        Map<String, String> assumed = calls.assumeRole(fn.account, fn.region, role, fn.name.length() > 64 ? fn.name.substring(0, 64) : fn.name);
        Map<String, String> creds = new LinkedHashMap<>(assumed != null ? assumed
                : Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_SESSION_TOKEN", "test"));
        creds.put("expires", Long.toString(System.currentTimeMillis() + 50 * 60_000L));
        credentials.put(key, creds);
        return strip(creds);
    }

    private static Map<String, String> strip(Map<String, String> creds) {
        Map<String, String> out = new LinkedHashMap<>(creds);
        out.remove("expires");
        return out;
    }

    // ------------------------------------------------------------------ destinations

    private void deliver(LambdaEngine.Found found, String destination, String requestId, byte[] payload,
                         InvocationResult r, String condition, int attempts) {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().toString());
        ObjectNode rc = record.putObject("requestContext");
        rc.put("requestId", requestId);
        rc.put("functionArn", found.function().arn() + ":" + found.version().version());
        rc.put("condition", condition);
        rc.put("approximateInvokeCount", attempts);
        record.set("requestPayload", parseOrText(payload));
        ObjectNode resp = record.putObject("responseContext");
        resp.put("statusCode", 200);
        resp.put("executedVersion", found.version().version());
        if (r != null && r.failed()) resp.put("functionError", r.functionError());
        record.set("responsePayload", r == null ? JSON.nullNode() : parseOrText(r.payload()));
        String body = record.toString();
        boolean success = condition.equals("Success");
        calls.send(found.function(), destination, body, success);
    }

    private void deadLetter(LambdaEngine.Found found, String target, String requestId, byte[] payload, InvocationResult r) {
        calls.send(found.function(), target, new String(payload, StandardCharsets.UTF_8), false);
    }

    private static JsonNode parseOrText(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** AWS refuses a payload that is not JSON, with Jackson's own words. */
    static void checkJson(byte[] payload) {
        if (payload.length == 0) return;
        try {
            JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw LambdaErrors.user("InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: "
                    + e.getOriginalMessage() + "\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: "
                    + (e.getLocation() == null ? 1 : e.getLocation().getLineNr()) + ", column: "
                    + (e.getLocation() == null ? 1 : e.getLocation().getColumnNr()) + "]", 400);
        } catch (java.io.IOException e) {
            throw LambdaErrors.user("InvalidRequestContentException", "Could not parse request body into json: " + e.getMessage(), 400);
        }
    }

    static Config config(ProviderEnvironment env) {
        return env.config();
    }
}
