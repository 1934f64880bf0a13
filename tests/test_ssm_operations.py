"""SSM beyond reading parameters, end to end: parameter change events delivered to EventBridge (rule -> SQS),
documents, Run Command answers (as LocalStack answers them: every command succeeds at once), maintenance windows."""
import json
import time

import pytest

from helpers import error_of, unique


@pytest.fixture(scope="module")
def ssm(aws_client):
    return aws_client("ssm")


def collect(sqs, url, count, timeout=30):
    """Messages from the queue until `count` arrived (long polls; no fixed sleeps)."""
    bodies = []
    deadline = time.monotonic() + timeout
    while len(bodies) < count and time.monotonic() < deadline:
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", []):
            bodies.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return bodies


def test_parameter_changes_reach_eventbridge(ssm, aws_client):
    events, sqs = aws_client("events"), aws_client("sqs")
    prefix = "/" + unique("evt")
    url = sqs.create_queue(QueueName=unique("ssm-events"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    rule = unique("ssm-changes")
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": ["aws.ssm"], "detail-type": ["Parameter Store Change"],
                                                        "detail": {"name": [{"prefix": prefix}]}}))
    events.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": arn}])
    try:
        name = prefix + "/db/url"
        ssm.put_parameter(Name=name, Value="v1", Type="String", Description="the url")
        ssm.put_parameter(Name=name, Value="v2", Type="String", Overwrite=True)
        ssm.label_parameter_version(Name=name, ParameterVersion=1, Labels=["stable"])
        ssm.delete_parameter(Name=name)
        got = collect(sqs, url, 4)
        assert sorted(e["detail"]["operation"] for e in got) == ["Create", "Delete", "LabelParameterVersion", "Update"]
        create = next(e for e in got if e["detail"]["operation"] == "Create")
        assert create["source"] == "aws.ssm" and create["detail-type"] == "Parameter Store Change"
        assert create["account"] == "000000000000" and create["region"] == "us-east-1"
        assert create["resources"] == [f"arn:aws:ssm:us-east-1:000000000000:parameter{name}"]
        assert create["detail"] == {"operation": "Create", "name": name, "type": "String", "description": "the url"}
        # DeleteParameters sends one Delete per parameter removed, none for names that did not exist
        ssm.put_parameter(Name=prefix + "/a", Value="a", Type="String")
        ssm.put_parameter(Name=prefix + "/b", Value="b", Type="SecureString")
        assert {e["detail"]["operation"] for e in collect(sqs, url, 2)} == {"Create"}
        ssm.delete_parameters(Names=[prefix + "/a", prefix + "/b", prefix + "/missing"])
        deleted = collect(sqs, url, 2)
        assert sorted((e["detail"]["name"], e["detail"]["type"]) for e in deleted) == [(prefix + "/a", "String"),
                                                                                        (prefix + "/b", "SecureString")]
    finally:
        events.remove_targets(Rule=rule, Ids=["q"])
        events.delete_rule(Name=rule)


COMMAND_DOC = {
    "schemaVersion": "2.2",
    "description": "Say hello",
    "parameters": {"Message": {"type": "String", "description": "what to say", "default": "hello"}},
    "mainSteps": [{"action": "aws:runShellScript", "name": "say", "inputs": {"runCommand": ["echo {{ Message }}"]}}],
}


def test_documents(ssm):
    name = unique("Doc")
    created = ssm.create_document(Content=json.dumps(COMMAND_DOC), Name=name, DocumentType="Command",
                                  Tags=[{"Key": "team", "Value": "ops"}])["DocumentDescription"]
    assert (created["Name"], created["DocumentVersion"], created["LatestVersion"], created["DefaultVersion"]) == (name, "1", "1", "1")
    assert created["Status"] == "Active" and created["HashType"] == "Sha256" and len(created["Hash"]) == 64
    assert created["Owner"] == "000000000000" and created["SchemaVersion"] == "2.2" and created["Description"] == "Say hello"
    assert created["Parameters"] == [{"Name": "Message", "Type": "String", "Description": "what to say", "DefaultValue": "hello"}]
    assert created["PlatformTypes"] == ["Linux", "MacOS"] and created["DocumentFormat"] == "JSON"
    err, status = error_of(ssm.create_document, Content=json.dumps(COMMAND_DOC), Name=name, DocumentType="Command")
    assert (status, err["Code"]) == (400, "DocumentAlreadyExists")

    v2 = dict(COMMAND_DOC, description="Say hello twice")
    updated = ssm.update_document(Content=json.dumps(v2), Name=name, DocumentVersion="$LATEST")["DocumentDescription"]
    assert (updated["DocumentVersion"], updated["LatestVersion"], updated["DefaultVersion"]) == ("2", "2", "1")
    err, _ = error_of(ssm.update_document, Content=json.dumps(v2), Name=name, DocumentVersion="$LATEST")
    assert err["Code"] == "DuplicateDocumentContent"
    assert json.loads(ssm.get_document(Name=name)["Content"])["description"] == "Say hello"
    assert json.loads(ssm.get_document(Name=name, DocumentVersion="$LATEST")["Content"])["description"] == "Say hello twice"
    ssm.update_document_default_version(Name=name, DocumentVersion="2")
    assert ssm.describe_document(Name=name)["Document"]["DefaultVersion"] == "2"
    versions = ssm.list_document_versions(Name=name)["DocumentVersions"]
    assert [(v["DocumentVersion"], v["IsDefaultVersion"]) for v in versions] == [("1", False), ("2", True)]
    listed = ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}, {"Key": "Name", "Values": [name]}])["DocumentIdentifiers"]
    assert [(d["Name"], d["DocumentVersion"], d["Tags"]) for d in listed] == [(name, "2", [{"Key": "team", "Value": "ops"}])]
    assert ssm.list_tags_for_resource(ResourceType="Document", ResourceId=name)["TagList"] == [{"Key": "team", "Value": "ops"}]
    err, _ = error_of(ssm.get_document, Name=name, DocumentVersion="9")
    assert err["Code"] == "InvalidDocumentVersion"
    err, _ = error_of(ssm.create_document, Content="{not json", Name=unique("Bad"), DocumentType="Command")
    assert err["Code"] == "InvalidDocumentContent"
    ssm.delete_document(Name=name)
    err, status = error_of(ssm.describe_document, Name=name)
    assert (status, err["Code"]) == (400, "InvalidDocument")


YAML_DOC = """schemaVersion: '2.2'
description: Say hello in YAML
parameters:
  Message:
    type: String
    description: what to say
    default: hello
mainSteps:
  - action: aws:runShellScript
    name: say
    inputs:
      runCommand:
        - echo {{ Message }}
"""


def test_yaml_documents(ssm):
    name = unique("yaml-doc")
    created = ssm.create_document(Content=YAML_DOC, Name=name, DocumentType="Command", DocumentFormat="YAML")["DocumentDescription"]
    # a YAML document is read as a JSON one is: its description, schema version and parameters
    assert (created["DocumentFormat"], created["SchemaVersion"], created["Description"]) == ("YAML", "2.2", "Say hello in YAML")
    assert created["Parameters"] == [{"Name": "Message", "Type": "String", "Description": "what to say", "DefaultValue": "hello"}]
    assert created["PlatformTypes"] == ["Linux", "MacOS"]
    stored = ssm.get_document(Name=name)
    assert (stored["Content"], stored["DocumentFormat"]) == (YAML_DOC, "YAML")
    # GetDocument converts to the format asked for, both ways
    as_json = ssm.get_document(Name=name, DocumentFormat="JSON")
    assert as_json["DocumentFormat"] == "JSON"
    assert json.loads(as_json["Content"]) == COMMAND_DOC | {"description": "Say hello in YAML"}
    json_name = unique("json-doc")
    ssm.create_document(Content=json.dumps(COMMAND_DOC), Name=json_name, DocumentType="Command")
    as_yaml = ssm.get_document(Name=json_name, DocumentFormat="YAML")
    assert as_yaml["DocumentFormat"] == "YAML" and "description: Say hello" in as_yaml["Content"]
    assert not as_yaml["Content"].lstrip().startswith("{")
    # a new version may change the format; content that is not a YAML mapping is refused as AWS refuses it
    updated = ssm.update_document(Content=json.dumps(COMMAND_DOC), Name=name, DocumentVersion="$LATEST",
                                  DocumentFormat="JSON")["DocumentDescription"]
    assert (updated["DocumentVersion"], updated["DocumentFormat"]) == ("2", "JSON")
    for bad in ("just a string", "a: [unclosed", "- a list\n- not a mapping\n"):
        err, status = error_of(ssm.create_document, Content=bad, Name=unique("bad-yaml"), DocumentType="Command",
                               DocumentFormat="YAML")
        assert (status, err["Code"]) == (400, "InvalidDocumentContent"), bad


def test_run_command_answers(ssm):
    sent = ssm.send_command(InstanceIds=["i-0123456789abcdef0", "i-0fedcba9876543210"], DocumentName="AWS-RunShellScript",
                            Parameters={"commands": ["echo hi"]}, Comment="hello")["Command"]
    command_id = sent["CommandId"]
    assert sent["Status"] == "Success" and sent["DocumentName"] == "AWS-RunShellScript" and sent["Comment"] == "hello"
    assert sent["Parameters"] == {"commands": ["echo hi"]} and sent["TargetCount"] == 2
    assert sent["ExpiresAfter"] > sent["RequestedDateTime"]
    invocation = ssm.get_command_invocation(CommandId=command_id, InstanceId="i-0123456789abcdef0")
    assert (invocation["Status"], invocation["StatusDetails"], invocation["ResponseCode"]) == ("Success", "Success", 0)
    assert invocation["PluginName"] == "aws:runShellScript" and invocation["StandardOutputContent"] == ""
    # boto3's waiter polls GetCommandInvocation until the command finished
    ssm.get_waiter("command_executed").wait(CommandId=command_id, InstanceId="i-0fedcba9876543210",
                                            WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    assert [c["CommandId"] for c in ssm.list_commands(CommandId=command_id)["Commands"]] == [command_id]
    invocations = ssm.list_command_invocations(CommandId=command_id, Details=True)["CommandInvocations"]
    assert sorted(i["InstanceId"] for i in invocations) == ["i-0123456789abcdef0", "i-0fedcba9876543210"]
    assert invocations[0]["CommandPlugins"][0]["Status"] == "Success"
    err, _ = error_of(ssm.get_command_invocation, CommandId=command_id, InstanceId="i-00000000000000000")
    assert err["Code"] == "InvocationDoesNotExist"
    err, _ = error_of(ssm.list_commands, CommandId="00000000-0000-0000-0000-000000000000")
    assert err["Code"] == "InvalidCommandId"
    err, _ = error_of(ssm.send_command, InstanceIds=["i-0123456789abcdef0"], DocumentName=unique("NoSuchDoc"))
    assert err["Code"] == "InvalidDocument"


def test_maintenance_windows(ssm):
    name = unique("mw")
    window_id = ssm.create_maintenance_window(Name=name, Schedule="cron(0 2 ? * SUN *)", Duration=3, Cutoff=1,
                                              AllowUnassociatedTargets=False, Tags=[{"Key": "k", "Value": "v"}])["WindowId"]
    assert window_id.startswith("mw-") and len(window_id) == 20
    got = ssm.get_maintenance_window(WindowId=window_id)
    assert (got["Name"], got["Schedule"], got["Duration"], got["Cutoff"], got["Enabled"]) == (name, "cron(0 2 ? * SUN *)", 3, 1, True)
    listed = ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"]
    assert [(w["WindowId"], w["Enabled"], w["Duration"]) for w in listed] == [(window_id, True, 3)]
    assert ssm.list_tags_for_resource(ResourceType="MaintenanceWindow", ResourceId=window_id)["TagList"] == [{"Key": "k", "Value": "v"}]
    assert ssm.delete_maintenance_window(WindowId=window_id)["WindowId"] == window_id
    err, _ = error_of(ssm.get_maintenance_window, WindowId=window_id)
    assert err["Code"] == "DoesNotExistException"
    assert ssm.describe_maintenance_windows(Filters=[{"Key": "Name", "Values": [name]}])["WindowIdentities"] == []
