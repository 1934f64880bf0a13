"""Lambda state survives a restart with PERSISTENCE=1: functions, versions, aliases, layers and function URLs, with
their code kept under DATA_DIR, and the functions still run; queued asynchronous invocations and stream mappings'
checkpoints too, saved as the pollers move them (a kill -9 loses at most the last moments), with the pollers resumed
at start-up."""
import json
import os
import time

import requests

from lambda_helpers import ROLE, zip_of


def test_functions_survive_restart_and_still_run(start_server):
    srv = start_server({"PERSISTENCE": "1", "LAMBDA_LOGS_TO_CLOUDWATCH": "0"})
    client = srv.client("lambda")
    layer = client.publish_layer_version(LayerName="persisted-layer",
                                         Content={"ZipFile": zip_of({"python/word.py": "WORD = 'kept'\n"})})
    client.create_function(FunctionName="persisted", Runtime="python3.12", Role=ROLE, Handler="index.handler",
                           Layers=[layer["LayerVersionArn"]], Tags={"k": "v"},
                           Code={"ZipFile": zip_of({"index.py": "import word\ndef handler(e, c):\n    return [word.WORD, e]\n"})})
    client.publish_version(FunctionName="persisted")
    client.create_alias(FunctionName="persisted", Name="live", FunctionVersion="1")
    url = client.create_function_url_config(FunctionName="persisted", AuthType="NONE")["FunctionUrl"]
    srv.stop()
    srv.start()
    client = srv.client("lambda")
    config = client.get_function(FunctionName="persisted")
    assert config["Configuration"]["State"] == "Active" and config["Tags"] == {"k": "v"}
    assert client.get_alias(FunctionName="persisted", Name="live")["FunctionVersion"] == "1"
    assert client.get_function_url_config(FunctionName="persisted")["FunctionUrl"] == url
    answer = client.invoke(FunctionName="persisted", Qualifier="live", Payload=b'{"after": "restart"}')
    assert json.loads(answer["Payload"].read()) == ["kept", {"after": "restart"}]
    assert answer["ExecutedVersion"] == "1"


# Fails every time; the asynchronous invocation's record reaches the on-failure queue once its retries are spent.
FAILING_PY = "def handler(event, context):\n    raise RuntimeError('always')\n"

# Sends the text of every Kinesis record it receives to $OUT.
RECORDER_PY = """import base64, os
import boto3
sqs = boto3.client("sqs")
def handler(event, context):
    for r in event["Records"]:
        sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=base64.b64decode(r["kinesis"]["data"]).decode())
"""


def receive_texts(sqs, url, count, timeout=90):
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            got.append(m["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert len(got) >= count, f"only {got} of {count} messages arrived"
    return got


def test_queued_async_invocation_and_stream_checkpoints_resume_after_restart(start_server):
    # ON_STARTUP: the mapping's poller and the queued invocation resume without anyone calling Lambda first
    srv = start_server({"PERSISTENCE": "1", "LAMBDA_LOGS_TO_CLOUDWATCH": "0", "LAMBDA_RETRY_BASE_DELAY_SECONDS": "2",
                        "SNAPSHOT_LOAD_STRATEGY": "ON_STARTUP"})
    client, sqs, kinesis = srv.client("lambda"), srv.client("sqs"), srv.client("kinesis")
    failed = sqs.create_queue(QueueName="async-failed")["QueueUrl"]
    failed_arn = sqs.get_queue_attributes(QueueUrl=failed, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    delivered = sqs.create_queue(QueueName="stream-delivered")["QueueUrl"]
    kinesis.create_stream(StreamName="resumed", ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName="resumed", WaiterConfig={"Delay": 1})
    stream_arn = kinesis.describe_stream_summary(StreamName="resumed")["StreamDescriptionSummary"]["StreamARN"]
    for name, code, env in [("always-fails", FAILING_PY, {}), ("recorder", RECORDER_PY, {"OUT": delivered})]:
        client.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="index.handler", Timeout=30,
                               Code={"ZipFile": zip_of({"index.py": code})}, Environment={"Variables": env})
        client.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1})
    client.put_function_event_invoke_config(FunctionName="always-fails", MaximumRetryAttempts=1,
                                            DestinationConfig={"OnFailure": {"Destination": failed_arn}})
    uuid = client.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName="recorder",
                                              StartingPosition="TRIM_HORIZON", BatchSize=1)["UUID"]
    for text in ["r0", "r1"]:
        kinesis.put_record(StreamName="resumed", Data=text.encode(), PartitionKey="k")
    assert sorted(receive_texts(sqs, delivered, 2)) == ["r0", "r1"]
    # queued (its first attempt running or its retry waiting) when Polystack stops
    assert client.invoke(FunctionName="always-fails", InvocationType="Event", Payload=b'{"n": 1}')["StatusCode"] == 202
    srv.stop()
    srv.start()
    client, sqs, kinesis = srv.client("lambda"), srv.client("sqs"), srv.client("kinesis")
    # the invocation finished its attempts after the restart: both of them, counted across it
    [record] = [json.loads(b) for b in receive_texts(sqs, failed, 1)]
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2 and record["requestPayload"] == {"n": 1}
    # the mapping resumed after its checkpoint: the new record arrives and r0 is never read again (r1 may be, once:
    # delivery is at least once, and its checkpoint may not have been taken yet when Polystack stopped)
    kinesis.put_record(StreamName="resumed", Data=b"r2", PartitionKey="k")
    got = receive_texts(sqs, delivered, 1)
    while "r2" not in got:
        got += receive_texts(sqs, delivered, 1)
    assert got[-1] == "r2" and set(got) <= {"r1", "r2"}, got
    assert sqs.receive_message(QueueUrl=delivered, WaitTimeSeconds=2).get("Messages") is None
    assert client.get_event_source_mapping(UUID=uuid)["LastProcessingResult"] == "OK"


def saved_lambda_state(srv):
    """The Lambda snapshot's text as it is on disk now ('' before the first save)."""
    try:
        with open(os.path.join(srv.data_dir, "state", "lambda.snapshot"), encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def test_stream_checkpoints_are_saved_as_they_move_and_pollers_resume_at_start_after_kill_9(start_server):
    # The default load strategy (ON_REQUEST): nothing calls Lambda after the restart, its poller resumes by itself.
    srv = start_server({"PERSISTENCE": "1", "LAMBDA_LOGS_TO_CLOUDWATCH": "0"})
    client, sqs, kinesis = srv.client("lambda"), srv.client("sqs"), srv.client("kinesis")
    delivered = sqs.create_queue(QueueName="killed-delivered")["QueueUrl"]
    kinesis.create_stream(StreamName="killed", ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName="killed", WaiterConfig={"Delay": 1})
    stream_arn = kinesis.describe_stream_summary(StreamName="killed")["StreamDescriptionSummary"]["StreamARN"]
    client.create_function(FunctionName="recorder", Runtime="python3.12", Role=ROLE, Handler="index.handler", Timeout=30,
                           Code={"ZipFile": zip_of({"index.py": RECORDER_PY})},
                           Environment={"Variables": {"OUT": delivered}})
    client.get_waiter("function_active_v2").wait(FunctionName="recorder", WaiterConfig={"Delay": 1})
    client.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName="recorder",
                                       StartingPosition="TRIM_HORIZON", BatchSize=1)
    sequences = [kinesis.put_record(StreamName="killed", Data=text.encode(), PartitionKey="k")["SequenceNumber"]
                 for text in ["r0", "r1"]]
    assert sorted(receive_texts(sqs, delivered, 2)) == ["r0", "r1"]
    # No request to Lambda moves the checkpoint: the poller's own progress gets it saved, within moments
    deadline = time.monotonic() + 60
    while sequences[-1] not in saved_lambda_state(srv) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sequences[-1] in saved_lambda_state(srv), "the checkpoint of r1 was never saved"
    # the stream's own records were saved too (PutRecord is a request: saved within moments)
    while time.monotonic() < deadline:
        health = requests.get(srv.endpoint_url + "/_localstack/health", timeout=10).json()
        if not health["persistence"]["services"].get("kinesis", {}).get("unsaved_changes", True):
            break
        time.sleep(0.2)
    srv.kill()
    srv.start()
    sqs, kinesis = srv.client("sqs"), srv.client("kinesis")
    kinesis.put_record(StreamName="killed", Data=b"r2", PartitionKey="k")
    # only r2: r0 and r1 were checkpointed before the kill
    assert receive_texts(sqs, delivered, 1) == ["r2"]
    assert sqs.receive_message(QueueUrl=delivered, WaitTimeSeconds=2).get("Messages") is None
