package dev.polystack.services.s3;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Static website hosting on the website endpoints ({@code <bucket>.s3-website.<region>.localhost.localstack.cloud},
 * {@code <bucket>.s3-website-<region>...}): GET and HEAD only, index documents, error documents,
 * {@code RedirectAllRequestsTo}, routing rules, {@code x-amz-website-redirect-location}, and AWS's HTML error pages.
 */
final class S3Website {
    private final S3State state;

    S3Website(S3State state) {
        this.state = state;
    }

    /** Whether a request came in on a website endpoint. */
    static boolean isWebsiteHost(HttpRequestData req) {
        String host = req.header("Host");
        if (host == null) return false;
        for (String label : host.toLowerCase(Locale.ROOT).split("\\.")) if (label.startsWith("s3-website")) return true;
        return false;
    }

    @SuppressWarnings("unchecked")
    HttpResponseData serve(RequestContext ctx) {
        HttpRequestData req = ctx.request();
        String[] path = S3Http.bucketAndKey(req.path());
        String method = req.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return page(ctx, 405, "Method Not Allowed", List.of("Code: MethodNotAllowed",
                    "Message: The specified method is not allowed against this resource.", "Method: " + method, "ResourceType: OBJECT"), null);
        }
        Bucket bucket = path == null ? null : state.buckets(ctx.partition()).get(path[0]);
        if (bucket == null) {
            return page(ctx, 404, "Not Found", List.of("Code: NoSuchBucket", "Message: The specified bucket does not exist",
                    "BucketName: " + (path == null ? "" : path[0])), null);
        }
        if (!(bucket.configurations.get("website") instanceof Map<?, ?> c)) {
            return page(ctx, 404, "Not Found", List.of("Code: NoSuchWebsiteConfiguration",
                    "Message: The specified bucket does not have a website configuration", "BucketName: " + bucket.name), null);
        }
        Map<String, Object> config = (Map<String, Object>) c;
        String key = path[1];
        Map<String, Object> all = In.map(config, "RedirectAllRequestsTo");
        if (all != null) {
            String protocol = In.str(all, "Protocol") == null ? "http" : In.str(all, "Protocol");
            return redirect(301, protocol + "://" + In.str(all, "HostName") + "/" + key);
        }
        HttpResponseData routed = route(config, key, null, req);
        if (routed != null) return routed;
        Map<String, Object> index = In.map(config, "IndexDocument");
        String suffix = index == null || In.str(index, "Suffix") == null ? "index.html" : In.str(index, "Suffix");
        String lookup = key.isEmpty() || key.endsWith("/") ? key + suffix : key;
        ObjectVersion v = current(bucket, lookup);
        if (v == null && !key.isEmpty() && !key.endsWith("/") && current(bucket, key + "/" + suffix) != null) {
            return redirect(302, "/" + key + "/"); // a "directory" without its slash
        }
        if (v == null) {
            HttpResponseData onError = route(config, key, "404", req);
            if (onError != null) return onError;
            return notFound(ctx, bucket, config, lookup, method.equals("HEAD"));
        }
        return object(v, 200, method.equals("HEAD"));
    }

    private static ObjectVersion current(Bucket bucket, String key) {
        KeyEntry e = bucket.objects.get(key);
        if (e == null) return null;
        ObjectVersion v = e.latest();
        return v.deleteMarker ? null : v;
    }

    /** The object as the website serves it: its redirect location, or its bytes with its content headers. */
    private HttpResponseData object(ObjectVersion v, int status, boolean head) {
        String redirect = v.headers.get("WebsiteRedirectLocation");
        if (redirect != null) return redirect(301, redirect);
        HttpResponseData res = new HttpResponseData(status);
        res.header("Content-Type", v.headers.getOrDefault("ContentType", "binary/octet-stream"));
        res.header("ETag", v.etag);
        res.header("Last-Modified", HttpDates.format(v.lastModified));
        for (String h : List.of("CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage")) {
            String value = v.headers.get(h);
            if (value != null) res.header(h.replaceAll("([a-z])([A-Z])", "$1-$2"), value);
        }
        res.header("Content-Length", String.valueOf(v.size));
        if (head || v.size == 0) return res;
        try {
            InputStream data = state.open(v, 0, v.size);
            res.body(data, v.size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return res;
    }

    /** 404: the error document (with status 404) when there is one, else AWS's page naming what was missing. */
    private HttpResponseData notFound(RequestContext ctx, Bucket bucket, Map<String, Object> config, String key, boolean head) {
        List<String> items = List.of("Code: NoSuchKey", "Message: The specified key does not exist.", "Key: " + key);
        Map<String, Object> error = In.map(config, "ErrorDocument");
        String errorKey = error == null ? null : In.str(error, "Key");
        if (errorKey == null) return page(ctx, 404, "Not Found", items, null);
        ObjectVersion doc = current(bucket, errorKey);
        if (doc == null) {
            return page(ctx, 404, "Not Found", items, List.of("Code: NoSuchKey", "Message: The specified key does not exist.",
                    "Key: " + errorKey));
        }
        return object(doc, 404, head);
    }

    /**
     * The first routing rule whose condition matches (key prefix, and the error code when {@code errorCode} is
     * given; rules with an error-code condition apply only then) as a redirect; null when none does.
     */
    @SuppressWarnings("unchecked")
    private static HttpResponseData route(Map<String, Object> config, String key, String errorCode, HttpRequestData req) {
        for (Object o : In.list(config, "RoutingRules")) {
            Map<String, Object> rule = (Map<String, Object>) o;
            Map<String, Object> condition = In.map(rule, "Condition");
            String prefix = condition == null ? null : In.str(condition, "KeyPrefixEquals");
            String code = condition == null ? null : In.str(condition, "HttpErrorCodeReturnedEquals");
            if (prefix != null && !key.startsWith(prefix)) continue;
            if (code != null ? !code.equals(errorCode) : errorCode != null) continue;
            Map<String, Object> r = In.map(rule, "Redirect");
            if (r == null) continue;
            String newKey = key;
            if (In.str(r, "ReplaceKeyWith") != null) newKey = In.str(r, "ReplaceKeyWith");
            else if (In.str(r, "ReplaceKeyPrefixWith") != null) {
                newKey = In.str(r, "ReplaceKeyPrefixWith") + key.substring(prefix == null ? 0 : prefix.length());
            }
            String host = In.str(r, "HostName") != null ? In.str(r, "HostName") : req.header("Host");
            String protocol = In.str(r, "Protocol") != null ? In.str(r, "Protocol") : "http";
            int status = In.integer(r, "HttpRedirectCode") == null ? 301 : In.integer(r, "HttpRedirectCode");
            return redirect(status, protocol + "://" + host + "/" + newKey);
        }
        return null;
    }

    private static HttpResponseData redirect(int status, String location) {
        HttpResponseData res = new HttpResponseData(status);
        res.header("Location", location);
        res.header("Content-Length", "0");
        return res;
    }

    /** AWS's HTML error page. */
    private static HttpResponseData page(RequestContext ctx, int status, String reason, List<String> items, List<String> errorDocument) {
        StringBuilder html = new StringBuilder("<html>\n<head><title>").append(status).append(' ').append(reason)
                .append("</title></head>\n<body>\n<h1>").append(status).append(' ').append(reason).append("</h1>\n<ul>\n");
        for (String item : items) html.append("<li>").append(Xml.escape(item)).append("</li>\n");
        String id = String.valueOf(ctx.requestId());
        html.append("<li>RequestId: ").append(Xml.escape(id)).append("</li>\n<li>HostId: ")
                .append(Xml.escape(hostId(id))).append("</li>\n</ul>\n");
        if (errorDocument != null) {
            html.append("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n");
            for (String item : errorDocument) html.append("<li>").append(Xml.escape(item)).append("</li>\n");
            html.append("</ul>\n");
        }
        html.append("<hr/>\n</body>\n</html>\n");
        HttpResponseData res = new HttpResponseData(status);
        res.header("Content-Type", "text/html; charset=utf-8");
        res.body(html.toString());
        return res;
    }

    private static String hostId(String requestId) {
        return java.util.Base64.getEncoder().encodeToString(("polystack/" + requestId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
