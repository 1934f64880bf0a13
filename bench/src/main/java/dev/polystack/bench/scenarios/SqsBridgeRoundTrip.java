package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQS SendMessage + ReceiveMessage + DeleteMessage over the JSON protocol, one queue per worker: the round
 * trip {@code bench/bridge.sh} runs against native, moto-hosted and python-hosted SQS side by side.
 */
public final class SqsBridgeRoundTrip implements Scenario {
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "sqs-bridge-round-trip";
    }

    private String queueUrl(Target target, int worker) throws Exception {
        String key = target.name() + "/" + worker;
        String url = queueUrls.get(key);
        if (url == null) {
            String created = target.awsJson("sqs", "AmazonSQS.CreateQueue", "{\"QueueName\":\"bench-bridge-" + worker + "\"}", "1.0");
            url = Target.jsonValue(created, "QueueUrl");
            queueUrls.put(key, url);
        }
        return url;
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String url = queueUrl(target, worker);
        target.awsJson("sqs", "AmazonSQS.SendMessage",
                "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"m" + iteration + "\"}", "1.0");
        String received = target.awsJson("sqs", "AmazonSQS.ReceiveMessage",
                "{\"QueueUrl\":\"" + url + "\",\"MaxNumberOfMessages\":1}", "1.0");
        String handle = Target.jsonValue(received, "ReceiptHandle");
        if (handle == null) throw new IllegalStateException("no message received");
        target.awsJson("sqs", "AmazonSQS.DeleteMessage",
                "{\"QueueUrl\":\"" + url + "\",\"ReceiptHandle\":\"" + handle + "\"}", "1.0");
    }
}
