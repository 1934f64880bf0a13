"""CloudFormation served by LocalStack's own engine under GraalPy (kind ``localstack``), driven with boto3.

LocalStack's resource providers create the resources through its internal clients (``connect_to``), which reach
this gateway's native SQS, SNS, S3, DynamoDB, Lambda, IAM and SSM providers; the tests check those resources with
boto3 directly. Needs LocalStack's source (POLYSTACK_LOCALSTACK_SRC, see tests/localstack_tier.py); skipped without it.
"""
import json
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from helpers import unique
from lambda_helpers import zip_of
from localstack_tier import localstack_server, needs_localstack

pytestmark = needs_localstack

SLOW = Config(retries={"max_attempts": 1}, read_timeout=300)
FUNCTION_CODE = "def handler(event, context):\n    return {'ok': True}\n"


@pytest.fixture(scope="module")
def server():
    yield from localstack_server("cloudformation")


@pytest.fixture(scope="module")
def client(server):
    return lambda service: server.client(service, config=SLOW)


@pytest.fixture(scope="module")
def cfn(client):
    return client("cloudformation")


def wait_for(cfn, stack, timeout=300):
    """The stack once no longer IN_PROGRESS (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        described = cfn.describe_stacks(StackName=stack)["Stacks"][0]
        if not described["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            return described
        time.sleep(0.2)


def failures(cfn, stack):
    return [(e["LogicalResourceId"], e.get("ResourceStatusReason")) for e in
            cfn.describe_stack_events(StackName=stack)["StackEvents"] if e["ResourceStatus"].endswith("_FAILED")]


def outputs(stack):
    return {o["OutputKey"]: o for o in stack.get("Outputs", [])}


def app_template(suffix):
    """Queue, topic + subscription, queue policy, bucket notifying the queue, table, role and function; a parameter
    of SSM type, a mapping, conditions, intrinsic functions and exports."""
    return {
        "Parameters": {
            "Env": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": f"/cfn/{suffix}/env"},
            "Suffix": {"Type": "String", "Default": suffix},
            "Visibility": {"Type": "Number", "Default": "30"},
        },
        "Mappings": {"Retention": {"prod": {"Seconds": "300"}, "dev": {"Seconds": "60"}}},
        "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                       "IsDev": {"Fn::Equals": [{"Ref": "Env"}, "dev"]}},
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {
                "QueueName": {"Fn::Sub": "cfn-q-${Suffix}"},
                "VisibilityTimeout": {"Ref": "Visibility"},
                "MessageRetentionPeriod": {"Fn::FindInMap": ["Retention", {"Ref": "Env"}, "Seconds"]}}},
            "DevOnlyQueue": {"Type": "AWS::SQS::Queue", "Condition": "IsDev",
                             "Properties": {"QueueName": {"Fn::Sub": "cfn-dev-${Suffix}"}}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {
                "TopicName": {"Fn::Join": ["-", ["cfn", "topic", {"Ref": "Suffix"}]]}}},
            "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {
                "TopicArn": {"Ref": "Topic"}, "Protocol": "sqs", "Endpoint": {"Fn::GetAtt": ["Queue", "Arn"]},
                "RawMessageDelivery": "true"}},
            "QueuePolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
                "Queues": [{"Ref": "Queue"}],
                "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
                                                  "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}}]}}},
            "Bucket": {"Type": "AWS::S3::Bucket", "DependsOn": "QueuePolicy", "Properties": {
                "BucketName": {"Fn::Sub": "cfn-bucket-${Suffix}"},
                "NotificationConfiguration": {"QueueConfigurations": [
                    {"Event": "s3:ObjectCreated:*", "Queue": {"Fn::GetAtt": ["Queue", "Arn"]}}]}}},
            "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {
                "TableName": {"Fn::Sub": "cfn-table-${Suffix}"}, "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}},
            "Role": {"Type": "AWS::IAM::Role", "Properties": {
                "RoleName": {"Fn::Sub": "cfn-role-${Suffix}"},
                "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                            "Principal": {"Service": "lambda.amazonaws.com"}}]}}},
            "Function": {"Type": "AWS::Lambda::Function", "Properties": {
                "FunctionName": {"Fn::Sub": "cfn-fn-${Suffix}"}, "Runtime": "python3.12",
                "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "Code": {"S3Bucket": f"cfn-code-{suffix}", "S3Key": "fn.zip"},
                "Environment": {"Variables": {"TABLE": {"Ref": "Table"}, "REGION": {"Ref": "AWS::Region"}}}}},
        },
        "Outputs": {
            "QueueUrl": {"Value": {"Ref": "Queue"}, "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-queue-url"}}},
            "QueueArn": {"Value": {"Fn::GetAtt": ["Queue", "Arn"]}},
            "TopicArn": {"Value": {"Ref": "Topic"}},
            "Prod": {"Value": {"Fn::If": ["IsProd", "yes", "no"]}},
            "Second": {"Value": {"Fn::Select": [1, {"Fn::Split": [",", "x,y,z"]}]}},
            "FunctionArn": {"Value": {"Fn::GetAtt": ["Function", "Arn"]}},
            "Account": {"Value": {"Fn::Sub": "${AWS::AccountId}/${AWS::Region}"}},
        },
    }


@pytest.fixture(scope="module")
def app(client, cfn):
    """The application stack, created once for the module (its parameter comes from SSM, its code from S3)."""
    suffix = unique("a").lower()[-10:]
    client("ssm").put_parameter(Name=f"/cfn/{suffix}/env", Value="prod", Type="String")
    s3 = client("s3")
    s3.create_bucket(Bucket=f"cfn-code-{suffix}")
    s3.put_object(Bucket=f"cfn-code-{suffix}", Key="fn.zip", Body=zip_of({"index.py": FUNCTION_CODE}))
    name = f"app-{suffix}"
    started = time.monotonic()
    cfn.create_stack(StackName=name, TemplateBody=json.dumps(app_template(suffix)),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    stack = wait_for(cfn, name)
    print(f"app stack ({len(app_template(suffix)['Resources']) - 1} resources): {stack['StackStatus']} "
          f"after {time.monotonic() - started:.1f} s")
    assert stack["StackStatus"] == "CREATE_COMPLETE", failures(cfn, name)
    return {"name": name, "suffix": suffix, "stack": stack}


def test_outputs_resolve_parameters_mappings_conditions_and_intrinsics(app):
    out = outputs(app["stack"])
    suffix = app["suffix"]
    assert out["QueueUrl"]["OutputValue"].endswith(f"/000000000000/cfn-q-{suffix}")
    assert out["QueueUrl"]["ExportName"] == f"{app['name']}-queue-url"
    assert out["QueueArn"]["OutputValue"] == f"arn:aws:sqs:us-east-1:000000000000:cfn-q-{suffix}"
    assert out["TopicArn"]["OutputValue"] == f"arn:aws:sns:us-east-1:000000000000:cfn-topic-{suffix}"
    assert out["Prod"]["OutputValue"] == "yes"
    assert out["Second"]["OutputValue"] == "y"
    assert out["FunctionArn"]["OutputValue"] == f"arn:aws:lambda:us-east-1:000000000000:function:cfn-fn-{suffix}"
    assert out["Account"]["OutputValue"] == "000000000000/us-east-1"
    params = {p["ParameterKey"]: p for p in app["stack"]["Parameters"]}
    assert params["Env"]["ParameterValue"] == f"/cfn/{suffix}/env"
    assert params["Env"]["ResolvedValue"] == "prod"


def test_resources_exist_in_the_native_services(client, cfn, app):
    suffix = app["suffix"]
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=f"cfn-q-{suffix}")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["MessageRetentionPeriod"] == "300"  # the mapping's value for Env=prod
    assert attributes["VisibilityTimeout"] == "30"
    assert "sqs:SendMessage" in attributes["Policy"]
    with pytest.raises(ClientError) as error:  # the condition IsDev is false
        sqs.get_queue_url(QueueName=f"cfn-dev-{suffix}")
    assert "NonExistentQueue" in error.value.response["Error"]["Code"]

    topic = outputs(app["stack"])["TopicArn"]["OutputValue"]
    subscriptions = client("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [s["Endpoint"] for s in subscriptions] == [f"arn:aws:sqs:us-east-1:000000000000:cfn-q-{suffix}"]

    notification = client("s3").get_bucket_notification_configuration(Bucket=f"cfn-bucket-{suffix}")
    assert notification["QueueConfigurations"][0]["QueueArn"].endswith(f":cfn-q-{suffix}")

    table = client("dynamodb").describe_table(TableName=f"cfn-table-{suffix}")["Table"]
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]

    role = client("iam").get_role(RoleName=f"cfn-role-{suffix}")["Role"]
    function = client("lambda").get_function(FunctionName=f"cfn-fn-{suffix}")["Configuration"]
    assert function["Role"] == role["Arn"]
    assert function["Environment"]["Variables"] == {"TABLE": f"cfn-table-{suffix}", "REGION": "us-east-1"}

    logical = {r["LogicalResourceId"]: r for r in cfn.describe_stack_resources(StackName=app["name"])["StackResources"]}
    assert set(logical) == {"Queue", "Topic", "Subscription", "QueuePolicy", "Bucket", "Table", "Role", "Function"}
    assert all(r["ResourceStatus"] == "CREATE_COMPLETE" for r in logical.values())
    assert logical["Table"]["PhysicalResourceId"] == f"cfn-table-{suffix}"


def test_the_wiring_works_end_to_end(client, app):
    """What the stack wired: an object put in the bucket and a message published to the topic reach the queue."""
    suffix = app["suffix"]
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName=f"cfn-q-{suffix}")["QueueUrl"]
    client("s3").put_object(Bucket=f"cfn-bucket-{suffix}", Key="hello.txt", Body=b"hi")
    client("sns").publish(TopicArn=outputs(app["stack"])["TopicArn"]["OutputValue"], Message="from-sns")
    bodies = []
    deadline = time.monotonic() + 60
    while len(bodies) < 2 and time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", []):
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert "from-sns" in bodies
    assert any("hello.txt" in body and "ObjectCreated" in body for body in bodies), bodies
    client("s3").delete_object(Bucket=f"cfn-bucket-{suffix}", Key="hello.txt")


def test_exports_are_imported_by_another_stack(client, cfn, app):
    consumer = unique("consumer")
    template = {"Resources": {"Copy": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Name": f"/cfn/{app['suffix']}/imported", "Type": "String",
        "Value": {"Fn::ImportValue": f"{app['name']}-queue-url"}}}}}
    cfn.create_stack(StackName=consumer, TemplateBody=json.dumps(template))
    assert wait_for(cfn, consumer)["StackStatus"] == "CREATE_COMPLETE", failures(cfn, consumer)
    value = client("ssm").get_parameter(Name=f"/cfn/{app['suffix']}/imported")["Parameter"]["Value"]
    assert value == outputs(app["stack"])["QueueUrl"]["OutputValue"]
    exports = {e["Name"]: e for e in cfn.list_exports()["Exports"]}
    assert exports[f"{app['name']}-queue-url"]["Value"] == value
    assert cfn.list_imports(ExportName=f"{app['name']}-queue-url")["Imports"] == [consumer]
    cfn.delete_stack(StackName=consumer)
    assert wait_for(cfn, consumer_id(cfn, consumer))["StackStatus"] == "DELETE_COMPLETE"
    with pytest.raises(ClientError):
        client("ssm").get_parameter(Name=f"/cfn/{app['suffix']}/imported")


def consumer_id(cfn, name):
    """Deleted stacks are found by id only; the id is looked up while the name still resolves."""
    for summary in cfn.list_stacks()["StackSummaries"]:
        if summary["StackName"] == name:
            return summary["StackId"]
    raise AssertionError(f"no stack {name}")


def test_change_set_then_update_changes_the_resources(client, cfn, app):
    name, suffix = app["name"], app["suffix"]
    template = app_template(suffix)
    template["Resources"]["Extra"] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": f"cfn-extra-{suffix}"}}
    change_set = cfn.create_change_set(StackName=name, ChangeSetName="add-extra", TemplateBody=json.dumps(template),
                                       Capabilities=["CAPABILITY_NAMED_IAM"],
                                       Parameters=[{"ParameterKey": "Visibility", "ParameterValue": "45"}])
    deadline = time.monotonic() + 120
    while True:
        described = cfn.describe_change_set(ChangeSetName=change_set["Id"])
        if not described["Status"].endswith("_IN_PROGRESS") and described["Status"] != "CREATE_PENDING":
            break
        assert time.monotonic() < deadline, described
        time.sleep(0.2)
    assert described["Status"] == "CREATE_COMPLETE", described
    changes = {c["ResourceChange"]["LogicalResourceId"]: c["ResourceChange"]["Action"] for c in described["Changes"]}
    assert changes["Extra"] == "Add"
    assert changes["Queue"] == "Modify"
    assert client("sns").list_topics()["Topics"] and not [
        t for t in client("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":cfn-extra-{suffix}")]

    cfn.execute_change_set(ChangeSetName=change_set["Id"])
    stack = wait_for(cfn, name)
    assert stack["StackStatus"] == "UPDATE_COMPLETE", failures(cfn, name)
    assert [t for t in client("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":cfn-extra-{suffix}")]
    url = client("sqs").get_queue_url(QueueName=f"cfn-q-{suffix}")["QueueUrl"]
    assert client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])[
        "Attributes"]["VisibilityTimeout"] == "45"

    # A plain UpdateStack back to the original template removes the extra topic again.
    cfn.update_stack(StackName=name, TemplateBody=json.dumps(app_template(suffix)), Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": "Visibility", "ParameterValue": "45"}])
    assert wait_for(cfn, name)["StackStatus"] == "UPDATE_COMPLETE", failures(cfn, name)
    assert not [t for t in client("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":cfn-extra-{suffix}")]


def test_errors_are_aws_errors_and_the_next_call_works(cfn):
    with pytest.raises(ClientError) as error:
        cfn.describe_stacks(StackName="no-such-stack")
    assert error.value.response["Error"]["Code"] == "ValidationError"
    assert error.value.response["Error"]["Message"] == "Stack with id no-such-stack does not exist"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as error:
        cfn.create_stack(StackName=unique("bad"), TemplateBody="{not json or yaml: [")
    assert error.value.response["Error"]["Code"] == "ValidationError"
    assert isinstance(cfn.list_stacks()["StackSummaries"], list)


def test_delete_removes_every_resource(client, cfn, app):
    name, suffix = app["name"], app["suffix"]
    stack_id = app["stack"]["StackId"]
    cfn.delete_stack(StackName=name)
    assert wait_for(cfn, stack_id)["StackStatus"] == "DELETE_COMPLETE", failures(cfn, stack_id)
    with pytest.raises(ClientError) as error:
        cfn.describe_stacks(StackName=name)
    assert error.value.response["Error"]["Code"] == "ValidationError"
    checks = [
        lambda: client("sqs").get_queue_url(QueueName=f"cfn-q-{suffix}"),
        lambda: client("dynamodb").describe_table(TableName=f"cfn-table-{suffix}"),
        lambda: client("s3").head_bucket(Bucket=f"cfn-bucket-{suffix}"),
        lambda: client("iam").get_role(RoleName=f"cfn-role-{suffix}"),
        lambda: client("lambda").get_function(FunctionName=f"cfn-fn-{suffix}"),
        lambda: client("sns").get_topic_attributes(
            TopicArn=f"arn:aws:sns:us-east-1:000000000000:cfn-topic-{suffix}"),
    ]
    for check in checks:
        with pytest.raises(ClientError):
            check()
