package dev.polystack.services.s3;

/** HTTP byte ranges as S3 reads them: one range only; anything it cannot parse means the whole object. */
final class Ranges {
    private Ranges() {
    }

    /**
     * {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n} → {first, last} inclusive, clamped to the object;
     * null for "whole object" (unparseable, several ranges); InvalidRange when it starts past the end.
     */
    static long[] parse(String header, long size) {
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return null;
        String spec = h.substring(6).trim();
        if (spec.contains(",")) return null;
        int dash = spec.indexOf('-');
        if (dash < 0) return null;
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) return null;
                long n = Long.parseLong(b);
                if (n == 0) throw S3Errors.invalidRange(size, header);
                if (size == 0) return null;
                return new long[]{Math.max(0, size - n), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
            if (last < first) return null;
            if (first >= size) throw S3Errors.invalidRange(size, header);
            return new long[]{first, Math.min(last, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
