package dev.polystack.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list answer and the {@code NextToken} that continues it (null on the last page). The token is opaque
 * to clients: the key of the last item returned, so a page stays correct when items are added or removed between
 * calls (an index would skip or repeat items).
 *
 * @param items     this page's items
 * @param nextToken the token for the next page, null when there is none
 */
public record Page<T>(List<T> items, String nextToken) {

    /**
     * The page after {@code token} of {@code items}, which must be sorted by {@code key} in {@link String} order.
     *
     * @param invalid the service's error for a token it did not issue (AWS answers a validation error)
     */
    public static <T> Page<T> of(List<T> items, Function<T, String> key, String token, int size,
                                 Function<String, ? extends RuntimeException> invalid) {
        int from = 0;
        if (token != null && !token.isEmpty()) {
            String after = decode(token);
            if (after == null) throw invalid.apply(token);
            while (from < items.size() && key.apply(items.get(from)).compareTo(after) <= 0) from++;
        }
        int to = Math.min(items.size(), from + Math.max(1, size));
        List<T> page = List.copyOf(items.subList(from, to));
        String next = to < items.size() ? encode(key.apply(items.get(to - 1))) : null;
        return new Page<>(page, next);
    }

    private static final String PREFIX = "p1:";

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return s.startsWith(PREFIX) ? s.substring(PREFIX.length()) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
