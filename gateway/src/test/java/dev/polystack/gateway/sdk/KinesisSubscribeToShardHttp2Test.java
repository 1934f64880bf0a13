package dev.polystack.gateway.sdk;

import dev.polystack.api.Config;
import dev.polystack.gateway.Polystack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SubscribeToShard through the AWS SDK for Java v2's {@link KinesisAsyncClient}, which sends it only over HTTP/2 (its
 * Netty client, h2c by prior knowledge against an http:// endpoint): the event stream arrives as DATA frames, records
 * put before and after the subscription both come through.
 */
class KinesisSubscribeToShardHttp2Test {
    private static Polystack server;
    private static KinesisAsyncClient kinesis;

    @BeforeAll
    static void start() {
        server = new Polystack(new Config(Map.of("GATEWAY_LISTEN", "127.0.0.1:0"))).start();
        kinesis = KinesisAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2))
                .build();
    }

    @AfterAll
    static void stop() {
        if (kinesis != null) kinesis.close();
        if (server != null) server.stop();
    }

    @Test
    void subscribeToShardOverHttp2() throws Exception {
        kinesis.createStream(b -> b.streamName("h2-s1").shardCount(1)).get(60, TimeUnit.SECONDS);
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName("h2-s1")).get(60, TimeUnit.SECONDS)
                .streamDescriptionSummary().streamARN();
        String consumerArn = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("h2-consumer"))
                .get(60, TimeUnit.SECONDS).consumer().consumerARN();
        kinesis.putRecord(b -> b.streamName("h2-s1").partitionKey("pk").data(SdkBytes.fromUtf8String("before")))
                .get(60, TimeUnit.SECONDS);

        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> initial = new CompletableFuture<>();
        SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
                .onResponse(r -> initial.complete(null))
                .onError(initial::completeExceptionally)
                .subscriber(SubscribeToShardResponseHandler.Visitor.builder()
                        .onSubscribeToShardEvent((SubscribeToShardEvent e) -> e.records()
                                .forEach(r -> received.add(r.data().asString(StandardCharsets.UTF_8))))
                        .build())
                .build();
        CompletableFuture<Void> subscription = kinesis.subscribeToShard(b -> b.consumerARN(consumerArn).shardId("shardId-000000000000")
                .startingPosition(p -> p.type(ShardIteratorType.TRIM_HORIZON)), handler);
        try {
            initial.get(60, TimeUnit.SECONDS);   // the initial-response arrived over HTTP/2
            kinesis.putRecord(b -> b.streamName("h2-s1").partitionKey("pk").data(SdkBytes.fromUtf8String("after")))
                    .get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 2 && System.nanoTime() < deadline) {
                assertFalse(subscription.isCompletedExceptionally(), () -> "the subscription failed: " + subscription);
                Thread.sleep(50);
            }
            assertEquals(List.of("before", "after"), received);
        } finally {
            subscription.cancel(true);
        }
    }
}
