"""DynamoDB items of issue 15 that no other module proved: DescribeEndpoints, contributor insights, TableClass,
ReturnConsumedCapacity and ReturnItemCollectionMetrics only when asked, Select SPECIFIC_ATTRIBUTES."""
import pytest
from botocore.config import Config

from helpers import error_of, unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


def table(ddb, **kwargs):
    name = unique("set")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                                           {"AttributeName": "alt", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     LocalSecondaryIndexes=[{"IndexName": "by-alt", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                                 {"AttributeName": "alt", "KeyType": "RANGE"}],
                                             "Projection": {"ProjectionType": "ALL"}}], **kwargs)
    return name


def test_describe_endpoints(ddb):
    assert ddb.describe_endpoints()["Endpoints"] == [{"Address": "dynamodb.us-east-1.amazonaws.com", "CachePeriodInMinutes": 1440}]


def test_contributor_insights_and_table_class(ddb):
    name = table(ddb, TableClass="STANDARD_INFREQUENT_ACCESS")
    assert ddb.describe_table(TableName=name)["Table"]["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    ddb.update_table(TableName=name, TableClass="STANDARD")
    assert ddb.describe_table(TableName=name)["Table"]["TableClassSummary"]["TableClass"] == "STANDARD"
    assert ddb.describe_contributor_insights(TableName=name)["ContributorInsightsStatus"] == "DISABLED"
    updated = ddb.update_contributor_insights(TableName=name, ContributorInsightsAction="ENABLE")
    assert updated["TableName"] == name
    assert ddb.describe_contributor_insights(TableName=name)["ContributorInsightsStatus"] == "ENABLED"
    ddb.update_contributor_insights(TableName=name, ContributorInsightsAction="DISABLE")
    assert ddb.describe_contributor_insights(TableName=name)["ContributorInsightsStatus"] == "DISABLED"
    ddb.delete_table(TableName=name)


def test_consumed_capacity_and_collection_metrics_only_when_asked(ddb):
    name = table(ddb)
    item = {"pk": {"S": "a"}, "sk": {"S": "1"}, "alt": {"S": "x"}}
    plain = ddb.put_item(TableName=name, Item=item)
    assert "ConsumedCapacity" not in plain and "ItemCollectionMetrics" not in plain
    total = ddb.put_item(TableName=name, Item=item, ReturnConsumedCapacity="TOTAL", ReturnItemCollectionMetrics="SIZE")
    assert total["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0}
    assert total["ItemCollectionMetrics"] == {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]}
    indexes = ddb.put_item(TableName=name, Item=item, ReturnConsumedCapacity="INDEXES")
    assert indexes["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}
    assert "ItemCollectionMetrics" not in indexes
    key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
    assert ddb.get_item(TableName=name, Key=key, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]["CapacityUnits"] == 0.5
    assert ddb.get_item(TableName=name, Key=key, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert "ConsumedCapacity" not in ddb.get_item(TableName=name, Key=key, ReturnConsumedCapacity="NONE")
    ddb.delete_table(TableName=name)


def test_select_specific_attributes(ddb):
    name = table(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "alt": {"S": "x"}, "attr1": {"N": "5"}})
    got = ddb.query(TableName=name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}},
                    Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="attr1")
    assert got["Items"] == [{"attr1": {"N": "5"}}]
    err, status = error_of(ddb.query, TableName=name, KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": "a"}}, Select="SPECIFIC_ATTRIBUTES")
    assert status == 400 and err["Code"] == "ValidationException"
    assert err["Message"] == "1 validation error detected: Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression or AttributesToGet"
    ddb.delete_table(TableName=name)
