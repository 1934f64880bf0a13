package dev.polystack.services.logs;

import java.util.concurrent.ConcurrentSkipListMap;

/** One account's log groups in one region; created, deleted and configured holding this object's lock. */
public final class LogsRegion {
    public ConcurrentSkipListMap<String, LogGroup> groups = new ConcurrentSkipListMap<>();
}
