package dev.polystack.bridge;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared set-up for tests that run Python: one runtime per test JVM (imports are the slow part). */
final class BridgeTestSupport {
    static final Path HOME = findHome();
    private static PythonRuntime runtime;

    private BridgeTestSupport() {
    }

    static synchronized PythonRuntime runtime() {
        if (runtime == null) {
            PythonSettings settings = new PythonSettings(HOME, System.getenv("POLYSTACK_MOTO_PATH"),
                    List.of(HOME.resolve("tests/python_providers")),
                    Map.of("sqs", "polystack_test_provider:TinySqsProvider"),
                    Path.of(System.getProperty("user.home"), ".cache", "polystack", "graalpy"), 1, 600, false, false, java.util.Set.of(), java.util.Set.of());
            runtime = new PythonRuntime(settings);
        }
        return runtime;
    }

    static RequestContext context(String region, String method, String path, Map<String, String> headers, String body) {
        return new RequestContext("000000000000", region, null, "req-1", "test",
                HttpRequestData.of(method, path, headers, body.getBytes(StandardCharsets.UTF_8)));
    }

    private static Path findHome() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("python-services/polystack_bridge"))) return p;
        }
        throw new IllegalStateException("python-services not found above " + Path.of("").toAbsolutePath());
    }
}
