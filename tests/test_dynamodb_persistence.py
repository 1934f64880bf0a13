"""PERSISTENCE=1 for DynamoDB: tables (settings, indexes, tags, TTL, KMS key, restore source), items of every type,
stream records and backups survive a clean restart and a kill -9 after a save."""
import requests

PERSIST = {"PERSISTENCE": "1"}


def _populate(srv):
    ddb = srv.client("dynamodb")
    ddb.create_table(TableName="persisted-table", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
                     Tags=[{"Key": "team", "Value": "p"}])
    item = {"pk": {"S": "a"}, "sk": {"N": "1.5"}, "g": {"S": "G"}, "b": {"B": b"\x00\x90"}, "bs": {"BS": [b"\x01", b"\x02"]},
            "ns": {"NS": ["1", "12345678901234567890123456789012345678"]}, "m": {"M": {"l": {"L": [{"NULL": True}, {"BOOL": True}]}}}}
    ddb.put_item(TableName="persisted-table", Item=item)
    ddb.put_item(TableName="persisted-table", Item={"pk": {"S": "a"}, "sk": {"N": "2"}})
    ddb.update_time_to_live(TableName="persisted-table", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    backup = ddb.create_backup(TableName="persisted-table", BackupName="backup-1")["BackupDetails"]["BackupArn"]
    restore = ddb.restore_table_from_backup(TargetTableName="restored-before", BackupArn=backup)["TableDescription"]["RestoreSummary"]
    sse = ddb.create_table(TableName="persisted-sse", BillingMode="PAY_PER_REQUEST", SSESpecification={"Enabled": True},
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                           KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])["TableDescription"]["SSEDescription"]
    return {"item": item, "backup": backup, "restore": restore, "sse": sse}


def _verify(srv, made):
    ddb = srv.client("dynamodb")
    table = ddb.describe_table(TableName="persisted-table")["Table"]
    assert table["ItemCount"] == 2 and table["GlobalSecondaryIndexes"][0]["IndexName"] == "by-g"
    got = ddb.get_item(TableName="persisted-table", Key={"pk": {"S": "a"}, "sk": {"N": "1.5"}})["Item"]
    assert got["b"] == made["item"]["b"] and sorted(got["bs"]["BS"]) == [b"\x01", b"\x02"]
    assert sorted(got["ns"]["NS"]) == sorted(made["item"]["ns"]["NS"]) and got["m"] == made["item"]["m"]
    assert ddb.query(TableName="persisted-table", IndexName="by-g", KeyConditionExpression="g = :g",
                     ExpressionAttributeValues={":g": {"S": "G"}})["Count"] == 1
    assert ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"] == [{"Key": "team", "Value": "p"}]
    assert ddb.describe_time_to_live(TableName="persisted-table")["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"
    streams = srv.client("dynamodbstreams")
    arn = table["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert [r["eventName"] for r in streams.get_records(ShardIterator=it)["Records"]] == ["INSERT", "INSERT"]
    # writes after the restart continue the stream's sequence
    ddb.put_item(TableName="persisted-table", Item={"pk": {"S": "a"}, "sk": {"N": "3"}})
    records = streams.get_records(ShardIterator=it)["Records"]
    seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert len(records) == 3 and seqs == sorted(seqs)
    # a restored table still names its source, and an encrypted table its KMS key
    assert ddb.describe_table(TableName="restored-before")["Table"]["RestoreSummary"] == made["restore"]
    assert ddb.describe_table(TableName="persisted-sse")["Table"]["SSEDescription"] == made["sse"]
    assert made["sse"]["KMSMasterKeyArn"].startswith("arn:aws:kms:") and made["sse"]["Status"] == "ENABLED"
    restored = ddb.restore_table_from_backup(TargetTableName="restored-table", BackupArn=made["backup"])["TableDescription"]
    assert restored["RestoreSummary"]["SourceBackupArn"] == made["backup"]
    assert ddb.scan(TableName="restored-table")["Count"] == 2


def test_dynamodb_state_survives_sigterm_restart(start_server):
    srv = start_server(PERSIST)
    made = _populate(srv)
    srv.stop()
    srv.start()
    _verify(srv, made)


def test_dynamodb_saved_state_survives_kill_9(start_server):
    srv = start_server(dict(PERSIST, SNAPSHOT_SAVE_STRATEGY="MANUAL"))
    made = _populate(srv)
    r = requests.post(srv.endpoint_url + "/_localstack/state/save", timeout=60)
    assert r.status_code == 200 and "dynamodb" in r.json()["saved"]
    srv.client("dynamodb").put_item(TableName="persisted-table", Item={"pk": {"S": "not-saved"}, "sk": {"N": "0"}})
    srv.kill()
    srv.start()
    _verify(srv, made)
    assert "Item" not in srv.client("dynamodb").get_item(TableName="persisted-table", Key={"pk": {"S": "not-saved"}, "sk": {"N": "0"}})


def test_streams_first_after_restart_see_saved_records(start_server):
    srv = start_server(PERSIST)
    ddb = srv.client("dynamodb")
    ddb.create_table(TableName="streams-first", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    ddb.put_item(TableName="streams-first", Item={"pk": {"S": "x"}})
    srv.stop()
    srv.start()
    streams = srv.client("dynamodbstreams")  # the first request after the restart goes to Streams, not DynamoDB
    [stream] = streams.list_streams(TableName="streams-first")["Streams"]
    shard = streams.describe_stream(StreamArn=stream["StreamArn"])["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=stream["StreamArn"], ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    assert [r["eventName"] for r in streams.get_records(ShardIterator=it)["Records"]] == ["INSERT"]


def test_global_table_and_kinesis_destination_survive_restart(start_server):
    srv = start_server(PERSIST)
    ddb, eu = srv.client("dynamodb"), srv.client("dynamodb", region_name="eu-west-1")
    ddb.create_table(TableName="global-persisted", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    ddb.update_table(TableName="global-persisted", ReplicaUpdates=[{"Create": {"RegionName": "eu-west-1", "KMSMasterKeyId": "k1"}}])
    ddb.put_item(TableName="global-persisted", Item={"pk": {"S": "before"}})
    kinesis = srv.client("kinesis")
    kinesis.create_stream(StreamName="kds-persisted", ShardCount=1)
    stream_arn = kinesis.describe_stream(StreamName="kds-persisted")["StreamDescription"]["StreamARN"]
    ddb.enable_kinesis_streaming_destination(TableName="global-persisted", StreamArn=stream_arn)
    for client in (ddb, eu):  # and a legacy (2017.11.29) global table
        client.create_table(TableName="legacy-persisted", BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    created = ddb.create_global_table(GlobalTableName="legacy-persisted",
                                      ReplicationGroup=[{"RegionName": "us-east-1"}, {"RegionName": "eu-west-1"}])["GlobalTableDescription"]
    srv.stop()
    srv.start()
    ddb, eu = srv.client("dynamodb"), srv.client("dynamodb", region_name="eu-west-1")
    assert [(r["RegionName"], r["KMSMasterKeyId"]) for r in ddb.describe_table(TableName="global-persisted")["Table"]["Replicas"]] == [
        ("eu-west-1", "k1")]
    assert [r["RegionName"] for r in eu.describe_table(TableName="global-persisted")["Table"]["Replicas"]] == ["us-east-1"]
    assert "Item" in eu.get_item(TableName="global-persisted", Key={"pk": {"S": "before"}})
    # still one global table after the restart: a write in either region reaches the other
    eu.put_item(TableName="global-persisted", Item={"pk": {"S": "after"}})
    assert "Item" in ddb.get_item(TableName="global-persisted", Key={"pk": {"S": "after"}})
    destinations = ddb.describe_kinesis_streaming_destination(TableName="global-persisted")["KinesisDataStreamDestinations"]
    assert destinations == [{"StreamArn": stream_arn, "DestinationStatus": "ACTIVE"}]
    legacy = eu.describe_global_table(GlobalTableName="legacy-persisted")["GlobalTableDescription"]
    assert legacy == created
    assert "GlobalTableVersion" not in eu.describe_table(TableName="legacy-persisted")["Table"]
    eu.put_item(TableName="legacy-persisted", Item={"pk": {"S": "after"}})
    assert "Item" in ddb.get_item(TableName="legacy-persisted", Key={"pk": {"S": "after"}})
