package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * EventBridge PutEvents of one entry to a custom bus whose rule matches it and targets an SQS queue: what the
 * producer waits for (delivery to the queue is asynchronous on both servers). {@code bench/events_latency.py}
 * measures the time from PutEvents to the message in the queue.
 */
public class EventsPutEvents implements Scenario {
    /** Target name → the bus its events go to. */
    private final Map<String, String> buses = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "events-put-events";
    }

    @Override
    public void setup(Target target) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bus = "bench-" + run;
        target.awsJson("events", "AWSEvents.CreateEventBus", "{\"Name\":\"" + bus + "\"}", "1.1");
        String url = Target.jsonValue(target.awsJson("sqs", "AmazonSQS.CreateQueue",
                "{\"QueueName\":\"bench-events-" + run + "\"}", "1.0"), "QueueUrl");
        String arn = Target.jsonValue(target.awsJson("sqs", "AmazonSQS.GetQueueAttributes",
                "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[\"QueueArn\"]}", "1.0"), "QueueArn");
        target.awsJson("events", "AWSEvents.PutRule", "{\"Name\":\"bench\",\"EventBusName\":\"" + bus
                + "\",\"EventPattern\":\"{\\\"source\\\":[\\\"bench.app\\\"],\\\"detail\\\":{\\\"n\\\":[{\\\"numeric\\\":[\\\">=\\\",0]}]}}\"}", "1.1");
        target.awsJson("events", "AWSEvents.PutTargets", "{\"Rule\":\"bench\",\"EventBusName\":\"" + bus
                + "\",\"Targets\":[{\"Id\":\"q\",\"Arn\":\"" + arn + "\"}]}", "1.1");
        buses.put(target.name(), bus);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        target.awsJson("events", "AWSEvents.PutEvents", "{\"Entries\":[{\"EventBusName\":\"" + buses.get(target.name())
                + "\",\"Source\":\"bench.app\",\"DetailType\":\"tick\",\"Detail\":\"{\\\"n\\\":" + iteration
                + ",\\\"worker\\\":" + worker + "}\"}]}", "1.1");
    }
}
