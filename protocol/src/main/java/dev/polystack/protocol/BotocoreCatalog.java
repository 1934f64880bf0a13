package dev.polystack.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.polystack.protocol.model.ModelLoader;
import dev.polystack.protocol.model.Overlays;
import dev.polystack.protocol.model.ServiceModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The {@link ServiceCatalog} over botocore's {@code data} folder.
 *
 * <p>Start-up reads only a small index (one line per service: its metadata and spec file), written once
 * per botocore version and overlay set beside the installed package
 * ({@code vendor/python/.polystack-catalog-<format>-<version>-<overlays>.tsv}, or under {@code java.io.tmpdir}
 * when that folder is read-only). Building the index reads only the {@code metadata} object at the top of each
 * specification, plus the protocols an overlay adds; reading it needs no JSON parser, so start-up loads no
 * Jackson. A service's full specification is compiled
 * into a {@link ServiceCodec} on first use and cached.
 */
public final class BotocoreCatalog implements ServiceCatalog {
    private static final String INDEX_FORMAT = "1";
    private static final Pattern VERSION = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]");

    private final Path dataDir;
    private final Map<String, ServiceInfo> byName;
    private final Map<String, Path> specFiles;
    private final Map<String, ServiceInfo> byTargetPrefix;
    private final Map<String, List<ServiceInfo>> bySigningName;
    private final Map<String, List<ServiceInfo>> byEndpointPrefix;
    private final ConcurrentHashMap<String, ServiceModel> models = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ServiceCodec> codecs = new ConcurrentHashMap<>();

    /** The catalog of {@code dataDir} ({@code .../botocore/data}). */
    public BotocoreCatalog(Path dataDir) {
        this.dataDir = dataDir;
        Map<String, ServiceInfo> infos = new TreeMap<>();
        Map<String, Path> files = new HashMap<>();
        for (String line : loadIndex(dataDir)) {
            String[] f = line.split("\t", -1);
            if (f.length < 9) continue;
            ServiceInfo info = new ServiceInfo(f[0], nul(f[2]), f[3].isEmpty() ? List.of() : List.of(f[3].split(",")),
                    nul(f[4]), nul(f[5]), nul(f[6]), nul(f[7]), nul(f[8]));
            infos.put(info.service(), info);
            files.put(info.service(), dataDir.resolve(f[0]).resolve(f[1]));
        }
        this.byName = Collections.unmodifiableMap(infos);
        this.specFiles = Map.copyOf(files);
        Map<String, ServiceInfo> targets = new HashMap<>();
        Map<String, List<ServiceInfo>> signing = new HashMap<>();
        Map<String, List<ServiceInfo>> endpoints = new HashMap<>();
        for (ServiceInfo i : infos.values()) {
            if (i.targetPrefix() != null) targets.putIfAbsent(i.targetPrefix(), i);
            if (i.signingName() != null) signing.computeIfAbsent(i.signingName(), k -> new ArrayList<>()).add(i);
            if (i.endpointPrefix() != null) endpoints.computeIfAbsent(i.endpointPrefix(), k -> new ArrayList<>()).add(i);
        }
        this.byTargetPrefix = Map.copyOf(targets);
        this.bySigningName = freeze(signing);
        this.byEndpointPrefix = freeze(endpoints);
    }

    /** The catalog under {@code polystack.home} (system property), else found by walking up from the working directory. */
    public static BotocoreCatalog fromEnvironment() {
        return new BotocoreCatalog(findDataDir());
    }

    /** {@code <home>/vendor/python/botocore/data}, home from {@code polystack.home}, else the nearest ancestor of the working directory that has it. */
    public static Path findDataDir() {
        String home = System.getProperty("polystack.home");
        if (home != null && !home.isBlank()) {
            Path p = Paths.get(home).resolve("vendor/python/botocore/data");
            if (Files.isDirectory(p)) return p;
            throw new IllegalStateException("no botocore data under polystack.home=" + home + " (expected " + p + ")");
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("vendor/python/botocore/data");
            if (Files.isDirectory(p)) return p;
        }
        throw new IllegalStateException("no vendor/python/botocore/data found from " + Paths.get("").toAbsolutePath()
                + "; build with ./mvnw (it installs botocore) or set -Dpolystack.home");
    }

    public Path dataDir() { return dataDir; }

    /** Builds (if missing) and reports the index: run at build time so the gateway never has to. */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        BotocoreCatalog c = fromEnvironment();
        System.out.printf("polystack catalog: %d services from %s (%d ms)%n", c.all().size(), c.dataDir(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public Collection<ServiceInfo> all() { return byName.values(); }

    @Override
    public ServiceInfo get(String service) { return service == null ? null : byName.get(service); }

    @Override
    public ServiceInfo byTargetPrefix(String targetPrefix) { return targetPrefix == null ? null : byTargetPrefix.get(targetPrefix); }

    @Override
    public List<ServiceInfo> bySigningName(String signingName) { return bySigningName.getOrDefault(signingName, List.of()); }

    @Override
    public List<ServiceInfo> byEndpointPrefix(String endpointPrefix) { return byEndpointPrefix.getOrDefault(endpointPrefix, List.of()); }

    @Override
    public ServiceCodec codec(String service) {
        if (service == null || !byName.containsKey(service)) return null;
        ServiceCodec c = codecs.get(service);
        return c != null ? c : codecs.computeIfAbsent(service, s -> Codecs.create(model(s)));
    }

    /** The compiled specification of a service (compiled on first use, cached), or null if unknown. */
    public ServiceModel model(String service) {
        Path file = service == null ? null : specFiles.get(service);
        if (file == null) return null;
        ServiceModel m = models.get(service);
        return m != null ? m : models.computeIfAbsent(service, s -> ModelLoader.load(s, file));
    }

    // ---- index ----

    private static List<String> loadIndex(Path dataDir) {
        String version = botocoreVersion(dataDir);
        // The overlays' checksum is part of the name: the index records the protocols they add.
        String fileName = ".polystack-catalog-" + INDEX_FORMAT + "-" + version + "-" + Overlays.fingerprint() + ".tsv";
        Path primary = dataDir.getParent().getParent().resolve(fileName);
        Path fallback = Paths.get(System.getProperty("java.io.tmpdir"), "polystack-" + Integer.toHexString(dataDir.toAbsolutePath().hashCode()) + fileName);
        for (Path p : new Path[]{primary, fallback}) {
            if (Files.isRegularFile(p)) {
                try {
                    return Files.readAllLines(p, StandardCharsets.UTF_8);
                } catch (IOException ignored) {
                    // rebuild below
                }
            }
        }
        List<String> lines = buildIndex(dataDir);
        if (!write(primary, lines)) write(fallback, lines);
        return lines;
    }

    private static String botocoreVersion(Path dataDir) {
        Path init = dataDir.getParent().resolve("__init__.py");
        try (BufferedReader r = Files.newBufferedReader(init, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) return m.group(1);
            }
        } catch (IOException ignored) {
            // fall through: key the index on the folder's modification time instead
        }
        try {
            return "mtime" + Files.getLastModifiedTime(dataDir).toMillis();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static boolean write(Path file, List<String> lines) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (String l : lines) w.write(l + "\n");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** One line per service: name, spec path (relative), protocol, protocols, apiVersion, endpointPrefix, signingName, targetPrefix, jsonVersion. */
    static List<String> buildIndex(Path dataDir) {
        List<String> lines = new ArrayList<>();
        JsonFactory json = new JsonFactory();
        List<Path> services = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
            ds.forEach(services::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dataDir, e);
        }
        services.sort(null);
        List<String> withOverlay = Overlays.services();
        for (Path serviceDir : services) {
            Path spec = latestSpec(serviceDir);
            if (spec == null) continue;
            Map<String, Object> md = readMetadata(json, spec);
            if (md == null) continue;
            String protocol = (String) md.get("protocol");
            @SuppressWarnings("unchecked")
            List<String> protocols = (List<String>) md.getOrDefault("protocols", List.of());
            if (protocols.isEmpty() && protocol != null) protocols = List.of(protocol);
            if (protocol == null && !protocols.isEmpty()) protocol = protocols.get(0);
            if (withOverlay.contains(serviceDir.getFileName().toString())) {
                List<String> overlaid = ModelLoader.overlayProtocols(serviceDir.getFileName().toString());
                if (overlaid != null) protocols = overlaid; // SQS: its overlay restores the query protocol
            }
            String signing = (String) md.getOrDefault("signingName", md.get("endpointPrefix"));
            lines.add(String.join("\t", serviceDir.getFileName().toString(),
                    serviceDir.relativize(spec).toString().replace('\\', '/'), str(protocol), String.join(",", protocols),
                    str(md.get("apiVersion")), str(md.get("endpointPrefix")), str(signing), str(md.get("targetPrefix")),
                    str(md.get("jsonVersion"))));
        }
        return lines;
    }

    /** The newest api-version folder holding a service-2.json(.gz), as botocore picks it. */
    private static Path latestSpec(Path serviceDir) {
        String[] versions = serviceDir.toFile().list();
        if (versions == null) return null;
        Arrays.sort(versions, Collections.reverseOrder());
        for (String v : versions) {
            for (String name : new String[]{"service-2.json.gz", "service-2.json"}) {
                Path p = serviceDir.resolve(v).resolve(name);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }

    /** Reads only the top-level {@code metadata} object (it comes first in botocore's files), skipping the rest. */
    private static Map<String, Object> readMetadata(JsonFactory json, Path spec) {
        try (InputStream raw = Files.newInputStream(spec);
             InputStream in = spec.toString().endsWith(".gz") ? new GZIPInputStream(raw, 8192) : raw;
             JsonParser p = json.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"metadata".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                Map<String, Object> md = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.START_ARRAY) {
                        List<String> l = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken().isScalarValue()) l.add(p.getText());
                            else p.skipChildren();
                        }
                        md.put(k, l);
                    } else if (t.isScalarValue()) {
                        md.put(k, p.getText());
                    } else {
                        p.skipChildren();
                        md.put(k, "");
                    }
                }
                return md;
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String str(Object o) { return o == null ? "" : o.toString().replace('\t', ' ').replace('\n', ' '); }

    private static String nul(String s) { return s.isEmpty() ? null : s; }

    private static Map<String, List<ServiceInfo>> freeze(Map<String, List<ServiceInfo>> m) {
        Map<String, List<ServiceInfo>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Map.copyOf(out);
    }
}
