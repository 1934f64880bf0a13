"""Secrets Manager answers replayed against what real AWS answered (LocalStack's recorded snapshots of its
test_secretsmanager suite). The expected answers are embedded here, normalised the same way on both sides: dates
become "datetime", the secret's ARN "<arn>", its name "<name>", version ids "<version:N>" in order of first sight;
everything else (field sets, values, error codes, texts, statuses) must match exactly.

Recorded scenarios not replayed here, and why:
- test_create_and_update_secret[Invalid...]: names that AWS's recording mixes with a client-side ARN lookup;
- rotation scenarios (test_rotate_secret_with_lambda_success ...): need a rotation Lambda (tests/test_secretsmanager_rotation.py);
- test_call_lists_secrets_multiple_times / test_create_multi_secrets: ListSecrets over the whole shared account
  (other tests' secrets appear; the per-secret fields are covered by describe below);
- test_update_secret_version_stages_* (but _current_pending_cycle, replayed below), test_non_versioning_*,
  test_deprecated_secret_version_stage: staging-label moves, covered in tests/test_secretsmanager.py;
- test_change_secret_value_after_creation, test_get_secret_value (the raw HTTP body): covered in test_secretsmanager.py.
"""
import datetime
import json
import uuid

import pytest
from botocore.exceptions import ClientError

from helpers import unique

NOT_FOUND = "Secrets Manager can't find the specified secret."
MARKED = "You can't perform this operation on the secret because it was marked for deletion."


@pytest.fixture(scope="module")
def sm(aws_client):
    return aws_client("secretsmanager")


class Normaliser:
    """Replaces the values that differ between runs (and between AWS and here) by stable placeholders."""

    def __init__(self, name):
        self.name = name
        self.versions = {}

    def __call__(self, value):
        if isinstance(value, dict):
            return {k: self(v) for k, v in value.items() if k != "ResponseMetadata"}
        if isinstance(value, list):
            return [self(v) for v in value]
        if isinstance(value, datetime.datetime):
            return "datetime"
        if isinstance(value, str):
            if value.startswith("arn:aws:secretsmanager:") and f":secret:{self.name}-" in value:
                return "<arn>"
            if value == self.name:
                return "<name>"
            try:
                uuid.UUID(value)
            except ValueError:
                return value
            return self.versions.setdefault(value, f"<version:{len(self.versions) + 1}>")
        return value

    def keys(self, value):
        """Map keys that are version ids, normalised too (VersionIdsToStages)."""
        if isinstance(value, dict):
            return {self(k) if isinstance(k, str) else k: self.keys(v) for k, v in value.items()}
        return value


def answer(norm, call, **kwargs):
    return norm.keys(norm(call(**kwargs)))


def error(norm, call, **kwargs):
    """An error as recorded: status, Code, Message, and the top-level Message AWS's JSON errors carry."""
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    r = info.value.response

    def text(message):  # AWS names the secret inside some messages
        return None if message is None else norm(message).replace(norm.name, "<name>")
    return (r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"], text(r["Error"]["Message"]), text(r.get("Message")))


def test_create_get_describe_put_update_delete(sm):
    name = unique("s")
    n = Normaliser(name)
    assert answer(n, sm.create_secret, Name=name, SecretString="my_secret", Description="Testing secret creation.") == {
        "ARN": "<arn>", "Name": "<name>", "VersionId": "<version:1>"}
    got = {"ARN": "<arn>", "CreatedDate": "datetime", "Name": "<name>", "SecretString": "my_secret", "VersionId": "<version:1>",
           "VersionStages": ["AWSCURRENT"]}
    assert answer(n, sm.get_secret_value, SecretId=name) == got
    assert answer(n, sm.describe_secret, SecretId=name) == {
        "ARN": "<arn>", "CreatedDate": "datetime", "Description": "Testing secret creation.", "LastAccessedDate": "datetime",
        "LastChangedDate": "datetime", "Name": "<name>", "VersionIdsToStages": {"<version:1>": ["AWSCURRENT"]}}
    assert answer(n, sm.put_secret_value, SecretId=name, SecretString="new_secret") == {
        "ARN": "<arn>", "Name": "<name>", "VersionId": "<version:2>", "VersionStages": ["AWSCURRENT"]}
    assert answer(n, sm.get_secret_value, SecretId=name) == got | {"SecretString": "new_secret", "VersionId": "<version:2>"}
    assert answer(n, sm.update_secret, SecretId=name, SecretString="third") == {
        "ARN": "<arn>", "Name": "<name>", "VersionId": "<version:3>"}
    assert answer(n, sm.delete_secret, SecretId=name, ForceDeleteWithoutRecovery=True) == {
        "ARN": "<arn>", "DeletionDate": "datetime", "Name": "<name>"}


def test_secret_not_found(sm):
    n = Normaliser("missing")
    for call in (sm.get_secret_value, sm.list_secret_version_ids):
        assert error(n, call, SecretId=unique("missing")) == (400, "ResourceNotFoundException", NOT_FOUND, NOT_FOUND)


def test_secret_version_not_found(sm):
    name = unique("s")
    n = Normaliser(name)
    sm.create_secret(Name=name)  # no value: no version at all
    prefix = "Secrets Manager can't find the specified secret value for "
    assert error(n, sm.get_secret_value, SecretId=name)[:3] == (
        400, "ResourceNotFoundException", prefix + "staging label: AWSCURRENT")
    missing = str(uuid.uuid4())
    assert error(n, sm.get_secret_value, SecretId=name, VersionId=missing)[:3] == (
        400, "ResourceNotFoundException", prefix + "VersionId: " + missing)
    assert error(n, sm.get_secret_value, SecretId=name, VersionStage="AWSPENDING")[:3] == (
        400, "ResourceNotFoundException", prefix + "staging label: AWSPENDING")


def test_get_secret_value_errors(sm):
    name = unique("s")
    n = Normaliser(name)
    version = sm.create_secret(Name=name, SecretString="v")["VersionId"]
    text = "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS"
    assert error(n, sm.get_secret_value, SecretId=name, VersionStage="AWSPREVIOUS") == (400, "ResourceNotFoundException", text, text)
    text = "You provided a VersionStage that is not associated to the provided VersionId."
    assert error(n, sm.get_secret_value, SecretId=name, VersionId=version, VersionStage="AWSPREVIOUS") == (
        400, "InvalidRequestException", text, text)


def test_secret_exists_and_scheduled_for_deletion(sm):
    name = unique("s")
    n = Normaliser(name)
    sm.create_secret(Name=name, SecretString="v")
    text = "The operation failed because the secret <name> already exists."
    assert error(n, sm.create_secret, Name=name, SecretString="v") == (400, "ResourceExistsException", text, text)
    assert answer(n, sm.delete_secret, SecretId=name) == {"ARN": "<arn>", "DeletionDate": "datetime", "Name": "<name>"}
    text = "You can't create this secret because a secret with this name is already scheduled for deletion."
    assert error(n, sm.create_secret, Name=name, SecretString="v") == (400, "InvalidRequestException", text, text)
    # tags cannot change while the secret waits for deletion
    assert error(n, sm.tag_resource, SecretId=name, Tags=[{"Key": "k", "Value": "v"}]) == (400, "InvalidRequestException", MARKED, MARKED)
    assert error(n, sm.untag_resource, SecretId=name, TagKeys=["k"]) == (400, "InvalidRequestException", MARKED, MARKED)
    assert answer(n, sm.restore_secret, SecretId=name) == {"ARN": "<arn>", "Name": "<name>"}


def test_force_delete_deleted_secret(sm):
    name = unique("s")
    n = Normaliser(name)
    assert answer(n, sm.create_secret, Name=name, SecretString="v") == {"ARN": "<arn>", "Name": "<name>", "VersionId": "<version:1>"}
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    assert answer(n, sm.describe_secret, SecretId=name) == {
        "ARN": "<arn>", "CreatedDate": "datetime", "DeletedDate": "datetime", "LastChangedDate": "datetime", "Name": "<name>",
        "VersionIdsToStages": {"<version:1>": ["AWSCURRENT"]}}
    assert answer(n, sm.delete_secret, SecretId=name, ForceDeleteWithoutRecovery=True) == {
        "ARN": "<arn>", "DeletionDate": "datetime", "Name": "<name>"}


def test_secret_tags(sm):
    name = unique("s")
    n = Normaliser(name)
    assert answer(n, sm.create_secret, Name=name) == {"ARN": "<arn>", "Name": "<name>"}
    base = {"ARN": "<arn>", "CreatedDate": "datetime", "LastChangedDate": "datetime", "Name": "<name>"}
    assert answer(n, sm.describe_secret, SecretId=name) == base
    assert answer(n, sm.tag_resource, SecretId=name, Tags=[{"Key": "tag1", "Value": "value1"}]) == {}
    assert answer(n, sm.describe_secret, SecretId=name) == base | {"Tags": [{"Key": "tag1", "Value": "value1"}]}
    sm.tag_resource(SecretId=name, Tags=[{"Key": "tag2", "Value": "value2"}])
    assert answer(n, sm.describe_secret, SecretId=name)["Tags"] == [{"Key": "tag1", "Value": "value1"}, {"Key": "tag2", "Value": "value2"}]
    assert answer(n, sm.untag_resource, SecretId=name, TagKeys=["tag1"]) == {}
    assert answer(n, sm.describe_secret, SecretId=name)["Tags"] == [{"Key": "tag2", "Value": "value2"}]
    sm.untag_resource(SecretId=name, TagKeys=["tag2"])
    assert answer(n, sm.describe_secret, SecretId=name) == base | {"Tags": []}


def test_resource_policy(sm):
    name = unique("s")
    n = Normaliser(name)
    sm.create_secret(Name=name, SecretString="v")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "secretsmanager:GetSecretValue",
                                                      "Resource": "*"}]}
    assert answer(n, sm.put_resource_policy, SecretId=name, ResourcePolicy=json.dumps(policy)) == {"ARN": "<arn>", "Name": "<name>"}
    got = answer(n, sm.get_resource_policy, SecretId=name)
    assert got == {"ARN": "<arn>", "Name": "<name>", "ResourcePolicy": got["ResourcePolicy"]}
    assert json.loads(got["ResourcePolicy"]) == policy


@pytest.mark.parametrize("bad", ["Inv Name", " Inv Name", " Inv*Name? ", " Inv *?!]Name\\-"])
def test_invalid_secret_name(sm, bad):
    n = Normaliser(bad)
    text = "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"
    calls = [(sm.create_secret, {"Name": bad, "SecretString": "v"}), (sm.delete_secret, {"SecretId": bad}),
             (sm.describe_secret, {"SecretId": bad}), (sm.get_secret_value, {"SecretId": bad}),
             (sm.list_secret_version_ids, {"SecretId": bad}), (sm.put_secret_value, {"SecretId": bad, "SecretString": "v"}),
             (sm.tag_resource, {"SecretId": bad, "Tags": [{"Key": "k", "Value": "v"}]}),
             (sm.untag_resource, {"SecretId": bad, "TagKeys": ["k"]}), (sm.update_secret, {"SecretId": bad, "SecretString": "v"})]
    for call, kwargs in calls:
        assert error(n, call, **kwargs)[:3] == (400, "ValidationException", text), call.__name__


# test_update_secret_version_stages_current_pending_cycle: AWSPENDING put twice and promoted to AWSCURRENT each time
# (AWSPREVIOUS follows; AWSPENDING stays on the promoted version until the next put); LastAccessedDate appears on a
# version once GetSecretValue has read it.
RECORDED_CYCLE = {
    "create_secret_rs_0": {"ARN": "<arn>", "Name": "<name>", "VersionId": "<version:1>"},
    "put_secret_value_res_0": {"ARN": "<arn>", "Name": "<name>", "VersionId": "<version:2>", "VersionStages": ["AWSPENDING"]},
    "list_secret_version_ids_res_0": {"ARN": "<arn>", "Name": "<name>", "Versions": [{"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "VersionId": "<version:1>", "VersionStages": ["AWSCURRENT"]}, {"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "VersionId": "<version:2>", "VersionStages": ["AWSPENDING"]}]},
    "get_secret_value_res_0": {"ARN": "<arn>", "CreatedDate": "datetime", "Name": "<name>", "SecretString": "S1", "VersionId": "<version:1>", "VersionStages": ["AWSCURRENT"]},
    "update_secret_version_stage_res_0": {"ARN": "<arn>", "Name": "<name>"},
    "list_secret_version_ids_res_1": {"ARN": "<arn>", "Name": "<name>", "Versions": [{"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "LastAccessedDate": "datetime", "VersionId": "<version:1>", "VersionStages": ["AWSPREVIOUS"]}, {"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "VersionId": "<version:2>", "VersionStages": ["AWSCURRENT", "AWSPENDING"]}]},
    "get_secret_value_res_1": {"ARN": "<arn>", "CreatedDate": "datetime", "Name": "<name>", "SecretString": "S2", "VersionId": "<version:2>", "VersionStages": ["AWSCURRENT", "AWSPENDING"]},
    "put_secret_value_res_1": {"ARN": "<arn>", "Name": "<name>", "VersionId": "<version:3>", "VersionStages": ["AWSPENDING"]},
    "list_secret_version_ids_res_2": {"ARN": "<arn>", "Name": "<name>", "Versions": [{"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "LastAccessedDate": "datetime", "VersionId": "<version:1>", "VersionStages": ["AWSPREVIOUS"]}, {"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "LastAccessedDate": "datetime", "VersionId": "<version:2>", "VersionStages": ["AWSCURRENT"]}, {"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "VersionId": "<version:3>", "VersionStages": ["AWSPENDING"]}]},
    "get_secret_value_res_2": {"ARN": "<arn>", "CreatedDate": "datetime", "Name": "<name>", "SecretString": "S2", "VersionId": "<version:2>", "VersionStages": ["AWSCURRENT"]},
    "put_secret_value_res_2": {"ARN": "<arn>", "Name": "<name>"},
    "list_secret_version_ids_res_3": {"ARN": "<arn>", "Name": "<name>", "Versions": [{"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "LastAccessedDate": "datetime", "VersionId": "<version:2>", "VersionStages": ["AWSPREVIOUS"]}, {"CreatedDate": "datetime", "KmsKeyIds": ["DefaultEncryptionKey"], "VersionId": "<version:3>", "VersionStages": ["AWSCURRENT", "AWSPENDING"]}]},
    "get_secret_value_res_3": {"ARN": "<arn>", "CreatedDate": "datetime", "Name": "<name>", "SecretString": "S3", "VersionId": "<version:3>", "VersionStages": ["AWSCURRENT", "AWSPENDING"]},
    "delete_secret_res_0": {"ARN": "<arn>", "DeletionDate": "datetime", "Name": "<name>"},
}


def test_update_secret_version_stages_current_pending_cycle(sm):
    name = unique("cycle")
    norm = Normaliser(name)
    got = {}
    created = sm.create_secret(Name=name, SecretString="S1")
    got["create_secret_rs_0"] = norm.keys(norm(created))
    v0 = created["VersionId"]
    put = sm.put_secret_value(SecretId=name, SecretString="S2", VersionStages=["AWSPENDING"])
    got["put_secret_value_res_0"] = norm.keys(norm(put))
    v1 = put["VersionId"]
    got["list_secret_version_ids_res_0"] = answer(norm, sm.list_secret_version_ids, SecretId=name)
    got["get_secret_value_res_0"] = answer(norm, sm.get_secret_value, SecretId=name)
    got["update_secret_version_stage_res_0"] = answer(norm, sm.update_secret_version_stage, SecretId=name, RemoveFromVersionId=v0,
                                                      MoveToVersionId=v1, VersionStage="AWSCURRENT")
    got["list_secret_version_ids_res_1"] = answer(norm, sm.list_secret_version_ids, SecretId=name)
    got["get_secret_value_res_1"] = answer(norm, sm.get_secret_value, SecretId=name)
    put = sm.put_secret_value(SecretId=name, SecretString="S3", VersionStages=["AWSPENDING"])
    got["put_secret_value_res_1"] = norm.keys(norm(put))
    v2 = put["VersionId"]
    got["list_secret_version_ids_res_2"] = answer(norm, sm.list_secret_version_ids, SecretId=name)
    got["get_secret_value_res_2"] = answer(norm, sm.get_secret_value, SecretId=name)
    got["put_secret_value_res_2"] = answer(norm, sm.update_secret_version_stage, SecretId=name, RemoveFromVersionId=v1,
                                          MoveToVersionId=v2, VersionStage="AWSCURRENT")
    got["list_secret_version_ids_res_3"] = answer(norm, sm.list_secret_version_ids, SecretId=name)
    got["get_secret_value_res_3"] = answer(norm, sm.get_secret_value, SecretId=name)
    got["delete_secret_res_0"] = answer(norm, sm.delete_secret, SecretId=name, ForceDeleteWithoutRecovery=True)
    for step, expected in RECORDED_CYCLE.items():
        assert got[step] == expected, step
