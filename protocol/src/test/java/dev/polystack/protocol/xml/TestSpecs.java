package dev.polystack.protocol.xml;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.RequestContext;
import dev.polystack.protocol.model.ModelLoader;
import dev.polystack.protocol.model.ServiceModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Real botocore specifications for tests (found by walking up to {@code vendor/python/botocore/data}). */
public final class TestSpecs {
    private static final Map<String, ServiceModel> MODELS = new ConcurrentHashMap<>();

    private TestSpecs() {
    }

    public static ServiceModel model(String service) {
        return MODELS.computeIfAbsent(service, TestSpecs::load);
    }

    private static ServiceModel load(String service) {
        Path dir = dataDir().resolve(service);
        try (Stream<Path> versions = Files.list(dir)) {
            Path latest = versions.filter(Files::isDirectory).max(Comparator.comparing(Path::toString)).orElseThrow();
            Path spec = latest.resolve("service-2.json");
            if (!Files.exists(spec)) spec = latest.resolve("service-2.json.gz");
            return ModelLoader.load(service, spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dataDir() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("vendor/python/botocore/data");
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("no vendor/python/botocore/data above " + Paths.get("").toAbsolutePath());
    }

    /** A form POST as botocore sends query requests. */
    public static HttpRequestData form(String body) {
        return HttpRequestData.of("POST", "/", Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static RequestContext context(HttpRequestData request) {
        return new RequestContext("000000000000", "us-east-1", "test", "req-1", null, request);
    }
}
