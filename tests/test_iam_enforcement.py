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


# --- across accounts: the caller's identity policy AND the resource's policy --------------------------------------

OWNER, CALLER = "222222222222", "111111111111"


def root_client(server, service, account):
    """A client with an account's root credentials (a 12-digit access key names the account)."""
    return server.client(service, aws_access_key_id=account, aws_secret_access_key="test")


def caller_user(server, name, identity_policy=None):
    """A user of the calling account, with its own key: (its ARN, a client factory)."""
    iam = root_client(server, "iam", CALLER)
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    if identity_policy:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=identity_policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return arn, (lambda service: server.client(service, aws_access_key_id=key["AccessKeyId"],
                                               aws_secret_access_key=key["SecretAccessKey"]))


def test_cross_account_queue_and_topic_need_both_policies(server):
    sqs, sns = root_client(server, "sqs", OWNER), root_client(server, "sns", OWNER)
    arn, as_user = caller_user(server, "x-producer", policy({"Effect": "Allow", "Action": ["sqs:SendMessage", "sns:Publish"], "Resource": "*"}))
    _, as_unpermitted = caller_user(server, "x-nobody")  # no identity policy
    shared = sqs.create_queue(QueueName="x-shared")["QueueUrl"]
    private = sqs.create_queue(QueueName="x-private")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=shared, Attributes={"Policy": policy(
        {"Effect": "Allow", "Principal": {"AWS": [arn, f"arn:aws:iam::{CALLER}:user/x-nobody"]}, "Action": "sqs:SendMessage",
         "Resource": f"arn:aws:sqs:us-east-1:{OWNER}:x-shared"})})
    as_user("sqs").send_message(QueueUrl=shared, MessageBody="from another account")
    assert sqs.receive_message(QueueUrl=shared, WaitTimeSeconds=5)["Messages"][0]["Body"] == "from another account"
    # the queue's policy alone is not enough across accounts: the caller's identity policy must allow too
    err, status = error_of(as_unpermitted("sqs").send_message, QueueUrl=shared, MessageBody="x")
    assert (status, err["Code"]) == (400, "AccessDeniedException") or "AccessDenied" in err["Code"]
    assert "because no identity-based policy allows the sqs:SendMessage action" in err["Message"]
    # ... and the identity policy alone is not enough either
    err, _ = error_of(as_user("sqs").send_message, QueueUrl=private, MessageBody="x")
    assert "because no resource-based policy allows the sqs:SendMessage action" in err["Message"]
    # even the calling account's root needs the owner's grant
    err, _ = error_of(root_client(server, "sqs", CALLER).send_message, QueueUrl=private, MessageBody="x")
    assert "AccessDenied" in err["Code"]

    # a topic policy granting the calling ACCOUNT defers to the account's identity policies
    topic = sns.create_topic(Name="x-topic")["TopicArn"]
    err, _ = error_of(as_user("sns").publish, TopicArn=topic, Message="m")
    assert "AccessDenied" in err["Code"] or err["Code"] == "AuthorizationError"
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{CALLER}:root"}, "Action": "sns:Publish", "Resource": topic}))
    assert "MessageId" in as_user("sns").publish(TopicArn=topic, Message="m")
    err, _ = error_of(as_unpermitted("sns").publish, TopicArn=topic, Message="m")
    assert "no identity-based policy allows the sns:Publish action" in err["Message"]


def test_cross_account_key_secret_bucket_and_function_policies(server):
    kms, sm, s3 = root_client(server, "kms", OWNER), root_client(server, "secretsmanager", OWNER), root_client(server, "s3", OWNER)
    arn, as_user = caller_user(server, "x-reader", policy(
        {"Effect": "Allow", "Action": ["kms:Encrypt", "secretsmanager:GetSecretValue", "s3:GetObject", "s3:PutObject",
                                       "lambda:GetFunction"], "Resource": "*"}))
    # KMS: the default key policy trusts only the owner account; a key policy naming the caller lets it use the key
    default_key = kms.create_key()["KeyMetadata"]["Arn"]
    err, _ = error_of(as_user("kms").encrypt, KeyId=default_key, Plaintext=b"x")
    assert err["Code"] == "AccessDeniedException"
    shared_key = kms.create_key(Policy=policy(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"}, "Action": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"}))["KeyMetadata"]["Arn"]
    assert as_user("kms").encrypt(KeyId=shared_key, Plaintext=b"x")["KeyId"] == shared_key

    # Secrets Manager: a resource policy naming the caller (and a customer key, as AWS requires across accounts)
    secret = sm.create_secret(Name="x-secret", SecretString="s3cr3t", KmsKeyId=shared_key)["ARN"]
    err, _ = error_of(as_user("secretsmanager").get_secret_value, SecretId=secret)
    assert err["Code"] == "AccessDeniedException"
    sm.put_resource_policy(SecretId=secret, ResourcePolicy=policy(
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "secretsmanager:GetSecretValue", "Resource": "*"}))
    assert as_user("secretsmanager").get_secret_value(SecretId=secret)["SecretString"] == "s3cr3t"

    # S3: a bucket policy granting GetObject only
    s3.create_bucket(Bucket="x-account-bucket")
    s3.put_object(Bucket="x-account-bucket", Key="k", Body=b"data")
    err, status = error_of(as_user("s3").get_object, Bucket="x-account-bucket", Key="k")
    assert (status, err["Code"]) == (403, "AccessDenied")
    s3.put_bucket_policy(Bucket="x-account-bucket", Policy=policy(
        {"Effect": "Allow", "Principal": {"AWS": arn}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::x-account-bucket/*"}))
    assert as_user("s3").get_object(Bucket="x-account-bucket", Key="k")["Body"].read() == b"data"
    err, status = error_of(as_user("s3").put_object, Bucket="x-account-bucket", Key="k2", Body=b"x")
    assert (status, err["Code"]) == (403, "AccessDenied")

    # Lambda: a function policy (AddPermission) granting the calling account
    role = root_client(server, "iam", OWNER).create_role(RoleName="x-fn-role", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                 "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    lam = root_client(server, "lambda", OWNER)
    function = lam.create_function(FunctionName="x-fn", Runtime="python3.12", Handler="h.handler", Role=role,
                                   Code={"ZipFile": zipped("def handler(e, c):\n    return 1\n")})["FunctionArn"]
    err, _ = error_of(as_user("lambda").get_function, FunctionName=function)
    assert err["Code"] == "AccessDeniedException"
    lam.add_permission(FunctionName="x-fn", StatementId="caller", Action="lambda:GetFunction", Principal=CALLER)
    assert as_user("lambda").get_function(FunctionName=function)["Configuration"]["FunctionArn"] == function


def zipped(source):
    import io
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("h.py", source)
    return buffer.getvalue()


# --- deliveries inside the server: the delivering service's principal, aws:SourceArn and aws:SourceAccount ------------

def service_may_send(service, queue_arn, source_arn):
    return policy({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sqs:SendMessage", "Resource": queue_arn,
                   "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}, "StringEquals": {"aws:SourceAccount": ACCOUNT}}})


def queue_with_policy(sqs, name, make_policy=None):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"
    if make_policy:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": make_policy(arn)})
    return url, arn


def bodies(sqs, url, wait=10):
    return [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait).get("Messages", [])]


def test_sns_delivers_only_where_the_queue_policy_allows_the_topic(server):
    sqs, sns = server.client("sqs"), server.client("sns")
    topic = sns.create_topic(Name="d-topic")["TopicArn"]
    other_topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:someone-elses-topic"
    allowed, allowed_arn = queue_with_policy(sqs, "d-allowed", lambda q: service_may_send("sns.amazonaws.com", q, topic))
    wrong_source, wrong_arn = queue_with_policy(sqs, "d-wrong-source", lambda q: service_may_send("sns.amazonaws.com", q, other_topic))
    no_policy, no_policy_arn = queue_with_policy(sqs, "d-no-policy")
    # refused deliveries are redriven to a dead-letter queue SNS may send to: that is how the test sees the refusal
    dlq, dlq_arn = queue_with_policy(sqs, "d-dlq", lambda q: service_may_send("sns.amazonaws.com", q, topic))
    for arn in (allowed_arn, wrong_arn, no_policy_arn):
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True,
                      Attributes={"RawMessageDelivery": "true", "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})})
    sns.publish(TopicArn=topic, Message="hello")
    assert bodies(sqs, allowed) == ["hello"]
    refused = []
    for _ in range(10):
        refused += bodies(sqs, dlq, wait=5)
        if len(refused) >= 2:
            break
    assert refused == ["hello", "hello"]
    assert bodies(sqs, wrong_source, wait=0) == [] and bodies(sqs, no_policy, wait=0) == []


def test_s3_notifications_arrive_only_from_the_bucket_the_policy_names(server):
    sqs, s3 = server.client("sqs"), server.client("s3")
    queue, queue_arn = queue_with_policy(sqs, "d-s3-events", lambda q: service_may_send("s3.amazonaws.com", q, "arn:aws:s3:::d-allowed-bucket"))
    for bucket in ("d-other-bucket", "d-allowed-bucket"):
        s3.create_bucket(Bucket=bucket)
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": queue_arn, "Events": ["s3:ObjectCreated:*"]}]})
    # S3 hands notifications to its queue one at a time, in order: the refused one comes first
    s3.put_object(Bucket="d-other-bucket", Key="refused", Body=b"x")
    s3.put_object(Bucket="d-allowed-bucket", Key="delivered", Body=b"x")
    keys = []
    for _ in range(10):
        for body in bodies(sqs, queue):
            keys += [r["s3"]["object"]["key"] for r in json.loads(body).get("Records", [])]
        if keys:
            break
    assert keys == ["delivered"]


def test_eventbridge_delivers_only_for_the_rule_the_policy_names(server):
    sqs, events = server.client("sqs"), server.client("events")
    rules = {}
    for name in ("d-allowed-rule", "d-refused-rule"):
        rules[name] = events.put_rule(Name=name, EventPattern=json.dumps({"source": ["d.test"]}))["RuleArn"]
    queue, queue_arn = queue_with_policy(sqs, "d-events", lambda q: service_may_send("events.amazonaws.com", q, rules["d-allowed-rule"]))
    dlq, dlq_arn = queue_with_policy(sqs, "d-events-dlq")  # EventBridge's dead-letter messages carry the refusal
    for name in rules:
        events.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": queue_arn, "DeadLetterConfig": {"Arn": dlq_arn}}])
    events.put_events(Entries=[{"Source": "d.test", "DetailType": "t", "Detail": "{}"}])
    received = bodies(sqs, queue)
    assert len(received) == 1 and json.loads(received[0])["source"] == "d.test"
    dead = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=20, MessageAttributeNames=["All"])["Messages"]
    assert dead[0]["MessageAttributes"]["RULE_ARN"]["StringValue"] == rules["d-refused-rule"]
    assert "AccessDenied" in dead[0]["MessageAttributes"]["ERROR_CODE"]["StringValue"]
    assert bodies(sqs, queue, wait=0) == []
