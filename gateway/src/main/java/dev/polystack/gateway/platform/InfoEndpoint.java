package dev.polystack.gateway.platform;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.gateway.Version;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code GET /_localstack/info}: version, edition, session id, uptime, as LocalStack reports them. */
public final class InfoEndpoint implements PlatformRoute {
    private final Instant started = Instant.now();
    private final String sessionId = UUID.randomUUID().toString();
    private final boolean persistence;

    public InfoEndpoint(boolean persistence) {
        this.persistence = persistence;
    }

    @Override
    public HttpResponseData handle(HttpRequestData request) {
        if (!request.path().equals("/_localstack/info")) return null;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", Version.VALUE);
        info.put("edition", "community");
        info.put("is_license_activated", false);
        info.put("session_id", sessionId);
        info.put("machine_id", machineId());
        info.put("system", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT));
        // Docker marks its containers with /.dockerenv, Podman with /run/.containerenv.
        info.put("is_docker", Files.exists(Path.of("/.dockerenv")) || Files.exists(Path.of("/run/.containerenv")));
        info.put("server_time_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        info.put("uptime", (int) java.time.Duration.between(started, Instant.now()).toSeconds());
        info.put("persistence", persistence);
        info.put("implementation", "polystack");
        return Json.response(200, info);
    }

    private static String machineId() {
        try {
            Path p = Path.of("/etc/machine-id");
            if (Files.isReadable(p)) return "gen_" + Files.readString(p).trim().substring(0, 12);
        } catch (Exception ignored) {
            // fall through: an anonymous id is fine
        }
        return "gen_unknown";
    }
}
