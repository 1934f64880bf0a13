package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kinesis PutRecord, then reading that record back: GetShardIterator at its sequence number and GetRecords
 * (three requests per iteration), on a one-shard stream.
 */
public class KinesisPutGet implements Scenario {
    /** Target name → the stream of this run. */
    private final Map<String, String> streams = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "kinesis-put-get";
    }

    @Override
    public void setup(Target target) throws Exception {
        String stream = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        target.awsJson("kinesis", "Kinesis_20131202.CreateStream", "{\"StreamName\":\"" + stream + "\",\"ShardCount\":1}", "1.1");
        for (int i = 0; i < 100; i++) { // moto creates streams ACTIVE at once; wait in case a server does not
            String status = Target.jsonValue(target.awsJson("kinesis", "Kinesis_20131202.DescribeStreamSummary",
                    "{\"StreamName\":\"" + stream + "\"}", "1.1"), "StreamStatus");
            if ("ACTIVE".equals(status)) break;
            Thread.sleep(50);
        }
        streams.put(target.name(), stream);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String stream = streams.get(target.name());
        String data = Base64.getEncoder().encodeToString(("record " + worker + "-" + iteration).getBytes());
        String put = target.awsJson("kinesis", "Kinesis_20131202.PutRecord", "{\"StreamName\":\"" + stream + "\",\"Data\":\"" + data
                + "\",\"PartitionKey\":\"w" + worker + "\"}", "1.1");
        String iterator = Target.jsonValue(target.awsJson("kinesis", "Kinesis_20131202.GetShardIterator", "{\"StreamName\":\""
                + stream + "\",\"ShardId\":\"" + Target.jsonValue(put, "ShardId") + "\",\"ShardIteratorType\":\"AT_SEQUENCE_NUMBER\","
                + "\"StartingSequenceNumber\":\"" + Target.jsonValue(put, "SequenceNumber") + "\"}", "1.1"), "ShardIterator");
        String records = target.awsJson("kinesis", "Kinesis_20131202.GetRecords", "{\"ShardIterator\":\"" + iterator + "\",\"Limit\":1}", "1.1");
        if (!records.contains(data)) throw new IllegalStateException("record not read back");
    }
}
