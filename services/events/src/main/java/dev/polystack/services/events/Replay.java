package dev.polystack.services.events;

import java.util.List;

/** A replay of an archive's events from a time window onto their bus. */
public final class Replay {
    public String name;
    public String arn;
    public String description;
    public String eventSourceArn;
    public String destinationArn;
    public List<String> filterArns;
    public long eventStartTime;
    public long eventEndTime;
    public Long eventLastReplayedTime;
    public String state = "STARTING";
    public String stateReason;
    public long replayStartTime;
    public Long replayEndTime;
}
