"""SSM Parameter Store end to end (native provider): boto3 and the AWS CLI against a running server."""
import json

import pytest

from helpers import error_of, unique


@pytest.fixture(scope="module")
def ssm(aws_client):
    return aws_client("ssm")


def test_put_get_overwrite_and_versions(ssm):
    name = unique("/app") + "/db/url"
    assert ssm.put_parameter(Name=name, Value="v1", Type="String")["Version"] == 1
    err, status = error_of(ssm.put_parameter, Name=name, Value="v2", Type="String")
    assert status == 400 and err["Code"] == "ParameterAlreadyExists"
    assert ssm.put_parameter(Name=name, Value="v2", Overwrite=True)["Version"] == 2
    p = ssm.get_parameter(Name=name)["Parameter"]
    assert (p["Name"], p["Value"], p["Version"], p["Type"], p["DataType"]) == (name, "v2", 2, "String", "text")
    assert p["ARN"] == f"arn:aws:ssm:us-east-1:000000000000:parameter{name}"
    old = ssm.get_parameter(Name=f"{name}:1")["Parameter"]
    assert (old["Value"], old["Version"], old["Selector"], old["Name"]) == ("v1", 1, ":1", name)
    by_arn = ssm.get_parameter(Name=p["ARN"])["Parameter"]
    assert by_arn["Name"] == name and by_arn["Value"] == "v2"
    err, _ = error_of(ssm.get_parameter, Name=f"{name}:9")
    assert err["Code"] == "ParameterVersionNotFound"
    assert err["Message"] == f"Systems Manager could not find version 9 of {name}. Verify the version and try again."
    history = ssm.get_parameter_history(Name=name)["Parameters"]
    assert [h["Value"] for h in history] == ["v1", "v2"]


def test_root_level_name_and_arn(ssm):
    name = unique("plain")
    ssm.put_parameter(Name=name, Value="x", Type="String")
    p = ssm.get_parameter(Name=name)["Parameter"]
    assert p["ARN"] == f"arn:aws:ssm:us-east-1:000000000000:parameter/{name}"
    assert ssm.get_parameter(Name=p["ARN"])["Parameter"]["Name"] == name


def test_missing_parameter_and_name_rules(ssm):
    err, status = error_of(ssm.get_parameter, Name=unique("/missing"))
    assert status == 400 and err["Code"] == "ParameterNotFound"
    for bad in ["a//b", "/a//b", "bad name", "/aws/foo", "ssm-thing"]:
        err, status = error_of(ssm.put_parameter, Name=bad, Value="x", Type="String")
        assert status == 400 and err["Code"] in ("ValidationException", "AccessDeniedException"), bad
    err, _ = error_of(ssm.put_parameter, Name="a/b", Value="x", Type="String")
    assert err["Message"] == "Parameter name must be a fully qualified name."
    err, _ = error_of(ssm.put_parameter, Name="/aws/foo/bar", Value="x", Type="String")
    assert err["Code"] == "AccessDeniedException"
    err, _ = error_of(ssm.put_parameter, Name="ssm-thing", Value="x", Type="String")
    assert err["Message"] == "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive)."
    deep = "/" + "/".join(f"l{i}" for i in range(16))
    err, _ = error_of(ssm.put_parameter, Name=deep, Value="x", Type="String")
    assert err["Code"] == "HierarchyLevelLimitExceededException"
    ok = "/" + "/".join(f"l{i}" for i in range(15)) + unique("")
    ssm.put_parameter(Name=ok, Value="x", Type="String")
    err, _ = error_of(ssm.put_parameter, Name=unique("/notype"), Value="x")
    assert err["Message"] == "A parameter type is required when you create a parameter."
    err, _ = error_of(ssm.put_parameter, Name=unique("/t"), Value="x", Type="String", Overwrite=True,
                      Tags=[{"Key": "a", "Value": "b"}])
    assert err["Message"].startswith("Invalid request: tags and overwrite can't be used together.")
    err, _ = error_of(ssm.get_parameter, Name="a//b")
    assert err["Code"] == "ValidationException"


def test_secure_string_through_kms(ssm, aws_client):
    name = unique("/secure") + "/pw"
    ssm.put_parameter(Name=name, Value="s3cr3t", Type="SecureString")
    hidden = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    assert hidden != "s3cr3t"
    assert ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"] == "s3cr3t"
    meta = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [name]}])["Parameters"]
    assert meta[0]["KeyId"] == "alias/aws/ssm" and meta[0]["Type"] == "SecureString"
    aliases = [a["AliasName"] for a in aws_client("kms").list_aliases()["Aliases"]]
    assert "alias/aws/ssm" in aliases
    key = aws_client("kms").create_key()["KeyMetadata"]["KeyId"]
    own = unique("/secure") + "/own"
    ssm.put_parameter(Name=own, Value="mine", Type="SecureString", KeyId=key)
    assert ssm.get_parameter(Name=own, WithDecryption=True)["Parameter"]["Value"] == "mine"
    err, _ = error_of(ssm.put_parameter, Name=unique("/secure"), Value="x", Type="SecureString",
                      KeyId="alias/does-not-exist")
    assert err["Code"] == "InvalidKeyId"


def test_labels(ssm):
    name = unique("/labels") + "/p"
    for i in range(3):
        ssm.put_parameter(Name=name, Value=f"v{i + 1}", Type="String", Overwrite=i > 0)
    r = ssm.label_parameter_version(Name=name, ParameterVersion=1, Labels=["stable", "aws-bad", "1bad"])
    assert r["ParameterVersion"] == 1 and sorted(r["InvalidLabels"]) == ["1bad", "aws-bad"]
    assert ssm.get_parameter(Name=f"{name}:stable")["Parameter"]["Value"] == "v1"
    ssm.label_parameter_version(Name=name, Labels=["stable"])  # moves to the latest version
    assert ssm.get_parameter(Name=f"{name}:stable")["Parameter"]["Version"] == 3
    history = {h["Version"]: h["Labels"] for h in ssm.get_parameter_history(Name=name)["Parameters"]}
    assert history == {1: [], 2: [], 3: ["stable"]}
    err, _ = error_of(ssm.get_parameter, Name=f"{name}:nolabel")
    assert err["Code"] == "ParameterNotFound"
    r = ssm.unlabel_parameter_version(Name=name, ParameterVersion=3, Labels=["stable", "other"])
    assert r["RemovedLabels"] == ["stable"] and r["InvalidLabels"] == ["other"]
    err, _ = error_of(ssm.label_parameter_version, Name=name, ParameterVersion=7, Labels=["x"])
    assert err["Code"] == "ParameterVersionNotFound"
    err, _ = error_of(ssm.label_parameter_version, Name=name, ParameterVersion=1, Labels=[f"l{i}" for i in range(11)])
    assert err["Code"] == "ParameterVersionLabelLimitExceeded"


def test_get_parameters_by_path_recursion_filters_pagination(ssm):
    root = unique("/tree")
    for path in ["/a", "/b", "/sub/c", "/sub/deeper/d"]:
        ssm.put_parameter(Name=root + path, Value=path, Type="SecureString" if path == "/b" else "String")
    one = ssm.get_parameters_by_path(Path=root)["Parameters"]
    assert sorted(p["Name"] for p in one) == [root + "/a", root + "/b"]
    all_names = []
    token = None
    while True:
        kwargs = {"NextToken": token} if token else {}
        page = ssm.get_parameters_by_path(Path=root + "/", Recursive=True, MaxResults=3, **kwargs)
        all_names += [p["Name"] for p in page["Parameters"]]
        token = page.get("NextToken")
        if not token:
            break
    assert sorted(all_names) == sorted(root + p for p in ["/a", "/b", "/sub/c", "/sub/deeper/d"])
    secure = ssm.get_parameters_by_path(Path=root, Recursive=True, WithDecryption=True,
                                        ParameterFilters=[{"Key": "Type", "Values": ["SecureString"]}])["Parameters"]
    assert [(p["Name"], p["Value"]) for p in secure] == [(root + "/b", "/b")]
    err, _ = error_of(ssm.get_parameters_by_path, Path=root, ParameterFilters=[{"Key": "Name", "Values": ["x"]}])
    assert err["Code"] == "InvalidFilterKey"
    assert err["Message"] == "The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId]."
    err, _ = error_of(ssm.get_parameters_by_path, Path="no-slash")
    assert err["Code"] == "ValidationException"


def test_describe_parameters_filters_and_tags(ssm):
    root = unique("/desc")
    ssm.put_parameter(Name=root + "/x", Value="1", Type="String", Tags=[{"Key": "team", "Value": "blue"}],
                      Description="the x", AllowedPattern="^\\d+$")
    ssm.put_parameter(Name=root + "/y", Value="2", Type="StringList", Tier="Advanced")
    r = ssm.describe_parameters(ParameterFilters=[{"Key": "Path", "Values": [root]}])["Parameters"]
    assert sorted(p["Name"] for p in r) == [root + "/x", root + "/y"]
    x = next(p for p in r if p["Name"] == root + "/x")
    assert x["Description"] == "the x" and x["AllowedPattern"] == "^\\d+$" and x["Tier"] == "Standard"
    tagged = ssm.describe_parameters(ParameterFilters=[{"Key": "tag:team", "Values": ["blue"]},
                                                       {"Key": "Path", "Values": [root]}])["Parameters"]
    assert [p["Name"] for p in tagged] == [root + "/x"]
    adv = ssm.describe_parameters(ParameterFilters=[{"Key": "Tier", "Values": ["Advanced"]},
                                                    {"Key": "Name", "Option": "BeginsWith", "Values": [root]}])["Parameters"]
    assert [p["Name"] for p in adv] == [root + "/y"]
    err, _ = error_of(ssm.describe_parameters, Filters=[{"Key": "Name", "Values": ["a"]}],
                      ParameterFilters=[{"Key": "Name", "Values": ["a"]}])
    assert err["Message"] == "You can use either Filters or ParameterFilters in a single request."
    err, _ = error_of(ssm.describe_parameters, ParameterFilters=[{"Key": "Label", "Values": ["a"]}])
    assert err["Code"] == "InvalidFilterKey"
    err, _ = error_of(ssm.put_parameter, Name=root + "/x", Value="abc", Overwrite=True)
    assert err["Code"] == "ParameterPatternMismatchException"
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId=root + "/x", Tags=[{"Key": "env", "Value": "dev"}])
    tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=root + "/x")["TagList"]
    assert {t["Key"]: t["Value"] for t in tags} == {"team": "blue", "env": "dev"}
    ssm.remove_tags_from_resource(ResourceType="Parameter", ResourceId=root + "/x", TagKeys=["team"])
    assert ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=root + "/x")["TagList"] == [{"Key": "env", "Value": "dev"}]


def test_tiers_and_policies(ssm):
    name = unique("/tier")
    big = "x" * 5000
    err, _ = error_of(ssm.put_parameter, Name=name, Value=big, Type="String")
    assert err["Message"].startswith("Standard tier parameters support a maximum parameter value of 4096 characters.")
    assert ssm.put_parameter(Name=name, Value=big, Type="String", Tier="Intelligent-Tiering")["Tier"] == "Advanced"
    err, _ = error_of(ssm.put_parameter, Name=name, Value="small", Overwrite=True, Tier="Standard")
    assert err["Message"].startswith("This parameter uses the advanced-parameter tier.")
    policies = json.dumps([{"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "2030-01-01T00:00:00.000Z"}}])
    pol = unique("/policy")
    assert ssm.put_parameter(Name=pol, Value="v", Type="String", Tier="Advanced", Policies=policies)["Tier"] == "Advanced"
    meta = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [pol]}])["Parameters"][0]
    assert meta["Policies"][0]["PolicyType"] == "Expiration"
    err, _ = error_of(ssm.put_parameter, Name=unique("/policy"), Value="v", Type="String", Tier="Advanced",
                      Policies=json.dumps([{"Type": "Nope"}]))
    assert err["Code"] == "InvalidPolicyTypeException"


def test_get_parameters_and_delete(ssm):
    a, b = unique("/many") + "/a", unique("/many") + "/b"
    ssm.put_parameter(Name=a, Value="A", Type="String")
    ssm.put_parameter(Name=b, Value="B", Type="StringList")
    r = ssm.get_parameters(Names=[a, b, "/nope/x", f"{a}:1"])
    assert sorted(p["Name"] for p in r["Parameters"]) == sorted([a, b, a])
    assert r["InvalidParameters"] == ["/nope/x"]
    r = ssm.delete_parameters(Names=[a, "/nope/x"])
    assert r["DeletedParameters"] == [a] and r["InvalidParameters"] == ["/nope/x"]
    ssm.delete_parameter(Name=b)
    err, status = error_of(ssm.delete_parameter, Name=b)
    assert status == 400 and err["Code"] == "ParameterNotFound"


def test_data_type_ec2_image(ssm):
    name = unique("/ami")
    ssm.put_parameter(Name=name, Value="ami-0123456789abcdef0", Type="String", DataType="aws:ec2:image")
    assert ssm.get_parameter(Name=name)["Parameter"]["DataType"] == "aws:ec2:image"
    err, _ = error_of(ssm.put_parameter, Name=unique("/ami"), Value="not-an-ami", Type="String", DataType="aws:ec2:image")
    assert err["Code"] == "ValidationException"
    err, _ = error_of(ssm.put_parameter, Name=unique("/ami"), Value="x", Type="String", DataType="Text")
    assert err["Message"] == "The following data type is not supported: Text (Data type names are all lowercase.)"


def test_secrets_manager_reference(ssm, aws_client):
    sm = aws_client("secretsmanager")
    secret = unique("ref-secret")
    sm.create_secret(Name=secret, SecretString="top")
    ref = f"/aws/reference/secretsmanager/{secret}"
    p = ssm.get_parameter(Name=ref, WithDecryption=True)["Parameter"]
    assert p["Value"] == "top" and p["Type"] == "SecureString" and p["Name"] == ref
    assert json.loads(p["SourceResult"])["Name"] == secret
    err, _ = error_of(ssm.get_parameter, Name=ref)
    assert err["Message"] == "WithDecryption flag must be True for retrieving a Secret Manager secret."


def test_cli_put_get(aws_cli):
    name = unique("/cli") + "/p"
    assert aws_cli("ssm", "put-parameter", "--name", name, "--value", "hello", "--type", "String")["Version"] == 1
    assert aws_cli("ssm", "get-parameter", "--name", name)["Parameter"]["Value"] == "hello"
