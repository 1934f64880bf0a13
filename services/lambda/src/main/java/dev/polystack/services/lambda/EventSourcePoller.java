package dev.polystack.services.lambda;

/**
 * Reads one event source mapping's source and invokes its function. One implementation per kind of source:
 * {@link SqsPoller} for queues; stream sources (DynamoDB Streams, Kinesis: shard iterators, starting position,
 * bisect on error) plug in here when those services are native, through {@link EventSourceMappings#pollerFor}.
 */
interface EventSourcePoller extends AutoCloseable {
    void start();

    @Override
    void close();
}
