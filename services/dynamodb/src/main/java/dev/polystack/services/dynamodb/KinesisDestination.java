package dev.polystack.services.dynamodb;

/**
 * A Kinesis data stream receiving a table's changes. {@code status} is ACTIVE or DISABLED (AWS answers ENABLING and
 * DISABLING to the calls that change it, and the change takes effect at once here); {@code precision} is the
 * ApproximateCreationDateTime precision, null until UpdateKinesisStreamingDestination sets one (MILLISECOND).
 */
final class KinesisDestination {
    final String streamArn;
    volatile String status = "ACTIVE";
    volatile String precision;

    KinesisDestination(String streamArn, String precision) {
        this.streamArn = streamArn;
        this.precision = precision;
    }

    boolean active() {
        return "ACTIVE".equals(status);
    }

    String effectivePrecision() {
        return precision == null ? "MILLISECOND" : precision;
    }
}
