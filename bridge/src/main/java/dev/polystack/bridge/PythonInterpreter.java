package dev.polystack.bridge;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * One GraalPy context of the pool. Built on first use, on this interpreter's own start-up thread,
 * which also runs every service start (imports) so they never block request threads. Requests call
 * into the context from any thread; GraalPy's GIL serializes them.
 */
final class PythonInterpreter {
    private static final System.Logger LOG = System.getLogger(PythonInterpreter.class.getName());

    private final PythonRuntime runtime;
    private final int index;
    private final ExecutorService starter;
    private volatile Context context;
    private Value importModule;

    PythonInterpreter(PythonRuntime runtime, int index) {
        this.runtime = runtime;
        this.index = index;
        this.starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "polystack-python-" + index);
            t.setDaemon(true);
            return t;
        });
    }

    PythonRuntime runtime() {
        return runtime;
    }

    /** Runs a start-up task (imports) on this interpreter's start-up thread. */
    <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        starter.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** {@code importlib.import_module(name)}; builds the context first if needed. */
    Value importModule(String name) {
        ensureContext();
        return importModule.execute(name);
    }

    private synchronized void ensureContext() {
        if (context != null) return;
        long t0 = System.nanoTime();
        PythonSettings settings = runtime.settings();
        String path = runtime.pythonPath().stream().map(Path::toString).collect(Collectors.joining(":"));
        Context.Builder builder = Context.newBuilder("python")
                .engine(runtime.engine())
                .allowAllAccess(true)
                .option("python.PythonPath", path)
                .option("python.ForceImportSite", "false")
                .option("python.WarnExperimentalFeatures", "false");
        try {
            // Bytecode cache: GraalPy re-parses every module on each JVM start unless told to write .pyc
            // files; with a cache folder the second start imports moto several times faster.
            Files.createDirectories(settings.bytecodeCache());
            builder.option("python.DontWriteBytecodeFlag", "false")
                    .option("python.PyCachePrefix", settings.bytecodeCache().resolve("pycache").toString());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "no bytecode cache ({0}): Python imports will be slower", e.toString());
        }
        Context c = builder.build();
        c.eval("python", "import polystack_bridge.shims as _s; _s.apply()");
        importModule = c.eval("python", "import importlib; importlib.import_module");
        context = c;
        LOG.log(Level.INFO, "GraalPy context {0} ready in {1} ms (path {2})", index, (System.nanoTime() - t0) / 1_000_000, path);
    }

    void close() {
        starter.shutdownNow();
        Context c = context;
        if (c != null) {
            try {
                c.close(true);
            } catch (RuntimeException ignored) {
                // shutting down anyway
            }
        }
    }
}
