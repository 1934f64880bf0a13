package dev.polystack.services.apigateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code limit}/{@code position} paging of API Gateway's {@code Get*s} listings ({@code items} + {@code position}). */
final class Paging {
    private static final int DEFAULT_LIMIT = 25;
    private static final int MAX_LIMIT = 500;

    private Paging() {
    }

    static Map<String, Object> page(List<Map<String, Object>> all, String position, Integer requestedLimit) {
        int limit = requestedLimit != null ? Math.min(Math.max(requestedLimit, 1), MAX_LIMIT) : DEFAULT_LIMIT;
        int start = 0;
        if (position != null) {
            try {
                start = Integer.parseInt(position);
            } catch (NumberFormatException e) {
                throw ApiGatewayErrors.badRequest("Invalid position parameter");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int end = Math.min(all.size(), start + limit);
        out.put("items", start >= all.size() ? List.of() : all.subList(start, end));
        if (end < all.size()) out.put("position", Integer.toString(end));
        return out;
    }
}
