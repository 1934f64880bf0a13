package dev.polystack.gateway.routing;

import dev.polystack.api.HttpRequestData;

/**
 * Virtual-host style S3 ({@code <bucket>.s3.localhost.localstack.cloud/key},
 * {@code <bucket>.s3.us-east-1.amazonaws.com/key}) rewritten to path style ({@code /bucket/key}) so the
 * protocol layer only ever parses one form.
 */
public final class S3VirtualHost {
    private S3VirtualHost() {
    }

    /** The bucket named by the host, or null when the host is not virtual-host style. */
    public static String bucketOf(String host) {
        String[] labels = HostRule.serviceLabels(host);
        if (labels == null) return null;
        for (int i = 1; i < labels.length; i++) {
            String l = labels[i];
            if (l.equals("s3") || l.startsWith("s3-website") || l.equals("s3-accelerate")) {
                return String.join(".", java.util.Arrays.copyOfRange(labels, 0, i));
            }
        }
        return null;
    }

    /** The same request with {@code /bucket} put in front of its path, or the request itself. */
    public static HttpRequestData toPathStyle(HttpRequestData request, String host) {
        String bucket = bucketOf(host);
        if (bucket == null) return request;
        String path = request.path();
        String newPath = "/" + bucket + (path.isEmpty() || path.equals("/") ? "" : path);
        return new HttpRequestData(request.method(), newPath, request.rawQuery(),
                request.headers(), request.body());
    }
}
