package dev.polystack.services.cloudwatch;

/** A stored dashboard: its body as put (AWS keeps the text; it renders nothing here). */
public record Dashboard(String name, String arn, String body, long lastModified) {
}
