package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DynamoDB's most common pair: PutItem of a ~200-byte item, then GetItem of it (JSON 1.0, as boto3 sends them).
 * Keys cycle over 1,000 per worker, so the table stays bounded however long the run.
 */
public final class DynamoDbPutGet implements Scenario {
    private static final String PAYLOAD = "x".repeat(160);
    private final Map<String, String> tables = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "dynamodb-put-get";
    }

    @Override
    public void setup(Target target) throws Exception {
        String table = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        DynamoDbTables.create(target, table, false);
        tables.put(target.name(), table);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String table = tables.get(target.name());
        String key = "w" + worker + "-" + (iteration % 1000);
        target.awsJson("dynamodb", "DynamoDB_20120810.PutItem", "{\"TableName\":\"" + table + "\",\"Item\":{\"pk\":{\"S\":\"" + key
                + "\"},\"n\":{\"N\":\"" + iteration + "\"},\"payload\":{\"S\":\"" + PAYLOAD + "\"}}}", "1.0");
        String got = target.awsJson("dynamodb", "DynamoDB_20120810.GetItem",
                "{\"TableName\":\"" + table + "\",\"Key\":{\"pk\":{\"S\":\"" + key + "\"}}}", "1.0");
        if (!got.contains(key)) throw new IllegalStateException("item not read back: " + got);
    }
}
