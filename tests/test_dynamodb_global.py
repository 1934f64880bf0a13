"""DynamoDB global tables (version 2019.11.21) and Kinesis streaming destinations end to end through boto3:
replicas created and deleted through UpdateTable's ReplicaUpdates, writes replicated to every region (streams
included), AWS's errors; change records delivered to the native Kinesis provider in AWS's format."""
import base64
import json
import time

import pytest
from botocore.config import Config

from helpers import error_of, unique, wait_for

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})
PRIMARY, SECONDARY, THIRD = "ap-south-1", "eu-west-1", "us-east-2"
KEY = {"Artist": {"S": "item_1"}, "SongTitle": {"S": "Song Value 1"}}


@pytest.fixture(scope="module")
def regions(aws_client):
    return {r: aws_client("dynamodb", region_name=r, config=NO_RETRY) for r in (PRIMARY, SECONDARY, THIRD)}


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


@pytest.fixture(scope="module")
def kinesis(aws_client):
    return aws_client("kinesis", config=NO_RETRY)


def music_table(client, **kwargs):
    name = unique("global")
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"},
                                   {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"},
                                              {"AttributeName": "SongTitle", "AttributeType": "S"}], **kwargs)
    return name


# ---- global tables ----------------------------------------------------------------------------------------------

def test_replicas_created_described_replicated_and_deleted(regions):
    ap, eu, us = regions[PRIMARY], regions[SECONDARY], regions[THIRD]
    name = music_table(ap)
    ap.put_item(TableName=name, Item={**KEY, "before": {"S": "replication"}})

    ap.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": SECONDARY, "KMSMasterKeyId": "bar"}}])
    ap.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": THIRD}}])
    eu.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})

    primary = ap.describe_table(TableName=name)["Table"]
    assert primary["GlobalTableVersion"] == "2019.11.21"
    assert sorted(r["RegionName"] for r in primary["Replicas"]) == [SECONDARY, THIRD]
    assert all(r["ReplicaStatus"] == "ACTIVE" for r in primary["Replicas"])
    assert {r["RegionName"]: r.get("KMSMasterKeyId") for r in primary["Replicas"]} == {SECONDARY: "bar", THIRD: None}
    replica = eu.describe_table(TableName=name)["Table"]
    assert replica["TableArn"] == f"arn:aws:dynamodb:{SECONDARY}:000000000000:table/{name}"
    assert replica["TableId"] != primary["TableId"]
    assert replica["KeySchema"] == primary["KeySchema"]
    assert sorted(r["RegionName"] for r in replica["Replicas"]) == [PRIMARY, THIRD]
    assert name in eu.list_tables()["TableNames"] and name in us.list_tables()["TableNames"]

    # Items present before the replica was created were copied; later writes anywhere reach every region.
    assert eu.get_item(TableName=name, Key=KEY)["Item"]["before"] == {"S": "replication"}
    ap.put_item(TableName=name, Item={"Artist": {"S": "a2"}, "SongTitle": {"S": "s"}, "v": {"N": "1"}})
    eu.update_item(TableName=name, Key={"Artist": {"S": "a2"}, "SongTitle": {"S": "s"}}, UpdateExpression="ADD v :one",
                   ExpressionAttributeValues={":one": {"N": "1"}})
    for client in (ap, eu, us):
        assert client.get_item(TableName=name, Key={"Artist": {"S": "a2"}, "SongTitle": {"S": "s"}})["Item"]["v"] == {"N": "2"}
        assert client.query(TableName=name, KeyConditionExpression="Artist = :a",
                            ExpressionAttributeValues={":a": {"S": "item_1"}})["Count"] == 1
    us.delete_item(TableName=name, Key=KEY)
    assert "Item" not in ap.get_item(TableName=name, Key=KEY)
    assert eu.scan(TableName=name)["Count"] == 1

    # Deleting a replica deletes its table there; deleting it again is AWS's error.
    ap.update_table(TableName=name, ReplicaUpdates=[{"Delete": {"RegionName": SECONDARY}}])
    err, status = error_of(eu.get_item, TableName=name, Key=KEY)
    assert (err["Code"], status) == ("ResourceNotFoundException", 400)
    err, _ = error_of(ap.update_table, TableName=name, ReplicaUpdates=[{"Delete": {"RegionName": SECONDARY}}])
    assert (err["Code"], err["Message"]) == (
        "ValidationException", "Update global table operation failed because one or more replicas were not part of the global table.")
    assert [r["RegionName"] for r in us.describe_table(TableName=name)["Table"]["Replicas"]] == [PRIMARY]

    # Removing the last other replica (here from that replica's own region) leaves a regional table.
    us.update_table(TableName=name, ReplicaUpdates=[{"Delete": {"RegionName": THIRD}}])
    table = ap.describe_table(TableName=name)["Table"]
    assert "Replicas" not in table and "GlobalTableVersion" not in table
    assert name not in us.list_tables()["TableNames"]


def test_replica_errors(regions):
    ap, eu = regions[PRIMARY], regions[SECONDARY]
    name = music_table(ap)
    music_in_eu = ap.describe_table(TableName=name)["Table"]["TableName"]
    eu.create_table(TableName=music_in_eu, BillingMode="PAY_PER_REQUEST",
                    KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"}])
    err, status = error_of(ap.update_table, TableName=name, ReplicaUpdates=[{"Create": {"RegionName": SECONDARY}}])
    assert (err["Code"], err["Message"], status) == (
        "ValidationException",
        f"Failed to create a the new replica of table with name: '{name}' because one or more replicas already existed as tables.", 400)
    err, _ = error_of(ap.update_table, TableName=name, ReplicaUpdates=[{"Create": {"RegionName": "moon-base-1"}}])
    assert (err["Code"], err["Message"]) == ("ValidationException", "Region moon-base-1 is not supported")
    err, _ = error_of(ap.update_table, TableName=name, ReplicaUpdates=[{"Update": {"RegionName": THIRD}}])
    assert err["Message"] == "Update global table operation failed because one or more replicas were not part of the global table."
    assert "Replicas" not in ap.describe_table(TableName=name)["Table"]


def test_each_replica_has_its_own_stream(regions, aws_client):
    ap, eu = regions[PRIMARY], regions[SECONDARY]
    name = music_table(ap, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    ap.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": SECONDARY}}])
    arn_primary = ap.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    arn_replica = eu.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    assert f":{PRIMARY}:" in arn_primary and f":{SECONDARY}:" in arn_replica
    eu_streams = aws_client("dynamodbstreams", region_name=SECONDARY, config=NO_RETRY)
    listed = eu_streams.list_streams(TableName=name)["Streams"]
    assert listed == [{"StreamArn": arn_replica, "TableName": name, "StreamLabel": arn_replica.rsplit("/", 1)[1]}]

    ap.put_item(TableName=name, Item={**KEY, "n": {"N": "1"}})
    shard = eu_streams.describe_stream(StreamArn=arn_replica)["StreamDescription"]["Shards"][0]["ShardId"]
    it = eu_streams.get_shard_iterator(StreamArn=arn_replica, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = eu_streams.get_records(ShardIterator=it)["Records"]
    assert [r["eventName"] for r in records] == ["INSERT"]
    assert records[0]["awsRegion"] == SECONDARY
    assert records[0]["dynamodb"]["NewImage"] == {**KEY, "n": {"N": "1"}}


def test_table_without_stream_gets_one_for_replication(regions):
    ap = regions[PRIMARY]
    name = music_table(ap)
    ap.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": THIRD}}])
    table = ap.describe_table(TableName=name)["Table"]
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    regions[THIRD].delete_table(TableName=name)
    assert "Replicas" not in ap.describe_table(TableName=name)["Table"]


# ---- Kinesis streaming destinations --------------------------------------------------------------------------------

def kinesis_stream(kinesis):
    name = unique("kds")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    return wait_for(lambda: (d := kinesis.describe_stream(StreamName=name)["StreamDescription"])["StreamStatus"] == "ACTIVE" and d)


def test_kinesis_streaming_destination_crud(ddb, kinesis):
    table = unique("kt")
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    table_id = ddb.describe_table(TableName=table)["Table"]["TableId"]
    stream_arn = kinesis_stream(kinesis)["StreamARN"]

    err, status = error_of(ddb.enable_kinesis_streaming_destination, TableName="bad-table", StreamArn=stream_arn)
    assert (err["Code"], err["Message"], status) == (
        "ResourceNotFoundException", "Requested resource not found: Table: bad-table not found", 400)
    out = ddb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn)
    out.pop("ResponseMetadata")
    assert out == {"DestinationStatus": "ENABLING", "EnableKinesisStreamingConfiguration": {}, "StreamArn": stream_arn,
                   "TableName": table}
    out = ddb.describe_kinesis_streaming_destination(TableName=table)
    out.pop("ResponseMetadata")
    assert out == {"KinesisDataStreamDestinations": [{"DestinationStatus": "ACTIVE", "StreamArn": stream_arn}], "TableName": table}

    err, _ = error_of(ddb.update_kinesis_streaming_destination, TableName=table, StreamArn=stream_arn)
    assert err["Message"] == ("Streaming destination cannot be updated with given parameters: "
                              "UpdateKinesisStreamingConfiguration cannot be null or contain only null values")
    err, _ = error_of(ddb.update_kinesis_streaming_destination, TableName=table, StreamArn=stream_arn,
                      UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "SECOND"})
    assert err["Message"] == ("1 validation error detected: Value 'SECOND' at 'updateKinesisStreamingConfiguration."
                              "approximateCreationDateTimePrecision' failed to satisfy constraint: Member must satisfy enum value set: "
                              "[MILLISECOND, MICROSECOND]")
    bad_arn = stream_arn.rsplit("/", 1)[0] + "/bad-stream"
    err, _ = error_of(ddb.update_kinesis_streaming_destination, TableName=table, StreamArn=bad_arn,
                      UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    assert err["Message"] == ("Table is not in a valid state to enable Kinesis Streaming Destination: No streaming destination with "
                              f"streamArn: {bad_arn} found for table with tableName: {table}")
    out = ddb.update_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn,
                                                   UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    out.pop("ResponseMetadata")
    assert out == {"DestinationStatus": "UPDATING", "StreamArn": stream_arn, "TableName": table,
                   "UpdateKinesisStreamingConfiguration": {"ApproximateCreationDateTimePrecision": "MICROSECOND"}}
    err, _ = error_of(ddb.update_kinesis_streaming_destination, TableName=table, StreamArn=stream_arn,
                      UpdateKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"})
    assert err["Message"] == (f"Invalid Request: Precision is already set to the desired value of MICROSECOND for tableId: {table_id}, "
                              f"kdsArn: {stream_arn}")

    err, _ = error_of(ddb.disable_kinesis_streaming_destination, TableName="bad-table", StreamArn=stream_arn)
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "Requested resource not found: Table: bad-table not found")
    out = ddb.disable_kinesis_streaming_destination(TableName=table, StreamArn=stream_arn)
    out.pop("ResponseMetadata")
    assert out == {"DestinationStatus": "DISABLING", "StreamArn": stream_arn, "TableName": table}
    destinations = ddb.describe_kinesis_streaming_destination(TableName=table)["KinesisDataStreamDestinations"]
    assert [d["DestinationStatus"] for d in destinations] == ["DISABLED"]
    err, _ = error_of(ddb.enable_kinesis_streaming_destination, TableName=table, StreamArn=bad_arn)
    assert (err["Code"], err["Message"]) == ("ValidationException", "User does not have a permission to use kinesis stream")


def test_changes_delivered_to_kinesis(ddb, kinesis):
    table = unique("kt")
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    stream = kinesis_stream(kinesis)
    ddb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream["StreamARN"])
    shard = stream["Shards"][0]["ShardId"]
    it = kinesis.get_shard_iterator(StreamName=stream["StreamName"], ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]

    ddb.put_item(TableName=table, Item={"id": {"S": "a"}, "version": {"N": "1"}, "data": {"B": b"\x90"}})
    ddb.update_item(TableName=table, Key={"id": {"S": "a"}}, UpdateExpression="SET version = :v",
                    ExpressionAttributeValues={":v": {"N": "2"}})
    ddb.put_item(TableName=table, Item={"id": {"S": "a"}, "version": {"N": "2"}, "data": {"B": b"\x90"}})  # no change
    ddb.delete_item(TableName=table, Key={"id": {"S": "a"}})

    records = []

    def read():
        nonlocal it
        out = kinesis.get_records(ShardIterator=it)
        it = out["NextShardIterator"]
        records.extend(json.loads(r["Data"]) for r in out["Records"])
        return len(records) >= 3

    wait_for(read)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    first = records[0]
    assert set(first) == {"awsRegion", "eventID", "eventName", "userIdentity", "recordFormat", "tableName", "dynamodb", "eventSource"}
    assert (first["awsRegion"], first["recordFormat"], first["tableName"], first["eventSource"], first["userIdentity"]) == (
        "us-east-1", "application/json", table, "aws:dynamodb", None)
    image = {"id": {"S": "a"}, "version": {"N": "1"}, "data": {"B": base64.b64encode(b"\x90").decode()}}
    assert first["dynamodb"]["Keys"] == {"id": {"S": "a"}}
    assert first["dynamodb"]["NewImage"] == image and "OldImage" not in first["dynamodb"]
    # As recorded from AWS: no precision named until UpdateKinesisStreamingDestination sets one; milliseconds.
    assert set(first["dynamodb"]) == {"ApproximateCreationDateTime", "Keys", "NewImage", "SizeBytes"}
    assert abs(first["dynamodb"]["ApproximateCreationDateTime"] / 1000 - time.time()) < 60
    assert first["dynamodb"]["SizeBytes"] > 0
    # Kinesis gets both images whatever the table's own stream settings are (the table here has no stream).
    assert records[1]["dynamodb"]["OldImage"] == image
    assert records[1]["dynamodb"]["NewImage"]["version"] == {"N": "2"}
    assert records[2]["dynamodb"]["OldImage"]["version"] == {"N": "2"} and "NewImage" not in records[2]["dynamodb"]

    # While disabled nothing is delivered: "b" never arrives, though "c" (written after enabling again, and
    # delivered in order after anything queued before it) does.
    ddb.disable_kinesis_streaming_destination(TableName=table, StreamArn=stream["StreamARN"])
    ddb.put_item(TableName=table, Item={"id": {"S": "b"}})
    ddb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream["StreamARN"])
    ddb.put_item(TableName=table, Item={"id": {"S": "c"}})
    del records[:]
    wait_for(lambda: read() or records)
    assert [r["dynamodb"]["Keys"]["id"]["S"] for r in records] == ["c"]


def test_index_changes_reach_every_replica(regions):
    ap, eu = regions[PRIMARY], regions[SECONDARY]
    name = music_table(ap)
    ap.put_item(TableName=name, Item={**KEY, "Genre": {"S": "jazz"}})
    ap.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": SECONDARY}}])
    eu.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "Genre", "AttributeType": "S"}],
                    GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by-genre",
                                                             "KeySchema": [{"AttributeName": "Genre", "KeyType": "HASH"}],
                                                             "Projection": {"ProjectionType": "ALL"}}}])
    for client in (ap, eu):
        indexes = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        assert [i["IndexName"] for i in indexes] == ["by-genre"]
        found = client.query(TableName=name, IndexName="by-genre", KeyConditionExpression="Genre = :g",
                             ExpressionAttributeValues={":g": {"S": "jazz"}})["Items"]
        assert [i["SongTitle"]["S"] for i in found] == ["Song Value 1"]
    # A write after the change lands in the index of every region.
    eu.put_item(TableName=name, Item={"Artist": {"S": "a2"}, "SongTitle": {"S": "s2"}, "Genre": {"S": "jazz"}})
    assert ap.query(TableName=name, IndexName="by-genre", KeyConditionExpression="Genre = :g",
                    ExpressionAttributeValues={":g": {"S": "jazz"}})["Count"] == 2
    ap.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-genre"}}])
    assert "GlobalSecondaryIndexes" not in eu.describe_table(TableName=name)["Table"]


# ---- legacy global tables (version 2017.11.29) ---------------------------------------------------------------------

def legacy_member(client, name=None, **kwargs):
    name = name or unique("legacy")
    client.create_table(TableName=name,
                        KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"},
                                   {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"},
                                              {"AttributeName": "SongTitle", "AttributeType": "S"}],
                        **({"BillingMode": "PAY_PER_REQUEST",
                            "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}} | kwargs))
    return name


def test_legacy_global_table_lifecycle_and_replication(regions, aws_client):
    ap, eu, us = regions[PRIMARY], regions[SECONDARY], regions[THIRD]
    name = legacy_member(ap)
    legacy_member(eu, name)
    stream_arn = eu.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    created = ap.create_global_table(GlobalTableName=name, ReplicationGroup=[{"RegionName": PRIMARY}, {"RegionName": SECONDARY}])
    d = created["GlobalTableDescription"]
    assert set(d) == {"ReplicationGroup", "GlobalTableArn", "CreationDateTime", "GlobalTableStatus", "GlobalTableName"}
    assert d["GlobalTableArn"] == f"arn:aws:dynamodb::000000000000:global-table/{name}"
    assert (d["GlobalTableName"], d["GlobalTableStatus"]) == (name, "ACTIVE")
    assert [r["RegionName"] for r in d["ReplicationGroup"]] == [PRIMARY, SECONDARY]
    # Any region answers DescribeGlobalTable; DescribeTable does not show a legacy group.
    assert eu.describe_global_table(GlobalTableName=name)["GlobalTableDescription"]["GlobalTableArn"] == d["GlobalTableArn"]
    assert "GlobalTableVersion" not in ap.describe_table(TableName=name)["Table"]

    # Writes in either region reach the other; the replica keeps its own stream (same ARN as before joining).
    ap.put_item(TableName=name, Item={**KEY, "from": {"S": "ap"}})
    assert eu.get_item(TableName=name, Key=KEY)["Item"]["from"] == {"S": "ap"}
    eu.update_item(TableName=name, Key=KEY, UpdateExpression="SET n = :n", ExpressionAttributeValues={":n": {"N": "2"}})
    assert ap.get_item(TableName=name, Key=KEY)["Item"]["n"] == {"N": "2"}
    assert eu.describe_table(TableName=name)["Table"]["LatestStreamArn"] == stream_arn
    streams = aws_client("dynamodbstreams", region_name=SECONDARY, config=NO_RETRY)
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert [r["eventName"] for r in streams.get_records(ShardIterator=it)["Records"]] == ["INSERT", "MODIFY"]

    # A third region joins with UpdateGlobalTable; removing one leaves its table behind as a regional table.
    legacy_member(us, name)
    updated = ap.update_global_table(GlobalTableName=name, ReplicaUpdates=[{"Create": {"RegionName": THIRD}}])
    assert [r["RegionName"] for r in updated["GlobalTableDescription"]["ReplicationGroup"]] == [PRIMARY, SECONDARY, THIRD]
    ap.put_item(TableName=name, Item={"Artist": {"S": "x"}, "SongTitle": {"S": "y"}})
    assert "Item" in us.get_item(TableName=name, Key={"Artist": {"S": "x"}, "SongTitle": {"S": "y"}})
    listed = {g["GlobalTableName"]: g for g in us.list_global_tables()["GlobalTables"]}
    assert listed[name]["ReplicationGroup"] == [{"RegionName": PRIMARY}, {"RegionName": SECONDARY}, {"RegionName": THIRD}]
    assert name in {g["GlobalTableName"] for g in ap.list_global_tables(RegionName=THIRD)["GlobalTables"]}
    assert name not in {g["GlobalTableName"] for g in ap.list_global_tables(RegionName="sa-east-1")["GlobalTables"]}

    ap.update_global_table(GlobalTableName=name, ReplicaUpdates=[{"Delete": {"RegionName": THIRD}}])
    ap.put_item(TableName=name, Item={"Artist": {"S": "after"}, "SongTitle": {"S": "removal"}})
    assert "Item" not in us.get_item(TableName=name, Key={"Artist": {"S": "after"}, "SongTitle": {"S": "removal"}})
    assert us.describe_table(TableName=name)["Table"]["ItemCount"] >= 0  # still there, regional

    settings = eu.describe_global_table_settings(GlobalTableName=name)
    assert settings["GlobalTableName"] == name
    assert [(s["RegionName"], s["ReplicaStatus"], s["ReplicaBillingModeSummary"]["BillingMode"]) for s in settings["ReplicaSettings"]] == [
        (PRIMARY, "ACTIVE", "PAY_PER_REQUEST"), (SECONDARY, "ACTIVE", "PAY_PER_REQUEST")]


def test_legacy_global_table_settings_update(regions):
    ap, eu = regions[PRIMARY], regions[SECONDARY]
    name = legacy_member(ap, BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    legacy_member(eu, name, BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    ap.create_global_table(GlobalTableName=name, ReplicationGroup=[{"RegionName": PRIMARY}, {"RegionName": SECONDARY}])
    out = ap.update_global_table_settings(GlobalTableName=name, GlobalTableProvisionedWriteCapacityUnits=12,
                                          ReplicaSettingsUpdate=[{"RegionName": SECONDARY, "ReplicaProvisionedReadCapacityUnits": 9}])
    by_region = {s["RegionName"]: s for s in out["ReplicaSettings"]}
    assert (by_region[PRIMARY]["ReplicaProvisionedReadCapacityUnits"], by_region[PRIMARY]["ReplicaProvisionedWriteCapacityUnits"]) == (5, 12)
    assert (by_region[SECONDARY]["ReplicaProvisionedReadCapacityUnits"], by_region[SECONDARY]["ReplicaProvisionedWriteCapacityUnits"]) == (9, 12)
    assert eu.describe_table(TableName=name)["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"] == 9
    err, _ = error_of(ap.update_global_table_settings, GlobalTableName=name,
                      ReplicaSettingsUpdate=[{"RegionName": THIRD, "ReplicaProvisionedReadCapacityUnits": 9}])
    assert err["Code"] == "ReplicaNotFoundException"
    err, _ = error_of(ap.update_global_table_settings, GlobalTableName=name,
                      GlobalTableGlobalSecondaryIndexSettingsUpdate=[{"IndexName": "nope", "ProvisionedWriteCapacityUnits": 3}])
    assert err["Code"] == "IndexNotFoundException"


def test_legacy_global_table_errors(regions):
    ap, eu, us = regions[PRIMARY], regions[SECONDARY], regions[THIRD]
    name = legacy_member(ap)
    # The table must exist in every region of the group, and nothing is created when it does not.
    err, _ = error_of(ap.create_global_table, GlobalTableName=name, ReplicationGroup=[{"RegionName": PRIMARY}, {"RegionName": SECONDARY}])
    assert err["Code"] == "TableNotFoundException"
    assert error_of(ap.describe_global_table, GlobalTableName=name)[0]["Code"] == "GlobalTableNotFoundException"
    # Its stream must carry both images, and it must hold no items.
    legacy_member(eu, name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    err, _ = error_of(ap.create_global_table, GlobalTableName=name, ReplicationGroup=[{"RegionName": PRIMARY}, {"RegionName": SECONDARY}])
    assert err["Code"] == "ValidationException" and "NEW_AND_OLD_IMAGES" in err["Message"]
    legacy_member(us, name)
    us.put_item(TableName=name, Item=KEY)
    err, _ = error_of(ap.create_global_table, GlobalTableName=name, ReplicationGroup=[{"RegionName": PRIMARY}, {"RegionName": THIRD}])
    assert err["Code"] == "ValidationException" and "not empty" in err["Message"]

    ap.create_global_table(GlobalTableName=name, ReplicationGroup=[{"RegionName": PRIMARY}])
    err, _ = error_of(ap.create_global_table, GlobalTableName=name, ReplicationGroup=[{"RegionName": PRIMARY}])
    assert err["Code"] == "GlobalTableAlreadyExistsException"
    err, _ = error_of(ap.update_global_table, GlobalTableName=name, ReplicaUpdates=[{"Create": {"RegionName": PRIMARY}}])
    assert err["Code"] == "ReplicaAlreadyExistsException"
    err, _ = error_of(ap.update_global_table, GlobalTableName=name, ReplicaUpdates=[{"Delete": {"RegionName": SECONDARY}}])
    assert err["Code"] == "ReplicaNotFoundException"
    err, _ = error_of(ap.update_global_table, GlobalTableName=unique("none"), ReplicaUpdates=[{"Delete": {"RegionName": SECONDARY}}])
    assert err["Code"] == "GlobalTableNotFoundException"
    # A legacy member cannot take 2019.11.21 replicas.
    err, _ = error_of(ap.update_table, TableName=name, ReplicaUpdates=[{"Create": {"RegionName": SECONDARY}}])
    assert err["Code"] == "ValidationException"
