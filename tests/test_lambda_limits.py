"""Issue-16 items no other Lambda test module proves: the payload limits (request and response, AWS's messages),
provisioned concurrency stored and reported, asynchronous destinations to SNS and to another function, an
unsupported runtime's clear error, and, on a server of their own, idle environments stopping after
LAMBDA_KEEPALIVE_MS and a function's output in Polystack's own log with DEBUG=1."""
import json
import os
import re
import time

import pytest

from helpers import unique
from lambda_helpers import ROLE, functions, lambda_client, zip_of  # noqa: F401  (fixtures)

# Returns a string of event["size"] characters: its JSON is that plus the two quotes.
SIZED_PY = "def handler(event, context):\n    return 'x' * event['size']\n"


def error_of(call, **kwargs):
    try:
        call(**kwargs)
    except lambda_client_error() as e:
        return e.response["Error"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError("no error")


def lambda_client_error():
    from botocore.exceptions import ClientError
    return ClientError


def test_request_and_response_payload_limits(lambda_client, functions):
    name, _ = functions.create(files={"index.py": SIZED_PY}, MemorySize=512, Timeout=30)
    too_big = json.dumps({"size": 1, "pad": "p" * (6 * 1024 * 1024)}).encode()
    error, status = error_of(lambda_client.invoke, FunctionName=name, Payload=too_big)
    assert status == 413 and error["Code"] == "RequestTooLargeException"
    assert error["Message"] == "Request must be smaller than 6291456 bytes for the InvokeFunction operation"
    # Asynchronous invocations take up to 1 MB (AWS raised the limit from 256 KB; botocore's documentation says 1 MB).
    async_too_big = json.dumps({"size": 1, "pad": "p" * (1024 * 1024)}).encode()
    error, status = error_of(lambda_client.invoke, FunctionName=name, InvocationType="Event", Payload=async_too_big)
    assert status == 413 and error["Code"] == "RequestTooLargeException"
    accepted = lambda_client.invoke(FunctionName=name, InvocationType="Event",
                                    Payload=json.dumps({"size": 1, "pad": "p" * (300 * 1024)}).encode())
    assert accepted["StatusCode"] == 202

    # AWS answers a response over its limit as a function error naming 6291556 bytes (recorded from AWS).
    answer = lambda_client.invoke(FunctionName=name, Payload=json.dumps({"size": 6291556}).encode())
    assert answer["StatusCode"] == 200 and answer["FunctionError"] == "Unhandled"
    assert json.loads(answer["Payload"].read()) == {
        "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
        "errorType": "Function.ResponseSizeTooLarge"}
    fits = lambda_client.invoke(FunctionName=name, Payload=json.dumps({"size": 6 * 1024 * 1024 - 2}).encode())
    assert "FunctionError" not in fits and len(fits["Payload"].read()) == 6 * 1024 * 1024


def test_provisioned_concurrency_is_stored_and_reported(lambda_client, functions):
    name, _ = functions.create()
    version = lambda_client.publish_version(FunctionName=name)["Version"]
    lambda_client.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    put = lambda_client.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live",
                                                           ProvisionedConcurrentExecutions=2)
    assert put["RequestedProvisionedConcurrentExecutions"] == 2
    got = lambda_client.get_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    assert got["RequestedProvisionedConcurrentExecutions"] == 2 and got["Status"] in ("IN_PROGRESS", "READY")
    listed = lambda_client.list_provisioned_concurrency_configs(FunctionName=name)["ProvisionedConcurrencyConfigs"]
    assert [c["FunctionArn"].rsplit(":", 1)[1] for c in listed] == ["live"]
    assert listed[0]["RequestedProvisionedConcurrentExecutions"] == 2
    lambda_client.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    with pytest.raises(lambda_client.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lambda_client.get_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    # $LATEST cannot have provisioned concurrency
    with pytest.raises(lambda_client.exceptions.InvalidParameterValueException):
        lambda_client.put_provisioned_concurrency_config(FunctionName=name, Qualifier="$LATEST",
                                                         ProvisionedConcurrentExecutions=1)


# Sends its event to the queue $OUT through boto3 inside the function (AWS_ENDPOINT_URL points at Polystack).
FORWARD_PY = """import json, os
import boto3
def handler(event, context):
    boto3.client("sqs").send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(event))
    return "forwarded"
"""


def received(sqs, url, count, timeout=90):
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
            got.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert len(got) >= count, f"only {len(got)} of {count} messages arrived"
    return got


def test_async_destinations_to_another_function_and_to_sns(lambda_client, functions, aws_client):
    sqs, sns = aws_client("sqs"), aws_client("sns")
    out = sqs.create_queue(QueueName=unique("dest-out"))["QueueUrl"]
    out_arn = sqs.get_queue_attributes(QueueUrl=out, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = sns.create_topic(Name=unique("dest-topic"))["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=out_arn, Attributes={"RawMessageDelivery": "true"})
    forwarder, created = functions.create(files={"index.py": FORWARD_PY}, Environment={"Variables": {"OUT": out}},
                                          Timeout=30)
    source = ("def handler(event, context):\n"
              "    if event.get('fail'):\n"
              "        raise ValueError('asked to fail')\n"
              "    return {'done': event['n']}\n")
    name, _ = functions.create(files={"index.py": source})
    lambda_client.put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=0, MaximumEventAgeInSeconds=300,
        DestinationConfig={"OnSuccess": {"Destination": created["FunctionArn"]}, "OnFailure": {"Destination": topic}})
    config = lambda_client.get_function_event_invoke_config(FunctionName=name)
    assert config["MaximumEventAgeInSeconds"] == 300 and config["MaximumRetryAttempts"] == 0
    lambda_client.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"n": 1}))
    lambda_client.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"n": 2, "fail": True}))
    records = {r["requestContext"]["condition"]: r for r in received(sqs, out, 2)}
    # Success went to the function (which forwarded its event, the destination record, to the queue); the failure
    # went to the topic, delivered raw to the same queue.
    assert records["Success"]["responsePayload"] == {"done": 1}
    assert records["Success"]["requestContext"]["functionArn"].endswith(f":{name}:$LATEST")
    assert records["RetriesExhausted"]["requestPayload"] == {"n": 2, "fail": True}
    assert records["RetriesExhausted"]["responsePayload"]["errorMessage"] == "asked to fail"


def test_an_unsupported_runtime_is_a_clear_error_naming_it(lambda_client, functions):
    name, _ = functions.create(files={"index.rb": "def handler(event:, context:)\n  event\nend\n"}, runtime="ruby3.3",
                               handler="index.handler")
    error, status = error_of(lambda_client.invoke, FunctionName=name, Payload=b"{}")
    assert status == 502 and error["Code"] == "InvalidRuntimeException"
    assert "ruby3.3" in error["Message"], error
    # the function is still there and reports its runtime
    assert lambda_client.get_function(FunctionName=name)["Configuration"]["Runtime"] == "ruby3.3"


# Every runtime the API accepts for new functions (LambdaEngine.RUNTIMES).
RUNTIMES = ["nodejs20.x", "python3.14", "provided.al2023", "python3.12", "python3.13", "nodejs24.x", "nodejs22.x",
            "java25", "python3.10", "python3.11", "java21", "ruby3.3", "ruby3.4", "ruby3.2", "python3.9", "java17",
            "dotnet10", "dotnet8", "java11", "nodejs18.x", "provided.al2", "java8.al2"]


def test_every_accepted_runtime_creates_a_function_with_a_runtime_version(lambda_client, functions):
    for runtime in RUNTIMES:
        _, created = functions.create(runtime=runtime, wait=False)
        assert created["Runtime"] == runtime
        assert re.fullmatch(r"arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}",
                            created["RuntimeVersionConfig"]["RuntimeVersionArn"]), created["RuntimeVersionConfig"]


PID_PY = "import os\ndef handler(event, context):\n    print('output of', event['tag'])\n    return os.getpid()\n"


def test_idle_environments_stop_after_the_keep_alive_and_debug_shows_function_output(start_server):
    srv = start_server({"LAMBDA_KEEPALIVE_MS": "1500", "DEBUG": "1", "LAMBDA_LOGS_TO_CLOUDWATCH": "0"})
    client = srv.client("lambda")
    client.create_function(FunctionName="keepalive", Runtime="python3.12", Role=ROLE, Handler="index.handler",
                           Code={"ZipFile": zip_of({"index.py": PID_PY})})
    client.get_waiter("function_active_v2").wait(FunctionName="keepalive", WaiterConfig={"Delay": 1})
    tag = unique("marker")
    first = json.loads(client.invoke(FunctionName="keepalive", Payload=json.dumps({"tag": tag}))["Payload"].read())
    # warm: the same process answers at once
    assert json.loads(client.invoke(FunctionName="keepalive", Payload=b'{"tag": "warm"}')["Payload"].read()) == first
    deadline = time.monotonic() + 120
    while os.path.exists(f"/proc/{first}") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not os.path.exists(f"/proc/{first}"), "the idle environment outlived its keep-alive"
    second = json.loads(client.invoke(FunctionName="keepalive", Payload=b'{"tag": "cold"}')["Payload"].read())
    assert second != first
    with open(srv.log_path, errors="replace") as f:
        log = f.read()
    assert f"output of {tag}" in log
