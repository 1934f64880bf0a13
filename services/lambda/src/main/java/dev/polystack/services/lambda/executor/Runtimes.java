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
    }

    /** The command that starts an environment of {@code spec}'s runtime. */
    List<String> command(LaunchSpec spec) {
        String runtime = spec.runtime() == null ? "" : spec.runtime();
        if (runtime.startsWith("python")) {
            return List.of(binary("python3", runtime), "-X", "utf8", clientDir.resolve("python/bootstrap.py").toString());
        }
        if (runtime.startsWith("nodejs")) {
            return List.of(binary("node", runtime), clientDir.resolve("node/bootstrap.js").toString());
        }
        if (runtime.startsWith("provided")) {
            List<Path> candidates = new ArrayList<>(List.of(spec.taskRoot().resolve("bootstrap")));
            if (spec.optDir() != null) candidates.add(spec.optDir().resolve("bootstrap"));
            for (Path p : candidates) {
                if (Files.isRegularFile(p)) return List.of(p.toString());
            }
            return null; // the caller reports Runtime.InvalidEntrypoint like AWS
        }
        throw new RuntimeUnavailableException("Polystack runs Python, Node.js and OS-only (provided) functions as local "
                + "processes; the runtime " + runtime + " is not supported by its process executor.");
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
        Path target = clientDir.resolve(resource);
        try (InputStream in = Runtimes.class.getResourceAsStream("/dev/polystack/services/lambda/runtime/" + resource)) {
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
