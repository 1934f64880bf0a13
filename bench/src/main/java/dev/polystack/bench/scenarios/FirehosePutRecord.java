package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Firehose PutRecord of a 100-byte record into a Direct PUT delivery stream with an S3 destination. */
public class FirehosePutRecord implements Scenario {
    private static final String RECORD = java.util.Base64.getEncoder().encodeToString("x".repeat(99).concat("\n").getBytes());
    /** Target name → the delivery stream of this run. */
    private final Map<String, String> streams = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "firehose-put-record";
    }

    @Override
    public void setup(Target target) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bucket = "bench-firehose-" + run;
        target.rest("s3", "PUT", "/" + bucket, new byte[0]);
        String name = "bench-" + run;
        target.awsJson("firehose", "Firehose_20150804.CreateDeliveryStream", "{\"DeliveryStreamName\":\"" + name
                + "\",\"DeliveryStreamType\":\"DirectPut\",\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":"
                + "\"arn:aws:iam::000000000000:role/firehose\",\"BucketARN\":\"arn:aws:s3:::" + bucket + "\"}}", "1.1");
        streams.put(target.name(), name);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        target.awsJson("firehose", "Firehose_20150804.PutRecord", "{\"DeliveryStreamName\":\"" + streams.get(target.name())
                + "\",\"Record\":{\"Data\":\"" + RECORD + "\"}}", "1.1");
    }
}
