package dev.polystack.services.firehose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.services.firehose.api.ExtendedS3DestinationConfiguration;
import dev.polystack.services.firehose.api.InvalidArgumentException;
import dev.polystack.services.firehose.api.ProcessingConfiguration;
import dev.polystack.services.firehose.api.Processor;
import dev.polystack.services.firehose.api.ProcessorParameter;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.InvocationResponse;
import dev.polystack.services.lambda.api.LambdaApi;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A delivery stream's record processing before S3, as its {@code ProcessingConfiguration} asks:
 * <ul>
 *   <li>{@code Lambda}: the records go to the function in Firehose's event shape ({@code invocationId},
 *   {@code deliveryStreamArn}, {@code region}, {@code records} of {@code recordId}, {@code approximateArrivalTimestamp},
 *   base64 {@code data}), in invocations of at most the processor's {@code BufferSizeInMBs} (1 MB by default). Each
 *   record comes back {@code Ok} (its new data, and {@code metadata.partitionKeys} for {@code !{partitionKeyFromLambda:…}}),
 *   {@code Dropped}, or failed: {@code ProcessingFailed}, a missing or duplicated record id, a function error after
 *   {@code NumberOfRetries} retries (3 by default).</li>
 *   <li>{@code MetadataExtraction}: a JQ query ({@code JQ-1.6}) over each JSON record gives the keys of
 *   {@code !{partitionKeyFromQuery:…}}; a record that is not JSON, or whose query fails, is failed.</li>
 *   <li>{@code AppendDelimiterToRecord}: a newline after each record.</li>
 * </ul>
 * Failed records are returned as such; the caller writes them to the error prefix as Firehose does.
 */
final class RecordProcessing {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JQ's built-in functions, loaded once; every evaluation runs in a child scope of this one. */
    private static final Scope JQ_ROOT = jqRoot();
    private static final int DEFAULT_LAMBDA_BUFFER_BYTES = 1024 * 1024;
    private static final int DEFAULT_RETRIES = 3;

    /** A record after processing: its data, and the partition keys it carries (empty when none). */
    record Processed(byte[] data, Map<String, String> queryKeys, Map<String, String> lambdaKeys) {
    }

    /** A record that failed processing, as Firehose reports it under the error prefix. */
    record Failed(byte[] rawData, String errorCode, String errorMessage, int attemptsMade, String lambdaArn) {
    }

    record Outcome(List<Processed> delivered, List<Failed> failed) {
    }

    private final String lambdaArn;
    private final int lambdaBufferBytes;
    private final int retries;
    private final JsonQuery query;
    private final boolean appendDelimiter;

    private RecordProcessing(String lambdaArn, int lambdaBufferBytes, int retries, JsonQuery query, boolean appendDelimiter) {
        this.lambdaArn = lambdaArn;
        this.lambdaBufferBytes = lambdaBufferBytes;
        this.retries = retries;
        this.query = query;
        this.appendDelimiter = appendDelimiter;
    }

    /**
     * The processing a destination asks for, or null when it asks for none (processing disabled, no processors);
     * throws InvalidArgumentException for a processor Firehose would refuse (no LambdaArn, a JQ query that does not
     * compile, a JSON parsing engine other than JQ-1.6).
     */
    static RecordProcessing of(ExtendedS3DestinationConfiguration destination) {
        ProcessingConfiguration c = destination == null ? null : destination.processingConfiguration();
        if (c == null || !Boolean.TRUE.equals(c.enabled()) || c.processors() == null || c.processors().isEmpty()) return null;
        String lambdaArn = null;
        int bufferBytes = DEFAULT_LAMBDA_BUFFER_BYTES;
        int retries = DEFAULT_RETRIES;
        JsonQuery query = null;
        boolean delimiter = false;
        for (Processor p : c.processors()) {
            Map<String, String> params = new HashMap<>();
            if (p.parameters() != null) for (ProcessorParameter pp : p.parameters()) params.put(pp.parameterNameAsString(), pp.parameterValue());
            switch (String.valueOf(p.typeAsString())) {
                case "Lambda" -> {
                    lambdaArn = params.get("LambdaArn");
                    if (lambdaArn == null) throw new InvalidArgumentException("LambdaArn is a required parameter for the Lambda processor.");
                    bufferBytes = (int) (number(params, "BufferSizeInMBs", 1) * 1024 * 1024);
                    retries = (int) number(params, "NumberOfRetries", DEFAULT_RETRIES);
                }
                case "MetadataExtraction" -> {
                    String engine = params.getOrDefault("JsonParsingEngine", "JQ-1.6");
                    if (!engine.equals("JQ-1.6")) throw new InvalidArgumentException("JsonParsingEngine " + engine + " is not supported; use JQ-1.6.");
                    String text = params.get("MetadataExtractionQuery");
                    if (text == null) throw new InvalidArgumentException("MetadataExtractionQuery is a required parameter for the MetadataExtraction processor.");
                    try {
                        query = JsonQuery.compile(text, Versions.JQ_1_6);
                    } catch (JsonQueryException e) {
                        throw new InvalidArgumentException("The MetadataExtractionQuery " + text + " is not a valid JQ expression: " + e.getMessage());
                    }
                }
                case "AppendDelimiterToRecord" -> delimiter = true;
                default -> {
                    // RecordDeAggregation, Decompression, CloudWatchLogProcessing: stored and described, not applied here
                }
            }
        }
        if (lambdaArn == null && query == null && !delimiter) return null;
        return new RecordProcessing(lambdaArn, bufferBytes, retries, query, delimiter);
    }

    private static double number(Map<String, String> params, String name, double otherwise) {
        String v = params.get(name);
        if (v == null) return otherwise;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("The " + name + " parameter must be a number, not " + v + ".");
        }
    }

    /** Processes one batch (called off the request and timer threads: a function may take its time). */
    Outcome process(ProviderEnvironment env, String account, String region, DeliveryStream s, List<byte[]> records, long arrival) {
        List<Processed> delivered = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        if (lambdaArn == null) {
            for (byte[] r : records) delivered.add(new Processed(r, Map.of(), Map.of()));
        } else {
            int from = 0;
            while (from < records.size()) {
                int to = from;
                long size = 0;
                do {
                    size += records.get(to).length;
                    to++;
                } while (to < records.size() && size + records.get(to).length <= lambdaBufferBytes);
                invoke(env, account, region, s, records.subList(from, to), arrival, delivered, failed);
                from = to;
            }
        }
        List<Processed> out = new ArrayList<>(delivered.size());
        for (Processed p : delivered) {
            Map<String, String> keys = Map.of();
            if (query != null) {
                try {
                    keys = extract(p.data());
                } catch (IllegalArgumentException e) {
                    failed.add(new Failed(p.data(), "DynamicPartitioning.MetadataExtractionFailed", e.getMessage(), 1, null));
                    continue;
                }
            }
            byte[] data = appendDelimiter ? withNewline(p.data()) : p.data();
            out.add(new Processed(data, keys, p.lambdaKeys()));
        }
        return new Outcome(out, failed);
    }

    /** One invocation of the function for a chunk; its records end up in {@code delivered} or {@code failed}. */
    private void invoke(ProviderEnvironment env, String account, String region, DeliveryStream s, List<byte[]> chunk, long arrival,
                        List<Processed> delivered, List<Failed> failed) {
        Map<String, byte[]> byId = new LinkedHashMap<>();
        ObjectNode event = JSON.createObjectNode().put("invocationId", UUID.randomUUID().toString())
                .put("deliveryStreamArn", s.arn).put("region", region);
        if (s.kinesisStreamArn != null) event.put("sourceKinesisStreamArn", s.kinesisStreamArn);
        ArrayNode list = event.putArray("records");
        for (byte[] r : chunk) {
            String id = UUID.randomUUID().toString().replace("-", "") + String.format("%08d", byId.size());
            byId.put(id, r);
            list.addObject().put("recordId", id).put("approximateArrivalTimestamp", arrival)
                    .put("data", Base64.getEncoder().encodeToString(r));
        }
        byte[] payload = event.toString().getBytes(StandardCharsets.UTF_8);
        String account1 = lambdaArn.startsWith("arn:") && lambdaArn.split(":").length > 4 ? lambdaArn.split(":")[4] : account;
        RequestContext ctx = RequestContext.internal(account1, region, "lambda");
        String errorCode = null;
        String errorMessage = null;
        JsonNode answer = null;
        int attempts = 0;
        while (attempts <= retries) {
            attempts++;
            try {
                InvocationResponse r = LambdaApi.client(env).invoke(ctx, InvocationRequest.builder().functionName(lambdaArn)
                        .invocationType("RequestResponse").payload(payload).build());
                String body = r.payload() == null ? "" : new String(r.payload(), StandardCharsets.UTF_8);
                if (r.functionError() != null) {
                    errorCode = "Lambda.FunctionError";
                    errorMessage = "The Lambda function was successfully invoked but it returned an error result: " + body;
                    continue;
                }
                try {
                    answer = JSON.readTree(body);
                } catch (IOException e) {
                    answer = null;
                }
                if (answer == null || !answer.path("records").isArray()) {
                    errorCode = "Lambda.JsonProcessingException";
                    errorMessage = "The Lambda function's response could not be read as Firehose records: " + abbreviate(body);
                    answer = null;
                }
                break;
            } catch (ServiceException e) {
                errorCode = "Lambda." + e.code();
                errorMessage = e.getMessage();
            }
        }
        if (answer == null) {
            for (byte[] r : chunk) failed.add(new Failed(r, errorCode, errorMessage, attempts, lambdaArn));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode rec : answer.path("records")) {
            String id = rec.path("recordId").asText(null);
            byte[] raw = id == null ? null : byId.get(id);
            if (raw == null) continue;   // an id Firehose never sent: its record counts as missing below
            if (!seen.add(id)) {
                failed.add(new Failed(raw, "Lambda.DuplicatedRecordId", "Multiple records were returned with the same record Id. Ensure that the Lambda function returns a unique record Id for each record.", attempts, lambdaArn));
                continue;
            }
            switch (rec.path("result").asText("")) {
                case "Ok" -> {
                    byte[] data;
                    try {
                        data = Base64.getDecoder().decode(rec.path("data").asText(""));
                    } catch (IllegalArgumentException e) {
                        failed.add(new Failed(raw, "Lambda.InvalidRecordData", "The record's data is not valid base64.", attempts, lambdaArn));
                        continue;
                    }
                    Map<String, String> keys = new LinkedHashMap<>();
                    rec.path("metadata").path("partitionKeys").fields().forEachRemaining(f -> keys.put(f.getKey(), f.getValue().asText()));
                    delivered.add(new Processed(data, Map.of(), keys));
                }
                case "Dropped" -> {
                }
                case "ProcessingFailed" -> failed.add(new Failed(raw, "Lambda.ProcessingFailedStatus",
                        "ProcessingFailed status was returned for the record by the Lambda function.", attempts, lambdaArn));
                default -> failed.add(new Failed(raw, "Lambda.InvalidResult",
                        "The record's result must be Ok, Dropped or ProcessingFailed, not '" + rec.path("result").asText("") + "'.", attempts, lambdaArn));
            }
        }
        for (Map.Entry<String, byte[]> e : byId.entrySet()) {
            if (!seen.contains(e.getKey())) {
                failed.add(new Failed(e.getValue(), "Lambda.MissingRecordId",
                        "One or more record Ids were not returned. Ensure that the Lambda function returns all received record Ids.", attempts, lambdaArn));
            }
        }
    }

    /** The partition keys the JQ query gives for one record: the fields of the object it yields, as text. */
    Map<String, String> extract(byte[] data) {
        JsonNode in;
        try {
            in = JSON.readTree(data);
        } catch (IOException e) {
            in = null;
        }
        if (in == null || !in.isObject()) throw new IllegalArgumentException("The record is not a JSON object.");
        List<JsonNode> out = new ArrayList<>();
        try {
            query.apply(Scope.newChildScope(JQ_ROOT), in, out::add);
        } catch (JsonQueryException e) {
            throw new IllegalArgumentException("The metadata extraction query failed: " + e.getMessage());
        }
        if (out.size() != 1 || !out.get(0).isObject()) {
            throw new IllegalArgumentException("The metadata extraction query must yield one JSON object of partition keys.");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (var it = out.get(0).fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getValue().isNull() || f.getValue().isMissingNode()) {
                throw new IllegalArgumentException("The partition key " + f.getKey() + " has no value in the record.");
            }
            keys.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
        }
        return keys;
    }

    private static byte[] withNewline(byte[] data) {
        byte[] out = new byte[data.length + 1];
        System.arraycopy(data, 0, out, 0, data.length);
        out[data.length] = '\n';
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private static Scope jqRoot() {
        Scope root = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, root);
        return root;
    }
}
