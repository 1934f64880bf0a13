"""DynamoDB limits and legacy parameters of issue 15 that no other module proved: key sizes (2048 bytes for a
partition key, 1024 for a sort key), 100 actions per transaction, ScanFilter, and an INCLUDE projection."""
import pytest
from botocore.config import Config

from helpers import error_of, unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


def keyed_table(ddb, **kwargs):
    name = unique("lim")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["kept"]}}], **kwargs)
    return name


def test_key_size_limits(ddb):
    name = keyed_table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "p" * 2048}, "sk": {"S": "s" * 1024}})  # at the limits: stored
    assert ddb.get_item(TableName=name, Key={"pk": {"S": "p" * 2048}, "sk": {"S": "s" * 1024}})["Item"]["sk"]["S"] == "s" * 1024
    err, status = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "p" * 2049}, "sk": {"S": "s"}})
    assert (status, err["Code"], err["Message"]) == (400, "ValidationException",
                                                     "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes")
    err, _ = error_of(ddb.put_item, TableName=name, Item={"pk": {"S": "p"}, "sk": {"S": "s" * 1025}})
    assert (err["Code"], err["Message"]) == ("ValidationException",
                                             "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
    # sizes are UTF-8 bytes: 683 three-byte characters are 2049 bytes
    err, _ = error_of(ddb.get_item, TableName=name, Key={"pk": {"S": "\u20ac" * 683}, "sk": {"S": "s"}})
    assert err["Message"].endswith("Size of hashkey has exceeded the maximum size limit of 2048 bytes")
    assert ddb.scan(TableName=name)["Count"] == 1


def test_transaction_of_more_than_100_actions_is_refused(ddb):
    name = keyed_table(ddb)
    actions = [{"Put": {"TableName": name, "Item": {"pk": {"S": f"p{i}"}, "sk": {"S": "s"}}}} for i in range(101)]
    err, _ = error_of(ddb.transact_write_items, TransactItems=actions)
    assert (err["Code"], err["Message"]) == ("ValidationException", "1 validation error detected: Value at 'transactItems' failed to "
                                             "satisfy constraint: Member must have length less than or equal to 100")
    assert ddb.scan(TableName=name)["Count"] == 0
    ddb.transact_write_items(TransactItems=actions[:100])
    assert ddb.scan(TableName=name, Select="COUNT")["Count"] == 100


def test_scan_filter_legacy_parameter(ddb):
    name = keyed_table(ddb)
    for i in range(6):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"p{i}"}, "sk": {"S": "s"}, "n": {"N": str(i)}})
    out = ddb.scan(TableName=name, ScanFilter={"n": {"AttributeValueList": [{"N": "3"}], "ComparisonOperator": "GE"}})
    assert sorted(i["n"]["N"] for i in out["Items"]) == ["3", "4", "5"] and out["ScannedCount"] == 6
    out = ddb.scan(TableName=name, ConditionalOperator="OR",
                   ScanFilter={"n": {"AttributeValueList": [{"N": "0"}], "ComparisonOperator": "EQ"},
                               "pk": {"AttributeValueList": [{"S": "p5"}], "ComparisonOperator": "EQ"}})
    assert sorted(i["pk"]["S"] for i in out["Items"]) == ["p0", "p5"]


def test_include_projection_on_a_global_index(ddb):
    name = keyed_table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "kept": {"S": "yes"}, "dropped": {"S": "no"}})
    index = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"][0]
    assert index["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["kept"]}
    items = ddb.query(TableName=name, IndexName="by-g", KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "G"}})["Items"]
    assert items == [{"pk": {"S": "a"}, "sk": {"S": "1"}, "g": {"S": "G"}, "kept": {"S": "yes"}}]
