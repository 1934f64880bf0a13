package dev.polystack.protocol.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ServiceCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** JSON-protocol services (Kinesis) spoken in CBOR, as the AWS SDKs for Java send them. */
class AwsJsonCborTest {
    static final CBORFactory CBOR = new CBORFactory();
    static final ObjectMapper CBOR_MAPPER = new ObjectMapper(CBOR);
    static final String CT = "application/x-amz-cbor-1.1";

    static HttpRequestData cbor(String target, byte[] body) {
        return HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", target, "Content-Type", CT), body);
    }

    static RequestContext ctx(HttpRequestData r) {
        return new RequestContext("000000000000", "us-east-1", "kinesis", "req-1", null, r);
    }

    @Test
    void putRecordBlobAndTimestampInCborOut() throws Exception {
        ServiceCodec kinesis = AwsJsonCodecTest.CATALOG.codec("kinesis");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("StreamName", "s1");
            g.writeFieldName("Data");
            g.writeBinary(new byte[]{0, 1, (byte) 0xff});
            g.writeStringField("PartitionKey", "pk");
            g.writeEndObject();
        }
        HttpRequestData req = cbor("Kinesis_20131202.PutRecord", out.toByteArray());
        ParsedRequest p = kinesis.parse(req);
        assertEquals("PutRecord", p.operation());
        assertArrayEquals(new byte[]{0, 1, (byte) 0xff}, (byte[]) p.params().get("Data"));

        Instant arrival = Instant.ofEpochMilli(1_700_000_000_123L);
        HttpResponseData r = kinesis.serialize(ctx(req), "GetRecords", Map.of("Records", List.of(Map.of(
                "SequenceNumber", "1", "Data", new byte[]{7}, "PartitionKey", "pk",
                "ApproximateArrivalTimestamp", arrival)), "MillisBehindLatest", 0L));
        assertEquals(CT, r.header("Content-Type"));
        try (CBORParser parser = CBOR.createParser(r.bodyBytes())) {
            JsonNode body = CBOR_MAPPER.readTree(parser);
            JsonNode rec = body.get("Records").get(0);
            assertArrayEquals(new byte[]{7}, rec.get("Data").binaryValue());
            assertEquals(1_700_000_000_123L, rec.get("ApproximateArrivalTimestamp").longValue(), "epoch milliseconds");
        }
    }

    @Test
    void timestampInRequestIsEpochMillis() throws Exception {
        ServiceCodec kinesis = AwsJsonCodecTest.CATALOG.codec("kinesis");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = CBOR.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("StreamName", "s1");
            g.writeStringField("ShardId", "shardId-000000000000");
            g.writeStringField("ShardIteratorType", "AT_TIMESTAMP");
            g.writeFieldName("Timestamp");
            g.writeTag(1);
            g.writeNumber(1_700_000_000_500L);
            g.writeEndObject();
        }
        ParsedRequest p = kinesis.parse(cbor("Kinesis_20131202.GetShardIterator", out.toByteArray()));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_500L), p.params().get("Timestamp"));
    }

    @Test
    void errorsAnswerInCbor() throws Exception {
        ServiceCodec kinesis = AwsJsonCodecTest.CATALOG.codec("kinesis");
        HttpRequestData req = cbor("Kinesis_20131202.DescribeStream", new byte[]{(byte) 0xa0});
        HttpResponseData r = kinesis.serializeError(ctx(req), "DescribeStream",
                new ServiceException("ResourceNotFoundException", "Stream s1 under account 000000000000 not found."));
        assertEquals(400, r.status());
        assertEquals(CT, r.header("Content-Type"));
        JsonNode body = CBOR_MAPPER.readTree(r.bodyBytes());
        assertEquals("ResourceNotFoundException", body.get("__type").asText());
        assertEquals("Stream s1 under account 000000000000 not found.", body.get("message").asText());
    }

    @Test
    void malformedCborIsASerializationException() {
        ServiceCodec kinesis = AwsJsonCodecTest.CATALOG.codec("kinesis");
        ServiceException e = assertThrows(ServiceException.class,
                () -> kinesis.parse(cbor("Kinesis_20131202.ListStreams", new byte[]{(byte) 0xbf, 0x61})));
        assertEquals("SerializationException", e.code());
    }
}
