package dev.polystack.services.logs;

import java.util.ArrayList;
import java.util.List;

/** A log stream: its events in timestamp order (events of equal timestamps in arrival order). Guarded by itself. */
public final class LogStream {
    public String name;
    public String arn;
    public long creationTime;
    public Long firstEventTimestamp;
    public Long lastEventTimestamp;
    public Long lastIngestionTime;
    public long storedBytes;
    public long sequence;
    public List<LogEvent> events = new ArrayList<>();

    /** Adds events already in chronological order, keeping the whole stream ordered. */
    synchronized void append(List<LogEvent> batch) {
        for (LogEvent e : batch) {
            int at = events.size();
            while (at > 0 && events.get(at - 1).timestamp() > e.timestamp()) at--;
            events.add(at, e);
            storedBytes += e.message().length();
            if (firstEventTimestamp == null || e.timestamp() < firstEventTimestamp) firstEventTimestamp = e.timestamp();
            if (lastEventTimestamp == null || e.timestamp() > lastEventTimestamp) lastEventTimestamp = e.timestamp();
            lastIngestionTime = e.ingestionTime();
        }
        sequence++;
    }

    synchronized List<LogEvent> snapshot() {
        return new ArrayList<>(events);
    }
}
