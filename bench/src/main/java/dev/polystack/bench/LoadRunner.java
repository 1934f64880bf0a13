package dev.polystack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a scenario with a fixed number of workers for a fixed time; closed loop, no think time. Workers are platform
 * threads: a blocking socket read on one is a plain system call, where a virtual thread parks and is woken through
 * the JDK's poller (about twice the client CPU per request at c=1 here).
 */
public final class LoadRunner {
    private LoadRunner() {
    }

    /** Iterations done, errors, and latency percentiles (microseconds). */
    public record Result(long iterations, long errors, double seconds, long p50Micros, long p99Micros, String firstError) {
        public double perSecond() {
            return seconds <= 0 ? 0 : iterations / seconds;
        }

        public Result plus(Result o) {
            return new Result(iterations + o.iterations, errors + o.errors, seconds + o.seconds,
                    (p50Micros + o.p50Micros) / 2, Math.max(p99Micros, o.p99Micros), firstError != null ? firstError : o.firstError);
        }
    }

    public static Result run(Scenario scenario, Target target, int concurrency, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[concurrency];
        long[] errors = new long[concurrency];
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            long[] mine = new long[1 << 16];
            latencies.add(mine);
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                long i = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    try {
                        scenario.iterate(target, worker, i);
                        if (counts[worker] < mine.length) mine[(int) counts[worker]] = (System.nanoTime() - t0) / 1000;
                        counts[worker]++;
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        errors[worker]++;
                        firstError.compareAndSet(null, e.toString());
                    }
                    i++;
                }
            }));
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - started) / 1e9;
        long total = 0;
        long errs = 0;
        List<Long> all = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            total += counts[w];
            errs += errors[w];
            long[] mine = latencies.get(w);
            for (int i = 0; i < Math.min(counts[w], mine.length); i++) all.add(mine[i]);
        }
        all.sort(null);
        long p50 = all.isEmpty() ? 0 : all.get(all.size() / 2);
        long p99 = all.isEmpty() ? 0 : all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99)));
        return new Result(total, errs, elapsed, p50, p99, firstError.get());
    }
}
