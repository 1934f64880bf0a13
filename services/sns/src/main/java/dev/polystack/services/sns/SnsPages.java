package dev.polystack.services.sns;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import static dev.polystack.services.sns.SnsErrors.invalid;

/** SNS's list operations: pages of 100 with an opaque NextToken (the offset, Base64). */
final class SnsPages {
    static final int PAGE_SIZE = 100;

    private SnsPages() {
    }

    /** Hands one page of {@code items} to {@code sink}; returns the next token or null. */
    static <T> String page(List<T> items, String token, Consumer<T> sink) {
        int start = 0;
        if (token != null && !token.isEmpty()) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw invalid("Invalid parameter: NextToken");
            }
        }
        int end = Math.min(items.size(), start + PAGE_SIZE);
        for (int i = Math.max(0, start); i < end; i++) sink.accept(items.get(i));
        return end < items.size()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8))
                : null;
    }
}
