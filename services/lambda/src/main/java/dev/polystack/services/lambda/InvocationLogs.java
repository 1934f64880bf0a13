package dev.polystack.services.lambda;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.logs.api.CreateLogGroupRequest;
import dev.polystack.services.logs.api.CreateLogStreamRequest;
import dev.polystack.services.logs.api.InputLogEvent;
import dev.polystack.services.logs.api.LogsApi;
import dev.polystack.services.logs.api.PutLogEventsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Where invocation logs go: Polystack's own log at DEBUG (always), and CloudWatch Logs ({@code /aws/lambda/<name>},
 * one stream per environment) through whichever provider serves {@code logs}, off the invocation's path on a
 * background thread. {@code LAMBDA_LOGS_TO_CLOUDWATCH=0} turns the second off.
 */
final class InvocationLogs implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.polystack.services.lambda.functions");

    private record Entry(String account, String region, String group, String stream, String text, long timestamp) {
    }

    private final LogsApi logs;
    private final boolean toCloudWatch;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>(10_000);
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Thread shipper;

    InvocationLogs(ProviderEnvironment env) {
        this.logs = LogsApi.client(env);
        String setting = env.config().get("LAMBDA_LOGS_TO_CLOUDWATCH");
        this.toCloudWatch = setting == null || env.config().flag("LAMBDA_LOGS_TO_CLOUDWATCH");
        this.shipper = toCloudWatch ? Thread.ofVirtual().name("lambda-logs").start(this::ship) : null;
    }

    void write(LambdaFunction fn, String version, String stream, String text) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "Lambda " + fn.arn() + ":" + version + "\n" + text.stripTrailing());
        }
        if (toCloudWatch) {
            FunctionVersion v;
            synchronized (fn) {
                v = fn.latest;
            }
            queue.offer(new Entry(fn.account, fn.region, v.config().logGroup(), stream, text, System.currentTimeMillis()));
        }
    }

    private void ship() {
        List<Entry> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, 500);
            for (Entry e : batch) {
                try {
                    put(e);
                } catch (RuntimeException ex) {
                    LOG.log(System.Logger.Level.DEBUG, "Lambda logs to CloudWatch Logs failed: " + ex.getMessage());
                }
            }
            batch.clear();
        }
    }

    private void put(Entry e) {
        RequestContext ctx = RequestContext.internal(e.account(), e.region(), "logs");
        String key = e.account() + "|" + e.region() + "|" + e.group() + "|" + e.stream();
        if (!created.contains(key)) {
            ignoreExisting(() -> logs.createLogGroup(ctx, CreateLogGroupRequest.builder().logGroupName(e.group()).build()));
            ignoreExisting(() -> logs.createLogStream(ctx, CreateLogStreamRequest.builder().logGroupName(e.group())
                    .logStreamName(e.stream()).build()));
            created.add(key);
        }
        List<InputLogEvent> events = new ArrayList<>();
        for (String line : e.text().split("\n")) {
            if (!line.isEmpty()) events.add(InputLogEvent.builder().timestamp(e.timestamp()).message(line).build());
        }
        if (!events.isEmpty()) {
            logs.putLogEvents(ctx, PutLogEventsRequest.builder().logGroupName(e.group()).logStreamName(e.stream())
                    .logEvents(events).build());
        }
    }

    private static void ignoreExisting(Runnable call) {
        try {
            call.run();
        } catch (ServiceException e) {
            if (!e.code().equals("ResourceAlreadyExistsException")) throw e;
        }
    }

    @Override
    public void close() {
        if (shipper != null) shipper.interrupt();
    }
}
