package dev.polystack.bridge;

import dev.polystack.api.Config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge's settings, read once from {@link Config}. LocalStack has no equivalents, so they carry
 * Polystack's prefix:
 * <ul>
 *   <li>{@code POLYSTACK_MOTO_PATH}: the site-packages folder holding moto and its dependencies
 *       (default: {@code vendor/python} if moto is there, else found by asking {@code python3} once, lazily);</li>
 *   <li>{@code POLYSTACK_PYTHON_PATH}: extra folders (':'-separated) put on Python's path, for providers;</li>
 *   <li>{@code POLYSTACK_PYTHON_PROVIDERS}: {@code service=module:Class,...}, providers of kind {@code python};</li>
 *   <li>{@code POLYSTACK_PYTHON_CACHE}: where GraalPy writes bytecode (default {@code ~/.cache/polystack/graalpy});</li>
 *   <li>{@code POLYSTACK_PYTHON_CONTEXTS}: size of the GraalPy context pool (default 1: every Python-hosted service in
 *       one interpreter, as LocalStack runs them; a second context cannot load GraalPy's native modules, such as
 *       {@code unicodedata}, once the first has: {@code IsolateNativeModules} would need {@code patchelf});</li>
 *   <li>{@code POLYSTACK_PYTHON_JIT}: {@code c1} (default) compiles GraalPy's own Java code with HotSpot's quick
 *       compiler only, which halves the CPU a Python service's start costs; {@code c2} lets HotSpot's optimizing
 *       compiler at it too (slow to start, see {@link JitDirectives});</li>
 *   <li>{@code POLYSTACK_PYTHON_START_TIMEOUT}: seconds a request waits for a starting service (default 45,
 *       under boto3's 60 s read timeout) before it gets {@code ServiceUnavailable}.</li>
 * </ul>
 */
record PythonSettings(Path home, String motoPath, List<Path> extraPath, Map<String, String> providers,
                      Path bytecodeCache, int contexts, int startTimeoutSeconds, boolean eager, boolean optimizingJit,
                      java.util.Set<String> overrides, java.util.Set<String> listed) {

    static PythonSettings from(Config config) {
        Path home = resolveHome();
        List<Path> extra = new ArrayList<>();
        for (String p : config.get("POLYSTACK_PYTHON_PATH", "").split(":")) {
            if (!p.isBlank()) extra.add(Path.of(p.trim()).toAbsolutePath());
        }
        Map<String, String> providers = new LinkedHashMap<>();
        for (String entry : config.get("POLYSTACK_PYTHON_PROVIDERS", "").split(",")) {
            int eq = entry.indexOf('=');
            if (eq > 0) providers.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        Path cache = Path.of(config.get("POLYSTACK_PYTHON_CACHE",
                Path.of(System.getProperty("user.home"), ".cache", "polystack", "graalpy").toString()));
        return new PythonSettings(home, config.get("POLYSTACK_MOTO_PATH"), List.copyOf(extra), Map.copyOf(providers),
                cache, Math.max(1, config.integer("POLYSTACK_PYTHON_CONTEXTS", 1)),
                Math.max(1, config.integer("POLYSTACK_PYTHON_START_TIMEOUT", 45)),
                config.flag("EAGER_SERVICE_LOADING"),
                config.get("POLYSTACK_PYTHON_JIT", "c1").trim().equalsIgnoreCase("c2"), overrides(config), listed(config));
    }

    /**
     * Whether to start the Python side at creation, in the background: for a service named in {@code SERVICES}
     * (the gateway creates those providers right after it is ready), and with {@code EAGER_SERVICE_LOADING=1} for
     * a service deliberately given to this kind ({@code PROVIDER_OVERRIDE_<SERVICE>}). Never for every service:
     * moto is the fallback for 160 services, and importing all of them under GraalPy would take many minutes and
     * gigabytes for services nobody calls.
     */
    boolean startsEagerly(String service, String kind) {
        return listed.contains(service) || (eager && overrides.contains(service + "=" + kind));
    }

    /** "service=kind" for each PROVIDER_OVERRIDE_ setting. */
    private static java.util.Set<String> overrides(Config config) {
        java.util.Set<String> overrides = new java.util.HashSet<>();
        config.all().forEach((name, value) -> {
            if (name.startsWith("PROVIDER_OVERRIDE_") && value != null && !value.isBlank()) {
                overrides.add(name.substring("PROVIDER_OVERRIDE_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + "=" + value.trim().toLowerCase(java.util.Locale.ROOT));
            }
        });
        return java.util.Set.copyOf(overrides);
    }

    /** The services named in {@code SERVICES}. */
    private static java.util.Set<String> listed(Config config) {
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (String s : config.get("SERVICES", "").split(",")) {
            if (!s.isBlank()) listed.add(s.trim().toLowerCase(java.util.Locale.ROOT));
        }
        return java.util.Set.copyOf(listed);
    }

    /** Polystack's home: system property {@code polystack.home}, env {@code POLYSTACK_HOME}, else the current directory. */
    static Path resolveHome() {
        String home = System.getProperty("polystack.home");
        if (home == null || home.isBlank()) home = System.getenv("POLYSTACK_HOME");
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    Path vendorPython() {
        return home.resolve("vendor").resolve("python");
    }

    /** Where {@code ./polystack vendor localstack} installs localstack-core and its pure-Python dependencies. */
    Path vendorLocalStack() {
        return home.resolve("vendor").resolve("localstack");
    }

    /** Whether localstack-core is installed (then kinds {@code localstack} and {@code python} can host its providers). */
    boolean localstackInstalled() {
        return Files.isRegularFile(vendorLocalStack().resolve("localstack").resolve("services").resolve("providers.py"));
    }
}
