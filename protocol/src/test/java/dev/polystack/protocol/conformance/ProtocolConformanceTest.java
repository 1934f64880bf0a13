package dev.polystack.protocol.conformance;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * AWS's Smithy protocol tests, server side, for all seven protocols. Prints a pass table and writes it to
 * {@code target/conformance/}. Known failures live in {@code src/test/resources/conformance/known-failures/<protocol>.txt}
 * ({@code kind:id  # reason}) and are enforced both ways: an unlisted failure fails the build, and so does a listed
 * case that passes. {@code -Dconformance.updateKnownFailures=true} rewrites those files from the current results.
 */
class ProtocolConformanceTest {

    record Result(ConformanceCases.Case c, String failure) {
    }

    @TestFactory
    List<DynamicNode> smithyProtocolTests() throws IOException {
        ConformanceCases.Loaded loaded = ConformanceCases.load();
        List<ConformanceCases.Case> cases = loaded.cases();
        Map<String, List<Result>> byProtocol = new LinkedHashMap<>();
        for (String p : ConformanceCases.PROTOCOLS) byProtocol.put(p, new ArrayList<>());
        for (ConformanceCases.Case c : cases) {
            String failure;
            try {
                failure = c.check().get();
            } catch (Throwable t) {
                failure = "threw " + t;
            }
            byProtocol.get(c.protocol()).add(new Result(c, failure));
        }
        Map<String, Map<String, String>> known = new LinkedHashMap<>();
        for (String p : ConformanceCases.PROTOCOLS) known.put(p, knownFailures(p));
        report(byProtocol, known, loaded.clientOnly());
        if (Boolean.getBoolean("conformance.updateKnownFailures")) updateKnownFailures(byProtocol);

        List<DynamicNode> containers = new ArrayList<>();
        for (Map.Entry<String, List<Result>> e : byProtocol.entrySet()) {
            String protocol = e.getKey();
            Map<String, String> listed = known.get(protocol);
            List<DynamicNode> tests = new ArrayList<>();
            for (Result r : e.getValue()) {
                String key = r.c().key();
                boolean isListed = listed.containsKey(key);
                tests.add(DynamicTest.dynamicTest(key, () -> {
                    if (r.failure() != null && !isListed) fail(r.failure());
                    if (r.failure() == null && isListed) {
                        fail("passes now but is listed in conformance/known-failures/" + protocol + ".txt: remove it from the list");
                    }
                }));
            }
            for (String stale : listed.keySet()) {
                if (e.getValue().stream().noneMatch(r -> r.c().key().equals(stale))) {
                    tests.add(DynamicTest.dynamicTest(stale, () -> fail("listed in known-failures/" + protocol + ".txt but no such case exists")));
                }
            }
            containers.add(DynamicContainer.dynamicContainer(protocol, tests));
        }
        return containers;
    }

    static Map<String, String> knownFailures(String protocol) {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = ProtocolConformanceTest.class.getResourceAsStream("/conformance/known-failures/" + protocol + ".txt")) {
            if (in == null) return out;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                int hash = l.indexOf(" #");
                String key = (hash < 0 ? l : l.substring(0, hash)).strip();
                out.put(key, hash < 0 ? "" : l.substring(hash + 2).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void report(Map<String, List<Result>> byProtocol, Map<String, Map<String, String>> known,
                               Map<String, Integer> clientOnly) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("| protocol | server cases | pass | fail | known failures | pass % | client-only (not run) |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|\n");
        StringBuilder details = new StringBuilder();
        for (Map.Entry<String, List<Result>> e : byProtocol.entrySet()) {
            List<Result> rs = e.getValue();
            long pass = rs.stream().filter(r -> r.failure() == null).count();
            long listed = rs.stream().filter(r -> r.failure() != null && known.get(e.getKey()).containsKey(r.c().key())).count();
            table.append(String.format("| %s | %d | %d | %d | %d | %.1f%% | %d |%n", e.getKey(), rs.size(), pass, rs.size() - pass, listed,
                    rs.isEmpty() ? 0.0 : 100.0 * pass / rs.size(), clientOnly.getOrDefault(e.getKey(), 0)));
            for (Result r : rs) {
                if (r.failure() != null) details.append(e.getKey()).append(' ').append(r.c().key()).append("  ").append(oneLine(r.failure())).append('\n');
            }
        }
        System.out.println("Smithy protocol tests (server side):\n" + table);
        Path dir = Paths.get("target", "conformance");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pass-table.md"), table.toString());
        Files.writeString(dir.resolve("failures.txt"), details.toString());
    }

    private static void updateKnownFailures(Map<String, List<Result>> byProtocol) throws IOException {
        Path dir = Paths.get("src", "test", "resources", "conformance", "known-failures");
        Files.createDirectories(dir);
        for (Map.Entry<String, List<Result>> e : byProtocol.entrySet()) {
            StringBuilder sb = new StringBuilder();
            sb.append("# ").append(e.getKey()).append(" cases that fail today, with the reason (kind:id  # reason). Enforced both ways by ProtocolConformanceTest.\n");
            for (Result r : e.getValue()) {
                if (r.failure() != null) sb.append(r.c().key()).append("  # ").append(oneLine(r.failure())).append('\n');
            }
            Files.writeString(dir.resolve(e.getKey() + ".txt"), sb.toString());
        }
    }

    private static String oneLine(String s) {
        String l = s.replace('\n', ' ').replace('\r', ' ');
        return l.length() > 240 ? l.substring(0, 240) + "..." : l;
    }
}
