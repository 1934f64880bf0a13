package dev.polystack.services.kms;

import dev.polystack.api.ServiceException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import static dev.polystack.services.kms.KmsValidation.range;

/** KMS's list paging: Limit, an opaque Marker, Truncated and NextMarker. */
final class KmsPaging {
    private KmsPaging() {
    }

    /** One page: its items, whether more follow, and the marker of the next page (null on the last). */
    record Page<R>(List<R> items, boolean truncated, String nextMarker) {
    }

    /** One page of {@code items}: Limit (1–1000, default 100), Marker (an opaque offset), Truncated, NextMarker. */
    static <T, R> Page<R> page(Integer limit, String marker, List<T> items, Function<T, R> render) {
        range("Limit", limit, 1, 1000);
        int size = limit == null ? 100 : limit;
        int start = 0;
        if (marker != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new ServiceException("InvalidMarkerException", "Invalid marker: " + marker);
            }
            if (start < 0) throw new ServiceException("InvalidMarkerException", "Invalid marker: " + marker);
        }
        int end = Math.min(items.size(), start + size);
        List<R> rendered = new ArrayList<>();
        for (int i = Math.min(start, items.size()); i < end; i++) rendered.add(render.apply(items.get(i)));
        boolean truncated = end < items.size();
        String next = truncated ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Integer.toString(end).getBytes(StandardCharsets.US_ASCII)) : null;
        return new Page<>(rendered, truncated, next);
    }
}
