package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Query page of 100 items from the middle of one large partition (100,000 items by default; set
 * {@code -Dbench.dynamodb.partition=N} for another size): the read path an application's list view takes.
 * Setup loads the partition with BatchWriteItem (25 items per call) before the clock starts.
 */
public final class DynamoDbQueryPage implements Scenario {
    private static final int PARTITION = Integer.getInteger("bench.dynamodb.partition", 100_000);
    private static final java.util.regex.Pattern COUNT_100 = java.util.regex.Pattern.compile("\"Count\":\\s*100[,}]");
    private final Map<String, String> tables = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "dynamodb-query-100-of-" + PARTITION;
    }

    @Override
    public void setup(Target target) throws Exception {
        String table = "bench-q-" + UUID.randomUUID().toString().substring(0, 8);
        DynamoDbTables.create(target, table, true);
        for (int start = 0; start < PARTITION; start += 25) {
            StringBuilder b = new StringBuilder("{\"RequestItems\":{\"" + table + "\":[");
            for (int i = start; i < Math.min(PARTITION, start + 25); i++) {
                if (i > start) b.append(',');
                b.append("{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"big\"},\"sk\":{\"N\":\"").append(i)
                        .append("\"},\"v\":{\"S\":\"value-").append(i).append("\"}}}}");
            }
            target.awsJson("dynamodb", "DynamoDB_20120810.BatchWriteItem", b.append("]}}").toString(), "1.0");
        }
        tables.put(target.name(), table);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        long from = (iteration * 7919 + worker * 104729L) % Math.max(1, PARTITION - 100);
        String page = target.awsJson("dynamodb", "DynamoDB_20120810.Query", "{\"TableName\":\"" + tables.get(target.name())
                + "\",\"KeyConditionExpression\":\"pk = :p AND sk >= :from\",\"Limit\":100,"
                + "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"big\"},\":from\":{\"N\":\"" + from + "\"}}}", "1.0");
        // moto writes "Count": 100 (with a space), Polystack "Count":100.
        if (!COUNT_100.matcher(page).find()) throw new IllegalStateException("short page: " + page.substring(0, Math.min(200, page.length())));
    }
}
