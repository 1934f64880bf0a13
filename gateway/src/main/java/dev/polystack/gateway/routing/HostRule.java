package dev.polystack.gateway.routing;

import dev.polystack.protocol.ServiceInfo;

import java.util.List;

/**
 * AWS-style host names: {@code sqs.us-east-1.localhost.localstack.cloud}, {@code sqs.us-east-1.amazonaws.com},
 * {@code s3.localhost.localstack.cloud}, {@code <bucket>.s3.<region>.amazonaws.com},
 * {@code <bucket>.s3.localhost.localstack.cloud}. An {@code s3} label anywhere means S3 (the labels before it
 * are the bucket); otherwise the first label is an endpoint prefix.
 */
public final class HostRule implements RouteRule {
    private static final String[] DOMAINS = {".localhost.localstack.cloud", ".amazonaws.com", ".amazonaws.com.cn"};

    @Override
    public String match(RouteInput input) {
        String[] labels = serviceLabels(input.host());
        if (labels == null || labels.length == 0) return null;
        for (String label : labels) {
            if (label.equals("s3") || label.startsWith("s3-website") || label.equals("s3-accelerate")) return "s3";
            if (label.equals("s3-control")) return "s3control";
            if (label.equals("execute-api")) return "apigateway"; // <api-id>.execute-api...: a deployed API's invocation
        }
        if (labels[0].equals("queue")) return "sqs"; // legacy queue.amazonaws.com
        if (labels.length > 1 && labels[1].equals("lambda-url")) return "lambda"; // <url-id>.lambda-url.<region>...: function URLs
        List<ServiceInfo> services = input.catalog().byEndpointPrefix(labels[0]);
        if (services == null || services.isEmpty()) return null;
        for (ServiceInfo s : services) {
            if (s.service().equals(labels[0])) return s.service();
        }
        return services.get(0).service();
    }

    /** The labels before an AWS or LocalStack domain, or null when the host is not such a name. */
    static String[] serviceLabels(String host) {
        for (String domain : DOMAINS) {
            if (host.endsWith(domain) && host.length() > domain.length()) {
                return host.substring(0, host.length() - domain.length()).split("\\.");
            }
        }
        return null;
    }
}
