package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQS round trip every consumer does: SendMessage, ReceiveMessage, DeleteMessage, over the JSON protocol
 * (boto3's), all workers on one standard queue. One iteration is the three calls; a receive that finds the
 * queue momentarily empty (another worker took the message) is retried, so each iteration moves one message.
 */
public final class SqsSendReceiveDelete implements Scenario {
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "sqs-send-receive-delete";
    }

    @Override
    public void setup(Target target) throws Exception {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String created = target.awsJson("sqs", "AmazonSQS.CreateQueue", "{\"QueueName\":\"" + name + "\"}", "1.0");
        queueUrls.put(target.name(), Target.jsonValue(created, "QueueUrl"));
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String queue = "\"QueueUrl\":\"" + queueUrls.get(target.name()) + "\"";
        target.awsJson("sqs", "AmazonSQS.SendMessage",
                "{" + queue + ",\"MessageBody\":\"worker " + worker + " message " + iteration + "\"}", "1.0");
        String handle = null;
        for (int attempt = 0; handle == null && attempt < 50; attempt++) {
            String received = target.awsJson("sqs", "AmazonSQS.ReceiveMessage", "{" + queue + ",\"MaxNumberOfMessages\":1}", "1.0");
            handle = Target.jsonValue(received, "ReceiptHandle");
        }
        if (handle == null) throw new IllegalStateException("no message received");
        target.awsJson("sqs", "AmazonSQS.DeleteMessage", "{" + queue + ",\"ReceiptHandle\":\"" + handle + "\"}", "1.0");
    }
}
