package dev.polystack.services.sqs;

import dev.polystack.api.Config;

import java.util.Locale;

/**
 * Queue URLs as LocalStack builds them ({@code SQS_ENDPOINT_STRATEGY}), and the reverse: any of these
 * forms, AWS's own ({@code https://sqs.eu-west-1.amazonaws.com/123456789012/q}) or a bare path, back to
 * (region, account, name). The scheme is {@code https} with {@code USE_SSL}.
 * <ul>
 *   <li>{@code standard} (default): {@code http://sqs.<region>.<host>:<port>/<account>/<name>}</li>
 *   <li>{@code domain}: {@code http://<region>.queue.<host>:<port>/<account>/<name>} (no region label for us-east-1)</li>
 *   <li>{@code path}: {@code http://<host>:<port>/queue/<region>/<account>/<name>}</li>
 *   <li>{@code off}: {@code http://<request Host header>/<account>/<name>}</li>
 * </ul>
 */
final class QueueUrls {
    enum Strategy { STANDARD, DOMAIN, PATH, OFF }

    /** A queue's coordinates; {@code region} is null when the URL does not tell it. */
    record QueueAddress(String region, String accountId, String name) {
    }

    private final Strategy strategy;
    private final String externalHost;
    private final String scheme;

    QueueUrls(Config config) {
        this.strategy = switch (config.get("SQS_ENDPOINT_STRATEGY", "standard").toLowerCase(Locale.ROOT)) {
            case "domain" -> Strategy.DOMAIN;
            case "path" -> Strategy.PATH;
            case "off", "dynamic" -> Strategy.OFF;
            default -> Strategy.STANDARD;
        };
        this.externalHost = config.externalHost();
        this.scheme = config.externalScheme() + "://";
    }

    Strategy strategy() {
        return strategy;
    }

    /** @param requestHost the request's Host header, used by the {@code off} strategy (may be null) */
    String url(String region, String accountId, String name, String requestHost) {
        return switch (strategy) {
            case STANDARD -> scheme + "sqs." + region + "." + externalHost + "/" + accountId + "/" + name;
            case DOMAIN -> scheme + ("us-east-1".equals(region) ? "" : region + ".") + "queue." + externalHost
                    + "/" + accountId + "/" + name;
            case PATH -> scheme + externalHost + "/queue/" + region + "/" + accountId + "/" + name;
            case OFF -> scheme + (requestHost == null || requestHost.isBlank() ? externalHost : requestHost)
                    + "/" + accountId + "/" + name;
        };
    }

    /**
     * Parses a queue URL in any supported form, or a request path such as {@code /000000000000/q}.
     * Returns null when it names no queue.
     */
    static QueueAddress parse(String url) {
        if (url == null || url.isEmpty()) return null;
        String host = null;
        String path = url;
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int slash = url.indexOf('/', scheme + 3);
            host = slash < 0 ? url.substring(scheme + 3) : url.substring(scheme + 3, slash);
            path = slash < 0 ? "" : url.substring(slash);
        }
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        String[] parts = trimSlashes(path).split("/");
        String region = host == null ? null : regionFromHost(host);
        if (parts.length == 4 && parts[0].equals("queue")) {
            region = parts[1];
            return address(region, parts[2], parts[3]);
        }
        if (parts.length == 2) return address(region, parts[0], parts[1]);
        return null;
    }

    /** A queue name on its own (no scheme, no slash), as AWS accepts in place of a queue URL. */
    static boolean isBareName(String value) {
        return value != null && !value.isEmpty() && value.indexOf('/') < 0 && !value.contains("://");
    }

    private static QueueAddress address(String region, String account, String name) {
        if (account.isEmpty() || name.isEmpty()) return null;
        return new QueueAddress(region, account, name);
    }

    /** {@code sqs.<region>.…}, {@code <region>.queue.…}, {@code queue.…} (us-east-1); else null. */
    private static String regionFromHost(String host) {
        int colon = host.indexOf(':');
        if (colon >= 0) host = host.substring(0, colon);
        String[] labels = host.split("\\.");
        if (labels.length >= 3 && labels[0].equals("sqs") && looksLikeRegion(labels[1])) return labels[1];
        if (labels.length >= 3 && labels[1].equals("queue") && looksLikeRegion(labels[0])) return labels[0];
        if (labels.length >= 2 && labels[0].equals("queue")) return "us-east-1";
        return null;
    }

    private static boolean looksLikeRegion(String label) {
        return label.indexOf('-') > 0 && Character.isDigit(label.charAt(label.length() - 1));
    }

    private static String trimSlashes(String path) {
        int start = 0, end = path.length();
        while (start < end && path.charAt(start) == '/') start++;
        while (end > start && path.charAt(end - 1) == '/') end--;
        return path.substring(start, end);
    }
}
