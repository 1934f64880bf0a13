package dev.polystack.bridge;

import dev.polystack.api.Config;
import org.graalvm.polyglot.Engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * One GraalPy {@link Engine} per JVM and a small pool of {@link PythonInterpreter}s (contexts) on it,
 * all created on first need: nothing of GraalPy is loaded while no Python-hosted service is used.
 *
 * <p>Interpreter 0 hosts every moto service: moto keeps its state in module globals, and its services
 * reach each other through them (SES → SNS, ...), so they must share one interpreter. Providers of
 * kind {@code python} are spread over the pool so they can run in parallel with moto.
 */
public final class PythonRuntime {
    private static final System.Logger LOG = System.getLogger(PythonRuntime.class.getName());
    private static volatile PythonRuntime shared;

    private final PythonSettings settings;
    private final PythonInterpreter[] pool;
    private final AtomicInteger nextPython = new AtomicInteger();
    private volatile Engine engine;
    private volatile Path pythonServices;

    PythonRuntime(PythonSettings settings) {
        this.settings = settings;
        this.pool = new PythonInterpreter[settings.contexts()];
    }

    /** The JVM's runtime (settings from the first caller's configuration). Creating it loads nothing. */
    public static PythonRuntime shared(Config config) {
        PythonRuntime r = shared;
        if (r == null) {
            synchronized (PythonRuntime.class) {
                r = shared;
                if (r == null) shared = r = new PythonRuntime(PythonSettings.from(config));
            }
        }
        return r;
    }

    PythonSettings settings() {
        return settings;
    }

    /** The interpreter that hosts all moto services. */
    PythonInterpreter motoInterpreter() {
        return interpreter(0);
    }

    /** An interpreter for a {@code python}-kind provider: round-robin over the pool (skipping moto's when possible). */
    PythonInterpreter providerInterpreter() {
        int n = pool.length;
        int index = n == 1 ? 0 : 1 + Math.floorMod(nextPython.getAndIncrement(), n - 1);
        return interpreter(index);
    }

    private synchronized PythonInterpreter interpreter(int index) {
        PythonInterpreter p = pool[index];
        if (p == null) pool[index] = p = new PythonInterpreter(this, index);
        return p;
    }

    /** The shared engine, built on first use. */
    Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    long t0 = System.nanoTime();
                    if (!settings.optimizingJit()) JitDirectives.keepGraalPyOnQuickCompiler(settings.bytecodeCache());
                    engine = e = Engine.newBuilder("python")
                            .option("engine.WarnInterpreterOnly", "false")
                            .build();
                    LOG.log(Level.INFO, "GraalPy engine built in {0} ms", (System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
        return e;
    }

    /** The folder holding the {@code polystack_bridge} package: {@code $POLYSTACK_HOME/python-services}, else extracted from this jar. */
    Path pythonServices() {
        Path p = pythonServices;
        if (p == null) {
            synchronized (this) {
                p = pythonServices;
                if (p == null) pythonServices = p = findPythonServices();
            }
        }
        return p;
    }

    private Path findPythonServices() {
        Path onDisk = settings.home().resolve("python-services");
        if (Files.isDirectory(onDisk.resolve("polystack_bridge"))) return onDisk;
        try {
            Path location = Path.of(PythonRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) return location.resolve("python-services");
            return extract(location, settings.bytecodeCache().resolve("python-services"));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot find python-services: set POLYSTACK_HOME", e);
        }
    }

    /** Copies the jar's python-services/ into a folder keyed by the jar's timestamp (once per build). */
    private static Path extract(Path jar, Path parent) throws IOException {
        Path target = parent.resolve(Long.toHexString(Files.getLastModifiedTime(jar).toMillis()));
        if (Files.isDirectory(target.resolve("polystack_bridge"))) return target;
        Path tmp = Files.createDirectories(parent).resolve(target.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try (JarFile file = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().startsWith("python-services/")) continue;
                Path out = tmp.resolve(entry.getName().substring("python-services/".length()));
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!Files.isDirectory(target)) throw new UncheckedIOException(raced);
        }
        return target;
    }

    /**
     * Python's module search path for a new interpreter: our adapters, extra provider folders, localstack-core and
     * its dependencies when installed (vendor/localstack), moto's site-packages (before vendor/python so moto runs
     * with the dependency versions it was installed with), then vendor/python.
     */
    List<Path> pythonPath() {
        List<Path> path = new ArrayList<>();
        path.add(pythonServices());
        path.addAll(settings.extraPath());
        if (settings.localstackInstalled()) path.add(settings.vendorLocalStack());
        Path moto = motoPath();
        if (moto != null && !moto.equals(settings.vendorPython())) path.add(moto);
        if (Files.isDirectory(settings.vendorPython())) path.add(settings.vendorPython());
        return path;
    }

    private volatile Object motoLocation; // Path, or the RuntimeException saying why moto is missing

    /** moto's site-packages, located once; null when moto is not installed (see {@link #motoProblem()}). */
    Path motoPath() {
        Object m = motoLocation;
        if (m == null) {
            synchronized (this) {
                m = motoLocation;
                if (m == null) {
                    try {
                        m = MotoLocator.locate(settings);
                    } catch (RuntimeException e) {
                        m = e;
                    }
                    motoLocation = m;
                }
            }
        }
        return m instanceof Path p ? p : null;
    }

    /** Why LocalStack's providers cannot be used, or null. */
    String localstackProblem() {
        return settings.localstackInstalled() ? null
                : "localstack-core is not installed: run ./polystack vendor localstack (see README, LocalStack providers)";
    }

    /** Why moto cannot be used, or null. */
    String motoProblem() {
        return motoPath() == null ? ((RuntimeException) motoLocation).getMessage() : null;
    }
}
