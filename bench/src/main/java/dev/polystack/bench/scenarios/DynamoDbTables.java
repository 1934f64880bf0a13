package dev.polystack.bench.scenarios;

import dev.polystack.bench.Target;

/** Creating the benchmark tables the same way on every target. */
final class DynamoDbTables {
    private DynamoDbTables() {
    }

    static void create(Target target, String table, boolean withSortKey) throws Exception {
        String defs = "{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}" + (withSortKey ? ",{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}" : "");
        String schema = "{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}" + (withSortKey ? ",{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}" : "");
        target.awsJson("dynamodb", "DynamoDB_20120810.CreateTable", "{\"TableName\":\"" + table + "\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"AttributeDefinitions\":[" + defs + "],\"KeySchema\":[" + schema + "]}", "1.0");
    }
}
