package dev.polystack.bridge;

import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A service served by Python code in a GraalPy interpreter. Its readiness, as shown in
 * {@code /_localstack/health}: {@code available} (not loaded yet) → {@code starting} (imports run in
 * the background) → {@code running}, or {@code error} (the reason is logged and sent with every
 * request's error). A request arriving while the service starts waits a bounded time, then gets
 * {@code ServiceUnavailable} (503, retried by AWS SDKs); nothing waits forever.
 */
abstract class PythonHostedProvider implements ServiceProvider {
    private static final System.Logger LOG = System.getLogger(PythonHostedProvider.class.getName());

    protected final String service;
    protected final PythonInterpreter interpreter;
    private final int startTimeoutSeconds;
    private volatile CompletableFuture<Value> started;
    private volatile String state = "available";
    private volatile String failure;

    PythonHostedProvider(String service, PythonInterpreter interpreter) {
        this.service = service;
        this.interpreter = interpreter;
        this.startTimeoutSeconds = interpreter.runtime().settings().startTimeoutSeconds();
    }

    @Override
    public String service() {
        return service;
    }

    @Override
    public String state() {
        return state;
    }

    /** Imports the Python side and returns the object that serves requests. Runs on the interpreter's start thread. */
    protected abstract Value load();

    /** Starts loading in the background if not started yet; returns at once. */
    final CompletableFuture<Value> startAsync() {
        CompletableFuture<Value> f = started;
        if (f != null) return f;
        synchronized (this) {
            if (started != null) return started;
            state = "starting";
            long t0 = System.nanoTime();
            // The state is set inside the future's chain, so a caller woken by its completion sees it.
            started = f = interpreter.submit(this::load).whenComplete((host, error) -> {
                if (error == null) {
                    state = "running";
                    LOG.log(Level.INFO, "{0} ({1}) running after {2} ms", service, kind(), (System.nanoTime() - t0) / 1_000_000);
                } else {
                    failure = describe(error instanceof java.util.concurrent.CompletionException ? error.getCause() : error);
                    state = "error";
                    LOG.log(Level.ERROR, "{0} ({1}) failed to start: {2}", service, kind(), failure);
                }
            });
        }
        return f;
    }

    /** The started Python host, waiting at most the start timeout. */
    protected final Value host() {
        CompletableFuture<Value> f = startAsync();
        Value host = f.getNow(null);
        if (host != null) return host;
        try {
            return f.get(startTimeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ServiceException("ServiceUnavailable", "Service '" + service + "' is starting (loading its "
                    + kind() + " provider in Python); retry shortly", 503, false);
        } catch (ExecutionException e) {
            throw new ServiceException("ServiceUnavailable", "Service '" + service + "' failed to start with provider '"
                    + kind() + "': " + failure + ". Choose another with PROVIDER_OVERRIDE_"
                    + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), 503, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("ServiceUnavailable", "interrupted while service '" + service + "' starts", 503, false);
        }
    }

    abstract String kind();

    /** A Python failure inside a request: logged with its traceback, answered as AWS InternalError. */
    protected final ServiceException internalError(String operation, String summary, String details) {
        LOG.log(Level.ERROR, "{0} ({1}) {2} failed in Python: {3}", service, kind(), operation, details);
        return new ServiceException("InternalError", "exception while calling " + service + "." + operation
                + ": " + firstLine(summary), 500, false);
    }

    static String describe(Throwable error) {
        if (error instanceof PolyglotException pe && pe.isGuestException()) {
            StringBuilder sb = new StringBuilder(String.valueOf(pe.getMessage()));
            for (PolyglotException.StackFrame frame : pe.getPolyglotStackTrace()) {
                if (frame.isGuestFrame()) sb.append("\n    at ").append(frame);
            }
            return sb.toString();
        }
        return String.valueOf(error);
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        // The interpreter is shared by several services; the JVM's exit ends it.
    }
}
