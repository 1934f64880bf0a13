"""Native Lambda stream mappings, the settings beyond batching and retries: tumbling windows (state carried between
invocations of a window, a final invocation closing it, an early end when the state outgrows 1 MB, a state per lane
with a ParallelizationFactor), ParallelizationFactor (concurrent invocations per shard,
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


# Returns a state over AWS's 1 MB limit from the first invocation of a window (a state without "pad"), and reports
# every invocation to $OUT (the size of the state it got, not the state).
BIG_STATE_PY = """import json, os
import boto3
sqs = boto3.client("sqs")
def handler(event, context):
    state = event.get("state") or {}
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps({
        "window": event["window"], "final": event["isFinalInvokeForWindow"], "early": event["isWindowTerminatedEarly"],
        "records": len(event["Records"]), "padIn": len(state.get("pad", "")), "keysIn": sorted(state)}))
    if event["Records"] and "pad" not in state:
        return {"state": {"pad": "x" * (1024 * 1024 + 10)}}
    return {"state": {"seen": True}}
"""


def test_a_window_state_over_1_mb_terminates_the_window_early(lambda_client, functions, kinesis, stream, sqs,
                                                             out_queue):
    stream_name, stream_arn = stream
    name, _ = functions.create(files={"index.py": BIG_STATE_PY}, Timeout=30, MemorySize=512,
                               Environment={"Variables": {"OUT": out_queue}})
    # a long window: nothing here waits for its end
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=1,
        TumblingWindowInSeconds=900)
    try:
        kinesis.put_record(StreamName=stream_name, Data=b"first", PartitionKey="k")
        calls = wait_for_messages(sqs, out_queue, 2, timeout=60)
        [first] = [c for c in calls if not c["final"]]
        [early] = [c for c in calls if c["final"]]
        assert first["records"] == 1 and first["early"] is False and first["final"] is False
        # the state outgrew 1 MB: a final invocation gets it, flagged as terminated early, in the same window
        assert early["records"] == 0 and early["final"] is True and early["early"] is True
        assert early["padIn"] == 1024 * 1024 + 10 and early["window"] == first["window"]
        # the window goes on with a fresh state
        kinesis.put_record(StreamName=stream_name, Data=b"second", PartitionKey="k")
        [second] = wait_for_messages(sqs, out_queue, 1, timeout=60)
        assert second["records"] == 1 and second["keysIn"] == [] and second["final"] is False
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])


# Counts the records of its window per partition key in the state it hands on; reports every invocation to $OUT.
LANE_WINDOW_PY = """import json, os
import boto3
sqs = boto3.client("sqs")
def handler(event, context):
    state = dict(event.get("state") or {})
    for r in event["Records"]:
        key = r["kinesis"]["partitionKey"]
        state[key] = state.get(key, 0) + 1
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps({
        "window": event["window"], "final": event["isFinalInvokeForWindow"], "stateIn": event.get("state") or {},
        "keys": [r["kinesis"]["partitionKey"] for r in event["Records"]]}))
    return {"state": state}
"""


def test_tumbling_windows_with_a_parallelization_factor_keep_a_state_per_lane(lambda_client, functions, kinesis,
                                                                             stream, sqs, out_queue):
    stream_name, stream_arn = stream
    for i in range(6):  # keys "a" and "b" fall in different lanes of two
        kinesis.put_record(StreamName=stream_name, Data=f"{i}".encode(), PartitionKey="ab"[i % 2])
    name, _ = functions.create(files={"index.py": LANE_WINDOW_PY}, Timeout=30,
                               Environment={"Variables": {"OUT": out_queue}})
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=10,
        MaximumBatchingWindowInSeconds=1, ParallelizationFactor=2, TumblingWindowInSeconds=2)
    try:
        calls = []
        deadline = time.monotonic() + 90
        # every record delivered, and every (window, lane) closed by a final invocation holding that lane's count
        while time.monotonic() < deadline:
            calls += wait_for_messages(sqs, out_queue, 1, timeout=max(1, deadline - time.monotonic()))
            finals = [c for c in calls if c["final"]]
            if sum(sum(f["stateIn"].values()) for f in finals) == 6:
                break
        records = [c for c in calls if not c["final"]]
        assert sorted(k for c in records for k in c["keys"]) == ["a", "a", "a", "b", "b", "b"]
        for c in records:
            assert len(set(c["keys"])) == 1  # one key per lane
            assert set(c["stateIn"]) <= set(c["keys"])  # the state handed on is its own lane's
        finals = [c for c in calls if c["final"]]
        for f in finals:
            assert len(f["stateIn"]) == 1 and f["keys"] == []
        assert sum(f["stateIn"].get("a", 0) for f in finals) == 3 and sum(f["stateIn"].get("b", 0) for f in finals) == 3
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
