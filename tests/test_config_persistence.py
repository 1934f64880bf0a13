"""SSM parameters, secrets (with their KMS-encrypted values) and IAM survive a kill -9 under PERSISTENCE=1."""
import json

from test_persistence import PERSIST, _wait_until_saved

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}


def test_ssm_secrets_and_iam_survive_kill(start_server):
    srv = start_server(PERSIST)
    ssm, sm, iam = srv.client("ssm"), srv.client("secretsmanager"), srv.client("iam")
    ssm.put_parameter(Name="/p/plain", Value="v1", Type="String")
    ssm.put_parameter(Name="/p/plain", Value="v2", Type="String", Overwrite=True)
    ssm.label_parameter_version(Name="/p/plain", ParameterVersion=1, Labels=["first"])
    ssm.put_parameter(Name="/p/secure", Value="hidden", Type="SecureString")
    v1 = sm.create_secret(Name="kept", SecretString="one")["VersionId"]
    v2 = sm.put_secret_value(SecretId="kept", SecretString="two")["VersionId"]
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    role_id = iam.create_role(RoleName="kept-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["RoleId"]
    _wait_until_saved(srv, ["ssm", "secretsmanager", "iam", "kms"])
    srv.kill()
    srv.start()
    ssm, sm, iam = srv.client("ssm"), srv.client("secretsmanager"), srv.client("iam")
    assert ssm.get_parameter(Name="/p/plain:first")["Parameter"]["Value"] == "v1"
    assert ssm.get_parameter(Name="/p/plain")["Parameter"]["Version"] == 2
    assert ssm.get_parameter(Name="/p/secure", WithDecryption=True)["Parameter"]["Value"] == "hidden"
    assert sm.get_secret_value(SecretId="kept")["SecretString"] == "two"
    assert sm.get_secret_value(SecretId="kept", VersionStage="AWSPREVIOUS")["VersionId"] == v1
    assert sm.describe_secret(SecretId="kept")["VersionIdsToStages"] == {v1: ["AWSPREVIOUS"], v2: ["AWSCURRENT"]}
    assert iam.get_role(RoleName="kept-role")["Role"]["RoleId"] == role_id
    # the access key still signs for alice's account
    sts = srv.client("sts", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    assert sts.get_caller_identity()["Account"] == "000000000000"
    assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"][0]["AccessKeyId"] == key["AccessKeyId"]
