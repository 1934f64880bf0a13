package dev.polystack.services.lambda.executor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs functions in local processes, without Docker (and {@code PackageType: Image} functions in containers of the
 * configured {@link ContainerEngine}). Environments are pooled per configuration and code
 * ({@link LaunchSpec#executionKey()}): an invocation takes a warm idle one, or starts a new one while the function
 * is below its concurrency; idle environments stop after the keep-alive.
 */
public final class ProcessExecutor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.polystack.services.lambda.functions");

    private final Runtimes runtimes;
    /** Runs image functions; null when no container engine is configured. */
    private final ContainerEngine containers;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentHashMap<String, Pool> pools = new ConcurrentHashMap<>();
    private final long keepAliveNanos;
    private final ScheduledFuture<?> reaper;

    /**
     * @param clientDir   where the runtime clients are unpacked
     * @param keepAliveMs how long an idle environment stays warm
     * @param containers  the engine for image functions, or null
     */
    public ProcessExecutor(Path clientDir, ScheduledExecutorService scheduler, long keepAliveMs, ContainerEngine containers) {
        this.runtimes = new Runtimes(clientDir);
        this.containers = containers;
        this.scheduler = scheduler;
        this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMs);
        long period = Math.max(100, Math.min(keepAliveMs / 2, 5_000));
        this.reaper = scheduler.scheduleWithFixedDelay(this::stopIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs one invocation and waits for its end.
     *
     * @throws ConcurrencyLimitException   when every environment the function may have is busy
     * @throws RuntimeUnavailableException when the runtime cannot run on this machine
     */
    public InvocationResult invoke(LaunchSpec spec, String requestId, byte[] payload, String invokedArn, String clientContext) {
        Pool pool = pools.computeIfAbsent(spec.executionKey(), k -> new Pool(spec));
        ExecutionEnvironment env = pool.acquire();
        if (env == null) return invalidEntrypoint(requestId, spec);
        try {
            return env.invoke(new Invocation(requestId, payload, invokedArn, clientContext));
        } finally {
            pool.release(env);
        }
    }

    /** Stops the environments of every configuration of a function whose key starts with {@code prefix}. */
    public void retire(String prefix) {
        for (Map.Entry<String, Pool> e : pools.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                pools.remove(e.getKey(), e.getValue());
                e.getValue().retire();
            }
        }
    }

    /** How many environments run now (all functions). */
    public int environments() {
        int n = 0;
        for (Pool p : pools.values()) n += p.size();
        return n;
    }

    @Override
    public void close() {
        reaper.cancel(false);
        for (Pool p : pools.values()) p.retire();
        pools.clear();
        handlers.shutdownNow();
    }

    private void stopIdle() {
        long now = System.nanoTime();
        for (Pool p : pools.values()) p.stopIdleSince(now - keepAliveNanos);
    }

    private static InvocationResult invalidEntrypoint(String requestId, LaunchSpec spec) {
        String payload = "{\"errorType\":\"Runtime.InvalidEntrypoint\",\"errorMessage\":\"RequestId: " + requestId
                + " Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]\"}";
        return new InvocationResult(payload.getBytes(StandardCharsets.UTF_8), "Unhandled", "Runtime.InvalidEntrypoint",
                "START RequestId: " + requestId + " Version: " + spec.version() + "\nEND RequestId: " + requestId + "\n");
    }

    /** The environments of one configuration: idle ones (most recently used first) and how many exist. */
    private final class Pool {
        private final LaunchSpec spec;
        private final ArrayDeque<ExecutionEnvironment> idle = new ArrayDeque<>();
        private int count;
        private boolean retired;

        Pool(LaunchSpec spec) {
            this.spec = spec;
        }

        /** A warm idle environment, else a new one; null when the runtime has no entry point (provided). */
        ExecutionEnvironment acquire() {
            synchronized (this) {
                while (!idle.isEmpty()) {
                    ExecutionEnvironment env = idle.pollFirst();
                    if (env.alive()) return env;
                    count--;
                }
                if (count >= spec.maxEnvironments()) throw new ConcurrencyLimitException();
                count++;
            }
            try {
                if (spec.image() != null) {
                    if (containers == null) throw new RuntimeUnavailableException("No container engine is configured for PackageType Image.");
                    return ExecutionEnvironment.start(spec, null, containers, scheduler, handlers, this::debug);
                }
                List<String> command = runtimes.command(spec);
                if (command == null) {
                    synchronized (this) {
                        count--;
                    }
                    return null;
                }
                return ExecutionEnvironment.start(spec, command, null, scheduler, handlers, this::debug);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    count--;
                }
                if (e instanceof IOException io) throw new UncheckedIOException(io);
                throw (RuntimeException) e;
            }
        }

        void release(ExecutionEnvironment env) {
            boolean stop;
            synchronized (this) {
                stop = retired || !env.alive();
                if (stop) {
                    count--;
                } else {
                    env.idleSinceNanos = System.nanoTime();
                    idle.addFirst(env);
                }
            }
            if (stop) env.stop();
        }

        void stopIdleSince(long limitNanos) {
            List<ExecutionEnvironment> stale = new ArrayList<>();
            synchronized (this) {
                idle.removeIf(env -> {
                    if (env.idleSinceNanos - limitNanos < 0 || !env.alive()) {
                        stale.add(env);
                        return true;
                    }
                    return false;
                });
                count -= stale.size();
            }
            stale.forEach(ExecutionEnvironment::stop);
        }

        void retire() {
            List<ExecutionEnvironment> all;
            synchronized (this) {
                retired = true;
                all = new ArrayList<>(idle);
                count -= idle.size();
                idle.clear();
            }
            all.forEach(ExecutionEnvironment::stop);
        }

        synchronized int size() {
            return count;
        }

        private void debug(String line) {
            LOG.log(System.Logger.Level.DEBUG, () -> spec.functionName() + ": " + line);
        }
    }
}
