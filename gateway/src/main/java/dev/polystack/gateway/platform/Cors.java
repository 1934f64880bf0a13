package dev.polystack.gateway.platform;

import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * LocalStack's default CORS handling for everything but S3 (S3 answers from each bucket's own CORS rules):
 * preflights are answered here, responses get {@code Access-Control-Allow-Origin}, and a request from an origin
 * outside the allowed list is refused with 403 unless {@code DISABLE_CORS_CHECKS=1}.
 * {@code EXTRA_CORS_ALLOWED_ORIGINS}, {@code EXTRA_CORS_ALLOWED_HEADERS}, {@code EXTRA_CORS_EXPOSE_HEADERS} add
 * to the defaults; {@code DISABLE_CORS_HEADERS=1} turns the headers off.
 */
public final class Cors {
    static final String ALLOWED_METHODS = "HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH";
    static final List<String> ALLOWED_HEADERS = List.of("authorization", "cache-control", "content-length",
            "content-md5", "content-type", "etag", "location", "x-amz-acl", "x-amz-content-sha256", "x-amz-date",
            "x-amz-request-id", "x-amz-security-token", "x-amz-tagging", "x-amz-target", "x-amz-user-agent",
            "x-amz-version-id", "x-amzn-requestid", "x-localstack-target", "amz-sdk-invocation-id", "amz-sdk-request");
    static final List<String> EXPOSE_HEADERS = List.of("etag", "x-amz-version-id", "x-amz-request-id",
            "x-amzn-requestid", "x-amz-delete-marker", "x-amz-id-2");

    private final boolean checksDisabled;
    private final boolean headersDisabled;
    private final Set<String> allowedOrigins;
    private final String allowHeaders;
    private final String exposeHeaders;

    public Cors(Config config) {
        this.checksDisabled = config.flag("DISABLE_CORS_CHECKS");
        this.headersDisabled = config.flag("DISABLE_CORS_HEADERS");
        int port = config.gatewayPort();
        Set<String> origins = new LinkedHashSet<>(List.of("https://app.localstack.cloud", "http://app.localstack.cloud"));
        for (String host : List.of("localhost", "127.0.0.1", "localhost.localstack.cloud")) {
            origins.add("http://" + host + ":" + port);
            origins.add("https://" + host + ":" + port);
        }
        origins.addAll(split(config.get("EXTRA_CORS_ALLOWED_ORIGINS")));
        this.allowedOrigins = Set.copyOf(origins);
        this.allowHeaders = join(ALLOWED_HEADERS, split(config.get("EXTRA_CORS_ALLOWED_HEADERS")));
        this.exposeHeaders = join(EXPOSE_HEADERS, split(config.get("EXTRA_CORS_EXPOSE_HEADERS")));
    }

    public static boolean isPreflight(HttpRequestData request) {
        return request.method().equals("OPTIONS") && request.header("Access-Control-Request-Method") != null;
    }

    /** True when the request carries an Origin that may not call us (checks on): answer with {@link #forbidden()}. */
    public boolean refuses(HttpRequestData request) {
        if (checksDisabled) return false;
        String origin = request.header("Origin");
        return origin != null && !isAllowed(origin);
    }

    public HttpResponseData forbidden() {
        return new HttpResponseData(403).header("Content-Type", "text/plain").body("CORS not enabled for this origin");
    }

    /** The answer to a preflight. */
    public HttpResponseData preflight(HttpRequestData request) {
        HttpResponseData response = new HttpResponseData(200);
        if (headersDisabled) return response;
        decorate(request, response);
        response.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
        String requested = request.header("Access-Control-Request-Headers");
        response.header("Access-Control-Allow-Headers", requested == null || requested.isBlank()
                ? allowHeaders : allowHeaders + "," + requested.toLowerCase(Locale.ROOT));
        response.header("Access-Control-Max-Age", "86400");
        return response;
    }

    /** Adds the response headers unless the response already has its own (S3 bucket CORS). */
    public void decorate(HttpRequestData request, HttpResponseData response) {
        if (headersDisabled || response.header("Access-Control-Allow-Origin") != null) return;
        String origin = request.header("Origin");
        response.header("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        if (origin != null) {
            response.header("Access-Control-Allow-Credentials", "true");
            response.addHeader("Vary", "Origin");
        }
        response.header("Access-Control-Expose-Headers", exposeHeaders);
    }

    boolean isAllowed(String origin) {
        return checksDisabled || allowedOrigins.contains(origin) || allowedOrigins.contains("*");
    }

    private static List<String> split(String value) {
        if (value == null) return List.of();
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String join(List<String> defaults, List<String> extra) {
        Set<String> all = new LinkedHashSet<>(defaults);
        extra.forEach(e -> all.add(e.toLowerCase(Locale.ROOT)));
        return String.join(",", all);
    }
}
