package dev.polystack.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.protocol.BotocoreCatalog;
import dev.polystack.protocol.ParsedRequest;
import dev.polystack.protocol.ServiceCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** rest-json and rpc-v2-cbor against real botocore specifications (Lambda, CloudWatch). */
class RestJsonAndCborCodecTest {
    static final BotocoreCatalog CATALOG = BotocoreCatalog.fromEnvironment();

    static RequestContext ctx(HttpRequestData r) {
        return new RequestContext("000000000000", "us-east-1", "lambda", "req-1", null, r);
    }

    @Test
    void lambdaRoutesLabelsQueryAndPayloads() throws Exception {
        ServiceCodec lambda = CATALOG.codec("lambda");
        ParsedRequest get = lambda.parse(HttpRequestData.of("GET", "/2015-03-31/functions/my-fn?Qualifier=%24LATEST", Map.of(), null));
        assertEquals("GetFunction", get.operation());
        assertEquals(Map.of("FunctionName", "my-fn", "Qualifier", "$LATEST"), get.params());

        HttpRequestData invoke = HttpRequestData.of("POST", "/2015-03-31/functions/my-fn/invocations",
                Map.of("X-Amz-Invocation-Type", "RequestResponse", "X-Amz-Log-Type", "Tail"), "{\"a\":1}".getBytes());
        ParsedRequest p = lambda.parse(invoke);
        assertEquals("Invoke", p.operation());
        assertEquals("RequestResponse", p.params().get("InvocationType"));
        Object payload = p.params().get("Payload");
        byte[] bytes = payload instanceof StreamingBody sb ? sb.stream().readAllBytes() : (byte[]) payload;
        assertEquals("{\"a\":1}", new String(bytes));

        HttpResponseData r = lambda.serialize(ctx(invoke), "Invoke", Map.of("StatusCode", 200, "Payload", "{\"ok\":true}".getBytes(),
                "ExecutedVersion", "$LATEST"));
        assertEquals(200, r.status());
        assertEquals("$LATEST", r.header("X-Amz-Executed-Version"));
        assertEquals("{\"ok\":true}", new String(r.bodyBytes()));

        HttpResponseData created = lambda.serialize(ctx(invoke), "CreateFunction", Map.of("FunctionName", "f",
                "LastModified", "2024-01-01T00:00:00.000+0000", "MemorySize", 128));
        assertEquals(201, created.status());
        JsonNode body = new ObjectMapper().readTree(created.bodyBytes());
        assertEquals(128, body.get("MemorySize").asInt());

        HttpResponseData err = lambda.serializeError(ctx(invoke), "GetFunction",
                new ServiceException("ResourceNotFoundException", "Function not found: f", 404));
        assertEquals(404, err.status());
        assertEquals("ResourceNotFoundException", err.header("X-Amzn-Errortype"));

        ServiceException e = assertThrows(ServiceException.class,
                () -> lambda.parse(HttpRequestData.of("GET", "/2015-03-31/nothing-here", Map.of(), null)));
        assertEquals(404, e.status());
    }

    @Test
    void cloudwatchSpeaksCborJsonAndQuery() throws Exception {
        ServiceCodec cw = CATALOG.codec("cloudwatch");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new CBORFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Namespace", "App");
            g.writeArrayFieldStart("MetricData");
            g.writeStartObject();
            g.writeStringField("MetricName", "Latency");
            g.writeFieldName("Timestamp");
            ((CBORGenerator) g).writeTag(1);
            g.writeNumber(1700000000.5);
            g.writeNumberField("Value", 12.5);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        HttpRequestData req = HttpRequestData.of("POST", "/service/GraniteServiceVersion20100801/operation/PutMetricData",
                Map.of("smithy-protocol", "rpc-v2-cbor", "Content-Type", "application/cbor"), out.toByteArray());
        ParsedRequest p = cw.parse(req);
        assertEquals("PutMetricData", p.operation());
        @SuppressWarnings("unchecked")
        Map<String, Object> datum = ((List<Map<String, Object>>) p.params().get("MetricData")).get(0);
        assertEquals(Instant.ofEpochSecond(1700000000, 500_000_000), datum.get("Timestamp"));
        assertEquals(12.5, datum.get("Value"));

        HttpResponseData r = cw.serialize(ctx(req), "ListMetrics", Map.of("Metrics", List.of(Map.of("Namespace", "App", "MetricName", "Latency"))));
        assertEquals("rpc-v2-cbor", r.header("smithy-protocol"));
        JsonNode body = new CBORMapper().readTree(r.bodyBytes());
        assertEquals("Latency", body.get("Metrics").get(0).get("MetricName").asText());

        HttpResponseData err = cw.serializeError(ctx(req), "PutMetricData", new ServiceException("InvalidParameterValue", "bad"));
        assertEquals(400, err.status());
        // The provider throws the query code; the spec maps it to its shape (awsQueryError), whose name is __type.
        assertEquals("InvalidParameterValueException", new CBORMapper().readTree(err.bodyBytes()).get("__type").asText().replaceAll(".*#", ""));

        // The same service over JSON 1.0 (older clients): answered in JSON.
        HttpRequestData json = HttpRequestData.of("POST", "/", Map.of("X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics",
                "Content-Type", "application/x-amz-json-1.0"), "{}".getBytes());
        assertEquals("ListMetrics", cw.parse(json).operation());
        assertTrue(cw.serialize(ctx(json), "ListMetrics", Map.of()).header("Content-Type").startsWith("application/x-amz-json"));
    }
}
