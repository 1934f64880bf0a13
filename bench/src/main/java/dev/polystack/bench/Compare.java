package dev.polystack.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Drives the same bounded load at several servers, alternating between them, and prints one table row per
 * scenario and concurrency with each server's rate, latency, errors, and the ratio of the first server to the
 * second. It also measures the generator's own ceiling against a null server.
 *
 * <pre>
 * java -cp ... dev.polystack.bench.Compare --target polystack=http://127.0.0.1:4566 --target moto=http://127.0.0.1:5000
 *     [--scenarios sqs-list-queues,sns-list-topics] [--concurrency 1,16] [--seconds 4] [--warmup s] [--rounds 2] [--list]
 *     [--pid polystack=1234]
 * </pre>
 * With {@code --pid LABEL=PID} (a server on this machine), each row also shows that server's CPU time per iteration
 * (user + system, from /proc, the median of the measured rounds): on a shared, loaded box it moves far less than
 * the rate does, so it is the figure to compare there (with 3 rounds or more, one disturbed round does not move it).
 */
public final class Compare {
    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> targets = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        List<String> wanted = new ArrayList<>();
        List<Integer> concurrency = new ArrayList<>(List.of(1, 16));
        double seconds = 4;
        double warmup = -1;
        int rounds = 2;
        Map<String, Scenario> available = new LinkedHashMap<>();
        for (Scenario s : ServiceLoader.load(Scenario.class)) available.put(s.name(), s);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> {
                    String[] kv = args[++i].split("=", 2);
                    targets.put(kv[0], kv[1]);
                }
                case "--pid" -> {
                    String[] kv = args[++i].split("=", 2);
                    pids.put(kv[0], Long.parseLong(kv[1]));
                }
                case "--scenarios" -> wanted.addAll(List.of(args[++i].split(",")));
                case "--concurrency" -> {
                    concurrency.clear();
                    for (String c : args[++i].split(",")) concurrency.add(Integer.parseInt(c.trim()));
                }
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                // A JVM server is measured cold without it: the first rows then time the JIT, not the server.
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--list" -> {
                    available.keySet().forEach(System.out::println);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (wanted.isEmpty()) wanted.addAll(available.keySet());
        List<Target> servers = new ArrayList<>();
        targets.forEach((name, url) -> servers.add(new Target(name, url)));

        System.out.printf(Locale.ROOT, "%d scenario(s) x concurrency %s, %d round(s) of %.1f s per server, alternating%n%n",
                wanted.size(), concurrency, rounds, seconds);
        printHeader(servers, pids);
                for (String name : wanted) {
            Scenario scenario = available.get(name);
            if (scenario == null) {
                System.out.println(name + ": no such scenario (see --list)");
                continue;
            }
            List<String> setupErrors = new ArrayList<>();
            for (Target t : servers) {
                try {
                    scenario.setup(t);
                } catch (Exception e) {
                    setupErrors.add(t.name() + ": " + e.getMessage());
                }
            }
            for (int c : concurrency) {
                Map<String, LoadRunner.Result> results = new LinkedHashMap<>();
                Map<String, List<Double>> cpuPerIteration = new LinkedHashMap<>();
                double warm = warmup >= 0 ? warmup : Math.min(1, seconds / 4);
                for (Target t : servers) LoadRunner.run(scenario, t, c, warm); // warm-up
                for (int r = 0; r < rounds; r++) {
                    for (Target t : servers) {
                        Long pid = pids.get(t.name());
                        double cpuBefore = pid == null ? 0 : ProcessCpu.seconds(pid);
                        LoadRunner.Result res = LoadRunner.run(scenario, t, c, seconds);
                        if (pid != null && res.iterations() > 0) {
                            cpuPerIteration.computeIfAbsent(t.name(), k -> new ArrayList<>())
                                    .add((ProcessCpu.seconds(pid) - cpuBefore) / res.iterations());
                        }
                        results.merge(t.name(), res, LoadRunner.Result::plus);
                    }
                }
                printRow(name, c, servers, results, pids, cpuPerIteration);
            }
            setupErrors.forEach(e -> System.out.println("  setup failed on " + e));
        }
        // The generator's own cost: the same client sending an SQS-sized JSON request to a server that does nothing.
        try (NullServer ceiling = new NullServer()) {
            Target t = new Target("null", ceiling.url());
            Scenario post = new Scenario() {
                @Override public String name() { return "ceiling"; }

                @Override public void iterate(Target target, int worker, long iteration) throws Exception {
                    target.awsJson("sqs", "AmazonSQS.SendMessage",
                            "{\"QueueUrl\":\"http://127.0.0.1/000000000000/q\",\"MessageBody\":\"message " + iteration + "\"}", "1.0");
                }
            };
            System.out.println();
            System.out.println("Generator ceiling (null server; rates near it measure the generator and the box, not the server):");
            for (int c : concurrency) {
                LoadRunner.run(post, t, c, Math.min(1, seconds / 4));
                LoadRunner.Result r = LoadRunner.run(post, t, c, seconds);
                System.out.printf(Locale.ROOT, "  c=%-4d %9.0f req/s  p50 %5d us  p99 %6d us%n", c, r.perSecond(), r.p50Micros(), r.p99Micros());
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void printHeader(List<Target> servers, Map<String, Long> pids) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %4s", "scenario", "c"));
        for (Target t : servers) {
            sb.append(String.format(Locale.ROOT, " | %12s %8s %8s %6s", t.name() + " it/s", "p50 ms", "p99 ms", "errors"));
            if (pids.containsKey(t.name())) sb.append(String.format(Locale.ROOT, " %9s", "CPU us/it"));
        }
        if (servers.size() >= 2) sb.append(String.format(Locale.ROOT, " | %8s", "ratio"));
        System.out.println(sb);
        System.out.println("-".repeat(sb.length()));
    }

    private static void printRow(String scenario, int c, List<Target> servers, Map<String, LoadRunner.Result> results,
                                 Map<String, Long> pids, Map<String, List<Double>> cpuPerIteration) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %4d", scenario, c));
        for (Target t : servers) {
            LoadRunner.Result r = results.get(t.name());
            sb.append(String.format(Locale.ROOT, " | %12.1f %8.2f %8.2f %6d", r.perSecond(), r.p50Micros() / 1000.0,
                    r.p99Micros() / 1000.0, r.errors()));
            if (pids.containsKey(t.name())) {
                List<Double> rounds = cpuPerIteration.getOrDefault(t.name(), List.of());
                sb.append(rounds.isEmpty() ? String.format(Locale.ROOT, " %9s", "n/a")
                        : String.format(Locale.ROOT, " %9.1f", median(rounds) * 1e6));
            }
        }
        if (servers.size() >= 2) {
            double a = results.get(servers.get(0).name()).perSecond();
            double b = results.get(servers.get(1).name()).perSecond();
            sb.append(b > 0 ? String.format(Locale.ROOT, " | %7.1fx", a / b) : " |      n/a");
        }
        System.out.println(sb);
        for (Target t : servers) {
            LoadRunner.Result r = results.get(t.name());
            if (r.firstError() != null) System.out.println("  " + t.name() + " first error: " + r.firstError());
        }
    }
}
