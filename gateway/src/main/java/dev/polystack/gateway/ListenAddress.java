package dev.polystack.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code GATEWAY_LISTEN} ({@code host:port}, {@code :port}, {@code port}, {@code [::1]:port}).
 * The variable may list several, comma-separated; the first is the main listener.
 */
public record ListenAddress(String host, int port) {
    public static final String DEFAULT = "127.0.0.1:4566";

    public static List<ListenAddress> parseAll(String value) {
        List<ListenAddress> all = new ArrayList<>();
        for (String part : (value == null || value.isBlank() ? DEFAULT : value).split(",")) {
            if (!part.isBlank()) all.add(parse(part.trim()));
        }
        if (all.isEmpty()) all.add(parse(DEFAULT));
        return List.copyOf(all);
    }

    public static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        String host;
        String port;
        if (colon < 0 || text.endsWith("]")) {
            boolean numeric = !text.isEmpty() && text.chars().allMatch(Character::isDigit);
            host = numeric ? "127.0.0.1" : text;
            port = numeric ? text : "4566";
        } else {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) host = "0.0.0.0";
        try {
            return new ListenAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GATEWAY_LISTEN: invalid address '" + text + "'");
        }
    }

    /** The URL clients use: a wildcard bind address is shown as localhost. */
    public String url(int actualPort) {
        return url(actualPort, false);
    }

    /** The URL clients use, {@code https} when the listener speaks TLS. */
    public String url(int actualPort, boolean tls) {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + shown + ":" + actualPort;
    }
}
