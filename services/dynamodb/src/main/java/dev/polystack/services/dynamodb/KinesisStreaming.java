package dev.polystack.services.dynamodb;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;

import dev.polystack.services.dynamodb.api.DescribeKinesisStreamingDestinationOutput;
import dev.polystack.services.dynamodb.api.EnableKinesisStreamingConfiguration;
import dev.polystack.services.dynamodb.api.KinesisDataStreamDestination;
import dev.polystack.services.dynamodb.api.KinesisStreamingDestinationInput;
import dev.polystack.services.dynamodb.api.KinesisStreamingDestinationOutput;
import dev.polystack.services.dynamodb.api.UpdateKinesisStreamingConfiguration;
import dev.polystack.services.dynamodb.api.UpdateKinesisStreamingDestinationInput;
import dev.polystack.services.dynamodb.api.UpdateKinesisStreamingDestinationOutput;
import dev.polystack.services.kinesis.api.DescribeStreamSummaryInput;
import dev.polystack.services.kinesis.api.KinesisApi;

import java.util.ArrayList;
import java.util.List;

/**
 * Kinesis streaming destinations: Enable, Disable, Describe and UpdateKinesisStreamingDestination with AWS's
 * answers and texts. The stream must exist in the Kinesis provider; the changes themselves travel through
 * {@link KinesisForwarder}.
 */
final class KinesisStreaming {
    private static final List<String> PRECISIONS = List.of("MILLISECOND", "MICROSECOND");

    private final DynamoEngine engine;
    /** The in-process Kinesis (null in unit tests without one). */
    private final KinesisApi kinesis;

    KinesisStreaming(DynamoEngine engine, ProviderEnvironment env) {
        this.engine = engine;
        this.kinesis = env == null ? null : KinesisApi.client(env);
    }

    KinesisStreamingDestinationOutput enable(DynamoEngine.Region r, KinesisStreamingDestinationInput in) {
        Table t = engine.namedTable(r, in.tableName());
        String arn = in.streamArn();
        EnableKinesisStreamingConfiguration config = in.enableKinesisStreamingConfiguration();
        String precision = config == null ? null : config.approximateCreationDateTimePrecisionAsString();
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
        return KinesisStreamingDestinationOutput.builder().tableName(t.name).streamArn(arn).destinationStatus("ENABLING")
                .enableKinesisStreamingConfiguration(config == null ? EnableKinesisStreamingConfiguration.builder().build() : config).build();
    }

    KinesisStreamingDestinationOutput disable(DynamoEngine.Region r, KinesisStreamingDestinationInput in) {
        Table t = engine.namedTable(r, in.tableName());
        String arn = in.streamArn();
        KinesisDestination d = find(t, arn);
        if (d == null || !d.active()) {
            throw Errors.validation("Table is not in a valid state to disable Kinesis Streaming Destination:"
                    + "DisableKinesisStreamingDestination must be ACTIVE to perform DISABLE operation.");
        }
        d.status = "DISABLED";
        return KinesisStreamingDestinationOutput.builder().tableName(t.name).streamArn(arn).destinationStatus("DISABLING").build();
    }

    DescribeKinesisStreamingDestinationOutput describe(DynamoEngine.Region r, String tableName) {
        Table t = engine.namedTable(r, tableName);
        List<KinesisDataStreamDestination> destinations = new ArrayList<>();
        for (KinesisDestination d : t.kinesisDestinations) {
            destinations.add(KinesisDataStreamDestination.builder().streamArn(d.streamArn).destinationStatus(d.status)
                    .approximateCreationDateTimePrecision(d.precision).build());
        }
        return DescribeKinesisStreamingDestinationOutput.builder().tableName(t.name).kinesisDataStreamDestinations(destinations).build();
    }

    UpdateKinesisStreamingDestinationOutput update(DynamoEngine.Region r, UpdateKinesisStreamingDestinationInput in) {
        Table t = engine.namedTable(r, in.tableName());
        String arn = in.streamArn();
        UpdateKinesisStreamingConfiguration config = in.updateKinesisStreamingConfiguration();
        String precision = config == null ? null : config.approximateCreationDateTimePrecisionAsString();
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
        return UpdateKinesisStreamingDestinationOutput.builder().tableName(t.name).streamArn(arn).destinationStatus("UPDATING")
                .updateKinesisStreamingConfiguration(UpdateKinesisStreamingConfiguration.builder().approximateCreationDateTimePrecision(precision).build())
                .build();
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
        if (kinesis == null) return;
        String[] p = arn == null ? new String[0] : arn.split(":", 6);
        if (p.length < 6 || !p[2].equals("kinesis") || !p[5].startsWith("stream/")) {
            throw Errors.validation("User does not have a permission to use kinesis stream");
        }
        try {
            kinesis.describeStreamSummary(RequestContext.internal(p[4], p[3], "kinesis"), DescribeStreamSummaryInput.builder().streamARN(arn).build());
        } catch (ServiceException e) {
            throw Errors.validation("User does not have a permission to use kinesis stream");
        }
    }
}
