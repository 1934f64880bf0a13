"""Data Firehose end to end (native provider): Direct PUT and Kinesis-sourced delivery streams buffering records into
S3 objects named as AWS names them, buffering hints, describe/list/delete, tags and AWS's error answers."""
import re
import time

import pytest
from helpers import error_of, unique

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/firehose"


@pytest.fixture(scope="module")
def firehose(aws_client):
    return aws_client("firehose")


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


def wait_for(condition, timeout=30, interval=0.25):
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)


def objects(s3, bucket, prefix=""):
    return s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])


def test_direct_put_delivers_to_s3(firehose, s3):
    bucket, name = unique("fh-bucket"), unique("fh")
    s3.create_bucket(Bucket=bucket)
    arn = firehose.create_delivery_stream(
        DeliveryStreamName=name, DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}", "Prefix": "raw/",
                                            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1}},
        Tags=[{"Key": "team", "Value": "data"}])["DeliveryStreamARN"]
    assert arn == f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{name}"
    d = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
    assert (d["DeliveryStreamStatus"], d["DeliveryStreamType"], d["VersionId"], d["HasMoreDestinations"]) == ("ACTIVE", "DirectPut", "1", False)
    dest = d["Destinations"][0]["ExtendedS3DestinationDescription"]
    assert (dest["BucketARN"], dest["Prefix"], dest["BufferingHints"], dest["CompressionFormat"]) == (
        f"arn:aws:s3:::{bucket}", "raw/", {"SizeInMBs": 1, "IntervalInSeconds": 1}, "UNCOMPRESSED")
    assert name in firehose.list_delivery_streams(Limit=1000)["DeliveryStreamNames"]

    assert len(firehose.put_record(DeliveryStreamName=name, Record={"Data": b"one\n"})["RecordId"]) > 0
    out = firehose.put_record_batch(DeliveryStreamName=name, Records=[{"Data": b"two\n"}, {"Data": b"three"}])
    assert out["FailedPutCount"] == 0 and len(out["RequestResponses"]) == 2
    [obj] = wait_for(lambda: objects(s3, bucket))
    assert re.fullmatch(rf"raw/\d{{4}}/\d\d/\d\d/\d\d/{name}-1-\d{{4}}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f-]{{36}}", obj["Key"]), obj["Key"]
    assert s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read() == b"one\ntwo\nthree", "records as sent, no delimiter added"

    assert firehose.list_tags_for_delivery_stream(DeliveryStreamName=name)["Tags"] == [{"Key": "team", "Value": "data"}]
    firehose.tag_delivery_stream(DeliveryStreamName=name, Tags=[{"Key": "x", "Value": "y"}])
    firehose.untag_delivery_stream(DeliveryStreamName=name, TagKeys=["team"])
    assert firehose.list_tags_for_delivery_stream(DeliveryStreamName=name)["Tags"] == [{"Key": "x", "Value": "y"}]

    firehose.delete_delivery_stream(DeliveryStreamName=name)
    err, status = error_of(firehose.describe_delivery_stream, DeliveryStreamName=name)
    assert (err["Code"], status) == ("ResourceNotFoundException", 400)
    assert err["Message"] == f"Firehose {name} under account {ACCOUNT} not found."


def test_errors(firehose, s3):
    name = unique("fh")
    err, _ = error_of(firehose.put_record, DeliveryStreamName=name, Record={"Data": b"x"})
    assert err["Code"] == "ResourceNotFoundException"
    bucket = unique("fh-bucket")
    s3.create_bucket(Bucket=bucket)
    conf = {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}"}
    firehose.create_delivery_stream(DeliveryStreamName=name, S3DestinationConfiguration=conf)
    err, _ = error_of(firehose.create_delivery_stream, DeliveryStreamName=name, S3DestinationConfiguration=conf)
    assert (err["Code"], err["Message"]) == ("ResourceInUseException", f"Firehose {name} under accountId {ACCOUNT} already exists")
    firehose.delete_delivery_stream(DeliveryStreamName=name)


def test_kinesis_source_to_s3(firehose, s3, aws_client):
    kinesis = aws_client("kinesis")
    stream, bucket, name = unique("src"), unique("fh-bucket"), unique("fh")
    kinesis.create_stream(StreamName=stream, ShardCount=2)
    stream_arn = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]
    s3.create_bucket(Bucket=bucket)
    firehose.create_delivery_stream(
        DeliveryStreamName=name, DeliveryStreamType="KinesisStreamAsSource",
        KinesisStreamSourceConfiguration={"KinesisStreamARN": stream_arn, "RoleARN": ROLE},
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}",
                                            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1}})
    source = firehose.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["Source"]
    assert source["KinesisStreamSourceDescription"]["KinesisStreamARN"] == stream_arn
    err, _ = error_of(firehose.put_record, DeliveryStreamName=name, Record={"Data": b"x"})
    assert err["Code"] == "InvalidArgumentException"
    for i in range(6):
        kinesis.put_record(StreamName=stream, Data=f"r{i};".encode(), PartitionKey=f"pk{i}")

    def delivered():
        got = b"".join(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in objects(s3, bucket))
        return got if len(got) == len(b"r0;") * 6 else None
    got = wait_for(delivered)
    assert sorted(got.decode().rstrip(";").split(";")) == [f"r{i}" for i in range(6)]
    firehose.delete_delivery_stream(DeliveryStreamName=name)
