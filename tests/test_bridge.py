"""GraalPy bridge, end to end: Python-hosted services behind the gateway, driven with boto3.

One server for the whole module (GraalPy imports are the slow part, so Python starts once):
- sqs is served by kind ``python``: tests/python_providers/polystack_test_provider.py, a small provider
  written to LocalStack's convention (snake_case methods, botocore-shaped params, ServiceException);
- ses, route53 and secretsmanager have no native provider and are served by moto, in process.
Moto-hosted SQS runs the whole SQS module: see README ("Python-hosted services").
"""
import os
import time
from pathlib import Path

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import Server

PROVIDERS = Path(__file__).resolve().parent / "python_providers"
MOTO_SERVICES = ("ses", "route53", "secretsmanager")
READY_TIMEOUT = float(os.environ.get("POLYSTACK_TEST_PYTHON_READY_TIMEOUT", "900"))
NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})


def wait_until_started(server, services, timeout=READY_TIMEOUT):
    """Python services wanted at start load in the background; wait (bounded) until none is starting."""
    deadline = time.monotonic() + timeout
    states = {}
    while time.monotonic() < deadline:
        states = requests.get(server.endpoint_url + "/_localstack/health", timeout=10).json()["services"]
        if all(states.get(s) not in ("starting", "available", None) for s in services):
            return states
        time.sleep(1)
    raise AssertionError(f"Python-hosted services still starting after {timeout}s: {states}\n{server.log_tail()}")


@pytest.fixture(scope="module")
def server():
    # No EAGER_SERVICE_LOADING: naming the Python-hosted services in SERVICES is what starts them in the background
    # (the fixture waits for "running" before any request is sent to them).
    env = {
        "SERVICES": ",".join(("sqs",) + MOTO_SERVICES),
        "PROVIDER_OVERRIDE_SQS": "python",
        "POLYSTACK_PYTHON_PROVIDERS": "sqs=polystack_test_provider:TinySqsProvider",
        "POLYSTACK_PYTHON_PATH": str(PROVIDERS),
    }
    for service in MOTO_SERVICES:
        env[f"PROVIDER_OVERRIDE_{service.upper()}"] = "moto"
    srv = Server(env=env, java_opts=["-Xmx768m"])
    srv.start()
    try:
        states = wait_until_started(srv, ("sqs",) + MOTO_SERVICES)
        assert {s: states[s] for s in ("sqs",) + MOTO_SERVICES} == {s: "running" for s in ("sqs",) + MOTO_SERVICES}, \
            srv.log_tail()
        yield srv
    finally:
        srv.cleanup()


# --- kind "python": LocalStack's provider contract -------------------------------------------------

def test_python_provider_serves_parsed_operations(server):
    sqs = server.client("sqs", region_name="eu-west-1")
    url = sqs.create_queue(QueueName="bridge-q")["QueueUrl"]
    assert url == "http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/bridge-q"
    # GetQueueUrl is bound with LocalStack's @handler decorator to a method of another name.
    assert sqs.get_queue_url(QueueName="bridge-q")["QueueUrl"] == url
    assert sqs.list_queues(QueueNamePrefix="bridge-")["QueueUrls"] == [url]
    # Regions (from the request's signature) reach the provider's context.
    assert "QueueUrls" not in server.client("sqs", region_name="us-west-2").list_queues(QueueNamePrefix="bridge-")


def test_python_provider_blobs_and_numbers_cross_both_ways(server):
    sqs = server.client("sqs")
    url = sqs.create_queue(QueueName="bridge-blobs")["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="payload",
                            MessageAttributes={"raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff\x10"}})
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=5, MessageAttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in received] == ["payload"]
    assert received[0]["MessageId"] == sent["MessageId"]
    assert received[0]["MessageAttributes"]["raw"]["BinaryValue"] == b"\x00\xff\x10"


def test_python_service_exception_becomes_the_aws_error(server):
    sqs = server.client("sqs", config=NO_RETRY)
    with pytest.raises(ClientError) as raised:
        sqs.get_queue_url(QueueName="does-not-exist")
    error = raised.value.response["Error"]
    # SQS is query-compatible: clients may see the query code that the spec maps the shape to.
    assert error["Code"] in ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    with pytest.raises(ClientError) as teapot:
        sqs.create_queue(QueueName="teapot-1")
    assert teapot.value.response["Error"]["Code"] == "Teapot"
    assert teapot.value.response["Error"]["Message"] == "teapot-1 is a teapot"
    assert teapot.value.response["ResponseMetadata"]["HTTPStatusCode"] == 418


def test_failing_python_provider_gives_internal_error_then_next_request_succeeds(server):
    sqs = server.client("sqs", config=NO_RETRY)
    with pytest.raises(ClientError) as raised:
        sqs.create_queue(QueueName="crash-1")
    assert raised.value.response["Error"]["Code"] == "InternalError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert sqs.create_queue(QueueName="after-crash")["QueueUrl"].endswith("/after-crash")
    health = requests.get(server.endpoint_url + "/_localstack/health", timeout=10).json()
    assert health["services"]["sqs"] == "running"


def test_operation_the_provider_lacks_is_not_implemented(server):
    sqs = server.client("sqs", config=NO_RETRY)
    url = sqs.create_queue(QueueName="bridge-purge")["QueueUrl"]
    with pytest.raises(ClientError) as raised:
        sqs.purge_queue(QueueUrl=url)
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


# --- kind "moto": services without a native provider ----------------------------------------------

def test_moto_ses_identities_and_send(server):
    ses = server.client("ses")
    ses.verify_email_identity(EmailAddress="sender@example.com")
    assert "sender@example.com" in ses.list_identities()["Identities"]
    sent = ses.send_email(Source="sender@example.com", Destination={"ToAddresses": ["to@example.com"]},
                          Message={"Subject": {"Data": "hi"}, "Body": {"Text": {"Data": "hello"}}})
    assert sent["MessageId"]
    with pytest.raises(ClientError) as raised:
        ses.send_email(Source="unverified@example.com", Destination={"ToAddresses": ["to@example.com"]},
                       Message={"Subject": {"Data": "hi"}, "Body": {"Text": {"Data": "hello"}}})
    assert raised.value.response["Error"]["Code"] == "MessageRejected"


def test_moto_route53_zones_and_records(server):
    route53 = server.client("route53")
    zone = route53.create_hosted_zone(Name="bridge.example.com", CallerReference="bridge-1")["HostedZone"]
    assert zone["Name"] == "bridge.example.com."
    route53.change_resource_record_sets(HostedZoneId=zone["Id"], ChangeBatch={"Changes": [{
        "Action": "CREATE",
        "ResourceRecordSet": {"Name": "www.bridge.example.com", "Type": "A", "TTL": 60,
                              "ResourceRecords": [{"Value": "10.0.0.1"}]}}]})
    records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    assert {"www.bridge.example.com.", "bridge.example.com."} <= {r["Name"] for r in records}
    assert zone["Id"] in [z["Id"] for z in route53.list_hosted_zones()["HostedZones"]]
    with pytest.raises(ClientError) as raised:
        route53.get_hosted_zone(Id="Z0000000000NOPE")
    assert raised.value.response["Error"]["Code"] == "NoSuchHostedZone"


def test_moto_secretsmanager_uses_the_gateway_account_and_region(server):
    eu = server.client("secretsmanager", region_name="eu-central-1")
    arn = eu.create_secret(Name="bridge/secret", SecretString="s3cr3t")["ARN"]
    assert arn.startswith("arn:aws:secretsmanager:eu-central-1:000000000000:secret:bridge/secret-")
    assert eu.get_secret_value(SecretId="bridge/secret")["SecretString"] == "s3cr3t"
    with pytest.raises(ClientError) as raised:
        server.client("secretsmanager", region_name="us-east-1", config=NO_RETRY).get_secret_value(SecretId="bridge/secret")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    # A 12-digit access key selects that account, as for native services.
    other = server.client("secretsmanager", region_name="eu-central-1", aws_access_key_id="111111111111")
    assert other.list_secrets()["SecretList"] == []


def test_python_failure_inside_moto_is_internal_error_then_next_request_succeeds(server):
    # A JSON body that is not an object makes moto's handler raise inside Python.
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "secretsmanager.ListSecrets",
        "Authorization": "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/secretsmanager/aws4_request, "
                         "SignedHeaders=host, Signature=0",
    }
    broken = requests.post(server.endpoint_url + "/", data="[1]", headers=headers, timeout=60)
    assert broken.status_code == 500
    assert "InternalError" in broken.text
    assert server.client("secretsmanager").list_secrets()["SecretList"] is not None
