package dev.polystack.bench;

/**
 * One kind of load, run the same way against every server being compared. Add one by writing a public class with
 * a no-argument constructor and listing it in {@code bench/src/main/resources/META-INF/services/dev.polystack.bench.Scenario}.
 * An iteration may issue several requests (a send-receive-delete round trip); the runner counts iterations
 * and their latency.
 */
public interface Scenario {

    /** Short name used on the command line and in the table, e.g. {@code sqs-send-receive}. */
    String name();

    /** Prepares resources on the target (create the queue, the bucket) before the clock starts. */
    default void setup(Target target) throws Exception {
    }

    /**
     * One iteration by one worker. Throw (or let {@link Target} throw on an error status) to count an error.
     *
     * @param worker the worker's index (0..concurrency-1), to spread keys or queues
     * @param iteration this worker's iteration count
     */
    void iterate(Target target, int worker, long iteration) throws Exception;
}
