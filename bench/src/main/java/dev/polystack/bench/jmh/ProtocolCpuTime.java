package dev.polystack.bench.jmh;

import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The {@link ProtocolBench} operations timed in thread CPU time rather than wall time: on a shared, loaded
 * machine (these two cores run several builds at once) wall-clock JMH scores mostly measure waiting for a core.
 * Run: {@code java -cp "bench/target/classes:bench/target/lib/*" dev.polystack.bench.jmh.ProtocolCpuTime [seconds]}.
 */
public final class ProtocolCpuTime {
    private ProtocolCpuTime() {
    }

    interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        ProtocolBench b = new ProtocolBench();
        b.setup();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Object[][] ops = {
                {"sqsSendMessageJson (json 1.0)", (Op) b::sqsSendMessageJson},
                {"sqsSendMessageQuery (query)", (Op) b::sqsSendMessageQuery},
                {"dynamodbPutItemNested (json 1.0)", (Op) b::dynamodbPutItemNested},
                {"s3PutObjectHeaders (rest-xml, 1 KiB body)", (Op) () -> { b.s3PutObjectHeaders(bh); return null; }},
                {"cloudwatchGetMetricDataCbor (rpc-v2-cbor)", (Op) b::cloudwatchGetMetricDataCbor},
        };
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        // Warm all operations together first (shared code reaches C2 before anything is measured).
        long warmEnd = System.nanoTime() + (long) (seconds * 2e9);
        while (System.nanoTime() < warmEnd) {
            for (Object[] o : ops) for (int i = 0; i < 200; i++) bh.consume(((Op) o[1]).run());
        }
        for (int round = 0; round < 2; round++) {
            for (Object[] o : ops) {
                Op op = (Op) o[1];
                long n = 0;
                long cpu0 = mx.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                while (System.nanoTime() - wall0 < seconds * 1e9) {
                    for (int i = 0; i < 100; i++) bh.consume(op.run());
                    n += 100;
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                if (round == 1) System.out.printf("%-45s %8.2f us/op CPU  (%d ops)%n", o[0], cpu / 1000.0 / n, n);
            }
        }
    }
}
