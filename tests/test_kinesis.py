"""Kinesis Data Streams end to end: streams (provisioned and on-demand), shards and hash-key ranges, PutRecord(s),
every shard iterator type, GetRecords, split, merge and UpdateShardCount, retention, encryption, tags,
consumers, ListShards filters, and AWS's error answers."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from helpers import error_of, unique

ACCOUNT = "000000000000"
MAX_HASH = 2 ** 128 - 1


@pytest.fixture(scope="module")
def kinesis(aws_client):
    return aws_client("kinesis")


def read_all(kinesis, stream, shard_id, iterator_type="TRIM_HORIZON", **kwargs):
    it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard_id, ShardIteratorType=iterator_type, **kwargs)["ShardIterator"]
    out = kinesis.get_records(ShardIterator=it, Limit=1000)
    return out["Records"], out


def test_stream_lifecycle_and_errors(kinesis):
    name = unique("stream")
    kinesis.create_stream(StreamName=name, ShardCount=3)
    kinesis.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10})
    d = kinesis.describe_stream(StreamName=name)["StreamDescription"]
    assert (d["StreamStatus"], d["StreamARN"], d["RetentionPeriodHours"], d["EncryptionType"]) == (
        "ACTIVE", f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/{name}", 24, "NONE")
    shards = d["Shards"]
    assert [s["ShardId"] for s in shards] == ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]
    assert shards[0]["HashKeyRange"]["StartingHashKey"] == "0"
    assert shards[-1]["HashKeyRange"]["EndingHashKey"] == str(MAX_HASH)
    for a, b in zip(shards, shards[1:]):
        assert int(a["HashKeyRange"]["EndingHashKey"]) + 1 == int(b["HashKeyRange"]["StartingHashKey"])
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == 3
    assert name in kinesis.list_streams()["StreamNames"]

    err, _ = error_of(kinesis.create_stream, StreamName=name, ShardCount=1)
    assert (err["Code"], err["Message"]) == ("ResourceInUseException", f"Stream {name} under account {ACCOUNT} already exists.")
    kinesis.delete_stream(StreamName=name)
    err, status = error_of(kinesis.describe_stream, StreamName=name)
    assert (err["Code"], err["Message"], status) == ("ResourceNotFoundException", f"Stream {name} under account {ACCOUNT} not found.", 400)

    on_demand = unique("ondemand")
    kinesis.create_stream(StreamName=on_demand, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    d = kinesis.describe_stream_summary(StreamName=on_demand)["StreamDescriptionSummary"]
    assert (d["StreamModeDetails"]["StreamMode"], d["OpenShardCount"]) == ("ON_DEMAND", 4)


def test_put_and_get_records_with_every_iterator_type(kinesis):
    name = unique("stream")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    shard = "shardId-000000000000"
    before = datetime.now(timezone.utc) - timedelta(seconds=1)
    seqs = [kinesis.put_record(StreamName=name, Data=f"r{i}".encode(), PartitionKey="pk")["SequenceNumber"] for i in range(3)]
    assert seqs == sorted(seqs, key=int) and len(set(seqs)) == 3
    batch = kinesis.put_records(StreamName=name, Records=[{"Data": b"b0", "PartitionKey": "x"}, {"Data": b"b1", "PartitionKey": "y"}])
    assert batch["FailedRecordCount"] == 0 and [r["ShardId"] for r in batch["Records"]] == [shard, shard]

    records, out = read_all(kinesis, name, shard)
    assert [r["Data"] for r in records] == [b"r0", b"r1", b"r2", b"b0", b"b1"]
    assert records[0]["PartitionKey"] == "pk" and isinstance(records[0]["ApproximateArrivalTimestamp"], datetime)
    assert out["MillisBehindLatest"] == 0 and out["NextShardIterator"]
    assert [r["Data"] for r in read_all(kinesis, name, shard, "AT_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[1])[0]][:2] == [b"r1", b"r2"]
    assert [r["Data"] for r in read_all(kinesis, name, shard, "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[1])[0]][0] == b"r2"
    assert len(read_all(kinesis, name, shard, "AT_TIMESTAMP", Timestamp=before)[0]) == 5
    latest = kinesis.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    assert kinesis.get_records(ShardIterator=latest)["Records"] == []
    kinesis.put_record(StreamName=name, Data=b"after", PartitionKey="pk")
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=latest)["Records"]] == [b"after"]
    # paging with Limit and NextShardIterator
    it = kinesis.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    first = kinesis.get_records(ShardIterator=it, Limit=2)
    assert len(first["Records"]) == 2 and first["MillisBehindLatest"] >= 0
    assert [r["Data"] for r in kinesis.get_records(ShardIterator=first["NextShardIterator"], Limit=2)["Records"]] == [b"r2", b"b0"]

    err, _ = error_of(kinesis.get_records, ShardIterator="bm90IGFuIGl0ZXJhdG9y")
    assert err["Code"] == "InvalidArgumentException"
    err, _ = error_of(kinesis.get_shard_iterator, StreamName=name, ShardId="shardId-000000000009", ShardIteratorType="LATEST")
    assert err["Code"] == "ResourceNotFoundException"
    err, _ = error_of(kinesis.put_record, StreamName=unique("missing"), Data=b"x", PartitionKey="k")
    assert err["Code"] == "ResourceNotFoundException"


def test_records_spread_over_shards_by_partition_key_hash(kinesis):
    import hashlib
    name = unique("stream")
    kinesis.create_stream(StreamName=name, ShardCount=4)
    shards = kinesis.list_shards(StreamName=name)["Shards"]
    for i in range(20):
        key = f"key-{i}"
        placed = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey=key)["ShardId"]
        h = int(hashlib.md5(key.encode()).hexdigest(), 16)
        expected = next(s["ShardId"] for s in shards
                        if int(s["HashKeyRange"]["StartingHashKey"]) <= h <= int(s["HashKeyRange"]["EndingHashKey"]))
        assert placed == expected
    explicit = kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="k", ExplicitHashKey=str(MAX_HASH))["ShardId"]
    assert explicit == shards[-1]["ShardId"]


def test_split_merge_and_update_shard_count(kinesis):
    name = unique("stream")
    kinesis.create_stream(StreamName=name, ShardCount=2)
    kinesis.put_record(StreamName=name, Data=b"before-split", PartitionKey="a", ExplicitHashKey="0")
    shard0 = kinesis.list_shards(StreamName=name)["Shards"][0]
    middle = (int(shard0["HashKeyRange"]["StartingHashKey"]) + int(shard0["HashKeyRange"]["EndingHashKey"])) // 2
    kinesis.split_shard(StreamName=name, ShardToSplit=shard0["ShardId"], NewStartingHashKey=str(middle))
    shards = {s["ShardId"]: s for s in kinesis.list_shards(StreamName=name)["Shards"]}
    assert len(shards) == 4
    assert "EndingSequenceNumber" in shards["shardId-000000000000"]["SequenceNumberRange"]
    children = [s for s in shards.values() if s.get("ParentShardId") == "shardId-000000000000"]
    assert sorted(c["HashKeyRange"]["StartingHashKey"] for c in children) == sorted(["0", str(middle)])
    # the closed parent keeps its records and ends with its children
    records, out = read_all(kinesis, name, "shardId-000000000000")
    assert [r["Data"] for r in records] == [b"before-split"]
    assert "NextShardIterator" not in out and {c["ShardId"] for c in out["ChildShards"]} == {c["ShardId"] for c in children}
    open_ids = [s["ShardId"] for s in kinesis.list_shards(StreamName=name, ShardFilter={"Type": "AT_LATEST"})["Shards"]]
    assert open_ids == ["shardId-000000000001", "shardId-000000000002", "shardId-000000000003"]
    err, _ = error_of(kinesis.merge_shards, StreamName=name, ShardToMerge="shardId-000000000002", AdjacentShardToMerge="shardId-000000000001")
    assert err["Code"] == "InvalidArgumentException"
    kinesis.merge_shards(StreamName=name, ShardToMerge="shardId-000000000002", AdjacentShardToMerge="shardId-000000000003")
    merged = kinesis.list_shards(StreamName=name, ShardFilter={"Type": "AT_LATEST"})["Shards"]
    assert [s["ShardId"] for s in merged] == ["shardId-000000000001", "shardId-000000000004"]
    assert merged[1]["AdjacentParentShardId"] in ("shardId-000000000002", "shardId-000000000003")
    out = kinesis.update_shard_count(StreamName=name, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
    assert (out["CurrentShardCount"], out["TargetShardCount"]) == (2, 4)
    assert kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["OpenShardCount"] == 4
    page = kinesis.list_shards(StreamName=name, MaxResults=3)
    rest = kinesis.list_shards(NextToken=page["NextToken"])
    assert len(page["Shards"]) == 3 and len(page["Shards"]) + len(rest["Shards"]) == 9


def test_retention_encryption_tags_and_consumers(kinesis):
    name = unique("stream")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    kinesis.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=48)
    err, _ = error_of(kinesis.increase_stream_retention_period, StreamName=name, RetentionPeriodHours=30)
    assert err["Code"] == "InvalidArgumentException"
    kinesis.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=24)
    err, _ = error_of(kinesis.decrease_stream_retention_period, StreamName=name, RetentionPeriodHours=12)
    assert err["Message"] == "Minimum allowed retention period is 24 hours. Requested retention period (12 hours) is too short."
    kinesis.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
    assert kinesis.put_record(StreamName=name, Data=b"x", PartitionKey="k")["EncryptionType"] == "KMS"
    kinesis.stop_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
    assert kinesis.describe_stream(StreamName=name)["StreamDescription"]["EncryptionType"] == "NONE"

    kinesis.add_tags_to_stream(StreamName=name, Tags={"foo": "bar", "x": "y"})
    kinesis.remove_tags_from_stream(StreamName=name, TagKeys=["x"])
    assert kinesis.list_tags_for_stream(StreamName=name)["Tags"] == [{"Key": "foo", "Value": "bar"}]

    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="consumer")["Consumer"]
    assert consumer["ConsumerARN"].startswith(arn + "/consumer/consumer:")
    listed = kinesis.list_stream_consumers(StreamARN=arn)["Consumers"]
    assert [(c["ConsumerName"], c["ConsumerStatus"]) for c in listed] == [("consumer", "ACTIVE")]
    described = kinesis.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])["ConsumerDescription"]
    assert described["StreamARN"] == arn
    err, _ = error_of(kinesis.register_stream_consumer, StreamARN=arn, ConsumerName="consumer")
    assert err["Code"] == "ResourceInUseException"
    kinesis.deregister_stream_consumer(StreamARN=arn, ConsumerName="consumer")
    assert kinesis.list_stream_consumers(StreamARN=arn)["Consumers"] == []



def test_subscribe_to_shard_streams_events(kinesis):
    """Enhanced fan-out: boto3's subscribe_to_shard reads SubscribeToShardEvents from the event stream, first the
    records already in the shard, then records put while the subscription is open; a missing consumer is an error."""
    name = unique("efo")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    kinesis.put_records(StreamName=name, Records=[{"Data": f"early-{i}".encode(), "PartitionKey": "k"} for i in range(3)])
    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="fan-out")["Consumer"]["ConsumerARN"]
    answer = kinesis.subscribe_to_shard(ConsumerARN=consumer, ShardId="shardId-000000000000",
                                        StartingPosition={"Type": "TRIM_HORIZON"})
    stream = answer["EventStream"]
    seen = []
    put_late = False
    deadline = time.monotonic() + 60
    try:
        for event in stream:
            records = event["SubscribeToShardEvent"]["Records"]
            assert "ContinuationSequenceNumber" in event["SubscribeToShardEvent"]
            seen += [r["Data"].decode() for r in records]
            if records:
                assert records[0]["PartitionKey"] == "k" and isinstance(records[0]["ApproximateArrivalTimestamp"], datetime)
            if not put_late and len(seen) >= 3:
                put_late = True
                kinesis.put_record(StreamName=name, Data=b"late", PartitionKey="k")
            if "late" in seen or time.monotonic() > deadline:
                break
    finally:
        stream.close()
    assert seen == ["early-0", "early-1", "early-2", "late"]

    err, _ = error_of(kinesis.subscribe_to_shard, ConsumerARN=arn + "/consumer/missing:1", ShardId="shardId-000000000000",
                      StartingPosition={"Type": "LATEST"})
    assert err["Code"] == "ResourceNotFoundException"
    err, _ = error_of(kinesis.subscribe_to_shard, ConsumerARN=consumer, ShardId="shardId-000000000009",
                      StartingPosition={"Type": "LATEST"})
    assert err["Code"] == "ResourceNotFoundException"
    kinesis.delete_stream(StreamName=name)
