"""Step Functions served by LocalStack's own provider under GraalPy (kind ``localstack``), driven with boto3.

Needs LocalStack's source (POLYSTACK_LOCALSTACK_SRC, see tests/localstack_tier.py); skipped without it.

One server for the module (or the one at $ENDPOINT_URL, started with vendor/localstack): LocalStack's provider is imported once (the slow part, in the background with
EAGER_SERVICE_LOADING=1), then the state machines run against the native Lambda, SQS, SNS and DynamoDB
providers, which LocalStack's service integrations reach through its internal clients (``connect_to``).
"""
import json
import time

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from localstack_tier import localstack_server, needs_localstack
from helpers import unique
from lambda_helpers import zip_of

ROLE = "arn:aws:iam::000000000000:role/sfn-role"
# StartSyncExecution's endpoint has the host prefix "sync-": clients of a local endpoint must not add it.
SLOW = Config(retries={"max_attempts": 1}, read_timeout=300, inject_host_prefix=False)

pytestmark = needs_localstack


@pytest.fixture(scope="module")
def server():
    yield from localstack_server("stepfunctions")


@pytest.fixture(scope="module")
def sfn(server):
    return server.client("stepfunctions", config=SLOW)


def create_machine(sfn, definition, kind="STANDARD"):
    arn = sfn.create_state_machine(name=unique("sm"), definition=json.dumps(definition), roleArn=ROLE,
                                   type=kind)["stateMachineArn"]
    return arn


def run(sfn, arn, payload, timeout=240):
    """Starts an execution and waits (bounded) until it ends."""
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    deadline = time.monotonic() + timeout
    while True:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return described
        time.sleep(0.2)


def test_health_names_the_localstack_provider(server):
    services = requests.get(server.endpoint_url + "/_localstack/health", timeout=30).json()["services"]
    assert services["stepfunctions"] == "running"


def test_integrations_map_parallel_choice(server, sfn):
    """Lambda, SQS, SNS and DynamoDB tasks, Map, Parallel, Choice, Wait and Pass in one execution."""
    lam = server.client("lambda")
    sqs = server.client("sqs")
    sns = server.client("sns")
    ddb = server.client("dynamodb")
    fn = unique("sfn-fn")
    lam.create_function(FunctionName=fn, Runtime="python3.12", Role=ROLE, Handler="index.handler",
                        Code={"ZipFile": zip_of({"index.py": "def handler(event, context):\n"
                                                             "    return {'doubled': event['n'] * 2}\n"})})
    lam.get_waiter("function_active_v2").wait(FunctionName=fn, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    queue_url = sqs.create_queue(QueueName=unique("sfn-q"))["QueueUrl"]
    topic_arn = sns.create_topic(Name=unique("sfn-t"))["TopicArn"]
    topic_queue = sqs.create_queue(QueueName=unique("sfn-tq"))["QueueUrl"]
    topic_queue_arn = sqs.get_queue_attributes(QueueUrl=topic_queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=topic_queue_arn, Attributes={"RawMessageDelivery": "true"})
    table = unique("sfn-table")
    ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")

    definition = {
        "StartAt": "Double",
        "States": {
            "Double": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                       "Parameters": {"FunctionName": fn, "Payload": {"n.$": "$.n"}},
                       "ResultSelector": {"doubled.$": "$.Payload.doubled"}, "ResultPath": "$.lambda", "Next": "Fan"},
            "Fan": {"Type": "Parallel", "ResultPath": "$.parallel", "Next": "EachItem", "Branches": [
                {"StartAt": "Send", "States": {"Send": {
                    "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                    "Parameters": {"QueueUrl": queue_url, "MessageBody.$": "States.Format('n={}', $.n)"},
                    "ResultSelector": {"sent.$": "$.MessageId"}, "End": True}}},
                {"StartAt": "Publish", "States": {"Publish": {
                    "Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                    "Parameters": {"TopicArn": topic_arn, "Message": "from step functions"},
                    "ResultSelector": {"published.$": "$.MessageId"}, "End": True}}},
                {"StartAt": "Put", "States": {
                    "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                            "Parameters": {"TableName": table, "Item": {"id": {"S": "k1"}, "n": {"N.$": "States.Format('{}', $.n)"}}},
                            "ResultPath": None, "Next": "Get"},
                    "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                            "Parameters": {"TableName": table, "Key": {"id": {"S": "k1"}}},
                            "ResultSelector": {"stored.$": "$.Item.n.N"}, "End": True}}},
            ]},
            "EachItem": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.mapped", "Next": "Big?",
                         "ItemProcessor": {"StartAt": "Square", "States": {
                             "Square": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, 100)"}, "End": True}}}},
            "Big?": {"Type": "Choice", "Default": "Small",
                     "Choices": [{"Variable": "$.lambda.doubled", "NumericGreaterThan": 10, "Next": "Pause"}]},
            "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "doubled value too small"},
            "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
            "Done": {"Type": "Pass", "End": True},
        },
    }
    arn = create_machine(sfn, definition)
    result = run(sfn, arn, {"n": 21, "items": [1, 2, 3]})
    assert result["status"] == "SUCCEEDED", sfn.get_execution_history(executionArn=result["executionArn"])
    output = json.loads(result["output"])
    assert output["lambda"] == {"doubled": 42}
    sent, published, stored = output["parallel"]
    assert sent["sent"] and published["published"]
    assert stored == {"stored": "21"}
    assert output["mapped"] == [{"v": 101}, {"v": 102}, {"v": 103}]

    # The native services really got the calls.
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5)["Messages"]
    assert messages[0]["Body"] == "n=21"
    delivered = sqs.receive_message(QueueUrl=topic_queue, WaitTimeSeconds=5)["Messages"]
    assert delivered[0]["Body"] == "from step functions"
    assert ddb.get_item(TableName=table, Key={"id": {"S": "k1"}})["Item"]["n"] == {"N": "21"}

    # The same machine takes the Choice's other branch and ends in the Fail state.
    failed = run(sfn, arn, {"n": 2, "items": []})
    assert failed["status"] == "FAILED"
    assert failed["error"] == "TooSmall" and failed["cause"] == "doubled value too small"
    history = sfn.get_execution_history(executionArn=failed["executionArn"])["events"]
    assert history[0]["type"] == "ExecutionStarted" and history[-1]["type"] == "ExecutionFailed"


def test_jsonata_state_machine(sfn):
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Compute",
        "States": {
            "Compute": {"Type": "Pass", "Output": {"total": "{% $sum($states.input.values) %}",
                                                    "upper": "{% $uppercase($states.input.name) %}"}, "End": True},
        },
    }
    arn = create_machine(sfn, definition)
    result = run(sfn, arn, {"values": [1, 2, 3.5], "name": "poly"})
    assert result["status"] == "SUCCEEDED", sfn.get_execution_history(executionArn=result["executionArn"])
    assert json.loads(result["output"]) == {"total": 6.5, "upper": "POLY"}


def test_express_sync_execution(sfn):
    definition = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"ok": True}, "Next": "B"},
                                             "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}}
    arn = create_machine(sfn, definition, kind="EXPRESS")
    answer = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert answer["status"] == "SUCCEEDED"
    assert json.loads(answer["output"]) == {"ok": True}


def test_provider_error_is_an_aws_error_and_next_call_works(sfn):
    missing = "arn:aws:states:us-east-1:000000000000:stateMachine:" + unique("missing")
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine(stateMachineArn=missing)
    error = caught.value.response
    assert error["Error"]["Code"] == "StateMachineDoesNotExist"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as invalid:
        sfn.create_state_machine(name=unique("bad"), definition="{not json", roleArn=ROLE)
    assert invalid.value.response["Error"]["Code"] == "InvalidDefinition"
    # the provider still answers
    assert "stateMachines" in sfn.list_state_machines()


def test_activity_round_trip(sfn):
    activity = sfn.create_activity(name=unique("act"))["activityArn"]
    assert any(a["activityArn"] == activity for a in sfn.list_activities()["activities"])
    sfn.delete_activity(activityArn=activity)
