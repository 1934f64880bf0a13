"""Native Lambda event source mappings on streams: Kinesis and DynamoDB Streams (starting position, batching,
filters, bisection on error, ReportBatchItemFailures, retries and the on-failure destination), against the native
Kinesis and DynamoDB providers, with real Python functions."""
import base64
import json
import time

import pytest

from helpers import unique
from lambda_helpers import ROLE, functions, lambda_client  # noqa: F401  (fixtures)
from test_lambda_integrations import out_queue, queue_arn, wait_for_messages  # noqa: F401  (fixture)

# Sends every record it receives to $OUT (one message per record), then fails if $FAIL_ON appears in the batch.
RECORDER_PY = """import base64, json, os
import boto3
sqs = boto3.client("sqs")
def handler(event, context):
    records = event["Records"]
    texts = [base64.b64decode(r["kinesis"]["data"]).decode() if "kinesis" in r else r["eventName"] for r in records]
    fail_on = os.environ.get("FAIL_ON")
    if fail_on and fail_on in texts:
        raise ValueError("refusing a batch with " + fail_on)
    for r in records:
        sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(r))
    return {"count": len(records)}
"""

STREAM_DEFAULTS = {"BisectBatchOnFunctionError": False, "MaximumRecordAgeInSeconds": -1, "ParallelizationFactor": 1,
                   "TumblingWindowInSeconds": 0, "StateTransitionReason": "User action",
                   "LastProcessingResult": "No records processed", "FunctionResponseTypes": []}


@pytest.fixture(scope="module")
def kinesis(aws_client):
    return aws_client("kinesis")


@pytest.fixture(scope="module")
def dynamodb(aws_client):
    return aws_client("dynamodb")


@pytest.fixture
def stream(kinesis):
    name = unique("esm-stream")
    kinesis.create_stream(StreamName=name, ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1})
    arn = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
    yield name, arn
    kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)


@pytest.fixture
def table(dynamodb):
    name = unique("esm-table")
    answer = dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    yield name, answer["TableDescription"]["LatestStreamArn"]
    dynamodb.delete_table(TableName=name)


def recorder(functions, out_queue, **env):
    name, _ = functions.create(files={"index.py": RECORDER_PY}, Timeout=30,
                               Environment={"Variables": {"OUT": out_queue, **env}})
    return name


def wait_enabled(lambda_client, uuid):
    deadline = time.monotonic() + 30
    while lambda_client.get_event_source_mapping(UUID=uuid)["State"] != "Enabled":
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_kinesis_mapping_delivers_batches_from_trim_horizon(lambda_client, functions, kinesis, stream, sqs, out_queue):
    stream_name, stream_arn = stream
    for i in range(3):  # written before the mapping exists: TRIM_HORIZON reads them
        kinesis.put_record(StreamName=stream_name, Data=f"record-{i}".encode(), PartitionKey=f"pk-{i}")
    name = recorder(functions, out_queue)
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=10,
        MaximumBatchingWindowInSeconds=1)
    try:
        assert mapping["ResponseMetadata"]["HTTPStatusCode"] == 202
        assert mapping["State"] == "Creating" and mapping["BatchSize"] == 10
        assert mapping["StartingPosition"] == "TRIM_HORIZON" and mapping["MaximumRetryAttempts"] == -1
        assert mapping["DestinationConfig"] == {"OnFailure": {}}
        assert {k: mapping[k] for k in STREAM_DEFAULTS} == STREAM_DEFAULTS
        records = wait_for_messages(sqs, out_queue, 3)
        records.sort(key=lambda r: r["kinesis"]["sequenceNumber"])
        assert [base64.b64decode(r["kinesis"]["data"]) for r in records] == [b"record-0", b"record-1", b"record-2"]
        first = records[0]
        assert first["eventSource"] == "aws:kinesis" and first["eventName"] == "aws:kinesis:record"
        assert first["eventVersion"] == "1.0" and first["eventSourceARN"] == stream_arn
        assert first["invokeIdentityArn"] == ROLE and first["awsRegion"] == "us-east-1"
        assert first["eventID"] == "shardId-000000000000:" + first["kinesis"]["sequenceNumber"]
        assert first["kinesis"]["partitionKey"] == "pk-0" and first["kinesis"]["kinesisSchemaVersion"] == "1.0"
        assert isinstance(first["kinesis"]["approximateArrivalTimestamp"], float)
        wait_enabled(lambda_client, mapping["UUID"])
        # records written later reach the function too, and nothing is delivered twice
        kinesis.put_record(StreamName=stream_name, Data=b"record-3", PartitionKey="pk-3")
        later = wait_for_messages(sqs, out_queue, 1)
        assert [base64.b64decode(r["kinesis"]["data"]) for r in later] == [b"record-3"]
        assert sqs.receive_message(QueueUrl=out_queue, WaitTimeSeconds=2).get("Messages") is None
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])


def test_kinesis_latest_skips_older_records_and_filters_on_data(lambda_client, functions, kinesis, stream, sqs,
                                                                out_queue):
    stream_name, stream_arn = stream
    kinesis.put_record(StreamName=stream_name, Data=json.dumps({"kind": "old"}).encode(), PartitionKey="a")
    name = recorder(functions, out_queue)
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="LATEST", BatchSize=5,
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"data": {"kind": ["wanted"]}})}]})
    try:
        for kind in ["skipped", "wanted", "other"]:
            kinesis.put_record(StreamName=stream_name, Data=json.dumps({"kind": kind}).encode(), PartitionKey="a")
        got = wait_for_messages(sqs, out_queue, 1)
        assert [json.loads(base64.b64decode(r["kinesis"]["data"])) for r in got] == [{"kind": "wanted"}]
        assert sqs.receive_message(QueueUrl=out_queue, WaitTimeSeconds=2).get("Messages") is None
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])


def test_kinesis_bisects_a_failing_batch_and_reports_the_poison_record(lambda_client, functions, kinesis, stream,
                                                                       sqs, out_queue):
    stream_name, stream_arn = stream
    failures = sqs.create_queue(QueueName=unique("esm-failures"))["QueueUrl"]
    sequence = {}
    for text in ["good-1", "bad", "good-2", "good-3"]:
        sequence[text] = kinesis.put_record(StreamName=stream_name, Data=text.encode(),
                                            PartitionKey="p")["SequenceNumber"]
    name = recorder(functions, out_queue, FAIL_ON="bad")
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=4,
        MaximumBatchingWindowInSeconds=1, BisectBatchOnFunctionError=True, MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": queue_arn(sqs, failures)}})
    try:
        assert mapping["BisectBatchOnFunctionError"] is True and mapping["MaximumRetryAttempts"] == 1
        assert mapping["DestinationConfig"] == {"OnFailure": {"Destination": queue_arn(sqs, failures)}}
        delivered = wait_for_messages(sqs, out_queue, 3)
        assert sorted(base64.b64decode(r["kinesis"]["data"]).decode() for r in delivered) == ["good-1", "good-2", "good-3"]
        [report] = wait_for_messages(sqs, failures, 1)
        assert report["requestContext"]["condition"] == "RetryAttemptsExhausted"
        assert report["requestContext"]["approximateInvokeCount"] == 2
        assert report["requestContext"]["functionArn"].endswith(f":function:{name}")
        assert report["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
        info = report["KinesisBatchInfo"]
        assert info["shardId"] == "shardId-000000000000" and info["batchSize"] == 1 and info["streamArn"] == stream_arn
        assert info["startSequenceNumber"] == info["endSequenceNumber"] == sequence["bad"]
        assert report["version"] == "1.0" and "approximateArrivalOfFirstRecord" in info
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
        sqs.delete_queue(QueueUrl=failures)


def test_dynamodb_stream_mapping_delivers_inserts_updates_and_removes(lambda_client, functions, dynamodb, table, sqs,
                                                                      out_queue):
    table_name, stream_arn = table
    name = recorder(functions, out_queue)
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="LATEST", BatchSize=10,
        MaximumBatchingWindowInSeconds=1)
    try:
        assert mapping["EventSourceArn"] == stream_arn and mapping["BatchSize"] == 10
        assert {k: mapping[k] for k in STREAM_DEFAULTS} == STREAM_DEFAULTS
        dynamodb.put_item(TableName=table_name, Item={"pk": {"S": "k1"}, "blob": {"B": b"foobar"}, "n": {"N": "1"}})
        dynamodb.update_item(TableName=table_name, Key={"pk": {"S": "k1"}}, UpdateExpression="SET n = :two",
                             ExpressionAttributeValues={":two": {"N": "2"}})
        dynamodb.delete_item(TableName=table_name, Key={"pk": {"S": "k1"}})
        records = wait_for_messages(sqs, out_queue, 3)
        records.sort(key=lambda r: int(r["dynamodb"]["SequenceNumber"]))
        assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
        insert, modify, remove = records
        assert insert["eventSource"] == "aws:dynamodb" and insert["eventVersion"] == "1.1"
        assert insert["eventSourceARN"] == stream_arn and insert["awsRegion"] == "us-east-1"
        assert insert["dynamodb"]["Keys"] == {"pk": {"S": "k1"}}
        assert insert["dynamodb"]["NewImage"] == {"pk": {"S": "k1"}, "blob": {"B": "Zm9vYmFy"}, "n": {"N": "1"}}
        assert insert["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert isinstance(insert["dynamodb"]["ApproximateCreationDateTime"], (int, float))
        assert modify["dynamodb"]["OldImage"]["n"] == {"N": "1"} and modify["dynamodb"]["NewImage"]["n"] == {"N": "2"}
        assert "NewImage" not in remove["dynamodb"] and remove["dynamodb"]["OldImage"]["n"] == {"N": "2"}
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])


# Reports the record whose key is "bad" as failed; AWS retries from it, then gives it up to the destination.
PARTIAL_PY = """import json, os
import boto3
sqs = boto3.client("sqs")
def handler(event, context):
    failed = []
    for r in event["Records"]:
        if r["dynamodb"]["Keys"]["pk"]["S"] == "bad":
            failed.append({"itemIdentifier": r["dynamodb"]["SequenceNumber"]})
        else:
            sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(r["dynamodb"]["Keys"]["pk"]["S"]))
    return {"batchItemFailures": failed}
"""


def test_dynamodb_report_batch_item_failures_then_on_failure_destination(lambda_client, functions, dynamodb, table,
                                                                         sqs, out_queue):
    table_name, stream_arn = table
    failures = sqs.create_queue(QueueName=unique("ddb-failures"))["QueueUrl"]
    for key in ["ok-1", "bad"]:
        dynamodb.put_item(TableName=table_name, Item={"pk": {"S": key}})
    name, _ = functions.create(files={"index.py": PARTIAL_PY}, Timeout=30,
                               Environment={"Variables": {"OUT": out_queue}})
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON", BatchSize=3,
        MaximumBatchingWindowInSeconds=1, FunctionResponseTypes=["ReportBatchItemFailures"], MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": queue_arn(sqs, failures)}})
    try:
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        [report] = wait_for_messages(sqs, failures, 1)
        assert report["requestContext"]["condition"] == "RetryAttemptsExhausted"
        assert report["requestContext"]["approximateInvokeCount"] == 3
        assert report["responseContext"]["functionError"] is None
        info = report["DDBStreamBatchInfo"]
        assert info["batchSize"] == 1 and info["streamArn"] == stream_arn
        # "ok-1" came before the failed record: delivered once, never retried
        assert sorted(wait_for_messages(sqs, out_queue, 1)) == ["ok-1"]
        # the shard moves on past the record given up
        dynamodb.put_item(TableName=table_name, Item={"pk": {"S": "ok-2"}})
        got = []
        deadline = time.monotonic() + 30
        while "ok-2" not in got and time.monotonic() < deadline:
            got += [json.loads(m["Body"]) for m in sqs.receive_message(QueueUrl=out_queue, WaitTimeSeconds=1).get("Messages", [])]
        assert got == ["ok-2"]
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
        sqs.delete_queue(QueueUrl=failures)


def test_stream_mapping_validation(lambda_client, functions, stream, table):
    _, stream_arn = stream
    _, ddb_stream_arn = table
    name, _ = functions.create()

    def error(**kwargs):
        with pytest.raises(lambda_client.exceptions.ClientError) as e:
            lambda_client.create_event_source_mapping(FunctionName=name, **kwargs)
        return e.value.response["Error"]["Code"], e.value.response["Error"]["Message"]

    assert error(EventSourceArn=stream_arn) == (
        "InvalidParameterValueException",
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.")
    assert error(EventSourceArn=ddb_stream_arn, StartingPosition="invalid") == (
        "ValidationException",
        "1 validation error detected: Value 'invalid' at 'startingPosition' failed to satisfy constraint: Member must "
        "satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]")
    assert error(EventSourceArn=ddb_stream_arn, StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=time.time()) == (
        "InvalidParameterValueException", f"Unsupported starting position for arn type: {ddb_stream_arn}")
    missing = stream_arn.rsplit("/", 1)[0] + "/" + unique("missing")
    assert error(EventSourceArn=missing, StartingPosition="LATEST") == (
        "InvalidParameterValueException", f"Stream not found: {missing}")
