"""IAM end to end (native provider), policy simulation, STS AssumeRole against IAM roles, and ENFORCE_IAM=1."""
import json

import pytest
from botocore.exceptions import ClientError

from helpers import error_of, unique

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "sts:AssumeRole"}]}


@pytest.fixture(scope="module")
def iam(aws_client):
    return aws_client("iam")


def allow(action, resource="*"):
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]})


def test_users_groups_and_access_keys(iam, aws_client):
    name = unique("user")
    user = iam.create_user(UserName=name, Path="/team/", Tags=[{"Key": "k", "Value": "v"}])["User"]
    assert user["Arn"] == f"arn:aws:iam::000000000000:user/team/{name}" and user["UserId"].startswith("AIDA")
    assert iam.get_user(UserName=name)["User"]["Tags"] == [{"Key": "k", "Value": "v"}]
    err, status = error_of(iam.create_user, UserName=name)
    assert (status, err["Code"], err["Message"]) == (409, "EntityAlreadyExists", f"User with name {name} already exists.")
    err, status = error_of(iam.get_user, UserName=unique("nobody"))
    assert status == 404 and err["Code"] == "NoSuchEntity"
    group = unique("group")
    iam.create_group(GroupName=group)
    iam.add_user_to_group(GroupName=group, UserName=name)
    assert [u["UserName"] for u in iam.get_group(GroupName=group)["Users"]] == [name]
    assert [g["GroupName"] for g in iam.list_groups_for_user(UserName=name)["Groups"]] == [group]
    err, _ = error_of(iam.delete_group, GroupName=group)
    assert err["Code"] == "DeleteConflict"
    key = iam.create_access_key(UserName=name)["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["SecretAccessKey"]) == 40
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]] == [key["AccessKeyId"]]
    assert iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["UserName"] == name
    # a key created in account 111111111111 makes requests land in that account in every service
    other_iam = aws_client("iam", aws_access_key_id="111111111111")
    other_user = unique("user")
    other_iam.create_user(UserName=other_user)
    other_key = other_iam.create_access_key(UserName=other_user)["AccessKey"]
    sts = aws_client("sts", aws_access_key_id=other_key["AccessKeyId"], aws_secret_access_key=other_key["SecretAccessKey"])
    assert sts.get_caller_identity()["Account"] == "111111111111"
    sqs = aws_client("sqs", aws_access_key_id=other_key["AccessKeyId"], aws_secret_access_key=other_key["SecretAccessKey"])
    assert ":111111111111:" in sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName=unique("q"))["QueueUrl"],
                                                        AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    err, _ = error_of(iam.delete_user, UserName=name)
    assert err["Code"] == "DeleteConflict"
    iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    iam.remove_user_from_group(GroupName=group, UserName=name)
    iam.delete_user(UserName=name)
    iam.delete_group(GroupName=group)


def test_roles_policies_versions_and_attachments(iam):
    role = unique("role")
    created = iam.create_role(RoleName=role, Path="/svc/", AssumeRolePolicyDocument=json.dumps(TRUST), Description="d")["Role"]
    assert created["RoleId"].startswith("AROA") and created["AssumeRolePolicyDocument"] == TRUST
    assert "MaxSessionDuration" not in created
    got = iam.get_role(RoleName=role)["Role"]
    assert got["MaxSessionDuration"] == 3600 and got["RoleLastUsed"] == {} and got["Description"] == "d"
    err, _ = error_of(iam.create_role, RoleName=unique("role"), AssumeRolePolicyDocument="{not json")
    assert (err["Code"], err["Message"]) == ("MalformedPolicyDocument", "This policy contains invalid Json")
    policy = iam.create_policy(PolicyName=unique("pol"), PolicyDocument=allow("s3:GetObject"))["Policy"]
    assert (policy["DefaultVersionId"], policy["AttachmentCount"], policy["IsAttachable"]) == ("v1", 0, True)
    err, _ = error_of(iam.attach_role_policy, RoleName=role, PolicyArn="this-is-not-a-policy-arn")
    assert (err["Code"], err["Message"]) == ("ValidationError", "Invalid ARN:  Could not be parsed!")
    err, status = error_of(iam.attach_role_policy, RoleName=role, PolicyArn=policy["Arn"] + "123")
    assert (status, err["Code"], err["Message"]) == (404, "NoSuchEntity", f"Policy {policy['Arn']}123 does not exist or is not attachable.")
    iam.attach_role_policy(RoleName=role, PolicyArn=policy["Arn"])
    iam.attach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    attached = {p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]}
    assert attached == {policy["PolicyName"], "ReadOnlyAccess"}
    assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["AttachmentCount"] == 1
    assert [r["RoleName"] for r in iam.list_entities_for_policy(PolicyArn=policy["Arn"])["PolicyRoles"]] == [role]
    v2 = iam.create_policy_version(PolicyArn=policy["Arn"], PolicyDocument=allow("s3:*"), SetAsDefault=True)["PolicyVersion"]
    assert v2["VersionId"] == "v2" and v2["IsDefaultVersion"] is True
    assert json.loads(allow("s3:*")) == iam.get_policy_version(PolicyArn=policy["Arn"], VersionId="v2")["PolicyVersion"]["Document"]
    err, _ = error_of(iam.delete_policy_version, PolicyArn=policy["Arn"], VersionId="v2")
    assert err["Code"] == "DeleteConflict"
    iam.delete_policy_version(PolicyArn=policy["Arn"], VersionId="v1")
    iam.put_role_policy(RoleName=role, PolicyName="inline", PolicyDocument=allow("sqs:*"))
    assert iam.get_role_policy(RoleName=role, PolicyName="inline")["PolicyDocument"] == json.loads(allow("sqs:*"))
    assert iam.list_role_policies(RoleName=role)["PolicyNames"] == ["inline"]
    err, _ = error_of(iam.delete_role, RoleName=role)
    assert err["Code"] == "DeleteConflict"
    err, _ = error_of(iam.delete_policy, PolicyArn=policy["Arn"])
    assert err["Code"] == "DeleteConflict"
    iam.delete_role_policy(RoleName=role, PolicyName="inline")
    iam.detach_role_policy(RoleName=role, PolicyArn=policy["Arn"])
    iam.detach_role_policy(RoleName=role, PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
    iam.delete_role(RoleName=role)
    iam.delete_policy(PolicyArn=policy["Arn"])
    err, _ = error_of(iam.delete_policy, PolicyArn=policy["Arn"])
    assert err["Message"] == f"Policy {policy['Arn']} was not found."


def test_instance_profiles_and_account_settings(iam):
    role = unique("role")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    profile = unique("profile")
    iam.create_instance_profile(InstanceProfileName=profile)
    iam.add_role_to_instance_profile(InstanceProfileName=profile, RoleName=role)
    assert [r["RoleName"] for r in iam.get_instance_profile(InstanceProfileName=profile)["InstanceProfile"]["Roles"]] == [role]
    assert [p["InstanceProfileName"] for p in iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]] == [profile]
    iam.remove_role_from_instance_profile(InstanceProfileName=profile, RoleName=role)
    iam.delete_instance_profile(InstanceProfileName=profile)
    linked = iam.create_service_linked_role(AWSServiceName="elasticbeanstalk.amazonaws.com")["Role"]
    assert linked["RoleName"] == "AWSServiceRoleForElasticBeanstalk"
    assert linked["Path"] == "/aws-service-role/elasticbeanstalk.amazonaws.com/"
    iam.create_account_alias(AccountAlias="my-alias")
    assert iam.list_account_aliases()["AccountAliases"] == ["my-alias"]
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireSymbols=True)
    assert iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 12
    user = unique("user")
    iam.create_user(UserName=user)
    iam.create_login_profile(UserName=user, Password="Secr3t!Secr3t!", PasswordResetRequired=True)
    assert iam.get_login_profile(UserName=user)["LoginProfile"]["PasswordResetRequired"] is True
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=unique("mfa"))["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
    assert [d["SerialNumber"] for d in iam.list_mfa_devices(UserName=user)["MFADevices"]] == [serial]
    oidc = iam.create_open_id_connect_provider(Url="https://token.example.com", ClientIDList=["sts.amazonaws.com"],
                                               ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"]
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=oidc)["Url"] == "token.example.com"
    saml = iam.create_saml_provider(Name=unique("saml"), SAMLMetadataDocument="x" * 1000)["SAMLProviderArn"]
    assert saml in [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]]
    details = iam.get_account_authorization_details(Filter=["User"])
    assert user in [u["UserName"] for u in details["UserDetailList"]] and details["RoleDetailList"] == []


def test_simulate_policies(iam):
    docs = [json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::bucket/*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/secret*"},
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:sqs:*",
         "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}},
    ]})]

    def decision(action, resource, context=None):
        r = iam.simulate_custom_policy(PolicyInputList=docs, ActionNames=[action], ResourceArns=[resource],
                                       ContextEntries=context or [])["EvaluationResults"][0]
        return r["EvalDecision"]

    assert decision("s3:GetObject", "arn:aws:s3:::bucket/a") == "allowed"
    assert decision("s3:GetObject", "arn:aws:s3:::bucket/secret.txt") == "explicitDeny"
    assert decision("s3:PutObject", "arn:aws:s3:::bucket/a") == "implicitDeny"
    region = [{"ContextKeyName": "aws:RequestedRegion", "ContextKeyValues": ["eu-west-1"], "ContextKeyType": "string"}]
    assert decision("sqs:SendMessage", "arn:aws:sqs:eu-west-1:000000000000:q", region) == "allowed"
    assert decision("sqs:SendMessage", "arn:aws:sqs:eu-west-1:000000000000:q") == "implicitDeny"
    user = unique("sim")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=allow("dynamodb:GetItem"))
    arn = iam.get_user(UserName=user)["User"]["Arn"]
    results = iam.simulate_principal_policy(PolicySourceArn=arn, ActionNames=["dynamodb:GetItem", "dynamodb:PutItem"])["EvaluationResults"]
    assert [r["EvalDecision"] for r in results] == ["allowed", "implicitDeny"]
    assert results[0]["MatchedStatements"][0]["SourcePolicyId"] == "p"


def test_assume_role_uses_iam_role_id(iam, aws_client):
    role = unique("role")
    role_id = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["RoleId"]
    assumed = aws_client("sts").assume_role(RoleArn=f"arn:aws:iam::000000000000:role/{role}", RoleSessionName="sess")
    assert assumed["AssumedRoleUser"]["AssumedRoleId"] == f"{role_id}:sess"


def test_cli_create_user(aws_cli):
    name = unique("cliuser")
    assert aws_cli("iam", "create-user", "--user-name", name)["User"]["UserName"] == name
    assert name in [u["UserName"] for u in aws_cli("iam", "list-users")["Users"]]


def test_enforce_iam_role_reads_only_what_its_policy_allows(start_server):
    server = start_server({"ENFORCE_IAM": "1"})
    iam, ssm, sm = server.client("iam"), server.client("ssm"), server.client("secretsmanager")
    ssm.put_parameter(Name="/app/allowed", Value="yes", Type="SecureString")
    ssm.put_parameter(Name="/app/forbidden", Value="no", Type="SecureString")
    allowed_secret = sm.create_secret(Name="app-secret", SecretString="s3cret")["ARN"]
    sm.create_secret(Name="other-secret", SecretString="hidden")
    role = "reader"
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName=role, PolicyName="read", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ssm:GetParameter", "kms:Decrypt"], "Resource": ["arn:aws:ssm:us-east-1:000000000000:parameter/app/allowed", "arn:aws:kms:*"]},
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:000000000000:secret:app-secret-*"},
    ]}))
    creds = server.client("sts").assume_role(RoleArn=f"arn:aws:iam::000000000000:role/{role}", RoleSessionName="app")["Credentials"]
    session = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
               "aws_session_token": creds["SessionToken"]}
    role_ssm, role_sm = server.client("ssm", **session), server.client("secretsmanager", **session)
    assert role_ssm.get_parameter(Name="/app/allowed", WithDecryption=True)["Parameter"]["Value"] == "yes"
    assert role_sm.get_secret_value(SecretId="app-secret")["SecretString"] == "s3cret"
    assert role_sm.get_secret_value(SecretId=allowed_secret)["SecretString"] == "s3cret"
    err, status = error_of(role_ssm.get_parameter, Name="/app/forbidden", WithDecryption=True)
    assert (status, err["Code"]) == (400, "AccessDeniedException")
    assert "ssm:GetParameter" in err["Message"] and "parameter/app/forbidden" in err["Message"]
    err, _ = error_of(role_sm.get_secret_value, SecretId="other-secret")
    assert err["Code"] == "AccessDeniedException"
    err, status = error_of(server.client("sqs", **session).list_queues)
    assert status in (400, 403) and "AccessDenied" in err["Code"]
    err, status = error_of(server.client("iam", **session).list_users)
    assert (status, err["Code"]) == (403, "AccessDenied")
    # root's default credentials stay allowed; an unknown role cannot be assumed
    assert server.client("sqs").list_queues()["ResponseMetadata"]["HTTPStatusCode"] == 200
    err, status = error_of(server.client("sts").assume_role, RoleArn="arn:aws:iam::000000000000:role/nope", RoleSessionName="xx")
    assert (status, err["Code"]) == (403, "AccessDenied")
