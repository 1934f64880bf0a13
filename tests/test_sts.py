"""STS end to end: identities, temporary credentials that land in the right account in every service."""
import base64
import json
import uuid

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


@pytest.mark.parametrize("role_arn", ["arn::b:::something/test-role", "arn:a::::something/test-role",
                                      "arn:a:::something/test-role", "arn:a:a::aaaaaaaaaa:"])
def test_malformed_role_arns(sts, role_arn):
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn=role_arn, RoleSessionName="s1")
    assert info.value.response["Error"]["Code"] == "ValidationError"
    assert info.value.response["Error"]["Message"] == f"{role_arn} is invalid"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_transitive_session_tags_and_role_chaining(sts, aws_client):
    with pytest.raises(ClientError) as info:
        sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/r1", RoleSessionName="s1",
                        Tags=[{"Key": "team", "Value": "a"}], TransitiveTagKeys=["project"])
    assert info.value.response["Error"] == {"Code": "InvalidParameterValue", "Type": "Sender",
                                            "Message": "The specified transitive tag key must be included in the requested tags."}
    first = sts.assume_role(RoleArn="arn:aws:iam::000000000000:role/r1", RoleSessionName="s1",
                            Tags=[{"Key": "team", "Value": "a"}], TransitiveTagKeys=["team"])["Credentials"]
    chained = as_client(aws_client, "sts", first)
    for key in ("team", "TEAM"):  # tag keys compare without case
        with pytest.raises(ClientError) as info:
            chained.assume_role(RoleArn="arn:aws:iam::000000000000:role/r2", RoleSessionName="s2",
                                Tags=[{"Key": key, "Value": "b"}], TransitiveTagKeys=[key])
        assert info.value.response["Error"]["Message"] == ("One of the specified transitive tag keys can't be set "
                                                           "because it conflicts with a transitive tag key from the calling session.")
    second = chained.assume_role(RoleArn="arn:aws:iam::444455556666:role/r2", RoleSessionName="s2")
    assert as_client(aws_client, "sts", second["Credentials"]).get_caller_identity()["Account"] == "444455556666"


def test_saml_credentials_land_in_the_roles_account(sts, aws_client):
    assertion = """<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
  <saml:Issuer>https://idp.example/saml</saml:Issuer>
  <saml:Assertion>
    <saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">alice</saml:NameID></saml:Subject>
    <saml:Conditions><saml:AudienceRestriction><saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience></saml:AudienceRestriction></saml:Conditions>
    <saml:AttributeStatement>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>alice-session</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"""
    out = sts.assume_role_with_saml(RoleArn="arn:aws:iam::555566667777:role/saml-role",
                                    PrincipalArn="arn:aws:iam::555566667777:saml-provider/idp",
                                    SAMLAssertion=base64.b64encode(assertion.encode()).decode())
    assert out["Subject"] == "alice"
    assert out["SubjectType"] == "transient"
    assert out["Issuer"] == "https://idp.example/saml"
    assert out["AssumedRoleUser"]["Arn"] == "arn:aws:sts::555566667777:assumed-role/saml-role/alice-session"
    identity = as_client(aws_client, "sts", out["Credentials"]).get_caller_identity()
    assert (identity["Account"], identity["Arn"]) == ("555566667777", out["AssumedRoleUser"]["Arn"])
    with pytest.raises(ClientError) as info:
        sts.assume_role_with_saml(RoleArn="arn:aws:iam::555566667777:role/saml-role",
                                  PrincipalArn="arn:aws:iam::555566667777:saml-provider/idp",
                                  SAMLAssertion=base64.b64encode(b"<nothing/>").decode())
    assert info.value.response["Error"]["Code"] == "InvalidIdentityToken"  # the awsQueryError code on the wire


def test_temporary_credentials_own_kms_keys_in_the_roles_account(sts, aws_client):
    credentials = sts.assume_role(RoleArn="arn:aws:iam::666677778888:role/kms-user", RoleSessionName="kms")["Credentials"]
    kms = as_client(aws_client, "kms", credentials)
    key = kms.create_key(Description="owned by the role's account")["KeyMetadata"]
    assert key["AWSAccountId"] == "666677778888"
    assert key["Arn"] == f"arn:aws:kms:us-east-1:666677778888:key/{key['KeyId']}"
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["KeyId"] == key["Arn"]
    # the default account does not see it by id ...
    with pytest.raises(ClientError) as info:
        aws_client("kms").describe_key(KeyId=key["KeyId"])
    assert info.value.response["Error"]["Code"] == "NotFoundException"
    # ... and does not decrypt with it (the ciphertext names a key of another account)
    with pytest.raises(ClientError) as info:
        aws_client("kms").decrypt(CiphertextBlob=blob)
    assert info.value.response["Error"]["Code"] == "InvalidCiphertextException"


def test_caller_identity_of_an_iam_users_key(aws_client):
    """A key IAM issued to a user answers GetCallerIdentity as that user (ARN and UserId as IAM has them), in the
    user's account."""
    iam = aws_client("iam", aws_access_key_id="222233334444")
    name = f"caller-{uuid.uuid4().hex[:8]}"
    user = iam.create_user(UserName=name)["User"]
    key = iam.create_access_key(UserName=name)["AccessKey"]
    sts = aws_client("sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    identity = sts.get_caller_identity()
    assert (identity["Account"], identity["Arn"], identity["UserId"]) == (
        "222233334444", f"arn:aws:iam::222233334444:user/{name}", user["UserId"])
    # the key's requests land in the user's account in every service
    as_user = dict(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    queue_url = aws_client("sqs", **as_user).create_queue(QueueName=name)["QueueUrl"]
    assert "/222233334444/" in queue_url
    assert aws_client("sns", **as_user).create_topic(Name=name)["TopicArn"] == f"arn:aws:sns:us-east-1:222233334444:{name}"
    assert aws_client("kms", **as_user).create_key()["KeyMetadata"]["AWSAccountId"] == "222233334444"
    assert queue_url in aws_client("sqs", aws_access_key_id="222233334444").list_queues(QueueNamePrefix=name)["QueueUrls"]
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName=name)
