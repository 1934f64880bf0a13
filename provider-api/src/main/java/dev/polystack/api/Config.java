package dev.polystack.api;

import java.util.Locale;
import java.util.Map;

/**
 * Settings read from environment variables with LocalStack's names. Immutable; one instance per server.
 * Typed accessors live here so every module reads a setting the same way.
 */
public final class Config {
    public static final String DEFAULT_ACCOUNT = "000000000000";
    public static final String DEFAULT_REGION = "us-east-1";

    private final Map<String, String> values;

    public Config(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Config fromEnvironment() {
        return new Config(System.getenv());
    }

    /** The raw value, or null when unset or blank. */
    public String get(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    /** LocalStack's truthiness: 1, true, yes, on. */
    public boolean flag(String name) {
        String v = get(name);
        return v != null && switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    public int integer(String name, int fallback) {
        String v = get(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** All values (for /_localstack/info style reporting of what is set). */
    public Map<String, String> all() {
        return values;
    }

    /**
     * The host and port that URLs handed to clients carry ({@code LOCALSTACK_HOST}),
     * default {@code localhost.localstack.cloud:<gateway port>}.
     */
    public String externalHost() {
        String host = get("LOCALSTACK_HOST");
        if (host != null) return host.contains(":") ? host : host + ":" + gatewayPort();
        return "localhost.localstack.cloud:" + gatewayPort();
    }

    /** The URL scheme clients reach this server with: {@code https} when {@code USE_SSL} is on, else {@code http}. */
    public String externalScheme() {
        return flag("USE_SSL") ? "https" : "http";
    }

    /** The port of the first {@code GATEWAY_LISTEN} address (default 4566). */
    public int gatewayPort() {
        String listen = get("GATEWAY_LISTEN", "127.0.0.1:4566").split(",")[0].trim();
        int colon = listen.lastIndexOf(':');
        try {
            return colon < 0 ? Integer.parseInt(listen) : Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 4566;
        }
    }
}
