package dev.polystack.services.events;

import java.util.concurrent.ConcurrentSkipListMap;

/** One account's EventBridge resources in one region. Changes are made holding this object's lock. */
public final class EventsRegion {
    public ConcurrentSkipListMap<String, EventBus> buses = new ConcurrentSkipListMap<>();
    public ConcurrentSkipListMap<String, Archive> archives = new ConcurrentSkipListMap<>();
    public ConcurrentSkipListMap<String, Replay> replays = new ConcurrentSkipListMap<>();
    public ConcurrentSkipListMap<String, Connection> connections = new ConcurrentSkipListMap<>();
    public ConcurrentSkipListMap<String, ApiDestination> apiDestinations = new ConcurrentSkipListMap<>();
}
