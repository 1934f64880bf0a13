"""Native Lambda stream mappings, the settings beyond batching and retries: tumbling windows (state carried between
invocations of a window, a final invocation closing it), ParallelizationFactor (concurrent invocations per shard,
one partition key always in order), an S3 bucket as the on-failure destination, and LastProcessingResult."""
import base64
import json
import re
import time

import pytest

from helpers import unique
from lambda_helpers import functions, lambda_client  # noqa: F401  (fixtures)
from test_lambda_integrations import out_queue, wait_for_messages  # noqa: F401  (fixture)
from test_lambda_streams import kinesis, stream  # noqa: F401  (fixtures)

# Counts the records of its window in the state it hands on, and reports every invocation to $OUT.
WINDOW_PY = """import base64, json, os
import boto3
sqs = boto3.client("sqs")
def handler(event, context):
    state = event.get("state") or {}
    count = state.get("count", 0) + len(event["Records"])
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps({
        "window": event["window"], "stateIn": state, "final": event["isFinalInvokeForWindow"],
        "early": event["isWindowTerminatedEarly"], "shardId": event["shardId"], "arn": event["eventSourceARN"],
        "texts": [base64.b64decode(r["kinesis"]["data"]).decode() for r in event["Records"]]}))
    return {"state": {"count": count}}
"""


def test_tumbling_window_hands_state_on_and_closes_with_a_final_invocation(lambda_client, functions, kinesis,
                                                                            stream, sqs, out_queue):
    stream_name, stream_arn = stream
    for i in range(3):
        kinesis.put_record(StreamName=stream_name, Data=f"w-{i}".encode(), PartitionKey="k")
    name, _ = functions.create(files={"index.py": WINDOW_PY}, Timeout=30, Environment={"Variables": {"OUT": out_queue}})
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=1,
        TumblingWindowInSeconds=3)
    try:
        assert mapping["TumblingWindowInSeconds"] == 3
        calls = []
        deadline = time.monotonic() + 60
        # three invocations with one record each, and one final invocation per window they fell in
        while time.monotonic() < deadline:
            calls += wait_for_messages(sqs, out_queue, 1, timeout=max(1, deadline - time.monotonic()))
            windows = {c["window"]["start"] for c in calls}
            if sum(len(c["texts"]) for c in calls) == 3 and sum(c["final"] for c in calls) == len(windows):
                break
        assert sorted(t for c in calls for t in c["texts"]) == ["w-0", "w-1", "w-2"]
        for start in {c["window"]["start"] for c in calls}:
            in_window = [c for c in calls if c["window"]["start"] == start]
            records = [c for c in in_window if not c["final"]]
            [final] = [c for c in in_window if c["final"]]
            # each invocation of a window gets the state the previous one returned; the final one all of it
            assert [c["stateIn"].get("count", 0) for c in records] == list(range(len(records)))
            assert final["stateIn"] == {"count": len(records)} and final["texts"] == []
            end = time.strptime(final["window"]["end"], "%Y-%m-%dT%H:%M:%SZ")
            assert time.mktime(end) - time.mktime(time.strptime(start, "%Y-%m-%dT%H:%M:%SZ")) == 3
        first = calls[0]
        assert first["shardId"] == "shardId-000000000000" and first["arn"] == stream_arn and first["early"] is False
        assert lambda_client.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"] == "OK"
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])


# Reports its batch to $OUT once it has seen $EXPECT invocations start (each leaves an object in $BUCKET): two
# invocations of one shard only both finish when they run at the same time.
PARALLEL_PY = """import base64, json, os, time
import boto3
s3 = boto3.client("s3")
sqs = boto3.client("sqs")
def handler(event, context):
    bucket = os.environ["BUCKET"]
    s3.put_object(Bucket=bucket, Key=context.aws_request_id, Body=b"started")
    deadline = time.time() + 60
    seen = 0
    while time.time() < deadline:
        seen = s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0)
        if seen >= int(os.environ["EXPECT"]):
            break
        time.sleep(0.2)
    records = event["Records"]
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps({
        "keys": [r["kinesis"]["partitionKey"] for r in records],
        "texts": [base64.b64decode(r["kinesis"]["data"]).decode() for r in records], "seen": seen}))
"""


def test_parallelization_factor_runs_partition_keys_concurrently_each_in_order(lambda_client, functions, kinesis,
                                                                               stream, sqs, out_queue, aws_client):
    stream_name, stream_arn = stream
    s3 = aws_client("s3")
    bucket = unique("esm-parallel")
    s3.create_bucket(Bucket=bucket)
    for i in range(10):  # keys "a" and "b" fall in different lanes of two
        key = "ab"[i % 2]
        kinesis.put_record(StreamName=stream_name, Data=f"{key}-{i}".encode(), PartitionKey=key)
    name, _ = functions.create(files={"index.py": PARALLEL_PY}, Timeout=90,
                               Environment={"Variables": {"OUT": out_queue, "BUCKET": bucket, "EXPECT": "2"}})
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=10,
        MaximumBatchingWindowInSeconds=1, ParallelizationFactor=2)
    try:
        assert mapping["ParallelizationFactor"] == 2
        batches = wait_for_messages(sqs, out_queue, 2, timeout=120)
        assert len(batches) == 2
        by_key = {b["keys"][0]: b for b in batches}
        assert sorted(by_key) == ["a", "b"]
        for key, batch in by_key.items():
            assert set(batch["keys"]) == {key}  # one key per lane
            assert batch["texts"] == [f"{key}-{i}" for i in range(10) if "ab"[i % 2] == key]  # in stream order
            assert batch["seen"] >= 2  # the other lane's invocation had started while this one ran
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
        for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=o["Key"])
        s3.delete_bucket(Bucket=bucket)


FAILING_PY = "def handler(event, context):\n    raise RuntimeError('no')\n"


def test_s3_on_failure_destination_gets_the_record_and_the_batch(lambda_client, functions, kinesis, stream,
                                                                 aws_client):
    stream_name, stream_arn = stream
    s3 = aws_client("s3")
    bucket = unique("esm-failed")
    s3.create_bucket(Bucket=bucket)
    sequence = kinesis.put_record(StreamName=stream_name, Data=b'{"poison": true}', PartitionKey="p")["SequenceNumber"]
    name, _ = functions.create(files={"index.py": FAILING_PY})
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=1,
        MaximumRetryAttempts=1, DestinationConfig={"OnFailure": {"Destination": f"arn:aws:s3:::{bucket}"}})
    try:
        assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": f"arn:aws:s3:::{bucket}"}}
        deadline = time.monotonic() + 60
        objects = []
        while not objects and time.monotonic() < deadline:
            objects = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
            time.sleep(0.3)
        [obj] = objects
        # AWS's key: aws/lambda/<mapping>/<shard>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>
        assert re.fullmatch(rf"aws/lambda/{mapping['UUID']}/shardId-000000000000/\d{{4}}/\d\d/\d\d/"
                            r"\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d-[0-9a-f-]{36}", obj["Key"]), obj["Key"]
        body = json.loads(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
        assert body["requestContext"]["condition"] == "RetryAttemptsExhausted"
        assert body["requestContext"]["approximateInvokeCount"] == 2
        assert body["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
        info = body["KinesisBatchInfo"]
        assert info["startSequenceNumber"] == info["endSequenceNumber"] == sequence and info["batchSize"] == 1
        [record] = body["payload"]["Records"]
        assert base64.b64decode(record["kinesis"]["data"]) == b'{"poison": true}'
        assert record["eventSourceARN"] == stream_arn and body["version"] == "1.0"
        assert lambda_client.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"] == \
            "PROBLEM: Function call failed"
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
        for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=o["Key"])
        s3.delete_bucket(Bucket=bucket)


def test_window_and_parallelization_bounds(lambda_client, functions, stream):
    _, stream_arn = stream
    name, _ = functions.create()

    def error(**kwargs):
        with pytest.raises(lambda_client.exceptions.ClientError) as e:
            lambda_client.create_event_source_mapping(FunctionName=name, EventSourceArn=stream_arn,
                                                      StartingPosition="LATEST", **kwargs)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    assert error(ParallelizationFactor=11) == (
        "ValidationException", "1 validation error detected: Value '11' at 'parallelizationFactor' failed to satisfy "
                               "constraint: Member must have value less than or equal to 10")
    assert error(TumblingWindowInSeconds=901) == (
        "ValidationException", "1 validation error detected: Value '901' at 'tumblingWindowInSeconds' failed to "
                               "satisfy constraint: Member must have value less than or equal to 900")
