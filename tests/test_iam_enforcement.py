"""ENFORCE_IAM=1 beyond identity policies: resource-based policies (S3 bucket policies, SQS queue policies, SNS topic
policies, secrets' resource policies, KMS key policies), role trust policies on AssumeRole, and session policies,
combined as AWS combines them within one account. One server with ENFORCE_IAM=1 for the whole module."""
import json

import pytest

from helpers import error_of

ACCOUNT = "000000000000"
ROOT_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]}


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    # start_server is function-scoped; one module-wide server keeps this file to one start
    from conftest import Server
    s = Server({"ENFORCE_IAM": "1"}, data_dir=tmp_path_factory.mktemp("enforce"))
    s.start()
    yield s
    s.stop()


def user_clients(server, name, identity_policy=None):
    iam = server.client("iam")
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if identity_policy:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=identity_policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    creds = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    return arn, (lambda service: server.client(service, **creds))


def test_bucket_policy_grants_and_denies(server):
    s3 = server.client("s3")
    for bucket in ("shared-bucket", "private-bucket"):
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="k", Body=b"data")
    arn, as_user = user_clients(server, "bucket-reader")  # no identity policy at all
    s3.put_bucket_policy(Bucket="shared-bucket", Policy=policy(
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared-bucket/*"}))
    assert as_user("s3").get_object(Bucket="shared-bucket", Key="k")["Body"].read() == b"data"
    err, status = error_of(as_user("s3").get_object, Bucket="private-bucket", Key="k")
    assert (status, err["Code"]) == (403, "AccessDenied")
    err, status = error_of(as_user("s3").put_object, Bucket="shared-bucket", Key="k2", Body=b"x")
    assert (status, err["Code"]) == (403, "AccessDenied")
    # a bucket policy's explicit deny wins over an identity policy's allow
    arn2, as_writer = user_clients(server, "bucket-writer", policy({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}))
    as_writer("s3").put_object(Bucket="private-bucket", Key="w", Body=b"ok")
    s3.put_bucket_policy(Bucket="private-bucket", Policy=policy(
        {"Effect": "Deny", "Principal": {"AWS": arn2}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::private-bucket/*"}))
    err, status = error_of(as_writer("s3").put_object, Bucket="private-bucket", Key="w", Body=b"no")
    assert (status, err["Code"]) == (403, "AccessDenied")
    assert "explicit deny in a resource-based policy" in err["Message"]
    assert as_writer("s3").get_object(Bucket="private-bucket", Key="w")["Body"].read() == b"ok"


def test_queue_and_topic_policies(server):
    sqs, sns = server.client("sqs"), server.client("sns")
    arn, as_user = user_clients(server, "producer")
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    queue_arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders"
    other = sqs.create_queue(QueueName="other")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sqs:SendMessage", "Resource": queue_arn})})
    as_user("sqs").send_message(QueueUrl=url, MessageBody="hello")
    err, _ = error_of(as_user("sqs").send_message, QueueUrl=other, MessageBody="hello")
    assert "AccessDenied" in err["Code"]
    err, _ = error_of(as_user("sqs").receive_message, QueueUrl=url)
    assert "AccessDenied" in err["Code"]
    topic = sns.create_topic(Name="events")["TopicArn"]
    err, status = error_of(as_user("sns").publish, TopicArn=topic, Message="m")
    assert (status, err["Code"]) == (403, "AuthorizationError") or "AccessDenied" in err["Code"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=policy(
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "sns:Publish", "Resource": topic}))
    assert "MessageId" in as_user("sns").publish(TopicArn=topic, Message="m")


def test_secret_policy_and_kms_key_policy(server):
    sm, kms = server.client("secretsmanager"), server.client("kms")
    arn, as_user = user_clients(server, "secret-reader", policy(
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "kms:Encrypt", "kms:DescribeKey"], "Resource": "*"}))
    sm.create_secret(Name="open", SecretString="a")
    sm.create_secret(Name="closed", SecretString="b")
    sm.put_resource_policy(SecretId="closed", ResourcePolicy=policy(
        {"Effect": "Deny", "Principal": {"AWS": arn}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}))
    assert as_user("secretsmanager").get_secret_value(SecretId="open")["SecretString"] == "a"
    err, status = error_of(as_user("secretsmanager").get_secret_value, SecretId="closed")
    assert (status, err["Code"]) == (400, "AccessDeniedException")
    # a key with the default key policy (the account's root) defers to identity policies
    default_key = kms.create_key()["KeyMetadata"]["KeyId"]
    as_user("kms").encrypt(KeyId=default_key, Plaintext=b"x")
    # a key whose policy grants only the root's admin actions: identity policies alone cannot use it
    locked = kms.create_key(Policy=policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                           "Action": "kms:PutKeyPolicy", "Resource": "*"}))["KeyMetadata"]["KeyId"]
    err, status = error_of(as_user("kms").encrypt, KeyId=locked, Plaintext=b"x")
    assert (status, err["Code"]) == (400, "AccessDeniedException")
    assert "no resource-based policy allows the kms:Encrypt action" in err["Message"]
    # ... and one granting the user directly needs no identity policy for it
    direct = kms.create_key(Policy=policy({"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "kms:GenerateDataKey",
                                           "Resource": "*"}))["KeyMetadata"]["KeyId"]
    assert len(as_user("kms").generate_data_key(KeyId=direct, KeySpec="AES_256")["Plaintext"]) == 32


def test_trust_policy_and_session_policy(server):
    iam = server.client("iam")
    arn, as_user = user_clients(server, "assumer", policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}))
    iam.create_role(RoleName="trusts-account", AssumeRolePolicyDocument=json.dumps(ROOT_TRUST))
    iam.put_role_policy(RoleName="trusts-account", PolicyName="ssm", PolicyDocument=policy(
        {"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:PutParameter"], "Resource": "*"}))
    iam.create_role(RoleName="trusts-someone-else", AssumeRolePolicyDocument=policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/someone-else"}, "Action": "sts:AssumeRole"}))
    err, status = error_of(as_user("sts").assume_role, RoleArn=f"arn:aws:iam::{ACCOUNT}:role/trusts-someone-else", RoleSessionName="sess")
    assert (status, err["Code"]) == (403, "AccessDenied")
    assert "no resource-based policy allows the sts:AssumeRole action" in err["Message"]
    # a user the trust policy names directly needs no identity policy
    _, as_named = user_clients(server, "someone-else")
    assert as_named("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/trusts-someone-else", RoleSessionName="sess")["Credentials"]

    server.client("ssm").put_parameter(Name="/cfg/a", Value="1", Type="String")
    server.client("ssm").put_parameter(Name="/cfg/b", Value="2", Type="String")
    session_policy = policy({"Effect": "Allow", "Action": "ssm:GetParameter",
                             "Resource": f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/cfg/a"})
    creds = as_user("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/trusts-account", RoleSessionName="limited",
                                       Policy=session_policy)["Credentials"]
    limited = server.client("ssm", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                            aws_session_token=creds["SessionToken"])
    assert limited.get_parameter(Name="/cfg/a")["Parameter"]["Value"] == "1"
    for call, kwargs in ((limited.get_parameter, {"Name": "/cfg/b"}),
                         (limited.put_parameter, {"Name": "/cfg/a", "Value": "x", "Type": "String", "Overwrite": True})):
        err, status = error_of(call, **kwargs)
        assert (status, err["Code"]) == (400, "AccessDeniedException")
    # the same role without a session policy has the role's full permissions
    full = as_user("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/trusts-account", RoleSessionName="full")["Credentials"]
    unlimited = server.client("ssm", aws_access_key_id=full["AccessKeyId"], aws_secret_access_key=full["SecretAccessKey"],
                              aws_session_token=full["SessionToken"])
    assert unlimited.get_parameter(Name="/cfg/b")["Parameter"]["Value"] == "2"


def test_a_session_policy_still_limits_its_session_after_a_restart(start_server):
    server = start_server({"ENFORCE_IAM": "1", "PERSISTENCE": "1"})
    iam = server.client("iam")
    iam.create_role(RoleName="persisted-role", AssumeRolePolicyDocument=json.dumps(ROOT_TRUST))
    iam.put_role_policy(RoleName="persisted-role", PolicyName="ssm", PolicyDocument=policy(
        {"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}))
    ssm = server.client("ssm")
    ssm.put_parameter(Name="/kept/a", Value="1", Type="String")
    ssm.put_parameter(Name="/kept/b", Value="2", Type="String")
    creds = server.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/persisted-role", RoleSessionName="limited",
        Policy=policy({"Effect": "Allow", "Action": "ssm:GetParameter",
                       "Resource": f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/kept/a"}))["Credentials"]
    keys = dict(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"])
    assert error_of(server.client("ssm", **keys).get_parameter, Name="/kept/b")[0]["Code"] == "AccessDeniedException"
    server.stop()
    server.start()
    limited = server.client("ssm", **keys)
    assert limited.get_parameter(Name="/kept/a")["Parameter"]["Value"] == "1"
    err, status = error_of(limited.get_parameter, Name="/kept/b")
    assert (status, err["Code"]) == (400, "AccessDeniedException")
