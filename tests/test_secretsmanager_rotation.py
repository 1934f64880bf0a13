"""Secrets Manager rotation end to end: RotateSecret runs a real Python rotation function (AWS's template's four
steps) through the native Lambda provider; the function calls back into Secrets Manager with boto3."""
from datetime import timezone

import pytest

from helpers import error_of, unique
from lambda_helpers import functions, lambda_client  # noqa: F401  (fixtures)

# A rotation function written as AWS's rotation templates are: checks the token, creates the AWSPENDING value,
# (no database to set or test), then moves AWSCURRENT to the new version. Each step is logged into the value.
ROTATOR = '''
import json
import os
import boto3

def client():
    return boto3.client("secretsmanager", endpoint_url=os.environ["AWS_ENDPOINT_URL"])

def handler(event, context):
    sm = client()
    arn, token, step = event["SecretId"], event["ClientRequestToken"], event["Step"]
    meta = sm.describe_secret(SecretId=arn)
    if not meta.get("RotationEnabled"):
        raise ValueError("rotation not enabled")
    versions = meta["VersionIdsToStages"]
    if token not in versions:
        raise ValueError("no version " + token)
    if "AWSCURRENT" in versions[token]:
        return
    if "AWSPENDING" not in versions[token]:
        raise ValueError("version not pending")
    if step == "createSecret":
        current = json.loads(sm.get_secret_value(SecretId=arn, VersionStage="AWSCURRENT")["SecretString"])
        try:
            sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        except sm.exceptions.ResourceNotFoundException:
            password = sm.get_random_password(ExcludePunctuation=True)["RandomPassword"]
            value = {"password": password, "generation": current["generation"] + 1, "steps": ["createSecret"]}
            sm.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=json.dumps(value),
                                VersionStages=["AWSPENDING"])
    elif step in ("setSecret", "testSecret"):
        pending = json.loads(sm.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"])
        if os.environ.get("FAIL_STEP") == step:
            raise RuntimeError(step + " failed on purpose")
    elif step == "finishSecret":
        current = next(v for v, stages in versions.items() if "AWSCURRENT" in stages)
        sm.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token,
                                       RemoveFromVersionId=current)
    else:
        raise ValueError("unknown step " + step)
'''


@pytest.fixture(scope="module")
def sm(aws_client):
    from botocore.config import Config
    return aws_client("secretsmanager", config=Config(retries={"max_attempts": 1}, read_timeout=120))


@pytest.fixture(scope="module")
def rotator(functions):
    name, answer = functions.create({"index.py": ROTATOR}, prefix="rotator", Timeout=60)
    return answer["FunctionArn"]


def stages(sm, secret_id):
    return {v["VersionId"]: v.get("VersionStages", []) for v in sm.list_secret_version_ids(SecretId=secret_id)["Versions"]}


def generation(sm, secret_id, **kwargs):
    import json
    return json.loads(sm.get_secret_value(SecretId=secret_id, **kwargs)["SecretString"])["generation"]


def test_rotate_runs_the_function_and_moves_the_labels(sm, rotator):
    name = unique("rotated")
    first = sm.create_secret(Name=name, SecretString='{"generation": 1}', Description="testing rotation of secrets")["VersionId"]
    answer = sm.rotate_secret(SecretId=name, RotationLambdaARN=rotator, RotationRules={"AutomaticallyAfterDays": 1})
    second = answer["VersionId"]
    assert second != first and answer["Name"] == name and answer["ARN"].startswith("arn:aws:secretsmanager:")
    assert generation(sm, name) == 2
    assert stages(sm, name) == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}
    described = sm.describe_secret(SecretId=name)
    assert described["RotationEnabled"] is True and described["RotationLambdaARN"] == rotator
    assert described["RotationRules"] == {"AutomaticallyAfterDays": 1}
    for field in ("LastRotatedDate", "NextRotationDate", "LastAccessedDate", "LastChangedDate"):
        assert field in described, field
    assert described["VersionIdsToStages"] == {first: ["AWSPREVIOUS"], second: ["AWSCURRENT"]}
    # the function read AWSCURRENT, so the first version was accessed; the new one has not been read through the API
    versions = {v["VersionId"]: v for v in sm.list_secret_version_ids(SecretId=name)["Versions"]}
    assert "LastAccessedDate" in versions[first] and versions[second]["KmsKeyIds"] == ["DefaultEncryptionKey"]

    # a second rotation uses the stored function and rules
    third = sm.rotate_secret(SecretId=name)["VersionId"]
    assert generation(sm, name) == 3 and generation(sm, name, VersionStage="AWSPREVIOUS") == 2
    assert stages(sm, name) == {second: ["AWSPREVIOUS"], third: ["AWSCURRENT"]}


def test_schedule_expression_and_no_immediate_rotation(sm, rotator):
    name = unique("scheduled")
    first = sm.create_secret(Name=name, SecretString='{"generation": 1}')["VersionId"]
    answer = sm.rotate_secret(SecretId=name, RotationLambdaARN=rotator, RotateImmediately=False,
                              RotationRules={"ScheduleExpression": "rate(10 days)", "Duration": "2h"})
    assert "VersionId" not in answer or answer["VersionId"] == first
    described = sm.describe_secret(SecretId=name)
    assert described["RotationRules"] == {"ScheduleExpression": "rate(10 days)", "Duration": "2h"}
    assert described["RotationEnabled"] is True and "LastRotatedDate" not in described
    # rate() windows start at midnight UTC: the next one is ten days from today's midnight
    nxt = described["NextRotationDate"].astimezone(timezone.utc)
    assert (nxt.hour, nxt.minute, nxt.second) == (0, 0, 0)
    assert 9 * 86400 < (nxt - described["LastChangedDate"]).total_seconds() <= 10 * 86400
    assert stages(sm, name) == {first: ["AWSCURRENT"]} and generation(sm, name) == 1

    err, status = error_of(sm.rotate_secret, SecretId=name, RotationRules={"ScheduleExpression": "every tuesday"})
    assert status == 400 and err["Code"] == "InvalidParameterException"
    sm.cancel_rotate_secret(SecretId=name)
    assert sm.describe_secret(SecretId=name)["RotationEnabled"] is False


def test_failed_step_leaves_pending_and_blocks_the_next_rotation(sm, functions, lambda_client):
    name_fn, fn = functions.create({"index.py": ROTATOR}, prefix="rotator-fails", Timeout=60,
                                   Environment={"Variables": {"FAIL_STEP": "testSecret"}})
    name = unique("half-rotated")
    first = sm.create_secret(Name=name, SecretString='{"generation": 1}')["VersionId"]
    pending = sm.rotate_secret(SecretId=name, RotationLambdaARN=fn["FunctionArn"])["VersionId"]
    # createSecret ran, testSecret failed: the new value waits as AWSPENDING and AWSCURRENT did not move
    assert stages(sm, name) == {first: ["AWSCURRENT"], pending: ["AWSPENDING"]}
    assert generation(sm, name) == 1 and generation(sm, name, VersionStage="AWSPENDING") == 2
    err, _ = error_of(sm.rotate_secret, SecretId=name)
    assert (err["Code"], err["Message"]) == ("InvalidRequestException",
                                             "A previous rotation isn't complete. That rotation will be reattempted.")
    # fixed function, same token: the pending rotation completes
    lambda_client.update_function_configuration(FunctionName=name_fn, Environment={"Variables": {}})
    lambda_client.get_waiter("function_updated_v2").wait(FunctionName=name_fn, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    assert sm.rotate_secret(SecretId=name, ClientRequestToken=pending)["VersionId"] == pending
    assert stages(sm, name) == {first: ["AWSPREVIOUS"], pending: ["AWSCURRENT"]}
