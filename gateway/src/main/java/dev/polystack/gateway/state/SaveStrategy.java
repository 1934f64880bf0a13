package dev.polystack.gateway.state;

import java.util.Locale;

/**
 * When snapshots are written ({@code SNAPSHOT_SAVE_STRATEGY}, LocalStack's names). Every strategy but
 * {@link #MANUAL} also saves at a clean shutdown.
 */
public enum SaveStrategy {
    /** Soon after each state-changing request: coalesced in the background, at most one save per service in flight. */
    ON_REQUEST,
    /** Only when the server stops cleanly. */
    ON_SHUTDOWN,
    /** Every {@code SNAPSHOT_FLUSH_INTERVAL} seconds, for services changed since the last save. */
    SCHEDULED,
    /** Only through {@code POST /_localstack/state/save}. */
    MANUAL;

    static SaveStrategy parse(String value, SaveStrategy fallback) {
        if (value == null) return fallback;
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.getLogger(SaveStrategy.class.getName()).log(System.Logger.Level.WARNING,
                    "SNAPSHOT_SAVE_STRATEGY={0} is not one of {1}: using {2}", value, java.util.Arrays.toString(values()), fallback);
            return fallback;
        }
    }
}
