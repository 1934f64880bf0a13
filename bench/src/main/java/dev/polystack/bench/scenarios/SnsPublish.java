package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SNS Publish to a topic with {@link #subscribers()} SQS queues subscribed (raw delivery, so each queue
 * receives the message itself). Measures what the publisher waits for: with asynchronous delivery it
 * should not grow with the number of subscribers. {@code bench/sns_fanout.py} checks that every message
 * reaches every queue and measures end-to-end fan-out throughput.
 */
public class SnsPublish implements Scenario {
    /** Target name → the Publish form for its topic (one scenario instance serves every target). */
    private final Map<String, String> publishForms = new ConcurrentHashMap<>();

    /** Subscribed SQS queues; this class: none. */
    protected int subscribers() {
        return 0;
    }

    @Override
    public String name() {
        return "sns-publish";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void setup(Target target) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = Target.xmlValue(target.query("sns", "Action=CreateTopic&Version=2010-03-31&Name=bench-" + name() + "-" + run),
                "TopicArn");
        for (int i = 0; i < subscribers(); i++) {
            String url = Target.jsonValue(target.awsJson("sqs", "AmazonSQS.CreateQueue",
                    "{\"QueueName\":\"bench-" + run + "-" + i + "\"}", "1.0"), "QueueUrl");
            String arn = Target.jsonValue(target.awsJson("sqs", "AmazonSQS.GetQueueAttributes",
                    "{\"QueueUrl\":\"" + url + "\",\"AttributeNames\":[\"QueueArn\"]}", "1.0"), "QueueArn");
            target.query("sns", "Action=Subscribe&Version=2010-03-31&TopicArn=" + enc(topic) + "&Protocol=sqs&Endpoint=" + enc(arn)
                    + "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true");
        }
        publishForms.put(target.name(), "Action=Publish&Version=2010-03-31&TopicArn=" + enc(topic) + "&Message=");
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        target.query("sns", publishForms.get(target.name()) + worker + "-" + iteration);
    }
}
