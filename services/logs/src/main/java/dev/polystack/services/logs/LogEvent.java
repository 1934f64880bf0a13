package dev.polystack.services.logs;

/** One stored log event; {@code id} is the eventId FilterLogEvents reports. */
public record LogEvent(long timestamp, String message, long ingestionTime, String id) {
}
