package dev.polystack.services.lambda.executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One execution environment: a local process of the function's runtime and the Lambda Runtime API it talks to
 * ({@code /2018-06-01/runtime/...} on a loopback port of its own, passed as {@code AWS_LAMBDA_RUNTIME_API}).
 * It runs one invocation at a time; the pool hands it out. A timeout, a crash or an init error ends it.
 */
final class ExecutionEnvironment {
    /** Printed by the runtime clients after an invocation's output, before they post its answer. */
    static final String END_MARKER = "\u001ePOLYSTACK_END ";
    private static final Invocation POISON = new Invocation("", new byte[0], "", null);
    private static final System.Logger LOG = System.getLogger(ExecutionEnvironment.class.getName());

    final LaunchSpec spec;
    /** Whether this project's runtime client runs here (it prints the end-of-output marker); false for a bootstrap. */
    private final boolean ownClient;
    final String id = UUID.randomUUID().toString().replace("-", "");
    private final ScheduledExecutorService scheduler;
    private final Consumer<String> debugLog;
    private final HttpServer server;
    private final LinkedBlockingQueue<Invocation> inbox = new LinkedBlockingQueue<>();
    private final StringBuilder initOutput = new StringBuilder();
    private final long startNanos = System.nanoTime();
    private volatile Process process;
    /** The engine running this environment's container ({@code PackageType: Image}), else null. */
    private volatile ContainerEngine container;
    private volatile Thread outputReader;
    private volatile Invocation current;
    private volatile boolean dead;
    /** Set before a timeout kills the process, so the exit is not also reported as a crash. */
    private volatile boolean timedOut;
    private volatile long initNanos = -1;
    private boolean initReported;
    volatile long idleSinceNanos = System.nanoTime();

    private ExecutionEnvironment(LaunchSpec spec, ScheduledExecutorService scheduler, ExecutorService handlers,
                                 Consumer<String> debugLog) throws IOException {
        this.spec = spec;
        this.ownClient = spec.image() == null && (spec.runtime() == null || !spec.runtime().startsWith("provided"));
        this.scheduler = scheduler;
        this.debugLog = debugLog;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/2018-06-01/runtime/", this::handle);
        server.start();
    }

    /**
     * Starts the runtime process, or with {@code container} the function's image in a container (the engine's
     * process then stands for it: its output is the container's); it will ask for its first invocation when it has
     * loaded.
     */
    static ExecutionEnvironment start(LaunchSpec spec, List<String> command, ContainerEngine container,
                                      ScheduledExecutorService scheduler, ExecutorService handlers,
                                      Consumer<String> debugLog) throws IOException {
        ExecutionEnvironment env = new ExecutionEnvironment(spec, scheduler, handlers, debugLog);
        try {
            String runtimeApi = "127.0.0.1:" + env.server.getAddress().getPort();
            ProcessBuilder pb;
            if (container != null) {
                env.container = container;
                // the engine's own process keeps the host's environment; the function's goes to the container
                pb = new ProcessBuilder(container.runCommand(spec, container.containerName(env.id), runtimeApi));
            } else {
                pb = new ProcessBuilder(command);
                pb.environment().clear();
                pb.environment().putAll(spec.environment());
                pb.environment().put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
            }
            pb.directory(spec.taskRoot().toFile()).redirectErrorStream(true);
            env.process = pb.start();
        } catch (IOException e) {
            env.server.stop(0);
            throw e;
        }
        env.process.getOutputStream().close();
        // A platform thread: reading a process pipe blocks in native code, which pins a virtual thread's carrier
        // for as long as the runtime lives (the JDK does not compensate pipe reads); a few warm functions would
        // otherwise hold every carrier and freeze the whole gateway.
        env.outputReader = Thread.ofPlatform().daemon().name("lambda-output-" + spec.functionName()).start(env::readOutput);
        env.process.onExit().thenRun(env::exited);
        return env;
    }

    boolean alive() {
        return !dead;
    }

    /** Runs one invocation to its end (answer, error, timeout, crash); never throws for the function's faults. */
    InvocationResult invoke(Invocation inv) {
        if (dead) return crashResult(inv, "Runtime exited without providing a reason");
        inbox.add(inv);
        // The handler's own timer starts when the runtime takes the event; this guard only covers a runtime that
        // never asks for it (stuck in initialisation): AWS allows 10 s of init on top of the timeout.
        long guardMillis = spec.timeoutSeconds() * 1000L + 10_000L + 2_000L;
        try {
            return inv.result.get(guardMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            timeout(inv);
            return inv.result.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return crashResult(inv, "Runtime exited without providing a reason");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops the process (and what it started; a container through its engine) and the Runtime API. */
    void stop() {
        dead = true;
        inbox.offer(POISON);
        Process p = process;
        ContainerEngine engine = container;
        if (engine != null) engine.kill(engine.containerName(id)); // the engine's client going does not stop the container
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        server.stop(0);
    }

    // ------------------------------------------------------------------ Runtime API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/2018-06-01/runtime/".length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                answer(exchange, path.substring("invocation/".length(), path.length() - "/response".length()), null);
            } else if (method.equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                answer(exchange, path.substring("invocation/".length(), path.length() - "/error".length()),
                        type == null ? "Unhandled" : type);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError(exchange);
            } else {
                send(exchange, 404, "{\"errorMessage\":\"Unknown Runtime API path\",\"errorType\":\"InvalidRequest\"}");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation inv;
        try {
            inv = inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (inv == POISON || dead) {
            inbox.offer(POISON);
            return;
        }
        if (initNanos < 0) initNanos = System.nanoTime() - startNanos;
        synchronized (this) {
            String pending = initOutput.toString();
            initOutput.setLength(0);
            if (!pending.isEmpty()) inv.log.append(pending);
            current = inv;
        }
        inv.deliveredNanos = System.nanoTime();
        inv.deadlineMillis = System.currentTimeMillis() + spec.timeoutSeconds() * 1000L;
        ScheduledFuture<?> timer = scheduler.schedule(() -> Thread.ofVirtual().start(() -> timeout(inv)),
                spec.timeoutSeconds() * 1000L, TimeUnit.MILLISECONDS);
        inv.result.whenComplete((r, t) -> timer.cancel(false));
        var headers = exchange.getResponseHeaders();
        headers.set("Lambda-Runtime-Aws-Request-Id", inv.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(inv.deadlineMillis));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", inv.invokedArn);
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + inv.requestId.replace("-", "").substring(0, 24) + ";Sampled=0");
        if (inv.clientContext != null) headers.set("Lambda-Runtime-Client-Context", inv.clientContext);
        headers.set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, inv.payload.length == 0 ? -1 : inv.payload.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(inv.payload);
        }
    }

    private void answer(HttpExchange exchange, String requestId, String errorType) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Invocation inv = current;
        if (inv == null || !inv.requestId.equals(requestId)) {
            send(exchange, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
            return;
        }
        send(exchange, 202, "{\"status\":\"OK\"}");
        // a custom runtime (provided.*) prints no end marker: its answer ends the invocation
        if (!ownClient) inv.outputEnded();
        if (inv.answer(body, errorType)) finish(inv);
    }

    private void initError(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        send(exchange, 202, "{\"status\":\"OK\"}");
        dead = true;
        // the invocation waiting for this environment gets the init error, as on AWS
        Invocation inv = current != null ? current : inbox.poll();
        if (inv == null || inv == POISON) return;
        synchronized (this) {
            if (initOutput.length() > 0) inv.log.insert(0, initOutput);
            initOutput.setLength(0);
            current = inv;
        }
        if (inv.answer(body, type == null ? "Runtime.Unknown" : type)) finish(inv);
        // the runtime client exits after reporting; make sure its output is read, then end the environment
        scheduler.schedule(() -> {
            if (!inv.result.isDone()) {
                inv.outputEnded();
                finish(inv);
            }
            stop();
        }, 1, TimeUnit.SECONDS);
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ------------------------------------------------------------------ output, endings

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                int marker = line.indexOf(END_MARKER);
                if (marker >= 0) {
                    if (marker > 0) output(line.substring(0, marker));
                    String requestId = line.substring(marker + END_MARKER.length()).trim();
                    Invocation inv = current;
                    if (inv != null && inv.requestId.equals(requestId) && inv.outputEnded()) finish(inv);
                    continue;
                }
                output(line);
            }
        } catch (IOException e) {
            // the process ended: exited() reports it
        }
    }

    private void output(String line) {
        debugLog.accept(line);
        Invocation inv = current;
        if (inv != null && !inv.result.isDone()) {
            inv.appendLog(line);
        } else {
            synchronized (this) {
                if (initOutput.length() < 64 * 1024) initOutput.append(line).append('\n');
            }
        }
    }

    private void exited() {
        dead = true;
        Thread reader = outputReader;
        if (reader != null) {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int code = process.exitValue();
        Invocation inv = current;
        if (inv == null) inv = inbox.poll();
        if (inv != null && inv != POISON && !inv.result.isDone() && !timedOut && inv.answered()) {
            // answered (an init error, or a response) before exiting: the answer stands, its output is all read
            inv.outputEnded();
            finish(inv);
        } else if (inv != null && inv != POISON && !inv.result.isDone() && !timedOut) {
            synchronized (this) {
                if (initOutput.length() > 0) inv.log.insert(0, initOutput);
                initOutput.setLength(0);
            }
            String reason = code == 0 ? "Runtime exited without providing a reason"
                    : code > 128 ? "Runtime exited with error: signal: " + signalName(code - 128)
                    : "Runtime exited with error: exit status " + code;
            inv.result.complete(crashResult(inv, reason));
        }
        server.stop(0);
        inbox.offer(POISON);
    }

    private void timeout(Invocation inv) {
        if (inv.result.isDone()) return;
        timedOut = true;
        stop();
        Thread reader = outputReader;
        if (reader != null) {
            try {
                reader.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String seconds = String.format(Locale.ROOT, "%.2f", (double) spec.timeoutSeconds());
        inv.appendLog(Instant.now() + " " + inv.requestId + " Task timed out after " + seconds + " seconds");
        byte[] payload = ("{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: " + inv.requestId
                + " Error: Task timed out after " + seconds + " seconds\"}").getBytes(StandardCharsets.UTF_8);
        inv.result.complete(new InvocationResult(payload, "Unhandled", "Sandbox.Timedout", framedLog(inv, inv.logText())));
    }

    private InvocationResult crashResult(Invocation inv, String reason) {
        inv.appendLog("RequestId: " + inv.requestId + " Error: " + reason);
        inv.appendLog("Runtime.ExitError");
        byte[] payload = ("{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: " + inv.requestId
                + " Error: " + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        return new InvocationResult(payload, "Unhandled", "Runtime.ExitError", framedLog(inv, inv.logText()));
    }

    private void finish(Invocation inv) {
        if (inv.result.isDone()) return;
        String type = inv.answerErrorType();
        synchronized (this) {
            if (current == inv) current = null;
        }
        idleSinceNanos = System.nanoTime();
        byte[] body = inv.answerBody();
        inv.result.complete(new InvocationResult(body, type == null ? null : "Unhandled", type, framedLog(inv, inv.logText())));
    }

    /** START, the function's output, END and REPORT, as AWS writes them to the log stream. */
    private String framedLog(Invocation inv, String output) {
        long nanos = inv.deliveredNanos == 0 ? 0 : System.nanoTime() - inv.deliveredNanos;
        double ms = nanos / 1e6;
        StringBuilder s = new StringBuilder(output.length() + 256);
        s.append("START RequestId: ").append(inv.requestId).append(" Version: ").append(spec.version()).append('\n');
        s.append(output);
        s.append("END RequestId: ").append(inv.requestId).append('\n');
        s.append("REPORT RequestId: ").append(inv.requestId)
                .append(String.format(Locale.ROOT, "\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t",
                        ms, (long) Math.ceil(ms), spec.memorySize(), spec.memorySize()));
        synchronized (this) {
            if (!initReported && initNanos >= 0) {
                initReported = true;
                s.append(String.format(Locale.ROOT, "Init Duration: %.2f ms\t", initNanos / 1e6));
            }
        }
        s.append('\n');
        return s.toString();
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 6 -> "aborted";
            case 9 -> "killed";
            case 11 -> "segmentation fault";
            case 15 -> "terminated";
            default -> "signal " + signal;
        };
    }

    @Override
    public String toString() {
        return "environment " + id + " of " + spec.functionArn() + ":" + spec.version();
    }

    static System.Logger log() {
        return LOG;
    }
}
