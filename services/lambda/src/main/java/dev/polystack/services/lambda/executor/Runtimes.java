package dev.polystack.services.lambda.executor;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * How each Lambda runtime is started as a local process: the machine's {@code python3} or {@code node} with this
 * project's small runtime client for the language, or the function's own {@code bootstrap} for OS-only runtimes.
 */
final class Runtimes {
    private final Path clientDir;

    /** Extracts the runtime clients (resources of this module) into {@code clientDir}. */
    Runtimes(Path clientDir) {
        this.clientDir = clientDir;
        extract("python/bootstrap.py");
        extract("node/bootstrap.js");
        for (String name : JAVA_CLIENT_CLASSES) {
            copy("/" + JAVA_CLIENT_PACKAGE + "/" + name + ".class", clientDir.resolve("java/" + JAVA_CLIENT_PACKAGE + "/" + name + ".class"));
        }
    }

    /** The Java runtime client's classes (src/main/runtime-java, compiled for release 17). */
    private static final String JAVA_CLIENT_PACKAGE = "dev/polystack/lambda/runtime";
    private static final List<String> JAVA_CLIENT_CLASSES = List.of("JavaRuntime", "JavaRuntime$Handler",
            "JavaRuntime$InitError", "JavaRuntime$ContextValues", "Json");

    /** The command that starts an environment of {@code spec}'s runtime. */
    List<String> command(LaunchSpec spec) {
        String runtime = spec.runtime() == null ? "" : spec.runtime();
        if (runtime.startsWith("python")) {
            return List.of(interpreter("python3", runtime, "import sys; print(sys.executable)"), "-X", "utf8", clientDir.resolve("python/bootstrap.py").toString());
        }
        if (runtime.startsWith("nodejs")) {
            return List.of(interpreter("node", runtime, "console.log(process.execPath)"), clientDir.resolve("node/bootstrap.js").toString());
        }
        if (runtime.startsWith("java")) {
            return javaCommand(spec, runtime);
        }
        if (runtime.startsWith("provided")) {
            List<Path> candidates = new ArrayList<>(List.of(spec.taskRoot().resolve("bootstrap")));
            if (spec.optDir() != null) candidates.add(spec.optDir().resolve("bootstrap"));
            for (Path p : candidates) {
                if (Files.isRegularFile(p)) return List.of(p.toString());
            }
            return null; // the caller reports Runtime.InvalidEntrypoint like AWS
        }
        throw new RuntimeUnavailableException("Polystack runs Python, Node.js, Java and OS-only (provided) functions as local "
                + "processes; the runtime " + runtime + " is not supported by its process executor.");
    }

    /**
     * A JVM of the runtime's major version or newer, started the way AWS starts Java functions for a quick start
     * (C1 only, serial GC, heap from the memory size), with the client, the code and its {@code lib/} jars (and a
     * layer's {@code java/lib}) on the class path.
     */
    private List<String> javaCommand(LaunchSpec spec, String runtime) {
        int major;
        try {
            major = Integer.parseInt(runtime.substring(4).replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            throw new RuntimeUnavailableException("Unknown Java runtime " + runtime);
        }
        Path java = Jdks.find(major).orElseThrow(() -> new RuntimeUnavailableException("Cannot run a " + runtime
                + " function: no Java " + major + " or newer was found on the machine running Polystack (JAVA_HOME, "
                + "/usr/lib/jvm, the PATH). Install one to run this runtime."));
        StringBuilder cp = new StringBuilder(clientDir.resolve("java").toString());
        cp.append(File.pathSeparator).append(spec.taskRoot()).append(File.pathSeparator).append(spec.taskRoot().resolve("lib/*"));
        if (spec.optDir() != null) cp.append(File.pathSeparator).append(spec.optDir().resolve("java/lib/*"));
        int heap = Math.max(64, spec.memorySize() * 85 / 100);
        return List.of(java.toString(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-Xmx" + heap + "m", "-Dfile.encoding=UTF-8", "-cp", cp.toString(),
                "dev.polystack.lambda.runtime.JavaRuntime");
    }

    private final java.util.concurrent.ConcurrentHashMap<String, String> interpreters = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The interpreter's real executable, asked once ({@code script} prints it): the {@code python3} or {@code node}
     * on the PATH is often a version manager's shim (pyenv, nvm, asdf), a shell script that costs hundreds of
     * milliseconds on every cold start.
     */
    private String interpreter(String name, String runtime, String script) {
        String onPath = binary(name, runtime);
        return interpreters.computeIfAbsent(onPath, p -> {
            Path answer = null;
            try {
                answer = Files.createTempFile("polystack-interpreter", ".txt");
                Process probe = new ProcessBuilder(p, name.equals("node") ? "-e" : "-c", script)
                        .redirectErrorStream(true).redirectOutput(answer.toFile()).start();
                probe.getOutputStream().close();
                if (!probe.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) probe.destroyForcibly();
                else if (probe.exitValue() == 0) {
                    String out = Files.readString(answer).trim();
                    if (!out.isEmpty() && !out.contains("\n") && Files.isExecutable(Path.of(out))) return out;
                }
            } catch (IOException | RuntimeException e) {
                // keep the one on the PATH
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (answer != null) answer.toFile().delete();
            }
            return p;
        });
    }

    /** The absolute path of {@code name} on the PATH, or a clear error naming what is missing. */
    private static String binary(String name, String runtime) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) return candidate.toString();
            }
        }
        throw new RuntimeUnavailableException("Cannot run a " + runtime + " function: '" + name
                + "' was not found on the PATH of the machine running Polystack. Install it to run this runtime.");
    }

    private void extract(String resource) {
        copy("/dev/polystack/services/lambda/runtime/" + resource, clientDir.resolve(resource));
    }

    private static void copy(String resource, Path target) {
        try (InputStream in = Runtimes.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing runtime client resource " + resource);
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "client", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
