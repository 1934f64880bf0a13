package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** CloudWatch Logs PutLogEvents of one event, each worker into its own stream of one log group. */
public class LogsPutLogEvents implements Scenario {
    /** Target name → the log group of this run. */
    private final Map<String, String> groups = new ConcurrentHashMap<>();
    private static final int MAX_WORKERS = 256;

    @Override
    public String name() {
        return "logs-put-log-events";
    }

    @Override
    public void setup(Target target) throws Exception {
        String group = "/bench/" + UUID.randomUUID().toString().substring(0, 8);
        target.awsJson("logs", "Logs_20140328.CreateLogGroup", "{\"logGroupName\":\"" + group + "\"}", "1.1");
        groups.put(target.name(), group);
    }

    private final Map<String, Boolean> streams = new ConcurrentHashMap<>();

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String group = groups.get(target.name());
        String stream = "w" + (worker % MAX_WORKERS);
        if (streams.putIfAbsent(target.name() + "/" + stream, Boolean.TRUE) == null) {
            target.awsJson("logs", "Logs_20140328.CreateLogStream",
                    "{\"logGroupName\":\"" + group + "\",\"logStreamName\":\"" + stream + "\"}", "1.1");
        }
        target.awsJson("logs", "Logs_20140328.PutLogEvents", "{\"logGroupName\":\"" + group + "\",\"logStreamName\":\"" + stream
                + "\",\"logEvents\":[{\"timestamp\":" + System.currentTimeMillis() + ",\"message\":\"bench line " + iteration + "\"}]}", "1.1");
    }
}
