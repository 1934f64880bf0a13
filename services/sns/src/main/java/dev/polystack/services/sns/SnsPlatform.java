package dev.polystack.services.sns;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static dev.polystack.services.sns.SnsProvider.invalid;
import static dev.polystack.services.sns.SnsProvider.notFound;

/**
 * Mobile push: platform applications and their endpoints. Nothing reaches a real push service;
 * messages published to endpoints are kept for {@code /_aws/sns/platform-endpoint-messages}.
 */
final class SnsPlatform {
    private static final Set<String> PLATFORMS = Set.of("ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX",
            "BAIDU", "GCM", "MPNS", "WNS");
    private static final Set<String> ENDPOINT_ATTRIBUTES = Set.of("CustomUserData", "Enabled", "Token");
    /** Application attributes that are secrets: stored, never shown. */
    private static final Set<String> HIDDEN = Set.of("PlatformCredential", "PlatformPrincipal");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /** A platform application; persisted with its region. */
    public static final class Application {
        public String arn;
        public String name;
        public String platform;
        public long created;
        public ConcurrentHashMap<String, String> attributes = new ConcurrentHashMap<>();
    }

    /** A device endpoint of an application. */
    public static final class Endpoint {
        public String arn;
        public String applicationArn;
        public long created;
        public ConcurrentHashMap<String, String> attributes = new ConcurrentHashMap<>();
    }

    private final AccountRegionStore<SnsRegion> store;

    SnsPlatform(AccountRegionStore<SnsRegion> store) {
        this.store = store;
    }

    private static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    /** The Attributes map, or AWS's validation error when the member is missing. */
    private static Map<String, String> requiredAttributes(Map<String, Object> in) {
        Object raw = in.get("Attributes");
        if (!(raw instanceof Map<?, ?> m)) {
            throw new ServiceException("ValidationError",
                    "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: Member must not be null", 400);
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static Map<String, String> optionalAttributes(Map<String, Object> in) {
        return in.get("Attributes") instanceof Map<?, ?> ? requiredAttributes(in) : new LinkedHashMap<>();
    }

    private static String[] arnParts(String arn, String parameter) {
        String[] parts = (arn == null ? "" : arn).split(":", -1);
        if (parts.length < 6) {
            throw invalid("Invalid parameter: " + parameter + " Reason: An ARN must have at least 6 elements, not " + parts.length);
        }
        return parts;
    }

    Application application(String arn) {
        String[] parts = arnParts(arn, "PlatformApplicationArn");
        SnsRegion region = store.peek(parts[4], parts[3]);
        Application app = region == null ? null : region.applications.get(arn);
        if (app == null) throw notFound("PlatformApplication does not exist");
        return app;
    }

    /** The endpoint an ARN names, or null. */
    Endpoint findEndpoint(String arn) {
        String[] parts = arn.split(":", -1);
        if (parts.length < 6) return null;
        SnsRegion region = store.peek(parts[4], parts[3]);
        return region == null ? null : region.endpoints.get(arn);
    }

    Map<String, Object> createApplication(RequestContext ctx, Map<String, Object> in) {
        String name = str(in, "Name") == null ? "" : str(in, "Name");
        String platform = str(in, "Platform");
        Map<String, String> attributes = requiredAttributes(in);
        if (name.isEmpty()) throw invalid("Invalid parameter:  Reason: cannot be empty");
        if (name.length() > 256) throw invalid("Invalid parameter: " + name + " Reason: must be at most 256 characters long");
        if (!NAME.matcher(name).matches()) {
            throw invalid("Invalid parameter: " + name + " Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'");
        }
        if (platform == null || !PLATFORMS.contains(platform)) throw invalid("Invalid parameter: Platform Reason: " + platform + " is not supported");
        checkCredentialPair(attributes);
        String arn = "arn:" + ctx.partition() + ":sns:" + ctx.region() + ":" + ctx.accountId() + ":app/" + platform + "/" + name;
        SnsRegion region = store.get(ctx);
        Application app = region.applications.computeIfAbsent(arn, k -> {
            Application a = new Application();
            a.arn = arn;
            a.name = name;
            a.platform = platform;
            a.created = System.nanoTime();
            a.attributes.put("Enabled", "true");
            return a;
        });
        app.attributes.putAll(attributes);
        return Map.of("PlatformApplicationArn", arn);
    }

    private static void checkCredentialPair(Map<String, String> attributes) {
        boolean principal = attributes.containsKey("PlatformPrincipal");
        boolean credential = attributes.containsKey("PlatformCredential");
        if (principal && !credential) throw invalid("Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without PlatformCredential");
        if (credential && !principal) throw invalid("Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal");
    }

    private static Map<String, String> visible(Map<String, String> attributes) {
        Map<String, String> out = new TreeMap<>(attributes);
        out.keySet().removeAll(HIDDEN);
        return out;
    }

    Map<String, Object> getApplicationAttributes(Map<String, Object> in) {
        return Map.of("Attributes", visible(application(str(in, "PlatformApplicationArn")).attributes));
    }

    Map<String, Object> setApplicationAttributes(Map<String, Object> in) {
        String arn = str(in, "PlatformApplicationArn");
        arnParts(arn, "PlatformApplicationArn");
        Map<String, String> attributes = requiredAttributes(in);
        Application app = application(arn);
        checkCredentialPair(attributes);
        app.attributes.putAll(attributes);
        return Map.of();
    }

    Map<String, Object> listApplications(RequestContext ctx) {
        List<Application> apps = new ArrayList<>(store.get(ctx).applications.values());
        apps.sort(Comparator.comparingLong(a -> a.created));
        List<Object> out = new ArrayList<>();
        for (Application a : apps) out.add(Map.of("PlatformApplicationArn", a.arn, "Attributes", visible(a.attributes)));
        return Map.of("PlatformApplications", out);
    }

    Map<String, Object> deleteApplication(Map<String, Object> in) {
        String arn = str(in, "PlatformApplicationArn");
        String[] parts = arnParts(arn, "PlatformApplicationArn");
        SnsRegion region = store.peek(parts[4], parts[3]);
        if (region != null && region.applications.remove(arn) != null) {
            region.endpoints.values().removeIf(e -> e.applicationArn.equals(arn));
        }
        return Map.of();
    }

    private static void checkEndpointAttributes(Map<String, String> attributes) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!ENDPOINT_ATTRIBUTES.contains(e.getKey())) throw invalid("Invalid parameter: Attributes Reason: Invalid attribute name: " + e.getKey());
        }
        String data = attributes.get("CustomUserData");
        if (data != null && data.getBytes(StandardCharsets.UTF_8).length > 2048) {
            throw invalid("Invalid parameter: Attributes Reason: Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding");
        }
    }

    Map<String, Object> createEndpoint(Map<String, Object> in) {
        Application app = application(str(in, "PlatformApplicationArn"));
        String token = str(in, "Token");
        Map<String, String> attributes = optionalAttributes(in);
        checkEndpointAttributes(attributes);
        if (str(in, "CustomUserData") != null) attributes.put("CustomUserData", str(in, "CustomUserData"));
        checkEndpointAttributes(attributes);
        String[] parts = app.arn.split(":", -1);
        SnsRegion region = store.get(parts[4], parts[3]);
        synchronized (region) {
            for (Endpoint existing : region.endpoints.values()) {
                if (existing.applicationArn.equals(app.arn) && token != null && token.equals(existing.attributes.get("Token"))) {
                    for (Map.Entry<String, String> e : attributes.entrySet()) {
                        if (!e.getValue().equals(existing.attributes.get(e.getKey()))) {
                            throw invalid("Invalid parameter: Token Reason: Endpoint " + existing.arn
                                    + " already exists with the same Token, but different attributes.");
                        }
                    }
                    return Map.of("EndpointArn", existing.arn);
                }
            }
            Endpoint endpoint = new Endpoint();
            endpoint.arn = String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4],
                    "endpoint/" + app.platform + "/" + app.name + "/" + UUID.randomUUID());
            endpoint.applicationArn = app.arn;
            endpoint.created = System.nanoTime();
            endpoint.attributes.put("Enabled", "true");
            if (token != null) endpoint.attributes.put("Token", token);
            endpoint.attributes.putAll(attributes);
            region.endpoints.put(endpoint.arn, endpoint);
            return Map.of("EndpointArn", endpoint.arn);
        }
    }

    private Endpoint endpoint(String arn) {
        String[] parts = (arn == null ? "" : arn).split(":", -1);
        if (parts.length < 6 || parts[5].split("/", -1).length != 4) {
            throw invalid("Invalid parameter: EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.");
        }
        Endpoint e = findEndpoint(arn);
        if (e == null) throw notFound("Endpoint does not exist");
        return e;
    }

    Map<String, Object> getEndpointAttributes(Map<String, Object> in) {
        return Map.of("Attributes", new TreeMap<>(endpoint(str(in, "EndpointArn")).attributes));
    }

    Map<String, Object> setEndpointAttributes(Map<String, Object> in) {
        String arn = str(in, "EndpointArn");
        String[] parts = (arn == null ? "" : arn).split(":", -1);
        if (parts.length < 6 || parts[5].split("/", -1).length != 4) {
            throw invalid("Invalid parameter: EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.");
        }
        Map<String, String> attributes = requiredAttributes(in);
        Endpoint e = endpoint(arn);
        checkEndpointAttributes(attributes);
        e.attributes.putAll(attributes);
        return Map.of();
    }

    Map<String, Object> deleteEndpoint(Map<String, Object> in) {
        String arn = str(in, "EndpointArn");
        String[] parts = (arn == null ? "" : arn).split(":", -1);
        if (parts.length >= 6) {
            SnsRegion region = store.peek(parts[4], parts[3]);
            if (region != null) region.endpoints.remove(arn);
        }
        return Map.of();
    }

    Map<String, Object> listEndpoints(Map<String, Object> in) {
        Application app = application(str(in, "PlatformApplicationArn"));
        String[] parts = app.arn.split(":", -1);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint e : store.get(parts[4], parts[3]).endpoints.values()) {
            if (e.applicationArn.equals(app.arn)) endpoints.add(e);
        }
        endpoints.sort(Comparator.comparingLong(e -> e.created));
        List<Object> out = new ArrayList<>();
        for (Endpoint e : endpoints) out.add(Map.of("EndpointArn", e.arn, "Attributes", new TreeMap<>(e.attributes)));
        return Map.of("Endpoints", out);
    }
}
