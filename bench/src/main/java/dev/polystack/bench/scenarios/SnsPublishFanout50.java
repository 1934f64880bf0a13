package dev.polystack.bench.scenarios;

/** {@link SnsPublish} with 50 SQS subscribers: each message reaches all 50 queues. */
public final class SnsPublishFanout50 extends SnsPublish {
    @Override
    protected int subscribers() {
        return 50;
    }

    @Override
    public String name() {
        return "sns-publish-fanout50";
    }
}
