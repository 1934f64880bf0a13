package dev.polystack.services.kms;

import dev.polystack.api.ServiceException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.polystack.services.kms.KmsInput.integer;
import static dev.polystack.services.kms.KmsInput.range;
import static dev.polystack.services.kms.KmsInput.str;

/** KMS's list paging: Limit, an opaque Marker, Truncated and NextMarker. */
final class KmsPaging {
    private KmsPaging() {
    }

    /** One page of {@code items}: Limit (1–1000, default 100), Marker (an opaque offset), Truncated, NextMarker. */
    static <T> Map<String, Object> page(Map<String, Object> in, List<T> items, String member, Function<T, Object> render) {
        Integer limit = integer(in, "Limit");
        range("Limit", limit, 1, 1000);
        int size = limit == null ? 100 : limit;
        String marker = str(in, "Marker");
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
        List<Object> rendered = new ArrayList<>();
        for (int i = Math.min(start, items.size()); i < end; i++) rendered.add(render.apply(items.get(i)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(member, rendered);
        boolean truncated = end < items.size();
        out.put("Truncated", truncated);
        if (truncated) {
            out.put("NextMarker", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(end).getBytes(StandardCharsets.US_ASCII)));
        }
        return out;
    }
}
