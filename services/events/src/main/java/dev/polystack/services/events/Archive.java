package dev.polystack.services.events;

import java.util.ArrayList;
import java.util.List;

/** An archive of a bus's events (those its pattern matches), kept for replays. */
public final class Archive {
    public String name;
    public String arn;
    public String eventSourceArn;
    public String description;
    public String eventPattern;
    public Integer retentionDays;
    public String state = "ENABLED";
    public long creationTime;
    /** Archived events in arrival order: when they arrived, and the event as JSON. */
    public List<Entry> events = new ArrayList<>();
    public long sizeBytes;

    public record Entry(long time, String event) {
    }
}
