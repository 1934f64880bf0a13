"""Every protocol family, end to end through real clients (boto3 and the AWS CLI).

The services below have no native provider; the module's server serves them with the test-only ``echo``
provider kind (protocol/src/test/java/.../echo: on the class path through POLYSTACK_EXTRA_CLASSPATH, chosen
with PROVIDER_OVERRIDE_<SERVICE>=echo). It answers each operation with the request's own members poured into
the output shape, driven by the service model. So what a client reads back proves both directions: the
gateway parsed the client's request into the right tree (names, lists, maps, timestamps, blobs, labels,
headers) and serialized it back in the protocol the client understands.

| family                | service (botocore protocol)             |
|-----------------------|-----------------------------------------|
| query                 | rds, redshift                           |
| ec2                   | ec2                                     |
| json 1.0              | dynamodb                                |
| json 1.1              | fms                                     |
| rest-json             | lambda                                  |
| rest-xml              | route53                                 |
| smithy-rpc-v2-cbor    | gamelift, cloudwatch                    |
"""
import json
from datetime import datetime, timezone

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ROOT, AwsCliError, Server

ECHO_SERVICES = ("rds", "redshift", "ec2", "dynamodb", "fms", "lambda", "route53", "gamelift", "cloudwatch")
NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})
T1 = datetime(2031, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
T2 = datetime(2032, 12, 30, 23, 59, 58, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def server():
    test_classes = ROOT / "protocol" / "target" / "test-classes"
    assert (test_classes / "dev/polystack/protocol/echo/EchoProviderFactory.class").exists(), \
        "build first: ./mvnw -q -o package -DskipTests compiles the echo provider into protocol/target/test-classes"
    env = {"POLYSTACK_EXTRA_CLASSPATH": str(test_classes)}
    for service in ECHO_SERVICES:
        env[f"PROVIDER_OVERRIDE_{service.upper()}"] = "echo"
    srv = Server(env=env)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        srv.cleanup()


@pytest.fixture(scope="module")
def client(server):
    def make(service, **kwargs):
        kwargs.setdefault("config", NO_RETRY)
        return server.client(service, **kwargs)
    return make


@pytest.fixture(scope="module")
def cli(server, tmp_path_factory):
    """The AWS CLI (v1 on this machine) against the module's server; parsed JSON output."""
    import os
    import subprocess
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_PAGER="", AWS_MAX_ATTEMPTS="1")
    env.pop("AWS_PROFILE", None)

    def run(*args):
        cmd = ["aws", "--endpoint-url", server.endpoint_url, "--output", "json", *map(str, args)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise AwsCliError(done.returncode, done.stderr)
        return json.loads(done.stdout) if done.stdout.strip() else {}
    return run


def test_echo_provider_serves_the_overridden_services(server):
    import requests
    states = requests.get(server.endpoint_url + "/_localstack/health", timeout=10).json()["services"]
    # "available" until a service's first request creates its provider, "running" after.
    assert all(states.get(s) in ("available", "running") for s in ECHO_SERVICES), states


# --- query ----------------------------------------------------------------------------------------------

def test_query_lists_maps_and_nested_structures(client):
    out = client("rds").create_integration(
        SourceArn="arn:aws:rds:us-east-1:000000000000:cluster:src", TargetArn="arn:aws:redshift:us-east-1:000000000000:namespace:t",
        IntegrationName="echo", AdditionalEncryptionContext={"team": "a b&c", "ünï": "côdé"},
        Tags=[{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": ""}], Description="multi\nline <xml> & more")
    assert out["IntegrationName"] == "echo"
    assert out["SourceArn"] == "arn:aws:rds:us-east-1:000000000000:cluster:src"
    assert out["AdditionalEncryptionContext"] == {"team": "a b&c", "ünï": "côdé"}
    assert out["Tags"] == [{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": ""}]
    assert out["Description"] == "multi\nline <xml> & more"


def test_query_timestamps_booleans_and_structures(client):
    out = client("redshift").create_scheduled_action(
        ScheduledActionName="nightly", Schedule="cron(0 1 * * ? *)", IamRole="arn:aws:iam::000000000000:role/r",
        TargetAction={"ResizeCluster": {"ClusterIdentifier": "c1", "NumberOfNodes": 4, "Classic": True}},
        StartTime=T1, EndTime=T2, Enable=False)
    assert out["ScheduledActionName"] == "nightly"
    assert out["TargetAction"] == {"ResizeCluster": {"ClusterIdentifier": "c1", "NumberOfNodes": 4, "Classic": True}}
    assert (out["StartTime"], out["EndTime"]) == (T1, T2)


def test_query_with_the_cli(cli):
    out = cli("rds", "create-integration", "--source-arn", "arn:aws:rds:us-east-1:000000000000:cluster:src",
              "--target-arn", "arn:aws:redshift:us-east-1:000000000000:namespace:t", "--integration-name", "cli-echo",
              "--additional-encryption-context", "k1=v1,k2=v2", "--tags", "Key=a,Value=1", "Key=b,Value=2")
    assert out["IntegrationName"] == "cli-echo"
    assert out["AdditionalEncryptionContext"] == {"k1": "v1", "k2": "v2"}
    assert out["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]


# --- ec2 ------------------------------------------------------------------------------------------------

def test_ec2_lists_timestamps_and_structures(client):
    out = client("ec2").request_spot_instances(
        SpotPrice="0.05", InstanceCount=2, Type="persistent", ValidFrom=T1, ValidUntil=T2,
        LaunchSpecification={
            "ImageId": "ami-12345678", "InstanceType": "t3.micro", "SecurityGroups": ["sg-a", "sg-b"],
            "BlockDeviceMappings": [{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "DeleteOnTermination": True}}],
            "Monitoring": {"Enabled": True}})
    [request] = out["SpotInstanceRequests"]
    assert (request["SpotPrice"], request["Type"]) == ("0.05", "persistent")
    assert (request["ValidFrom"], request["ValidUntil"]) == (T1, T2)
    spec = request["LaunchSpecification"]
    assert (spec["ImageId"], spec["InstanceType"]) == ("ami-12345678", "t3.micro")
    assert spec["BlockDeviceMappings"] == [
        {"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "DeleteOnTermination": True}}]
    assert spec["Monitoring"] == {"Enabled": True}


def test_ec2_with_the_cli(cli):
    out = cli("ec2", "request-spot-instances", "--spot-price", "0.10", "--type", "one-time",
              "--valid-until", "2031-02-03T04:05:06Z",
              "--launch-specification", json.dumps({"ImageId": "ami-cli", "InstanceType": "m5.large"}))
    [request] = out["SpotInstanceRequests"]
    assert (request["SpotPrice"], request["Type"]) == ("0.10", "one-time")
    assert request["LaunchSpecification"] == {"ImageId": "ami-cli", "InstanceType": "m5.large"}
    assert datetime.fromisoformat(request["ValidUntil"].replace("Z", "+00:00")) == T1


# --- json 1.0 -------------------------------------------------------------------------------------------

def test_json10_timestamps_and_nested_lists(client):
    ddb = client("dynamodb")
    out = ddb.export_table_to_point_in_time(TableArn="arn:aws:dynamodb:us-east-1:000000000000:table/t",
                                            ExportTime=T1, S3Bucket="bucket", ExportFormat="ION")
    export = out["ExportDescription"]
    assert (export["TableArn"], export["ExportTime"], export["S3Bucket"], export["ExportFormat"]) == \
        ("arn:aws:dynamodb:us-east-1:000000000000:table/t", T1, "bucket", "ION")
    table = ddb.create_table(
        TableName="t", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "n", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x", "y"]}}],
    )["TableDescription"]
    assert table["TableName"] == "t"
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}]
    assert table["GlobalSecondaryIndexes"][0]["Projection"]["NonKeyAttributes"] == ["x", "y"]


def test_json10_with_the_cli(cli):
    out = cli("dynamodb", "export-table-to-point-in-time", "--table-arn", "arn:cli", "--s3-bucket", "b",
              "--export-time", "2032-12-30T23:59:58Z")
    export = out["ExportDescription"]
    assert (export["TableArn"], export["S3Bucket"]) == ("arn:cli", "b")
    # CLI v1 prints timestamps as they came on the wire: json's are epoch seconds.
    assert export["ExportTime"] == T2.timestamp()


# --- json 1.1 -------------------------------------------------------------------------------------------

APPS = [{"AppName": "web", "Protocol": "tcp", "Port": 443}, {"AppName": "dns", "Protocol": "udp", "Port": 53}]


def test_json11_maps_of_lists_timestamps_and_longs(client):
    out = client("fms").put_apps_list(AppsList={
        "ListName": "apps", "AppsList": APPS, "CreateTime": T1, "LastUpdateTime": T2,
        "PreviousAppsList": {"v1": APPS[:1], "v0": []}})
    apps = out["AppsList"]
    assert apps["ListName"] == "apps"
    assert apps["AppsList"] == APPS
    assert apps["PreviousAppsList"] == {"v1": APPS[:1], "v0": []}
    assert (apps["CreateTime"], apps["LastUpdateTime"]) == (T1, T2)


def test_json11_with_the_cli(cli):
    out = cli("fms", "put-apps-list", "--apps-list", json.dumps({"ListName": "cli", "AppsList": APPS}))
    assert out["AppsList"] == {"ListName": "cli", "AppsList": APPS}


# --- rest-json ------------------------------------------------------------------------------------------

def test_rest_json_blob_payload_label_and_query(client):
    payload = bytes(range(256)) + b'{"not": "json"'
    out = client("lambda").invoke(FunctionName="my-function", Payload=payload, Qualifier="v1")
    assert out["StatusCode"] == 200
    assert out["Payload"].read() == payload
    # The label (and nothing else: Qualifier is no member of the output) comes back in the JSON body.
    config = client("lambda").get_function_configuration(FunctionName="arn:aws:lambda:us-east-1:000000000000:function:f",
                                                         Qualifier="$LATEST")
    assert config["FunctionName"] == "arn:aws:lambda:us-east-1:000000000000:function:f"
    assert "Qualifier" not in config


def test_rest_json_body_maps_lists_timestamps_and_status(client):
    out = client("lambda").create_event_source_mapping(
        FunctionName="f", EventSourceArn="arn:aws:kinesis:us-east-1:000000000000:stream/s", BatchSize=7,
        StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=T1, Tags={"a": "1", "b": "2"},
        FunctionResponseTypes=["ReportBatchItemFailures"],
        FilterCriteria={"Filters": [{"Pattern": '{"k": ["v"]}'}]})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 202  # the operation's modelled status
    assert (out["EventSourceArn"], out["BatchSize"], out["StartingPositionTimestamp"]) == \
        ("arn:aws:kinesis:us-east-1:000000000000:stream/s", 7, T1)
    assert out["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert out["FilterCriteria"] == {"Filters": [{"Pattern": '{"k": ["v"]}'}]}


def test_rest_json_with_the_cli(cli, tmp_path):
    payload = tmp_path / "payload.bin"
    payload.write_bytes(b"\x00\x01binary\xff")
    result = tmp_path / "out.bin"
    out = cli("lambda", "invoke", "--function-name", "cli-fn", "--payload", f"fileb://{payload}", str(result))
    assert out["StatusCode"] == 200
    assert result.read_bytes() == b"\x00\x01binary\xff"


# --- rest-xml -------------------------------------------------------------------------------------------

def test_rest_xml_body_lists_and_status(client):
    config = {"Type": "HTTPS", "FullyQualifiedDomainName": "example.com", "Port": 443, "ResourcePath": "/health?a=1&b=2",
              "RequestInterval": 30, "FailureThreshold": 3, "Regions": ["us-east-1", "eu-west-1", "ap-southeast-2"],
              "Inverted": False, "EnableSNI": True}
    out = client("route53").create_health_check(CallerReference="ref-1", HealthCheckConfig=config)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert out["HealthCheck"]["CallerReference"] == "ref-1"
    assert out["HealthCheck"]["HealthCheckConfig"] == config


def test_rest_xml_labels_come_back_in_the_body(client):
    out = client("route53").list_tags_for_resource(ResourceType="healthcheck", ResourceId="id with spaces/ü")
    assert out["ResourceTagSet"] == {"ResourceType": "healthcheck", "ResourceId": "id with spaces/ü"}


def test_rest_xml_with_the_cli(cli):
    config = {"Type": "TCP", "IPAddress": "10.0.0.1", "Port": 22, "ChildHealthChecks": ["a", "b"]}
    out = cli("route53", "create-health-check", "--caller-reference", "cli-ref", "--health-check-config",
              json.dumps(config))
    assert out["HealthCheck"] == {"CallerReference": "cli-ref", "HealthCheckConfig": config}


# --- smithy-rpc-v2-cbor ---------------------------------------------------------------------------------

def test_cbor_is_what_the_clients_speak():
    session = boto3.session.Session()
    for service in ("gamelift", "cloudwatch"):
        assert session.client(service, region_name="us-east-1")._service_model.protocol == "smithy-rpc-v2-cbor"


def test_cbor_lists_maps_and_doubles(client):
    players = [{"PlayerId": "p1", "Team": "red", "LatencyInMs": {"us-east-1": 20, "eu-west-1": 95},
                "PlayerAttributes": {"skill": {"N": 23.5}, "name": {"S": "ann"}, "modes": {"SL": ["a", "b"]},
                                     "ranks": {"SDM": {"x": 1.25, "y": -2.0}}}}]
    out = client("gamelift").start_matchmaking(ConfigurationName="cfg", TicketId="t-1", Players=players)
    ticket = out["MatchmakingTicket"]
    assert (ticket["TicketId"], ticket["ConfigurationName"]) == ("t-1", "cfg")
    assert ticket["Players"] == players


def test_cbor_list_of_structures_filled_from_the_request(client):
    out = client("cloudwatch").describe_alarms_for_metric(
        MetricName="CPUUtilization", Namespace="AWS/EC2", Statistic="Average", Period=60,
        Dimensions=[{"Name": "InstanceId", "Value": "i-1"}, {"Name": "AutoScalingGroupName", "Value": "g"}])
    [alarm] = out["MetricAlarms"]
    assert (alarm["MetricName"], alarm["Namespace"], alarm["Statistic"], alarm["Period"]) == \
        ("CPUUtilization", "AWS/EC2", "Average", 60)
    assert alarm["Dimensions"] == [{"Name": "InstanceId", "Value": "i-1"}, {"Name": "AutoScalingGroupName", "Value": "g"}]


def test_cbor_with_the_cli(cli):
    out = cli("gamelift", "start-matchmaking", "--configuration-name", "cli-cfg", "--ticket-id", "t-cli",
              "--players", json.dumps([{"PlayerId": "p", "LatencyInMs": {"r": 5}}]))
    assert out["MatchmakingTicket"] == {"TicketId": "t-cli", "ConfigurationName": "cli-cfg",
                                        "Players": [{"PlayerId": "p", "LatencyInMs": {"r": 5}}]}


# --- errors, in each protocol's shape ---------------------------------------------------------------------

def _modelled(service, operation, code):
    """(wire code, status) the model gives the operation's error shape ``code``."""
    model = boto3.session.Session().client(service, region_name="us-east-1")._service_model
    [shape] = [s for s in model.operation_model(operation).error_shapes if s.name == code]
    error = shape.metadata.get("error", {})
    return error.get("code", code), error.get("httpStatusCode", 400)


@pytest.mark.parametrize("service,operation,call,code", [
    ("rds", "CreateIntegration", lambda c, e: c.create_integration(SourceArn="arn:aws:rds:us-east-1:000000000000:cluster:src", TargetArn="arn:aws:redshift:us-east-1:000000000000:namespace:t", IntegrationName=e),
     "IntegrationAlreadyExistsFault"),
    ("ec2", "RequestSpotInstances", lambda c, e: c.request_spot_instances(SpotPrice=e), None),
    ("dynamodb", "CreateTable", lambda c, e: c.create_table(
        TableName=e, BillingMode="PAY_PER_REQUEST", AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}]), "ResourceInUseException"),
    ("fms", "GetAppsList", lambda c, e: c.get_apps_list(ListId=e), "ResourceNotFoundException"),
    ("lambda", "GetFunctionConfiguration", lambda c, e: c.get_function_configuration(FunctionName=e),
     "ResourceNotFoundException"),
    ("route53", "CreateHealthCheck", lambda c, e: c.create_health_check(
        CallerReference=e, HealthCheckConfig={"Type": "TCP", "IPAddress": "10.0.0.1", "Port": 1}), "HealthCheckAlreadyExists"),
    ("gamelift", "StartMatchmaking", lambda c, e: c.start_matchmaking(ConfigurationName=e, Players=[]),
     "NotFoundException"),
])
def test_modelled_errors_reach_the_client(client, service, operation, call, code):
    if code is None:  # EC2 models no errors: its codes are AWS's, status 400
        wire, status, code = "InvalidParameterValue", 400, "InvalidParameterValue"
    else:
        wire, status = _modelled(service, operation, code)
    with pytest.raises(ClientError) as e:
        call(client(service), f"echo-error:{code}")
    assert e.value.response["Error"]["Code"] == wire
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert "echoed error" in e.value.response["Error"]["Message"]
