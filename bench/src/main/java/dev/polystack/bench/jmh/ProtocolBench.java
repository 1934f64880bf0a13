package dev.polystack.bench.jmh;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.BotocoreCatalog;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ServiceCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parse + serialize per protocol, through the same codecs the gateway uses (compiled from botocore's
 * specifications): one full request → params → response cycle per operation, request objects included.
 *
 * <p>Run: {@code ./mvnw -q -pl bench -am package -DskipTests && java -cp "bench/target/classes:bench/target/lib/*"
 * org.openjdk.jmh.Main ProtocolBench} (from the repository root, so the catalog finds vendor/).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProtocolBench {
    private ServiceCodec sqs;
    private ServiceCodec s3;
    private ServiceCodec dynamodb;
    private ServiceCodec cloudwatch;

    private byte[] sqsJsonBody;
    private byte[] sqsQueryBody;
    private byte[] ddbBody;
    private byte[] cborBody;
    private final byte[] objectData = new byte[1024];
    private Map<String, Object> sendMessageOutput;
    private Map<String, Object> putItemOutput;
    private Map<String, Object> putObjectOutput;
    private Map<String, Object> getMetricDataOutput;

    @Setup
    public void setup() throws IOException {
        BotocoreCatalog catalog = BotocoreCatalog.fromEnvironment();
        sqs = catalog.codec("sqs");
        s3 = catalog.codec("s3");
        dynamodb = catalog.codec("dynamodb");
        cloudwatch = catalog.codec("cloudwatch");
        sqsJsonBody = """
                {"QueueUrl":"http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/bench","MessageBody":"hello world, this is a benchmark message",
                 "DelaySeconds":0,"MessageAttributes":{"attr1":{"DataType":"String","StringValue":"value1"},"attr2":{"DataType":"Number","StringValue":"42"}}}
                """.getBytes(StandardCharsets.UTF_8);
        sqsQueryBody = ("Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Fsqs.us-east-1.localhost.localstack.cloud%3A4566%2F000000000000%2Fbench"
                + "&MessageBody=hello+world%2C+this+is+a+benchmark+message&DelaySeconds=0"
                + "&MessageAttribute.1.Name=attr1&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=value1"
                + "&MessageAttribute.2.Name=attr2&MessageAttribute.2.Value.DataType=Number&MessageAttribute.2.Value.StringValue=42").getBytes(StandardCharsets.UTF_8);
        ddbBody = """
                {"TableName":"bench","Item":{"pk":{"S":"user#123"},"sk":{"S":"profile"},"age":{"N":"42"},"active":{"BOOL":true},
                 "tags":{"SS":["a","b","c"]},"address":{"M":{"street":{"S":"1 Main St"},"city":{"S":"Springfield"},
                 "geo":{"M":{"lat":{"N":"39.78"},"lon":{"N":"-89.65"}}}}},
                 "history":{"L":[{"M":{"at":{"N":"1700000000"},"what":{"S":"login"}}},{"M":{"at":{"N":"1700000100"},"what":{"S":"logout"}}}]},
                 "avatar":{"B":"AAECAwQFBgcICQ=="}},"ConditionExpression":"attribute_not_exists(pk)","ReturnConsumedCapacity":"TOTAL"}
                """.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("MetricDataQueries");
            g.writeStartObject();
            g.writeStringField("Id", "m1");
            g.writeObjectFieldStart("MetricStat");
            g.writeObjectFieldStart("Metric");
            g.writeStringField("Namespace", "AWS/EC2");
            g.writeStringField("MetricName", "CPUUtilization");
            g.writeEndObject();
            g.writeNumberField("Period", 60);
            g.writeStringField("Stat", "Average");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeFieldName("StartTime");
            ((com.fasterxml.jackson.dataformat.cbor.CBORGenerator) g).writeTag(1);
            g.writeNumber(1700000000);
            g.writeFieldName("EndTime");
            ((com.fasterxml.jackson.dataformat.cbor.CBORGenerator) g).writeTag(1);
            g.writeNumber(1700003600);
            g.writeEndObject();
        }
        cborBody = out.toByteArray();

        sendMessageOutput = Map.of("MessageId", "5fea7756-0ea4-451a-a703-a558b933e274",
                "MD5OfMessageBody", "fafb00f5732ab283681e124bf8747ed1", "MD5OfMessageAttributes", "3ae8f24a165a8cedc005670c81a27295");
        putItemOutput = Map.of("ConsumedCapacity", Map.of("TableName", "bench", "CapacityUnits", 1.0));
        putObjectOutput = Map.of("ETag", "\"0f343b0931126a20f133d67c2b018a3b\"", "VersionId", "null", "ServerSideEncryption", "AES256");
        getMetricDataOutput = Map.of("MetricDataResults", List.of(Map.of("Id", "m1", "Label", "CPUUtilization", "StatusCode", "Complete",
                "Timestamps", List.of(Instant.ofEpochSecond(1700000000), Instant.ofEpochSecond(1700000060)), "Values", List.of(1.5, 2.5))));
    }

    private static RequestContext context(HttpRequestData request) {
        return new RequestContext("000000000000", "us-east-1", "bench", "bench-request-id", null, request);
    }

    private static HttpRequestData request(String method, String path, Map<String, String> headers, byte[] body) {
        return HttpRequestData.of(method, path, headers, body);
    }

    @Benchmark
    public HttpResponseData sqsSendMessageJson() {
        HttpRequestData r = request("POST", "/", Map.of("X-Amz-Target", "AmazonSQS.SendMessage",
                "Content-Type", "application/x-amz-json-1.0"), sqsJsonBody);
        ParsedRequest p = sqs.parse(r);
        return sqs.serialize(context(r), p.operation(), sendMessageOutput);
    }

    @Benchmark
    public HttpResponseData sqsSendMessageQuery() {
        HttpRequestData r = request("POST", "/", Map.of("Content-Type", "application/x-www-form-urlencoded"), sqsQueryBody);
        ParsedRequest p = sqs.parse(r);
        return sqs.serialize(context(r), p.operation(), sendMessageOutput);
    }

    @Benchmark
    public HttpResponseData dynamodbPutItemNested() {
        HttpRequestData r = request("POST", "/", Map.of("X-Amz-Target", "DynamoDB_20120810.PutItem",
                "Content-Type", "application/x-amz-json-1.0"), ddbBody);
        ParsedRequest p = dynamodb.parse(r);
        return dynamodb.serialize(context(r), p.operation(), putItemOutput);
    }

    @Benchmark
    public void s3PutObjectHeaders(Blackhole bh) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Length", "1024");
        headers.put("Content-MD5", "DzQ7CTESaiDxM9Z8KwGKOw==");
        headers.put("x-amz-meta-owner", "bench");
        headers.put("x-amz-meta-purpose", "jmh");
        headers.put("x-amz-storage-class", "STANDARD");
        headers.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        headers.put("Cache-Control", "no-cache");
        HttpRequestData r = request("PUT", "/bench-bucket/dir/object.bin", headers, objectData);
        ParsedRequest p = s3.parse(r);
        Object body = p.params().get("Body");
        if (body instanceof StreamingBody sb) {
            try (InputStream in = sb.stream()) {
                bh.consume(in.readAllBytes());
            }
        }
        bh.consume(s3.serialize(context(r), p.operation(), putObjectOutput));
    }

    @Benchmark
    public HttpResponseData cloudwatchGetMetricDataCbor() {
        HttpRequestData r = request("POST", "/service/GraniteServiceVersion20100801/operation/GetMetricData",
                Map.of("smithy-protocol", "rpc-v2-cbor", "Content-Type", "application/cbor", "Accept", "application/cbor"), cborBody);
        ParsedRequest p = cloudwatch.parse(r);
        return cloudwatch.serialize(context(r), p.operation(), getMetricDataOutput);
    }
}
