"""DynamoDB Streams end to end: records with AWS's shape for single, batch and transactional writes, view types,
no record for a write that changed nothing, and shard iterators of every type."""
import pytest
from botocore.config import Config

from helpers import error_of, unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


@pytest.fixture(scope="module")
def streams(aws_client):
    return aws_client("dynamodbstreams", config=NO_RETRY)


def stream_table(ddb, view):
    name = unique("s")
    out = ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                           AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                           StreamSpecification={"StreamEnabled": True, "StreamViewType": view})["TableDescription"]
    assert out["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": view}
    assert out["LatestStreamArn"] == f"{out['TableArn']}/stream/{out['LatestStreamLabel']}"
    return name, out["LatestStreamArn"]


def all_records(streams, arn, iterator_type="TRIM_HORIZON", **kwargs):
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=iterator_type, **kwargs)["ShardIterator"]
    return streams.get_records(ShardIterator=it)


def test_records_shape_new_and_old_images(ddb, streams):
    name, arn = stream_table(ddb, "NEW_AND_OLD_IMAGES")
    ddb.put_item(TableName=name, Item={"id": {"S": "my-item-id"}, "attr1": {"S": "value1"}, "attr2": {"S": "value2"}})
    ddb.update_item(TableName=name, Key={"id": {"S": "my-item-id"}}, UpdateExpression="SET attr1 = :a, attr2 = :b",
                    ExpressionAttributeValues={":a": {"S": "value2"}, ":b": {"S": "value3"}})
    ddb.put_item(TableName=name, Item={"id": {"S": "my-item-id"}, "attr1": {"S": "value2"}, "attr2": {"S": "value3"}})  # no change
    ddb.delete_item(TableName=name, Key={"id": {"S": "nothing-here"}})  # no change
    records = all_records(streams, arn)["Records"]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY"]
    first, second = records
    assert set(first) == {"awsRegion", "dynamodb", "eventID", "eventName", "eventSource", "eventVersion"}
    assert (first["eventSource"], first["eventVersion"], first["awsRegion"]) == ("aws:dynamodb", "1.1", "us-east-1")
    assert set(first["dynamodb"]) == {"ApproximateCreationDateTime", "Keys", "NewImage", "SequenceNumber", "SizeBytes", "StreamViewType"}
    assert first["dynamodb"]["SizeBytes"] == 46 and second["dynamodb"]["SizeBytes"] == 80
    assert second["dynamodb"]["OldImage"]["attr1"] == {"S": "value1"} and second["dynamodb"]["NewImage"]["attr1"] == {"S": "value2"}
    assert int(first["dynamodb"]["SequenceNumber"]) < int(second["dynamodb"]["SequenceNumber"])
    desc = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert (desc["StreamStatus"], desc["StreamViewType"], desc["TableName"]) == ("ENABLED", "NEW_AND_OLD_IMAGES", name)
    assert desc["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]


def test_keys_only_and_batch_and_transaction_writes(ddb, streams):
    name, arn = stream_table(ddb, "KEYS_ONLY")
    ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"id": {"S": "Fred"}}}},
                                              {"PutRequest": {"Item": {"id": {"S": "Alice"}}}}]})
    ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": name, "Key": {"id": {"S": "Fred"}}, "UpdateExpression": "SET x = :x",
                    "ExpressionAttributeValues": {":x": {"N": "1"}}}},
        {"Delete": {"TableName": name, "Key": {"id": {"S": "Alice"}}}}])
    records = all_records(streams, arn)["Records"]
    assert [(r["eventName"], r["dynamodb"]["Keys"]["id"]["S"]) for r in records] == [
        ("INSERT", "Fred"), ("INSERT", "Alice"), ("MODIFY", "Fred"), ("REMOVE", "Alice")]
    assert records[0]["dynamodb"]["SizeBytes"] == 6 and "NewImage" not in records[0]["dynamodb"]


def test_iterator_types_and_listing(ddb, streams):
    name, arn = stream_table(ddb, "NEW_IMAGE")
    for i in range(3):
        ddb.put_item(TableName=name, Item={"id": {"S": f"k{i}"}})
    records = all_records(streams, arn)["Records"]
    seqs = [r["dynamodb"]["SequenceNumber"] for r in records]
    assert len(seqs) == 3
    at = all_records(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=seqs[1])["Records"]
    assert [r["dynamodb"]["SequenceNumber"] for r in at] == seqs[1:]
    after = all_records(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=seqs[1])["Records"]
    assert [r["dynamodb"]["SequenceNumber"] for r in after] == seqs[2:]
    latest = all_records(streams, arn, "LATEST")
    assert latest["Records"] == []
    ddb.put_item(TableName=name, Item={"id": {"S": "later"}})
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in streams.get_records(ShardIterator=latest["NextShardIterator"])["Records"]] == ["later"]
    listed = streams.list_streams(TableName=name)["Streams"]
    assert listed == [{"StreamArn": arn, "TableName": name, "StreamLabel": arn.rsplit("/", 1)[1]}]
    missing = arn.rsplit("/", 1)[0] + "/2024-11-18T14:36:44.149"
    err, _ = error_of(streams.describe_stream, StreamArn=missing)
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", f"Requested resource not found: Stream: {missing} not found")


def test_disable_stream(ddb, streams):
    name, arn = stream_table(ddb, "NEW_IMAGE")
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    table = ddb.describe_table(TableName=name)["Table"]
    assert "StreamSpecification" not in table and table["LatestStreamArn"] == arn
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED"
    ddb.put_item(TableName=name, Item={"id": {"S": "after"}})
    assert all_records(streams, arn)["Records"] == []
