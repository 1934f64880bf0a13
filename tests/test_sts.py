"""STS end to end: identities, temporary credentials that land in the right account in every service."""
import base64
import json

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def sts(aws_client):
    return aws_client("sts")


def as_client(aws_client, service, credentials):
    return aws_client(service, aws_access_key_id=credentials["AccessKeyId"],
                      aws_secret_access_key=credentials["SecretAccessKey"],
                      aws_session_token=credentials["SessionToken"])


def test_caller_identity_of_default_and_numeric_keys(sts, aws_client):
    identity = sts.get_caller_identity()
    assert identity["Account"] == "000000000000"
    assert identity["Arn"] == "arn:aws:iam::000000000000:root"
    other = aws_client("sts", aws_access_key_id="123456789012", aws_secret_access_key="x").get_caller_identity()
    assert other["Account"] == "123456789012"


def test_assumed_role_credentials_land_in_the_roles_account(sts, aws_client):
    out = sts.assume_role(RoleArn="arn:aws:iam::222233334444:role/app/reader", RoleSessionName="session-1",
                          DurationSeconds=900)
    credentials = out["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222233334444:assumed-role/reader/session-1"

    identity = as_client(aws_client, "sts", credentials).get_caller_identity()
    assert identity["Account"] == "222233334444"
    assert identity["Arn"] == out["AssumedRoleUser"]["Arn"]
    assert identity["UserId"] == out["AssumedRoleUser"]["AssumedRoleId"]
    assert sts.get_access_key_info(AccessKeyId=credentials["AccessKeyId"])["Account"] == "222233334444"

    sqs = as_client(aws_client, "sqs", credentials)
    url = sqs.create_queue(QueueName="sts-account-check")["QueueUrl"]
    assert "/222233334444/sts-account-check" in url
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert arn == "arn:aws:sqs:us-east-1:222233334444:sts-account-check"
    sqs.delete_queue(QueueUrl=url)

    sns = as_client(aws_client, "sns", credentials)
    topic = sns.create_topic(Name="sts-account-topic")["TopicArn"]
    assert topic == "arn:aws:sns:us-east-1:222233334444:sts-account-topic"
    sns.delete_topic(TopicArn=topic)


def test_session_federation_and_web_identity_tokens(sts, aws_client):
    session = sts.get_session_token()["Credentials"]
    assert as_client(aws_client, "sts", session).get_caller_identity()["Account"] == "000000000000"

    federated = sts.get_federation_token(Name="bob")
    assert federated["FederatedUser"] == {"FederatedUserId": "000000000000:bob",
                                          "Arn": "arn:aws:sts::000000000000:federated-user/bob"}

    claims = base64.urlsafe_b64encode(json.dumps({"sub": "user-1", "aud": "app", "iss": "https://idp.example"}).encode()).decode().rstrip("=")
    web = sts.assume_role_with_web_identity(RoleArn="arn:aws:iam::333344445555:role/web", RoleSessionName="web-session",
                                            WebIdentityToken=f"eyJhbGciOiJub25lIn0.{claims}.")
    assert web["SubjectFromWebIdentityToken"] == "user-1"
    assert web["Audience"] == "app"
    assert as_client(aws_client, "sts", web["Credentials"]).get_caller_identity()["Account"] == "333344445555"


def test_invalid_parameters(sts):
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn="nothing-valid-in-here", RoleSessionName="s1")
    assert info.value.response["Error"]["Code"] == "ValidationError"
    assert info.value.response["Error"]["Message"] == "nothing-valid-in-here is invalid"
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/r", RoleSessionName="Session1:2")
    assert info.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=,.@-]*")
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/r", RoleSessionName="s1",
                        Tags=[{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}])
    assert info.value.response["Error"]["Code"] == "InvalidParameterValue"
