"""Native Lambda with other services: versions and aliases, layers, asynchronous invocations and destinations,
SQS event source mappings, S3 and SNS triggers, code from S3, an EventBridge destination, and functions that call
Polystack through boto3 inside them."""
import json
import time

import pytest

from helpers import unique
from lambda_helpers import ECHO_PY, functions, lambda_client, zip_of  # noqa: F401  (fixtures)

# Sends the event it receives to the queue named by $OUT through boto3 inside the function (AWS_ENDPOINT_URL).
FORWARD_PY = """import json, os
import boto3
sqs = boto3.client("sqs")
def handler(event, context):
    sqs.send_message(QueueUrl=os.environ["OUT"], MessageBody=json.dumps(event))
    return {"forwarded": True}
"""


def wait_for_messages(sqs, queue_url, count, timeout=60):
    """Receives until `count` messages arrived (deleting them), or fails after `timeout` seconds."""
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        answer = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in answer.get("Messages", []):
            got.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])
    assert len(got) >= count, f"only {len(got)} of {count} messages arrived"
    return got


def invoke(client, name, event=None, **kwargs):
    answer = client.invoke(FunctionName=name, Payload=json.dumps(event or {}), **kwargs)
    return answer, json.loads(answer["Payload"].read())


@pytest.fixture
def out_queue(sqs):
    url = sqs.create_queue(QueueName=unique("lambda-out"))["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)


def queue_arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def test_versions_and_aliases_with_routing(lambda_client, functions):
    name, _ = functions.create(files={"index.py": "def handler(e, c):\n    return 'one'\n"})
    v1 = lambda_client.publish_version(FunctionName=name)
    assert v1["Version"] == "1" and v1["FunctionArn"].endswith(f":{name}:1")
    lambda_client.update_function_code(FunctionName=name, ZipFile=zip_of({"index.py": "def handler(e, c):\n    return 'two'\n"}))
    lambda_client.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1})
    assert lambda_client.publish_version(FunctionName=name)["Version"] == "2"
    versions = [v["Version"] for v in lambda_client.list_versions_by_function(FunctionName=name)["Versions"]]
    assert versions == ["$LATEST", "1", "2"]

    answer, payload = invoke(lambda_client, name, Qualifier="1")
    assert payload == "one" and answer["ExecutedVersion"] == "1"
    assert invoke(lambda_client, f"{name}:2")[1] == "two"

    alias = lambda_client.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    assert alias["AliasArn"].endswith(f":{name}:live")
    answer, payload = invoke(lambda_client, name, Qualifier="live")
    assert payload == "one" and answer["ExecutedVersion"] == "1"

    lambda_client.update_alias(FunctionName=name, Name="live", RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}})
    executed = {invoke(lambda_client, name, Qualifier="live")[0]["ExecutedVersion"] for _ in range(30)}
    assert executed == {"1", "2"}

    error = pytest.raises(Exception, lambda_client.create_alias, FunctionName=name, Name="live", FunctionVersion="1")
    assert error.value.response["Error"]["Code"] == "ResourceConflictException"
    error = pytest.raises(Exception, lambda_client.update_alias, FunctionName=name, Name="live",
                          RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})
    assert error.value.response["Error"]["Message"] == \
        "Invalid function version 1. Function version 1 is already included in routing configuration."


def test_layer_contents_are_importable(lambda_client, functions):
    layer = lambda_client.publish_layer_version(
        LayerName=unique("layer"), CompatibleRuntimes=["python3.12"],
        Content={"ZipFile": zip_of({"python/greeting.py": "WORD = 'from-layer'\n"})})
    assert layer["Version"] == 1 and layer["LayerVersionArn"].endswith(":1")
    source = "import greeting\ndef handler(e, c):\n    return greeting.WORD\n"
    name, created = functions.create(files={"index.py": source}, Layers=[layer["LayerVersionArn"]])
    assert created["Layers"][0]["Arn"] == layer["LayerVersionArn"]
    assert invoke(lambda_client, name)[1] == "from-layer"
    got = lambda_client.get_layer_version(LayerName=layer["LayerArn"].split(":")[-1], VersionNumber=1)
    assert got["Content"]["CodeSha256"] == layer["Content"]["CodeSha256"]


def test_async_invoke_with_destinations(lambda_client, functions, sqs, out_queue):
    source = ("def handler(event, context):\n"
              "    if event.get('fail'):\n"
              "        raise ValueError('asked to fail')\n"
              "    return {'done': event['n']}\n")
    name, _ = functions.create(files={"index.py": source})
    arn = queue_arn(sqs, out_queue)
    lambda_client.put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=0,
        DestinationConfig={"OnSuccess": {"Destination": arn}, "OnFailure": {"Destination": arn}})
    answer = lambda_client.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"n": 1}))
    assert answer["StatusCode"] == 202
    lambda_client.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps({"n": 2, "fail": True}))
    records = {r["requestContext"]["condition"]: r for r in wait_for_messages(sqs, out_queue, 2)}
    ok = records["Success"]
    assert ok["requestPayload"] == {"n": 1} and ok["responsePayload"] == {"done": 1}
    assert ok["requestContext"]["functionArn"].endswith(f":{name}:$LATEST")
    failed = records["RetriesExhausted"]
    assert failed["responseContext"]["functionError"] == "Unhandled"
    assert failed["responsePayload"]["errorMessage"] == "asked to fail"


def test_function_calls_sqs_through_boto3(lambda_client, functions, sqs, out_queue):
    name, _ = functions.create(files={"index.py": FORWARD_PY}, Environment={"Variables": {"OUT": out_queue}}, Timeout=30)
    answer, payload = invoke(lambda_client, name, {"hello": "queue"})
    assert payload == {"forwarded": True}, payload
    assert wait_for_messages(sqs, out_queue, 1)[0] == {"hello": "queue"}


def test_sqs_event_source_mapping_with_partial_batch_failure(lambda_client, functions, sqs, out_queue):
    dlq = sqs.create_queue(QueueName=unique("esm-dlq"))["QueueUrl"]
    source_queue = sqs.create_queue(QueueName=unique("esm-src"), Attributes={
        "VisibilityTimeout": "1",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": queue_arn(sqs, dlq), "maxReceiveCount": "1"})})["QueueUrl"]
    source = ("import json, os, boto3\n"
              "sqs = boto3.client('sqs')\n"
              "def handler(event, context):\n"
              "    failures = []\n"
              "    for r in event['Records']:\n"
              "        if r['body'] == 'bad':\n"
              "            failures.append({'itemIdentifier': r['messageId']})\n"
              "        else:\n"
              "            sqs.send_message(QueueUrl=os.environ['OUT'], MessageBody=json.dumps(r['body']))\n"
              "    return {'batchItemFailures': failures}\n")
    name, _ = functions.create(files={"index.py": source}, Environment={"Variables": {"OUT": out_queue}}, Timeout=30)
    mapping = lambda_client.create_event_source_mapping(
        EventSourceArn=queue_arn(sqs, source_queue), FunctionName=name, BatchSize=5,
        FunctionResponseTypes=["ReportBatchItemFailures"],
        FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": [{"anything-but": ["ignored"]}]})}]})
    try:
        assert mapping["State"] == "Creating" and mapping["BatchSize"] == 5
        for body in ["good-1", "bad", "good-2", "ignored"]:
            sqs.send_message(QueueUrl=source_queue, MessageBody=body)
        delivered = sorted(wait_for_messages(sqs, out_queue, 2))
        assert delivered == ["good-1", "good-2"]
        # the failed item is not deleted: it comes back and, past maxReceiveCount, moves to the DLQ
        deadline = time.monotonic() + 30
        dead = []
        while not dead and time.monotonic() < deadline:
            dead = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages", [])
        assert [m["Body"] for m in dead] == ["bad"]
        got = lambda_client.get_event_source_mapping(UUID=mapping["UUID"])
        assert got["State"] == "Enabled" and got["FunctionArn"].endswith(f":function:{name}")
    finally:
        lambda_client.delete_event_source_mapping(UUID=mapping["UUID"])
        sqs.delete_queue(QueueUrl=source_queue)
        sqs.delete_queue(QueueUrl=dlq)


def test_s3_notification_invokes_function(lambda_client, functions, aws_client, sqs, out_queue):
    s3 = aws_client("s3")
    name, created = functions.create(files={"index.py": FORWARD_PY}, Environment={"Variables": {"OUT": out_queue}}, Timeout=30)
    bucket = unique("lambda-bucket")
    s3.create_bucket(Bucket=bucket)
    lambda_client.add_permission(FunctionName=name, StatementId="s3", Action="lambda:InvokeFunction",
                                 Principal="s3.amazonaws.com", SourceArn=f"arn:aws:s3:::{bucket}")
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{"LambdaFunctionArn": created["FunctionArn"], "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket=bucket, Key="hello.txt", Body=b"hi")
    event = wait_for_messages(sqs, out_queue, 1)[0]
    record = event["Records"][0]
    assert record["eventSource"] == "aws:s3"
    assert record["s3"]["bucket"]["name"] == bucket and record["s3"]["object"]["key"] == "hello.txt"


def test_sns_subscription_invokes_function(lambda_client, functions, sns, sqs, out_queue):
    name, created = functions.create(files={"index.py": FORWARD_PY}, Environment={"Variables": {"OUT": out_queue}}, Timeout=30)
    topic = sns.create_topic(Name=unique("lambda-topic"))["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=created["FunctionArn"])
    sns.publish(TopicArn=topic, Message="to the function", Subject="s")
    event = wait_for_messages(sqs, out_queue, 1)[0]
    record = event["Records"][0]
    assert record["EventSource"] == "aws:sns"
    assert record["Sns"]["Message"] == "to the function" and record["Sns"]["TopicArn"] == topic


def test_permissions_policy(lambda_client, functions):
    name, _ = functions.create()
    statement = json.loads(lambda_client.add_permission(
        FunctionName=name, StatementId="s3", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
        SourceArn="arn:aws:s3:::b")["Statement"])
    assert statement == {"Sid": "s3", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                         "Action": "lambda:InvokeFunction",
                         "Resource": f"arn:aws:lambda:us-east-1:000000000000:function:{name}",
                         "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}}}
    policy = json.loads(lambda_client.get_policy(FunctionName=name)["Policy"])
    assert policy["Statement"] == [statement]
    error = pytest.raises(Exception, lambda_client.add_permission, FunctionName=name, StatementId="s3",
                          Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
    assert error.value.response["Error"]["Message"] == ("The statement id (s3) provided already exists. Please provide "
                                                       "a new statement id, or remove the existing statement.")
    lambda_client.remove_permission(FunctionName=name, StatementId="s3")
    error = pytest.raises(Exception, lambda_client.get_policy, FunctionName=name)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_tags_and_account_settings(lambda_client, functions):
    name, created = functions.create(Tags={"team": "a"})
    arn = created["FunctionArn"]
    lambda_client.tag_resource(Resource=arn, Tags={"env": "test"})
    assert lambda_client.list_tags(Resource=arn)["Tags"] == {"team": "a", "env": "test"}
    lambda_client.untag_resource(Resource=arn, TagKeys=["team"])
    assert lambda_client.list_tags(Resource=arn)["Tags"] == {"env": "test"}
    error = pytest.raises(Exception, lambda_client.tag_resource, Resource=arn + ":1", Tags={"a": "b"})
    assert error.value.response["Error"]["Message"] == \
        "Tags on function aliases and versions are not supported. Please specify a function ARN."
    settings = lambda_client.get_account_settings()
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert settings["AccountUsage"]["FunctionCount"] >= 1


def test_function_url_serves_payload_format_2(lambda_client, functions, endpoint_url):
    import requests
    source = ("import json\n"
              "def handler(event, context):\n"
              "    return {'statusCode': 201, 'headers': {'x-custom': 'yes'}, 'cookies': ['a=1'],\n"
              "            'body': json.dumps({'method': event['requestContext']['http']['method'],\n"
              "                                'path': event['rawPath'], 'query': event.get('queryStringParameters'),\n"
              "                                'body': event.get('body'), 'version': event['version']})}\n")
    name, _ = functions.create(files={"index.py": source})
    config = lambda_client.create_function_url_config(FunctionName=name, AuthType="NONE")
    assert config["ResponseMetadata"]["HTTPStatusCode"] == 201
    url = config["FunctionUrl"]
    assert ".lambda-url.us-east-1.localhost.localstack.cloud:" in url and url.endswith("/")
    error = pytest.raises(Exception, lambda_client.create_function_url_config, FunctionName=name, AuthType="NONE")
    assert error.value.response["Error"]["Code"] == "ResourceConflictException"
    got = lambda_client.get_function_url_config(FunctionName=name)
    assert got["FunctionUrl"] == url and got["InvokeMode"] == "BUFFERED"

    host = url.split("//")[1].split("/")[0]
    port = endpoint_url.rsplit(":", 1)[1]
    answer = requests.post(f"http://127.0.0.1:{port}/some/path?a=1&a=2", data='{"k": "v"}',
                           headers={"Host": host, "Content-Type": "application/json"}, timeout=60)
    assert answer.status_code == 201
    assert answer.headers["x-custom"] == "yes"
    assert answer.json() == {"method": "POST", "path": "/some/path", "query": {"a": "1,2"}, "body": '{"k": "v"}',
                             "version": "2.0"}

    lambda_client.delete_function_url_config(FunctionName=name)
    error = pytest.raises(Exception, lambda_client.get_function_url_config, FunctionName=name)
    assert error.value.response["Error"]["Message"] == "The resource you requested does not exist."


def test_function_url_with_aws_iam_auth(lambda_client, functions, endpoint_url):
    import requests
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    source = ("def handler(event, context):\n"
              "    return {'statusCode': 200, 'body': __import__('json').dumps(event['requestContext']['authorizer'])}\n")
    name, _ = functions.create(files={"index.py": source})
    url = lambda_client.create_function_url_config(FunctionName=name, AuthType="AWS_IAM")["FunctionUrl"]
    host = url.split("//")[1].split("/")[0]
    port = endpoint_url.rsplit(":", 1)[1]
    target = f"http://127.0.0.1:{port}/"

    unsigned = requests.get(target, headers={"Host": host}, timeout=60)
    assert unsigned.status_code == 403 and unsigned.json() == {"Message": "Forbidden"}

    request = AWSRequest(method="GET", url=f"http://{host}/", headers={"Host": host})
    SigV4Auth(Credentials("111122223333", "secret"), "lambda", "us-east-1").add_auth(request)
    signed = requests.get(target, headers=dict(request.headers), timeout=60)
    assert signed.status_code == 200
    iam = signed.json()["iam"]
    assert iam["accessKey"] == "111122223333" and iam["accountId"] == "111122223333"
    assert iam["userArn"] == "arn:aws:iam::111122223333:root"


def test_custom_runtime_bootstrap(lambda_client, functions):
    import shutil
    if not shutil.which("curl"):
        pytest.skip("the bootstrap of this test uses curl")
    bootstrap = """#!/bin/sh
set -eu
while true; do
  headers=$(mktemp)
  event=$(curl -sS -D "$headers" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  id=$(grep -i Lambda-Runtime-Aws-Request-Id "$headers" | tr -d '[:space:]' | cut -d: -f2)
  echo "custom runtime got $event"
  curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$id/response" -d "{\\"echo\\": $event}" > /dev/null
done
"""
    name, _ = functions.create(files={"bootstrap": bootstrap}, runtime="provided.al2023", handler="unused")
    answer, payload = invoke(lambda_client, name, {"shell": 1})
    assert payload == {"echo": {"shell": 1}}


def test_invocation_logs_reach_cloudwatch_logs(lambda_client, functions, aws_client):
    marker = unique("log-marker")
    name, _ = functions.create(files={"index.py": f"def handler(e, c):\n    print('{marker}')\n    return 1\n"})
    invoke(lambda_client, name)
    logs = aws_client("logs")
    deadline = time.monotonic() + 60
    messages = []
    while time.monotonic() < deadline:
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
        except logs.exceptions.ResourceNotFoundException:
            events = []
        messages = [e["message"] for e in events]
        if any("REPORT RequestId:" in m for m in messages):
            break
        time.sleep(0.5)
    assert marker in messages
    assert any(m.startswith("START RequestId:") for m in messages)
    assert any(m.startswith("REPORT RequestId:") for m in messages)


def test_code_from_s3_and_an_eventbridge_destination(lambda_client, functions, aws_client, sqs, out_queue):
    from lambda_helpers import ROLE
    s3, events = aws_client("s3"), aws_client("events")
    bucket = unique("lambda-code")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="fn.zip",
                  Body=zip_of({"index.py": "def handler(event, context):\n    return {'from': 's3', 'event': event}\n"}))
    name = unique("from-s3")
    lambda_client.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="index.handler",
                                  Code={"S3Bucket": bucket, "S3Key": "fn.zip"})
    functions.names.append(name)
    lambda_client.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1})
    _, payload = invoke(lambda_client, name, {"sync": True})
    assert payload == {"from": "s3", "event": {"sync": True}}
    # a package S3 cannot give: AWS's error names S3's
    with pytest.raises(lambda_client.exceptions.InvalidParameterValueException) as e:
        lambda_client.create_function(FunctionName=unique("no-code"), Runtime="python3.12", Role=ROLE,
                                      Handler="index.handler", Code={"S3Bucket": bucket, "S3Key": "missing.zip"})
    assert e.value.response["Error"]["Message"] == ("Error occurred while GetObject. S3 Error Code: NoSuchKey. "
                                                    "S3 Error Message: The specified key does not exist.")
    # an EventBridge bus as the on-success destination: its rule forwards the record to the queue
    bus_name = unique("results")
    bus = events.create_event_bus(Name=bus_name)["EventBusArn"]
    events.put_rule(Name="lambda-results", EventBusName=bus_name, EventPattern=json.dumps({"source": ["lambda"]}))
    events.put_targets(Rule="lambda-results", EventBusName=bus_name,
                       Targets=[{"Id": "queue", "Arn": queue_arn(sqs, out_queue)}])
    try:
        lambda_client.put_function_event_invoke_config(FunctionName=name,
                                                       DestinationConfig={"OnSuccess": {"Destination": bus}})
        assert lambda_client.invoke(FunctionName=name, InvocationType="Event",
                                    Payload=b'{"async": 1}')["StatusCode"] == 202
        [event] = wait_for_messages(sqs, out_queue, 1)
        assert event["source"] == "lambda" and event["detail-type"] == "Lambda Function Invocation Result - Success"
        assert event["detail"]["requestPayload"] == {"async": 1}
        assert event["detail"]["responsePayload"] == {"from": "s3", "event": {"async": 1}}
    finally:
        events.remove_targets(Rule="lambda-results", EventBusName=bus_name, Ids=["queue"])
        events.delete_rule(Name="lambda-results", EventBusName=bus_name)
        events.delete_event_bus(Name=bus_name)
        s3.delete_object(Bucket=bucket, Key="fn.zip")
        s3.delete_bucket(Bucket=bucket)
