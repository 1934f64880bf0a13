package dev.polystack.gateway;

/** Polystack's version, as reported by {@code /_localstack/health} and {@code /_localstack/info}. */
public final class Version {
    public static final String VALUE = "0.1.0";

    private Version() {
    }
}
