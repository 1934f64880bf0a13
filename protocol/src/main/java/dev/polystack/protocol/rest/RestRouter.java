package dev.polystack.protocol.rest;

import dev.polystack.api.HttpRequestData;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.model.UriTemplate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the operation of a REST request (rest-json, rest-xml) from its method, path and query string:
 * candidates per method, most specific template first (literal characters, required query keys, non-greedy).
 */
public final class RestRouter {
    /** A matched operation and its decoded URI label values. */
    public record Match(Operation operation, Map<String, String> labels) {
    }

    private final Map<String, Operation[]> byMethod = new HashMap<>();

    public RestRouter(ServiceModel model) {
        Map<String, List<Operation>> groups = new HashMap<>();
        for (Operation op : model.operations().values()) {
            groups.computeIfAbsent(op.httpMethod().toUpperCase(), k -> new ArrayList<>()).add(op);
        }
        groups.forEach((method, ops) -> {
            ops.sort(Comparator.comparingInt((Operation o) -> o.uriTemplate().specificity()).reversed());
            byMethod.put(method, ops.toArray(new Operation[0]));
        });
    }

    /** The matching operation, or null. */
    public Match match(HttpRequestData request) {
        Operation[] ops = byMethod.get(request.method().toUpperCase());
        if (ops == null) return null;
        List<String> segments = UriTemplate.splitPath(request.path());
        Map<String, List<String>> query = request.queryParameters();
        for (Operation op : ops) {
            Map<String, String> labels = op.uriTemplate().match(segments, query);
            if (labels != null) return new Match(op, labels);
        }
        return null;
    }

    /** Whether any operation answers this path with another method (for a 405 instead of a 404). */
    public boolean pathKnown(HttpRequestData request) {
        List<String> segments = UriTemplate.splitPath(request.path());
        Map<String, List<String>> query = request.queryParameters();
        for (Operation[] ops : byMethod.values()) {
            for (Operation op : ops) if (op.uriTemplate().match(segments, query) != null) return true;
        }
        return false;
    }
}
