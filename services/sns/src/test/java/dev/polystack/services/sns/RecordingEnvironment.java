package dev.polystack.services.sns;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A ProviderEnvironment that plays SQS: it knows some queues and records every SendMessage. */
final class RecordingEnvironment implements ProviderEnvironment {
    record Call(String account, String region, String service, String operation, Map<String, Object> input) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Set<String> queues = ConcurrentHashMap.newKeySet();
    private final Config config = new Config(Map.of());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    /** Declares a queue so GetQueueUrl finds it; returns its ARN. */
    String queue(String account, String region, String name) {
        queues.add(account + "/" + name);
        return "arn:aws:sqs:" + region + ":" + account + ":" + name;
    }

    List<Call> sent(String queueName) {
        return calls.stream().filter(c -> c.operation().equals("SendMessage")
                && String.valueOf(c.input().get("QueueUrl")).endsWith("/" + queueName)).toList();
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Map<String, Object> call(RequestContext ctx, String service, String operation, Map<String, Object> input) {
        if (operation.equals("GetQueueUrl")) {
            String key = input.get("QueueOwnerAWSAccountId") + "/" + input.get("QueueName");
            if (!queues.contains(key)) throw new ServiceException("QueueDoesNotExist", "The specified queue does not exist.");
            return Map.of("QueueUrl", "http://sqs." + ctx.region() + ".localhost:4566/" + key);
        }
        calls.add(new Call(ctx.accountId(), ctx.region(), service, operation, input));
        return Map.of("MessageId", "m");
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public Path dataDirectory(String service) {
        return Path.of("target", service);
    }
}
