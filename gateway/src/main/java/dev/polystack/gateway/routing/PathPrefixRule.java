package dev.polystack.gateway.routing;

import java.util.Map;

/**
 * Services recognisable by their request path alone (REST APIs with dated prefixes), plus SQS queue URLs
 * ({@code /<account>/<queue>}) when the request carries an {@code Action}.
 */
public final class PathPrefixRule implements RouteRule {
    private static final Map<String, String> PREFIXES = Map.ofEntries(
            Map.entry("/2015-03-31/functions", "lambda"),
            Map.entry("/2015-03-31/event-source-mappings", "lambda"),
            Map.entry("/2013-04-01/", "route53"),
            Map.entry("/v20180820/", "s3control"),
            Map.entry("/2017-03-25/", "cloudfront"),
            Map.entry("/2020-05-31/", "cloudfront"),
            // API Gateway v2 shares v1's signing name; its paths tell them apart.
            Map.entry("/v2/apis", "apigatewayv2"),
            Map.entry("/v2/domainnames", "apigatewayv2"),
            Map.entry("/v2/vpclinks", "apigatewayv2"),
            Map.entry("/v2/tags", "apigatewayv2"));

    @Override
    public String match(RouteInput input) {
        String path = input.request().path();
        for (Map.Entry<String, String> e : PREFIXES.entrySet()) {
            if (path.startsWith(e.getKey())) return e.getValue();
        }
        if (isQueuePath(path) && input.action() != null) return "sqs";
        // LocalStack's path form of a deployed API: /restapis/<api-id>/<stage>/_user_request_/<path>
        if (path.startsWith("/restapis/") && path.contains("/_user_request_")) return "apigateway";
        return null;
    }

    /** {@code /123456789012/name} (and LocalStack's {@code /queue/<region>/<account>/<name>}). */
    static boolean isQueuePath(String path) {
        if (path.startsWith("/queue/")) return true;
        if (path.length() < 15 || path.charAt(13) != '/') return false;
        for (int i = 1; i < 13; i++) {
            if (!Character.isDigit(path.charAt(i))) return false;
        }
        return path.indexOf('/', 14) < 0;
    }
}
