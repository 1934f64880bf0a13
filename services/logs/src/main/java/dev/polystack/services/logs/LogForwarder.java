package dev.polystack.services.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.services.cloudwatch.api.CloudWatchApi;
import dev.polystack.services.cloudwatch.api.Dimension;
import dev.polystack.services.cloudwatch.api.MetricDatum;
import dev.polystack.services.cloudwatch.api.PutMetricDataInput;
import dev.polystack.services.firehose.api.FirehoseApi;
import dev.polystack.services.firehose.api.Record;
import dev.polystack.services.kinesis.api.KinesisApi;
import dev.polystack.services.kinesis.api.PutRecordInput;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.LambdaApi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * What happens to ingested events beyond storage, off the request thread: metric filters add data points
 * to CloudWatch (PutMetricData), subscription filters send the matching events, gzip-compressed in AWS's
 * DATA_MESSAGE format, to Lambda ({@code {"awslogs": {"data": base64}}}), Kinesis or Firehose. Every call goes
 * through the target service's typed API, whichever provider serves it.
 */
final class LogForwarder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LogForwarder.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderEnvironment env;
    private final CloudWatchApi cloudWatch;
    private final LambdaApi lambda;
    private final KinesisApi kinesis;
    private final FirehoseApi firehose;
    private final ExecutorService worker;
    private final AtomicInteger pending = new AtomicInteger();

    LogForwarder(ProviderEnvironment env) {
        this.env = env;
        this.cloudWatch = CloudWatchApi.client(env);
        this.lambda = LambdaApi.client(env);
        this.kinesis = KinesisApi.client(env);
        this.firehose = FirehoseApi.client(env);
        // one thread: a stream's batches reach subscribers in the order they were put
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "logs-forwarder");
            t.setDaemon(true);
            return t;
        });
    }

    void ingested(String account, String region, LogGroup group, LogStream stream, List<LogEvent> events) {
        if (env == null || (group.metricFilters.isEmpty() && group.subscriptionFilters.isEmpty())) return;
        List<LogGroup.MetricFilter> metricFilters = List.copyOf(group.metricFilters.values());
        List<LogGroup.SubscriptionFilter> subscriptions = List.copyOf(group.subscriptionFilters.values());
        pending.incrementAndGet();
        worker.execute(() -> {
            try {
                for (LogGroup.MetricFilter f : metricFilters) metrics(account, region, f, events);
                for (LogGroup.SubscriptionFilter s : subscriptions) subscription(account, region, group.name, stream.name, s, events);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    private void metrics(String account, String region, LogGroup.MetricFilter f, List<LogEvent> events) {
        FilterPattern pattern = FilterPattern.compile(f.pattern());
        for (LogGroup.Transformation t : f.transformations()) {
            List<MetricDatum> data = new ArrayList<>();
            for (LogEvent e : events) {
                FilterPattern.Message m = new FilterPattern.Message(e.message());
                Double value = pattern.matches(m) ? pattern.value(m, t.metricValue()) : t.defaultValue();
                if (value == null) continue;
                MetricDatum.Builder datum = MetricDatum.builder().metricName(t.metricName())
                        .timestamp(Instant.ofEpochMilli(e.timestamp())).value(value).unit(t.unit());
                if (t.dimensions() != null && !t.dimensions().isEmpty()) {
                    List<Dimension> dims = new ArrayList<>();
                    t.dimensions().forEach((k, v) -> {
                        String resolved = v.startsWith("$") ? String.valueOf(pattern.value(m, v)) : v;
                        dims.add(Dimension.builder().name(k).value(resolved).build());
                    });
                    datum.dimensions(dims);
                }
                data.add(datum.build());
            }
            if (data.isEmpty()) continue;
            try {
                for (int i = 0; i < data.size(); i += 1000) {
                    cloudWatch.putMetricData(RequestContext.internal(account, region, "cloudwatch"), PutMetricDataInput.builder()
                            .namespace(t.metricNamespace()).metricData(data.subList(i, Math.min(data.size(), i + 1000))).build());
                }
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.DEBUG, "Logs metric filter " + f.name() + " → CloudWatch failed: " + ex);
            }
        }
    }

    private void subscription(String account, String region, String group, String stream, LogGroup.SubscriptionFilter s,
                              List<LogEvent> events) {
        FilterPattern pattern = FilterPattern.compile(s.pattern());
        ObjectNode message = JSON.createObjectNode();
        message.put("messageType", "DATA_MESSAGE");
        message.put("owner", account);
        message.put("logGroup", group);
        message.put("logStream", stream);
        message.putArray("subscriptionFilters").add(s.name());
        ArrayNode logEvents = message.putArray("logEvents");
        for (LogEvent e : events) {
            if (!pattern.matches(e.message())) continue;
            ObjectNode le = logEvents.addObject();
            le.put("id", e.id());
            le.put("timestamp", e.timestamp());
            le.put("message", e.message());
        }
        if (logEvents.isEmpty()) return;
        byte[] data = gzip(message.toString().getBytes(StandardCharsets.UTF_8));
        String arn = s.destinationArn();
        String[] parts = arn.split(":", 6);
        RequestContext ctx = RequestContext.internal(parts[4], parts[3], parts[2]);
        try {
            switch (parts[2]) {
                case "lambda" -> lambda.invoke(ctx, InvocationRequest.builder().functionName(arn).invocationType("Event")
                        .payload(("{\"awslogs\":{\"data\":\"" + Base64.getEncoder().encodeToString(data) + "\"}}")
                                .getBytes(StandardCharsets.UTF_8)).build());
                case "kinesis" -> kinesis.putRecord(ctx, PutRecordInput.builder()
                        .streamName(parts[5].substring(parts[5].indexOf('/') + 1)).data(data).partitionKey(stream).build());
                case "firehose" -> firehose.putRecord(ctx, dev.polystack.services.firehose.api.PutRecordInput.builder()
                        .deliveryStreamName(parts[5].substring(parts[5].indexOf('/') + 1))
                        .recordValue(Record.builder().data(data).build()).build());
                default -> LOG.log(System.Logger.Level.DEBUG, "Logs subscription: no delivery to " + arn);
            }
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.DEBUG, "Logs subscription " + s.name() + " → " + arn + " failed: " + ex);
        }
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
