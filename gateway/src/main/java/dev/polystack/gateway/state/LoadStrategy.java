package dev.polystack.gateway.state;

import java.util.Locale;

/** When snapshots are read back ({@code SNAPSHOT_LOAD_STRATEGY}, LocalStack's names). */
public enum LoadStrategy {
    /** When the service is first used (its provider is created): start-up stays fast. */
    ON_REQUEST,
    /** At start-up, for every service that has a snapshot. */
    ON_STARTUP,
    /** Never automatically (POST /_localstack/state/load). */
    MANUAL;

    static LoadStrategy parse(String value, LoadStrategy fallback) {
        if (value == null) return fallback;
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.getLogger(LoadStrategy.class.getName()).log(System.Logger.Level.WARNING,
                    "SNAPSHOT_LOAD_STRATEGY={0} is not one of {1}: using {2}", value, java.util.Arrays.toString(values()), fallback);
            return fallback;
        }
    }
}
