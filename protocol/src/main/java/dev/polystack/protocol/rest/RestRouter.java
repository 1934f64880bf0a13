package dev.polystack.protocol.rest;

import dev.polystack.api.HttpRequestData;
import dev.polystack.protocol.model.Location;
import dev.polystack.protocol.model.Member;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.ShapeType;
import dev.polystack.protocol.model.UriTemplate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the operation of a REST request (rest-json and rest-xml) from its method, path, query string and headers.
 * Candidates per method, most specific first (literal characters, literal query keys, non-greedy); among the
 * templates that match:
 * <ul>
 *   <li>{@code x-id=<Operation>} (S3's newer specifications put it in the URI; clients may omit it) names the operation;</li>
 *   <li>with {@link #selectingByRequiredMembers}, an operation's required query members count like literal query
 *       keys and must be present (S3 UploadPart over PutObject), and one whose required headers are all present wins
 *       (CopyObject over PutObject). rest-json leaves this off: a missing required query member there is a validation
 *       error of the one operation its path names, not a reason to pick another;</li>
 *   <li>a current operation wins over a deprecated one with the same route (PutBucketLifecycle).</li>
 * </ul>
 */
public final class RestRouter {
    /** A matched operation and its decoded URI label values. */
    public record Match(Operation operation, Map<String, String> labels) {
    }

    /** One operation's place in the routing table. */
    private record Route(Operation op, UriTemplate template, String[] requiredHeaders, String[] requiredQuery) {
        int specificity() {
            return template.specificity() + requiredQuery.length * 4;
        }
    }

    private final Map<String, Route[]> byMethod = new HashMap<>();
    private final boolean headFallsBackToGet;

    private RestRouter(ServiceModel model, boolean byRequiredMembers, boolean headFallsBackToGet) {
        this.headFallsBackToGet = headFallsBackToGet;
        Map<String, List<Route>> groups = new HashMap<>();
        for (Operation op : model.operations().values()) {
            List<String> headers = new ArrayList<>();
            List<String> query = new ArrayList<>();
            if (byRequiredMembers && op.input() != null) {
                for (Member m : op.input().nonBodyMembers()) {
                    if (!m.isRequired()) continue;
                    if (m.location() == Location.HEADER) headers.add(m.wireName());
                    if (m.location() == Location.QUERYSTRING && m.type() != ShapeType.MAP) query.add(m.wireName());
                }
            }
            UriTemplate template = op.requestUri().contains("x-id=") ? UriTemplate.parse(withoutXId(op.requestUri())) : op.uriTemplate();
            groups.computeIfAbsent(op.httpMethod().toUpperCase(), k -> new ArrayList<>())
                    .add(new Route(op, template, headers.toArray(new String[0]), query.toArray(new String[0])));
        }
        groups.forEach((method, routes) -> {
            routes.sort(Comparator.comparingInt(Route::specificity).reversed()
                    .thenComparing(Comparator.comparingInt((Route r) -> r.requiredHeaders.length).reversed())
                    .thenComparing((Route r) -> r.op.isDeprecated()));
            byMethod.put(method, routes.toArray(new Route[0]));
        });
    }

    /** rest-json: method, path and literal query keys select the operation. */
    public static RestRouter byTemplate(ServiceModel model) {
        return new RestRouter(model, false, false);
    }

    /** rest-xml: required query members and headers select too, and HEAD falls back to GET routes (S3). */
    public static RestRouter selectingByRequiredMembers(ServiceModel model) {
        return new RestRouter(model, true, true);
    }

    /** The matching operation, or null. */
    public Match match(HttpRequestData request) {
        String method = request.method().toUpperCase();
        Route[] candidates = byMethod.get(method);
        if (candidates == null && headFallsBackToGet && method.equals("HEAD")) candidates = byMethod.get("GET");
        if (candidates == null) return null;
        List<String> segments = UriTemplate.splitPath(request.path());
        Map<String, List<String>> query = request.queryParameters();
        List<String> xIds = query.get("x-id");
        String xId = xIds == null || xIds.isEmpty() ? null : xIds.get(0);
        Match first = null;
        Match withHeaders = null;
        for (Route r : candidates) {
            if (!allPresent(r.requiredQuery, query)) continue;
            Map<String, String> labels = r.template.match(segments, query);
            if (labels == null) continue;
            Match m = new Match(r.op, labels);
            if (xId != null && xId.equals(r.op.name())) return m;
            if (first == null) first = m;
            if (withHeaders == null && headersPresent(r.requiredHeaders, request)) {
                if (xId == null) return m;
                withHeaders = m;
            }
        }
        return withHeaders != null ? withHeaders : first;
    }

    private static boolean allPresent(String[] keys, Map<String, List<String>> query) {
        for (String k : keys) if (!query.containsKey(k)) return false;
        return true;
    }

    private static boolean headersPresent(String[] names, HttpRequestData request) {
        for (String h : names) if (request.header(h) == null) return false;
        return true;
    }

    /** The request URI without its {@code x-id=...} query parameter. */
    private static String withoutXId(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) return uri;
        StringBuilder sb = new StringBuilder(uri.substring(0, q));
        char sep = '?';
        for (String part : uri.substring(q + 1).split("&")) {
            if (part.isEmpty() || part.startsWith("x-id=")) continue;
            sb.append(sep).append(part);
            sep = '&';
        }
        return sb.toString();
    }
}
