package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

/** SQS ListQueues over the JSON protocol (what boto3 sends today): the gateway's round trip with little work behind it. */
public final class SqsListQueues implements Scenario {
    @Override
    public String name() {
        return "sqs-list-queues";
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        target.awsJson("sqs", "AmazonSQS.ListQueues", "{}", "1.0");
    }
}
