package dev.polystack.services.s3;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What S3 answers over raw HTTP, outside botocore's operations: CORS preflight (OPTIONS) and the CORS
 * headers of actual requests, both from the bucket's CORS rules; and browser POST uploads (HTML forms).
 */
final class S3Http {
    private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
    private static final String NOT_ALLOWED = "CORSResponse: This CORS request is not allowed. This is usually because the "
            + "evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
            + "whitelisted by the resource's CORS spec.";
    private final S3State state;
    private final ObjectOps objects;
    private final S3Website website;

    S3Http(S3State state, ObjectOps objects) {
        this.state = state;
        this.objects = objects;
        this.website = new S3Website(state);
    }

    HttpResponseData handle(RequestContext ctx) {
        HttpRequestData req = ctx.request();
        if (req == null) return null;
        if (S3Website.isWebsiteHost(req)) return website.serve(ctx);
        String method = req.method();
        if (method.equals("OPTIONS")) return preflight(ctx);
        if (method.equals("POST")) {
            String type = req.header("Content-Type");
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                String[] path = bucketAndKey(req.path());
                if (path != null && path[1].isEmpty()) return BrowserPost.handle(ctx, path[0], objects, state);
            }
        }
        return null;
    }

    /** {bucket, key} from a path-style path (the gateway rewrites virtual-host requests to it); null without a bucket. */
    static String[] bucketAndKey(String rawPath) {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (p.isEmpty()) return null;
        int slash = p.indexOf('/');
        String bucket = slash < 0 ? p : p.substring(0, slash);
        String key = slash < 0 ? "" : p.substring(slash + 1);
        return new String[]{decode(bucket), decode(key)};
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private HttpResponseData preflight(RequestContext ctx) {
        HttpRequestData req = ctx.request();
        String origin = req.header("Origin");
        if (origin == null) {
            return error(ctx, 400, "BadRequest", "Insufficient information. Origin request header needed.", Map.of());
        }
        String[] path = bucketAndKey(req.path());
        String requestedMethod = req.header("Access-Control-Request-Method");
        String method = requestedMethod == null ? "OPTIONS" : requestedMethod;
        String resourceType = path != null && !path[1].isEmpty() ? "OBJECT" : "BUCKET";
        Bucket bucket = path == null ? null : state.buckets(ctx.partition()).get(path[0]);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("Method", method);
        // S3 names the bucket as the resource while it has no CORS rules to judge the object by (recorded)
        List<Object> rules = bucket == null ? null : rules(bucket);
        fields.put("ResourceType", rules == null ? "BUCKET" : resourceType);
        if (bucket == null) return error(ctx, 403, "AccessForbidden", "CORSResponse: Bucket not found", fields);
        if (rules == null) return error(ctx, 403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket.", fields);
        List<String> requestedHeaders = new ArrayList<>();
        String rh = req.header("Access-Control-Request-Headers");
        if (rh != null) {
            for (String h : rh.split(",")) if (!h.isBlank()) requestedHeaders.add(h.trim().toLowerCase(Locale.ROOT));
        }
        Map<String, Object> rule = requestedMethod == null ? null : match(rules, origin, requestedMethod, requestedHeaders);
        if (rule == null) return error(ctx, 403, "AccessForbidden", NOT_ALLOWED, fields);
        HttpResponseData res = new HttpResponseData(200);
        corsHeaders(res, rule, origin);
        if (!requestedHeaders.isEmpty()) res.header("Access-Control-Allow-Headers", String.join(", ", requestedHeaders));
        res.header("Content-Length", "0");
        return res;
    }

    /** Adds CORS headers to an actual (non-preflight) request's response when a rule of the bucket allows it. */
    void addCorsHeaders(RequestContext ctx, Map<String, Object> input) {
        HttpRequestData req = ctx.request();
        if (req == null) return;
        String origin = req.header("Origin");
        if (origin == null) return;
        String name = In.str(input, "Bucket");
        Bucket bucket = name == null ? null : state.buckets(ctx.partition()).get(name);
        if (bucket == null) return;
        List<Object> rules = rules(bucket);
        if (rules == null) return;
        Map<String, Object> rule = match(rules, origin, req.method(), List.of());
        if (rule != null) corsHeaders(ctx.response(), rule, origin);
    }

    private static void corsHeaders(HttpResponseData res, Map<String, Object> rule, String origin) {
        boolean anyOrigin = In.list(rule, "AllowedOrigins").contains("*");
        res.header("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
        List<String> methods = new ArrayList<>();
        for (Object m : In.list(rule, "AllowedMethods")) methods.add(m.toString());
        res.header("Access-Control-Allow-Methods", String.join(", ", methods));
        if (!anyOrigin) res.header("Access-Control-Allow-Credentials", "true");
        List<String> expose = new ArrayList<>();
        for (Object h : In.list(rule, "ExposeHeaders")) expose.add(h.toString());
        if (!expose.isEmpty()) res.header("Access-Control-Expose-Headers", String.join(", ", expose));
        if (rule.get("MaxAgeSeconds") != null) res.header("Access-Control-Max-Age", rule.get("MaxAgeSeconds").toString());
        res.header("Vary", VARY);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> rules(Bucket bucket) {
        Object config = bucket.configurations.get("cors");
        if (!(config instanceof Map<?, ?> m)) return null;
        return In.list((Map<String, Object>) m, "CORSRules");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> match(List<Object> rules, String origin, String method, List<String> headers) {
        for (Object o : rules) {
            Map<String, Object> rule = (Map<String, Object>) o;
            boolean originOk = In.list(rule, "AllowedOrigins").stream().anyMatch(p -> wildcard(p.toString(), origin, false));
            if (!originOk) continue;
            if (In.list(rule, "AllowedMethods").stream().noneMatch(m -> m.toString().equals(method))) continue;
            List<Object> allowed = In.list(rule, "AllowedHeaders");
            boolean headersOk = headers.stream().allMatch(h -> allowed.stream().anyMatch(p -> wildcard(p.toString(), h, true)));
            if (headersOk) return rule;
        }
        return null;
    }

    /** A pattern with at most one '*' matching any run of characters. */
    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        int star = p.indexOf('*');
        if (star < 0) return p.equals(v);
        String head = p.substring(0, star);
        String tail = p.substring(star + 1);
        return v.length() >= head.length() + tail.length() && v.startsWith(head) && v.endsWith(tail);
    }

    /** An S3 XML error response written here (raw HTTP paths do not go through the protocol serializer). */
    static HttpResponseData error(RequestContext ctx, int status, String code, String message, Map<String, String> fields) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>").append(Xml.escape(code))
                .append("</Code><Message>").append(Xml.escape(message)).append("</Message>");
        fields.forEach((k, v) -> xml.append('<').append(k).append('>').append(Xml.escape(v)).append("</").append(k).append('>'));
        xml.append("<RequestId>").append(Xml.escape(String.valueOf(ctx.requestId()))).append("</RequestId><HostId>")
                .append(Xml.escape(String.valueOf(ctx.requestId()))).append("</HostId></Error>");
        HttpResponseData res = new HttpResponseData(status);
        res.header("Content-Type", "application/xml");
        res.body(xml.toString());
        return res;
    }

    static HttpResponseData error(RequestContext ctx, ServiceException e) {
        Map<String, String> fields = new LinkedHashMap<>();
        e.fields().forEach((k, v) -> fields.put(k, String.valueOf(v)));
        return error(ctx, e.status(), e.code(), e.getMessage() == null ? "" : e.getMessage(), fields);
    }

    static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static StreamingBody bytes(byte[] b) {
        return StreamingBody.of(b);
    }
}
