package dev.polystack.gateway.routing;

import dev.polystack.api.HttpRequestData;

/**
 * What a request's signature says about the caller: access key, and for SigV4 the credential scope's
 * region and service. Read from the {@code Authorization} header or, for presigned URLs, from the
 * {@code X-Amz-Credential} (SigV4) or {@code AWSAccessKeyId} (SigV2) query parameters. Signatures are not
 * verified (LocalStack's default).
 *
 * @param accessKeyId the access key id, or null when the request is unsigned
 * @param region      the credential scope's region, or null (SigV2, unsigned)
 * @param service     the credential scope's signing name, or null
 */
public record Credential(String accessKeyId, String region, String service) {
    public static final Credential NONE = new Credential(null, null, null);

    public boolean signed() {
        return accessKeyId != null;
    }

    /** The credential of a request: Authorization header first, then presigned query parameters. */
    public static Credential of(HttpRequestData request) {
        String authorization = request.header("Authorization");
        if (authorization != null) {
            Credential c = fromAuthorization(authorization);
            if (c != null) return c;
        }
        String rawQuery = request.rawQuery();
        if (!rawQuery.isEmpty()) {
            if (rawQuery.contains("X-Amz-Credential=")) {
                String scope = request.queryParameter("X-Amz-Credential");
                if (scope != null) return fromScope(scope);
            }
            if (rawQuery.contains("AWSAccessKeyId=")) {
                String key = request.queryParameter("AWSAccessKeyId");
                if (key != null && !key.isEmpty()) return new Credential(key, null, null);
            }
        }
        return NONE;
    }

    /** {@code AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, ...} or {@code AWS AKID:signature}. */
    static Credential fromAuthorization(String header) {
        int at = header.indexOf("Credential=");
        if (at >= 0) {
            int start = at + "Credential=".length();
            int end = start;
            while (end < header.length() && header.charAt(end) != ',' && header.charAt(end) != ' ') end++;
            return fromScope(header.substring(start, end));
        }
        if (header.startsWith("AWS ")) {
            int colon = header.indexOf(':', 4);
            String key = (colon < 0 ? header.substring(4) : header.substring(4, colon)).trim();
            return key.isEmpty() ? null : new Credential(key, null, null);
        }
        return null;
    }

    /** {@code AKID/20240101/us-east-1/sqs/aws4_request}; missing parts become null. */
    static Credential fromScope(String scope) {
        String[] parts = scope.split("/", -1);
        String key = parts[0].isEmpty() ? null : parts[0];
        String region = parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null;
        String service = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : null;
        return new Credential(key, region, service);
    }

}
