"""Secrets Manager end to end (native provider): boto3 and the AWS CLI against a running server."""
import json
import string

import pytest
import requests

from helpers import error_of, unique

NOT_FOUND = "Secrets Manager can't find the specified secret."


@pytest.fixture(scope="module")
def sm(aws_client):
    return aws_client("secretsmanager")


def stages(sm, secret_id, **kwargs):
    return {v["VersionId"]: v.get("VersionStages", []) for v in sm.list_secret_version_ids(SecretId=secret_id, **kwargs)["Versions"]}


def test_create_get_and_lookups(sm):
    name = unique("app/db")
    created = sm.create_secret(Name=name, SecretString="pw1", Description="db password")
    arn = created["ARN"]
    assert arn.startswith(f"arn:aws:secretsmanager:us-east-1:000000000000:secret:{name}-") and len(arn.split(f"{name}-")[1]) == 6
    for secret_id in (name, arn, arn[:-7]):
        value = sm.get_secret_value(SecretId=secret_id)
        assert (value["Name"], value["ARN"], value["SecretString"], value["VersionStages"]) == (name, arn, "pw1", ["AWSCURRENT"])
        assert value["VersionId"] == created["VersionId"]
    described = sm.describe_secret(SecretId=name)
    assert described["Description"] == "db password" and "LastAccessedDate" in described
    assert described["VersionIdsToStages"] == {created["VersionId"]: ["AWSCURRENT"]}
    assert "RotationEnabled" not in described and "KmsKeyId" not in described


def test_errors_as_recorded(sm):
    err, status = error_of(sm.get_secret_value, SecretId=unique("missing"))
    assert (status, err["Code"], err["Message"]) == (400, "ResourceNotFoundException", NOT_FOUND)
    err, status = error_of(sm.list_secret_version_ids, SecretId=unique("missing"))
    assert (status, err["Code"], err["Message"]) == (400, "ResourceNotFoundException", NOT_FOUND)
    for bad in ["Inv Name", " Inv*Name? "]:
        err, _ = error_of(sm.create_secret, Name=bad, SecretString="x")
        assert err["Code"] == "ValidationException"
        assert err["Message"] == "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"
    name = unique("dup")
    sm.create_secret(Name=name, SecretString="x")
    err, _ = error_of(sm.create_secret, Name=name, SecretString="y")
    assert (err["Code"], err["Message"]) == ("ResourceExistsException", f"The operation failed because the secret {name} already exists.")
    err, _ = error_of(sm.get_secret_value, SecretId=name, VersionStage="AWSPREVIOUS")
    assert err["Message"] == "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS"
    version = sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    vid = next(iter(version))
    err, _ = error_of(sm.get_secret_value, SecretId=name, VersionId=vid, VersionStage="AWSPENDING")
    assert (err["Code"], err["Message"]) == ("InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId.")
    other = "a" * 32
    err, _ = error_of(sm.get_secret_value, SecretId=name, VersionId=other)
    assert err["Message"] == f"Secrets Manager can't find the specified secret value for VersionId: {other}"


def test_raw_error_body_and_missing_token(endpoint_url):
    headers = {"X-Amz-Target": "secretsmanager.GetSecretValue", "Content-Type": "application/x-amz-json-1.1",
               "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=x"}
    r = requests.post(endpoint_url, data=json.dumps({"SecretId": unique("nope")}), headers=headers)
    assert r.status_code == 400
    assert r.json() == {"__type": "ResourceNotFoundException", "Message": NOT_FOUND}
    headers["X-Amz-Target"] = "secretsmanager.CreateSecret"
    r = requests.post(endpoint_url, data=json.dumps({"Name": unique("tok"), "SecretString": "x"}), headers=headers)
    assert r.status_code == 400 and r.json()["__type"] == "InvalidRequestException"
    assert r.json()["Message"] == "You must provide a ClientRequestToken value. We recommend a UUID-type value."


def test_stages_move_as_aws(sm):
    name = unique("stages")
    v1 = sm.create_secret(Name=name, SecretString="1")["VersionId"]
    v2 = sm.put_secret_value(SecretId=name, SecretString="2")["VersionId"]
    assert stages(sm, name) == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    v3 = sm.put_secret_value(SecretId=name, SecretString="3")["VersionId"]
    assert stages(sm, name) == {v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}
    assert stages(sm, name, IncludeDeprecated=True) == {v1: [], v2: ["AWSPREVIOUS"], v3: ["AWSCURRENT"]}
    assert sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["SecretString"] == "2"
    pending = sm.put_secret_value(SecretId=name, SecretString="4", VersionStages=["AWSPENDING"])
    assert pending["VersionStages"] == ["AWSPENDING"]
    err, _ = error_of(sm.update_secret_version_stage, SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=pending["VersionId"])
    assert err["Code"] == "InvalidParameterException"
    assert err["Message"] == (f"The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to "
                              f"version {v3}, so you must explicitly reference that version in RemoveFromVersionId.")
    r = sm.update_secret_version_stage(SecretId=name, VersionStage="AWSCURRENT", MoveToVersionId=pending["VersionId"], RemoveFromVersionId=v3)
    assert set(r) - {"ResponseMetadata"} == {"ARN", "Name"}
    assert stages(sm, name) == {v3: ["AWSPREVIOUS"], pending["VersionId"]: ["AWSCURRENT", "AWSPENDING"]}
    custom = sm.put_secret_value(SecretId=name, SecretString="5", VersionStages=["two", "one"])
    assert custom["VersionStages"] == ["one", "two"]
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "4"


def test_client_request_token_idempotency(sm):
    name = unique("idem")
    token = "t" * 40
    first = sm.create_secret(Name=name, SecretString="same", ClientRequestToken=token)
    assert first["VersionId"] == token
    again = sm.create_secret(Name=name, SecretString="same", ClientRequestToken=token)
    assert again["VersionId"] == token
    t2 = "u" * 40
    sm.put_secret_value(SecretId=name, SecretString="v2", ClientRequestToken=t2)
    assert sm.put_secret_value(SecretId=name, SecretString="v2", ClientRequestToken=t2)["VersionId"] == t2
    err, _ = error_of(sm.put_secret_value, SecretId=name, SecretString="other", ClientRequestToken=t2)
    assert (err["Code"], err["Message"]) == ("ResourceExistsException", "You can't modify an existing version, you can only create a new version.")


def test_update_secret_binary_and_empty_secret(sm):
    name = unique("upd")
    created = sm.create_secret(Name=name)
    assert "VersionId" not in created
    assert "VersionIdsToStages" not in sm.describe_secret(SecretId=name)
    err, _ = error_of(sm.get_secret_value, SecretId=name)
    assert err["Message"] == "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
    r = sm.update_secret(SecretId=name, Description="only description")
    assert "VersionId" not in r
    r = sm.update_secret(SecretId=name, SecretBinary=b"\x00\x01\xff")
    assert sm.get_secret_value(SecretId=name)["SecretBinary"] == b"\x00\x01\xff"
    assert sm.describe_secret(SecretId=name)["Description"] == "only description"


def test_delete_restore_and_force(sm):
    name = unique("del")
    sm.create_secret(Name=name, SecretString="x")
    err, _ = error_of(sm.delete_secret, SecretId=name, RecoveryWindowInDays=3)
    assert err["Code"] == "InvalidParameterException"
    err, _ = error_of(sm.delete_secret, SecretId=name, RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True)
    assert err["Code"] == "InvalidParameterException"
    deleted = sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    assert "DeletionDate" in deleted
    err, _ = error_of(sm.get_secret_value, SecretId=name)
    assert (err["Code"], err["Message"]) == ("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
    err, _ = error_of(sm.create_secret, Name=name, SecretString="y")
    assert err["Message"] == "You can't create this secret because a secret with this name is already scheduled for deletion."
    err, _ = error_of(sm.tag_resource, SecretId=name, Tags=[{"Key": "a", "Value": "b"}])
    assert err["Message"] == "You can't perform this operation on the secret because it was marked for deletion."
    assert "DeletedDate" in sm.describe_secret(SecretId=name)
    names = [s["Name"] for s in sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]]
    assert names == []
    names = [s["Name"] for s in sm.list_secrets(IncludePlannedDeletion=True, Filters=[{"Key": "name", "Values": [name]}])["SecretList"]]
    assert names == [name]
    sm.restore_secret(SecretId=name)
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "x"
    sm.delete_secret(SecretId=name)
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    err, _ = error_of(sm.describe_secret, SecretId=name)
    assert err["Code"] == "ResourceNotFoundException"
    sm.create_secret(Name=name, SecretString="again")


def test_list_secrets_filters_sort_pagination(sm):
    prefix = unique("lst")
    for i in range(5):
        sm.create_secret(Name=f"{prefix}/{i}", SecretString=str(i), Description=f"number {i}",
                         Tags=[{"Key": "parity", "Value": "even" if i % 2 == 0 else "odd"}])
    names = []
    kwargs = {}
    while True:
        page = sm.list_secrets(MaxResults=2, Filters=[{"Key": "name", "Values": [prefix]}], **kwargs)
        names += [s["Name"] for s in page["SecretList"]]
        if "NextToken" not in page:
            break
        kwargs = {"NextToken": page["NextToken"]}
    assert names == [f"{prefix}/{i}" for i in range(5)]
    desc = sm.list_secrets(Filters=[{"Key": "name", "Values": [prefix]}], SortOrder="desc")["SecretList"]
    assert [s["Name"] for s in desc] == [f"{prefix}/{i}" for i in reversed(range(5))]
    odd = sm.list_secrets(Filters=[{"Key": "name", "Values": [prefix]}, {"Key": "tag-value", "Values": ["odd"]}])["SecretList"]
    assert [s["Name"] for s in odd] == [f"{prefix}/1", f"{prefix}/3"]
    not_odd = sm.list_secrets(Filters=[{"Key": "name", "Values": [prefix]}, {"Key": "tag-value", "Values": ["!odd"]}])["SecretList"]
    assert len(not_odd) == 3
    entry = odd[0]
    assert "SecretVersionsToStages" in entry and entry["Tags"] == [{"Key": "parity", "Value": "odd"}]
    batch = sm.batch_get_secret_value(SecretIdList=[f"{prefix}/0", f"{prefix}/4", unique("nope")])
    assert sorted(v["SecretString"] for v in batch["SecretValues"]) == ["0", "4"]
    assert batch["Errors"][0]["ErrorCode"] == "ResourceNotFoundException"
    by_filter = sm.batch_get_secret_value(Filters=[{"Key": "name", "Values": [prefix]}])
    assert len(by_filter["SecretValues"]) == 5


def test_tags_and_resource_policy(sm):
    name = unique("pol")
    sm.create_secret(Name=name, SecretString="x", Tags=[{"Key": "a", "Value": "1"}])
    sm.tag_resource(SecretId=name, Tags=[{"Key": "b", "Value": "2"}])
    sm.untag_resource(SecretId=name, TagKeys=["a"])
    assert sm.describe_secret(SecretId=name)["Tags"] == [{"Key": "b", "Value": "2"}]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
    r = sm.put_resource_policy(SecretId=name, ResourcePolicy=json.dumps(policy))
    assert set(r) - {"ResponseMetadata"} == {"ARN", "Name"}
    assert json.loads(sm.get_resource_policy(SecretId=name)["ResourcePolicy"]) == policy
    assert sm.validate_resource_policy(ResourcePolicy=json.dumps(policy))["PolicyValidationPassed"] is True
    sm.delete_resource_policy(SecretId=name)
    assert "ResourcePolicy" not in sm.get_resource_policy(SecretId=name)
    err, _ = error_of(sm.put_resource_policy, SecretId=name, ResourcePolicy="{not json")
    assert err["Code"] == "MalformedPolicyDocumentException"


def test_cross_account_read_needs_policy_and_customer_key(aws_client):
    owner_sm = aws_client("secretsmanager", aws_access_key_id="111111111111")
    reader_sm = aws_client("secretsmanager", aws_access_key_id="222222222222")
    key = aws_client("kms", aws_access_key_id="111111111111").create_key()["KeyMetadata"]["Arn"]
    shared = owner_sm.create_secret(Name=unique("shared"), SecretString="for-you", KmsKeyId=key)["ARN"]
    err, _ = error_of(reader_sm.get_secret_value, SecretId=shared)
    assert err["Code"] == "AccessDeniedException"
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                                                      "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}
    owner_sm.put_resource_policy(SecretId=shared, ResourcePolicy=json.dumps(policy))
    assert reader_sm.get_secret_value(SecretId=shared)["SecretString"] == "for-you"
    default_key = owner_sm.create_secret(Name=unique("shared"), SecretString="x")["ARN"]
    owner_sm.put_resource_policy(SecretId=default_key, ResourcePolicy=json.dumps(policy))
    err, _ = error_of(reader_sm.get_secret_value, SecretId=default_key)
    assert err["Message"] == "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS service key."
    err, _ = error_of(reader_sm.get_secret_value, SecretId=shared.split(":secret:")[1])
    assert err["Code"] == "ResourceNotFoundException"


def test_random_password_options(sm):
    assert len(sm.get_random_password()["RandomPassword"]) == 32
    pw = sm.get_random_password(PasswordLength=60, ExcludePunctuation=True, ExcludeUppercase=True, ExcludeCharacters="abc")["RandomPassword"]
    assert len(pw) == 60 and not set(pw) & set(string.punctuation + string.ascii_uppercase + "abc")
    assert any(c.isdigit() for c in pw) and any(c.islower() for c in pw)
    assert set(sm.get_random_password(PasswordLength=20, ExcludeLowercase=True, ExcludeUppercase=True, ExcludePunctuation=True)["RandomPassword"]) <= set(string.digits)
    assert " " in "".join(sm.get_random_password(PasswordLength=200, IncludeSpace=True)["RandomPassword"] for _ in range(3))
    err, _ = error_of(sm.get_random_password, PasswordLength=3)
    assert (err["Code"], err["Message"]) == ("InvalidParameterException", "Password length is too short based on the required types.")


def test_replication(aws_client, sm):
    name = unique("repl")
    arn = sm.create_secret(Name=name, SecretString="r1", AddReplicaRegions=[{"Region": "eu-west-1"}])["ARN"]
    west = aws_client("secretsmanager", region_name="eu-west-1")
    replica = west.describe_secret(SecretId=name)
    assert replica["PrimaryRegion"] == "us-east-1" and replica["ARN"] == arn.replace("us-east-1", "eu-west-1")
    assert west.get_secret_value(SecretId=name)["SecretString"] == "r1"
    sm.put_secret_value(SecretId=name, SecretString="r2")
    assert west.get_secret_value(SecretId=name)["SecretString"] == "r2"
    err, _ = error_of(west.put_secret_value, SecretId=name, SecretString="no")
    assert err["Message"] == "Operation not permitted on a replica secret. Call must be made in primary secret's region."
    status = sm.replicate_secret_to_regions(SecretId=name, AddReplicaRegions=[{"Region": "eu-central-1"}])["ReplicationStatus"]
    assert sorted(s["Region"] for s in status) == ["eu-central-1", "eu-west-1"]
    assert sm.describe_secret(SecretId=name)["ReplicationStatus"][0]["Status"] == "InSync"
    err, _ = error_of(sm.delete_secret, SecretId=name)
    assert err["Code"] == "InvalidRequestException"
    sm.remove_regions_from_replication(SecretId=name, RemoveReplicaRegions=["eu-central-1"])
    err, _ = error_of(aws_client("secretsmanager", region_name="eu-central-1").describe_secret, SecretId=name)
    assert err["Code"] == "ResourceNotFoundException"
    west.stop_replication_to_replica(SecretId=name)
    assert "PrimaryRegion" not in west.describe_secret(SecretId=name)
    west.put_secret_value(SecretId=name, SecretString="standalone")
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)


def test_rotation_errors(sm):
    name = unique("rot")
    sm.create_secret(Name=name, SecretString="x")
    err, _ = error_of(sm.rotate_secret, SecretId=name)
    assert (err["Code"], err["Message"]) == ("InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.")
    err, _ = error_of(sm.rotate_secret, SecretId=name, RotationLambdaARN="arn:aws:lambda:us-east-1:000000000000:function:missing-fn")
    assert err["Code"] == "AccessDeniedException"
    assert err["Message"] == ("Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants "
                              "access to the principal secretsmanager.amazonaws.com.")
    assert "RotationEnabled" not in sm.describe_secret(SecretId=name)


def test_cli_create_and_get(aws_cli):
    name = unique("cli")
    aws_cli("secretsmanager", "create-secret", "--name", name, "--secret-string", "from-cli")
    assert aws_cli("secretsmanager", "get-secret-value", "--secret-id", name)["SecretString"] == "from-cli"
