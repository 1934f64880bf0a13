package dev.polystack.services.sns;

import dev.polystack.api.RequestContext;
import dev.polystack.services.sns.api.CreateEndpointResponse;
import dev.polystack.services.sns.api.CreatePlatformApplicationInput;
import dev.polystack.services.sns.api.CreatePlatformApplicationResponse;
import dev.polystack.services.sns.api.CreatePlatformEndpointInput;
import dev.polystack.services.sns.api.GetEndpointAttributesResponse;
import dev.polystack.services.sns.api.GetPlatformApplicationAttributesResponse;
import dev.polystack.services.sns.api.ListEndpointsByPlatformApplicationResponse;
import dev.polystack.services.sns.api.ListPlatformApplicationsResponse;
import dev.polystack.services.sns.api.PlatformApplication;
import dev.polystack.services.sns.api.SetEndpointAttributesInput;
import dev.polystack.services.sns.api.SetPlatformApplicationAttributesInput;

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

import static dev.polystack.services.sns.SnsErrors.invalid;
import static dev.polystack.services.sns.SnsErrors.notFound;

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

    private final SnsResources resources;

    SnsPlatform(SnsResources resources) {
        this.resources = resources;
    }

    /** The Attributes map, or AWS's validation error when it is missing or empty (the same on the wire). */
    private static Map<String, String> requiredAttributes(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) throw SnsErrors.mustNotBeNull("attributes");
        return new LinkedHashMap<>(attributes);
    }

    Application application(String arn) {
        String[] parts = SnsResources.arnParts(arn, "PlatformApplicationArn");
        SnsRegion region = resources.peekRegion(parts);
        Application app = region == null ? null : region.applications.get(arn);
        if (app == null) throw notFound("PlatformApplication does not exist");
        return app;
    }

    /** The endpoint an ARN names, or null. */
    Endpoint findEndpoint(String arn) {
        String[] parts = arn.split(":", -1);
        if (parts.length < 6) return null;
        SnsRegion region = resources.peekRegion(parts);
        return region == null ? null : region.endpoints.get(arn);
    }

    CreatePlatformApplicationResponse createApplication(RequestContext ctx, CreatePlatformApplicationInput in) {
        String name = in.name() == null ? "" : in.name();
        String platform = in.platform();
        Map<String, String> attributes = requiredAttributes(in.attributes());
        if (name.isEmpty()) throw invalid("Invalid parameter:  Reason: cannot be empty");
        if (name.length() > 256) throw invalid("Invalid parameter: " + name + " Reason: must be at most 256 characters long");
        if (!NAME.matcher(name).matches()) {
            throw invalid("Invalid parameter: " + name + " Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'");
        }
        if (platform == null || !PLATFORMS.contains(platform)) throw invalid("Invalid parameter: Platform Reason: " + platform + " is not supported");
        checkCredentialPair(attributes);
        String arn = SnsResources.arn(ctx, "app/" + platform + "/" + name);
        Application app = resources.region(ctx).applications.computeIfAbsent(arn, k -> {
            Application a = new Application();
            a.arn = arn;
            a.name = name;
            a.platform = platform;
            a.created = System.nanoTime();
            a.attributes.put("Enabled", "true");
            return a;
        });
        app.attributes.putAll(attributes);
        return CreatePlatformApplicationResponse.builder().platformApplicationArn(arn).build();
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

    GetPlatformApplicationAttributesResponse getApplicationAttributes(String arn) {
        return GetPlatformApplicationAttributesResponse.builder().attributes(visible(application(arn).attributes)).build();
    }

    void setApplicationAttributes(SetPlatformApplicationAttributesInput in) {
        String arn = in.platformApplicationArn();
        SnsResources.arnParts(arn, "PlatformApplicationArn");
        Map<String, String> attributes = requiredAttributes(in.attributes());
        Application app = application(arn);
        checkCredentialPair(attributes);
        app.attributes.putAll(attributes);
    }

    ListPlatformApplicationsResponse listApplications(RequestContext ctx, String nextToken) {
        List<Application> apps = new ArrayList<>(resources.region(ctx).applications.values());
        apps.sort(Comparator.comparingLong(a -> a.created));
        List<PlatformApplication> page = new ArrayList<>();
        String next = SnsPages.page(apps, nextToken, a -> page.add(PlatformApplication.builder()
                .platformApplicationArn(a.arn).attributes(visible(a.attributes)).build()));
        return ListPlatformApplicationsResponse.builder().platformApplications(page).nextToken(next).build();
    }

    void deleteApplication(String arn) {
        String[] parts = SnsResources.arnParts(arn, "PlatformApplicationArn");
        SnsRegion region = resources.peekRegion(parts);
        if (region != null && region.applications.remove(arn) != null) {
            region.endpoints.values().removeIf(e -> e.applicationArn.equals(arn));
        }
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

    CreateEndpointResponse createEndpoint(CreatePlatformEndpointInput in) {
        Application app = application(in.platformApplicationArn());
        String token = in.token();
        Map<String, String> attributes = in.attributes() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(in.attributes());
        // CustomUserData may come both as a parameter and as an attribute: the attribute wins (recorded)
        if (in.customUserData() != null) attributes.putIfAbsent("CustomUserData", in.customUserData());
        checkEndpointAttributes(attributes);
        String[] parts = app.arn.split(":", -1);
        SnsRegion region = resources.regionOf(app.arn);
        synchronized (region) {
            for (Endpoint existing : region.endpoints.values()) {
                if (existing.applicationArn.equals(app.arn) && token != null && token.equals(existing.attributes.get("Token"))) {
                    for (Map.Entry<String, String> e : attributes.entrySet()) {
                        if (!e.getValue().equals(existing.attributes.get(e.getKey()))) {
                            throw invalid("Invalid parameter: Token Reason: Endpoint " + existing.arn
                                    + " already exists with the same Token, but different attributes.");
                        }
                    }
                    return CreateEndpointResponse.builder().endpointArn(existing.arn).build();
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
            return CreateEndpointResponse.builder().endpointArn(endpoint.arn).build();
        }
    }

    /** Checks the form of an endpoint ARN (AWS complains about the slashes before looking it up). */
    private static void checkEndpointArn(String arn) {
        String[] parts = (arn == null ? "" : arn).split(":", -1);
        if (parts.length < 6 || parts[5].split("/", -1).length != 4) {
            throw invalid("Invalid parameter: EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.");
        }
    }

    private Endpoint endpoint(String arn) {
        checkEndpointArn(arn);
        Endpoint e = findEndpoint(arn);
        if (e == null) throw notFound("Endpoint does not exist");
        return e;
    }

    GetEndpointAttributesResponse getEndpointAttributes(String arn) {
        return GetEndpointAttributesResponse.builder().attributes(new TreeMap<>(endpoint(arn).attributes)).build();
    }

    void setEndpointAttributes(SetEndpointAttributesInput in) {
        checkEndpointArn(in.endpointArn());
        Map<String, String> attributes = requiredAttributes(in.attributes());
        Endpoint e = endpoint(in.endpointArn());
        checkEndpointAttributes(attributes);
        e.attributes.putAll(attributes);
    }

    void deleteEndpoint(String arn) {
        String[] parts = (arn == null ? "" : arn).split(":", -1);
        if (parts.length >= 6) {
            SnsRegion region = resources.peekRegion(parts);
            if (region != null) region.endpoints.remove(arn);
        }
    }

    ListEndpointsByPlatformApplicationResponse listEndpoints(String applicationArn, String nextToken) {
        Application app = application(applicationArn);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint e : resources.regionOf(app.arn).endpoints.values()) {
            if (e.applicationArn.equals(app.arn)) endpoints.add(e);
        }
        endpoints.sort(Comparator.comparingLong(e -> e.created));
        List<dev.polystack.services.sns.api.Endpoint> page = new ArrayList<>();
        String next = SnsPages.page(endpoints, nextToken, e -> page.add(dev.polystack.services.sns.api.Endpoint.builder()
                .endpointArn(e.arn).attributes(new TreeMap<>(e.attributes)).build()));
        return ListEndpointsByPlatformApplicationResponse.builder().endpoints(page).nextToken(next).build();
    }
}
