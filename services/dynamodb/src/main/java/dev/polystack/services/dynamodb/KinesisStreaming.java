package dev.polystack.services.dynamodb;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.polystack.services.dynamodb.Params.map;
import static dev.polystack.services.dynamodb.Params.str;

/**
 * Kinesis streaming destinations: Enable, Disable, Describe and UpdateKinesisStreamingDestination with AWS's
 * answers and texts. The stream must exist in the Kinesis provider; the changes themselves travel through
 * {@link KinesisForwarder}.
 */
final class KinesisStreaming {
    private static final List<String> PRECISIONS = List.of("MILLISECOND", "MICROSECOND");

    private final DynamoEngine engine;
    private final ProviderEnvironment env;

    KinesisStreaming(DynamoEngine engine, ProviderEnvironment env) {
        this.engine = engine;
        this.env = env;
    }

    Map<String, Object> enable(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.namedTable(r, str(in, "TableName"));
        String arn = str(in, "StreamArn");
        Map<String, Object> config = map(in, "EnableKinesisStreamingConfiguration");
        String precision = config == null ? null : str(config, "ApproximateCreationDateTimePrecision");
        if (precision != null) checkPrecision(precision, "enableKinesisStreamingConfiguration");
        checkStreamExists(arn);
        synchronized (t.kinesisDestinations) {
            KinesisDestination d = find(t, arn);
            if (d != null && d.active()) {
                throw Errors.validation("Table is not in a valid state to enable Kinesis Streaming Destination:"
                        + "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.");
            }
            if (d != null) t.kinesisDestinations.remove(d);
            t.kinesisDestinations.add(new KinesisDestination(arn, precision));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("TableName", t.name);
        out.put("StreamArn", arn);
        out.put("DestinationStatus", "ENABLING");
        out.put("EnableKinesisStreamingConfiguration", config == null ? Map.of() : config);
        return out;
    }

    Map<String, Object> disable(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.namedTable(r, str(in, "TableName"));
        String arn = str(in, "StreamArn");
        KinesisDestination d = find(t, arn);
        if (d == null || !d.active()) {
            throw Errors.validation("Table is not in a valid state to disable Kinesis Streaming Destination:"
                    + "DisableKinesisStreamingDestination must be ACTIVE to perform DISABLE operation.");
        }
        d.status = "DISABLED";
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("TableName", t.name);
        out.put("StreamArn", arn);
        out.put("DestinationStatus", "DISABLING");
        return out;
    }

    Map<String, Object> describe(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.namedTable(r, str(in, "TableName"));
        List<Object> destinations = new ArrayList<>();
        for (KinesisDestination d : t.kinesisDestinations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("StreamArn", d.streamArn);
            m.put("DestinationStatus", d.status);
            if (d.precision != null) m.put("ApproximateCreationDateTimePrecision", d.precision);
            destinations.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("TableName", t.name);
        out.put("KinesisDataStreamDestinations", destinations);
        return out;
    }

    Map<String, Object> update(DynamoEngine.Region r, Map<String, Object> in) {
        Table t = engine.namedTable(r, str(in, "TableName"));
        String arn = str(in, "StreamArn");
        Map<String, Object> config = map(in, "UpdateKinesisStreamingConfiguration");
        String precision = config == null ? null : str(config, "ApproximateCreationDateTimePrecision");
        if (precision == null) {
            throw Errors.validation("Streaming destination cannot be updated with given parameters: "
                    + "UpdateKinesisStreamingConfiguration cannot be null or contain only null values");
        }
        checkPrecision(precision, "updateKinesisStreamingConfiguration");
        KinesisDestination d = find(t, arn);
        if (d == null) {
            throw Errors.validation("Table is not in a valid state to enable Kinesis Streaming Destination: No streaming destination with streamArn: "
                    + arn + " found for table with tableName: " + t.name);
        }
        if (precision.equals(d.effectivePrecision())) {
            throw Errors.validation("Invalid Request: Precision is already set to the desired value of " + precision
                    + " for tableId: " + t.id + ", kdsArn: " + arn);
        }
        d.precision = precision;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("TableName", t.name);
        out.put("StreamArn", arn);
        out.put("DestinationStatus", "UPDATING");
        out.put("UpdateKinesisStreamingConfiguration", Map.of("ApproximateCreationDateTimePrecision", precision));
        return out;
    }

    private static KinesisDestination find(Table t, String arn) {
        for (KinesisDestination d : t.kinesisDestinations) if (d.streamArn.equals(arn)) return d;
        return null;
    }

    private static void checkPrecision(String precision, String member) {
        if (!PRECISIONS.contains(precision)) {
            throw Errors.validation("1 validation error detected: Value '" + precision + "' at '" + member
                    + ".approximateCreationDateTimePrecision' failed to satisfy constraint: Member must satisfy enum value set: [MILLISECOND, MICROSECOND]");
        }
    }

    /** The destination stream must exist in Kinesis (same account and region as the ARN says). */
    private void checkStreamExists(String arn) {
        if (env == null) return;
        String[] p = arn == null ? new String[0] : arn.split(":", 6);
        if (p.length < 6 || !p[2].equals("kinesis") || !p[5].startsWith("stream/")) {
            throw Errors.validation("User does not have a permission to use kinesis stream");
        }
        try {
            env.call(RequestContext.internal(p[4], p[3], "kinesis"), "kinesis", "DescribeStreamSummary", Map.of("StreamARN", arn));
        } catch (ServiceException e) {
            throw Errors.validation("User does not have a permission to use kinesis stream");
        }
    }
}
