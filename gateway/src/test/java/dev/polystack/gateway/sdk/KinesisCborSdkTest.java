package dev.polystack.gateway.sdk;

import dev.polystack.api.Config;
import dev.polystack.gateway.Polystack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kinesis through the AWS SDK for Java v2, which speaks CBOR ({@code application/x-amz-cbor-1.1}) to Kinesis by
 * default: binary data, sequence numbers, epoch-millisecond timestamps and modelled errors survive the round trip.
 */
class KinesisCborSdkTest {
    private static Polystack server;
    private static KinesisClient kinesis;

    @BeforeAll
    static void start() {
        server = new Polystack(new Config(Map.of("GATEWAY_LISTEN", "127.0.0.1:0"))).start();
        kinesis = KinesisClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        if (kinesis != null) kinesis.close();
        if (server != null) server.stop();
    }

    @Test
    void putAndGetRecordsInCbor() {
        kinesis.createStream(b -> b.streamName("cbor-s1").shardCount(1));
        kinesis.waiter().waitUntilStreamExists(b -> b.streamName("cbor-s1"));
        assertEquals(StreamStatus.ACTIVE, kinesis.describeStreamSummary(b -> b.streamName("cbor-s1"))
                .streamDescriptionSummary().streamStatus());

        Instant before = Instant.now().minusSeconds(1);
        byte[] data = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
        PutRecordResponse put = kinesis.putRecord(b -> b.streamName("cbor-s1").partitionKey("pk").data(SdkBytes.fromByteArray(data)));
        assertEquals("shardId-000000000000", put.shardId());

        String iterator = kinesis.getShardIterator(b -> b.streamName("cbor-s1").shardId(put.shardId())
                .shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(before)).shardIterator();
        GetRecordsResponse got = kinesis.getRecords(b -> b.shardIterator(iterator));
        assertEquals(1, got.records().size());
        assertArrayEquals(data, got.records().get(0).data().asByteArray());
        assertEquals(put.sequenceNumber(), got.records().get(0).sequenceNumber());
        Instant arrival = got.records().get(0).approximateArrivalTimestamp();
        assertTrue(Duration.between(before, arrival).abs().toMinutes() < 5, "arrival time read as epoch millis: " + arrival);
    }

    @Test
    void modelledErrorInCbor() {
        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> kinesis.describeStream(b -> b.streamName("cbor-missing")));
        assertEquals(400, e.statusCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains("cbor-missing"), e.getMessage());
    }
}
