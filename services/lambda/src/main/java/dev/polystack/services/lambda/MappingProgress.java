package dev.polystack.services.lambda;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far a stream mapping got, kept apart from its poller so that it outlives one (an updated or disabled mapping
 * resumes where it stopped) and goes into the snapshot (a restarted Polystack resumes there too): the last sequence
 * number handled per shard, the open tumbling window per shard, and {@code LastProcessingResult}.
 */
final class MappingProgress {
    static final String NO_RECORDS = "No records processed";
    static final String OK = "OK";
    static final String FUNCTION_FAILED = "PROBLEM: Function call failed";

    final ConcurrentHashMap<String, String> checkpoints = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();
    volatile String lastProcessingResult = NO_RECORDS;

    /**
     * A tumbling window of one shard: its bounds and the state the function returned last ({@code {}} at first),
     * handed to the next invocation in the same window. {@code state} is JSON text.
     */
    record Window(Instant start, Instant end, String state) {
        Window withState(String newState) {
            return new Window(start, end, newState);
        }
    }
}
