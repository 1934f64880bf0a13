package dev.polystack.services.lambda;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far a stream mapping got, kept apart from its poller so that it outlives one (an updated or disabled mapping
 * resumes where it stopped) and goes into the snapshot (a restarted Polystack resumes there too): the last sequence
 * number handled per shard, the open tumbling window per shard (per shard and lane with a ParallelizationFactor),
 * and {@code LastProcessingResult}. Every change is reported to {@code changed}, so that it is saved soon
 * (PERSISTENCE=1) and a kill -9 loses at most the last moments' progress.
 */
final class MappingProgress {
    static final String NO_RECORDS = "No records processed";
    static final String OK = "OK";
    static final String FUNCTION_FAILED = "PROBLEM: Function call failed";

    private final ConcurrentHashMap<String, String> checkpoints = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    private volatile String lastProcessingResult = NO_RECORDS;
    private final Runnable changed;

    MappingProgress(Runnable changed) {
        this.changed = changed;
    }

    /**
     * A tumbling window of one shard: its bounds and the state the function returned last ({@code {}} at first),
     * handed to the next invocation in the same window. {@code state} is JSON text.
     */
    record Window(Instant start, Instant end, String state) {
        Window withState(String newState) {
            return new Window(start, end, newState);
        }
    }

    String checkpoint(String shard) {
        return checkpoints.get(shard);
    }

    void checkpoint(String shard, String sequenceNumber) {
        checkpoints.put(shard, sequenceNumber);
        changed.run();
    }

    Window window(String key) {
        return windows.get(key);
    }

    void window(String key, Window window) {
        windows.put(key, window);
        changed.run();
    }

    /** The open windows of a shard: one, or one per lane with a ParallelizationFactor (keys {@code shard#lane}). */
    Map<String, Window> windowsOf(String shard) {
        Map<String, Window> out = new java.util.TreeMap<>();
        windows.forEach((key, w) -> {
            if (key.equals(shard) || key.startsWith(shard + "#")) out.put(key, w);
        });
        return out;
    }

    void closeWindow(String key) {
        if (windows.remove(key) != null) changed.run();
    }

    String lastProcessingResult() {
        return lastProcessingResult;
    }

    void lastProcessingResult(String result) {
        if (result.equals(lastProcessingResult)) return;
        lastProcessingResult = result;
        changed.run();
    }

    /** A copy of the checkpoints, for the snapshot. */
    Map<String, String> checkpoints() {
        return Map.copyOf(checkpoints);
    }

    /** A copy of the open windows, for the snapshot. */
    Map<String, Window> windows() {
        return Map.copyOf(windows);
    }

    /** Restores what a snapshot held (without reporting a change: it is what is saved). */
    void restore(Map<String, String> savedCheckpoints, Map<String, Window> savedWindows, String savedResult) {
        if (savedCheckpoints != null) checkpoints.putAll(savedCheckpoints);
        if (savedWindows != null) windows.putAll(savedWindows);
        if (savedResult != null) lastProcessingResult = savedResult;
    }
}
