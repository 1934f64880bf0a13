"""EventBridge end to end: buses, permissions, rules with every pattern operator (AWS's validation texts),
TestEventPattern, PutEvents (limits, per-entry errors, the envelope), delivery to SQS (standard and FIFO),
SNS and another bus, InputPath / Input / InputTransformer, dead-letter queues, schedules, archives and
replays, tags, and the S3 → EventBridge → SQS path."""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from helpers import error_of, unique

ACCOUNT = "000000000000"


@pytest.fixture(scope="module")
def events(aws_client):
    return aws_client("events")


def make_queue(sqs, name, **attributes):
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def receive(sqs, url, count, timeout=15, **kwargs):
    """Polls until `count` messages arrived (deleting them) or the timeout passed."""
    messages = []
    deadline = time.monotonic() + timeout
    while len(messages) < count and time.monotonic() < deadline:
        out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs)
        for m in out.get("Messages", []):
            messages.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return messages


def rule_to_queue(events, sqs, pattern, bus="default", **target):
    """A rule on `bus` with `pattern` and one SQS target; returns (rule name, queue url)."""
    name = unique("rule")
    url, arn = make_queue(sqs, unique("q"))
    events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern))
    events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "t1", "Arn": arn, **target}])
    return name, url


def entry(detail, source="my.app", detail_type="thing.happened", **kw):
    return {"Source": source, "DetailType": detail_type, "Detail": json.dumps(detail), **kw}


# ---------------------------------------------------------------- buses and permissions

def test_event_bus_lifecycle_and_errors(events):
    name = unique("bus")
    created = events.create_event_bus(Name=name, Description="test bus")
    assert created["EventBusArn"] == f"arn:aws:events:us-east-1:{ACCOUNT}:event-bus/{name}"
    assert created["Description"] == "test bus"
    described = events.describe_event_bus(Name=name)
    assert described["Name"] == name and described["Description"] == "test bus"
    assert isinstance(described["CreationTime"], datetime)
    assert [b["Name"] for b in events.list_event_buses(NamePrefix=name)["EventBuses"]] == [name]
    assert events.describe_event_bus()["Name"] == "default"

    err, status = error_of(events.create_event_bus, Name=name)
    assert (err["Code"], err["Message"], status) == ("ResourceAlreadyExistsException", f"Event bus {name} already exists.", 400)
    err, _ = error_of(events.delete_event_bus, Name="default")
    assert (err["Code"], err["Message"]) == ("ValidationException", "Cannot delete event bus default.")
    events.delete_event_bus(Name=name)
    for call in (events.describe_event_bus, events.delete_event_bus):
        err, _ = error_of(call, Name=name)
        assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", f"Event bus {name} does not exist.")


def test_list_event_buses_paginates(events):
    prefix = unique("page")
    for i in range(5):
        events.create_event_bus(Name=f"{prefix}-{i}")
    first = events.list_event_buses(NamePrefix=prefix, Limit=3)
    assert [b["Name"] for b in first["EventBuses"]] == [f"{prefix}-{i}" for i in range(3)]
    second = events.list_event_buses(NamePrefix=prefix, Limit=3, NextToken=first["NextToken"])
    assert [b["Name"] for b in second["EventBuses"]] == [f"{prefix}-3", f"{prefix}-4"]
    assert "NextToken" not in second


def test_put_and_remove_permission(events):
    name = unique("bus")
    events.create_event_bus(Name=name)
    events.put_permission(EventBusName=name, Action="events:PutEvents", Principal="111111111111", StatementId="one")
    events.put_permission(EventBusName=name, Action="events:PutEvents", Principal="222222222222", StatementId="two")
    policy = json.loads(events.describe_event_bus(Name=name)["Policy"])
    assert policy["Version"] == "2012-10-17"
    assert [s["Sid"] for s in policy["Statement"]] == ["one", "two"]
    assert policy["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert policy["Statement"][0]["Resource"].endswith(f":event-bus/{name}")
    events.remove_permission(EventBusName=name, StatementId="one")
    assert [s["Sid"] for s in json.loads(events.describe_event_bus(Name=name)["Policy"])["Statement"]] == ["two"]
    err, _ = error_of(events.remove_permission, EventBusName=name, StatementId="nope")
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "Statement with the provided id does not exist.")
    events.remove_permission(EventBusName=name, RemoveAllPermissions=True)
    assert "Policy" not in events.describe_event_bus(Name=name)
    err, _ = error_of(events.put_permission, EventBusName=unique("missing"), Action="events:PutEvents",
                      Principal="111111111111", StatementId="x")
    assert err["Code"] == "ResourceNotFoundException"


# ---------------------------------------------------------------- rules and targets

def test_rule_lifecycle_on_custom_bus(events, sqs):
    bus = unique("bus")
    events.create_event_bus(Name=bus)
    name = unique("rule")
    pattern = {"source": ["core.update-account-command"], "detail": {"command": ["update-account"]}}
    arn = events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(pattern))["RuleArn"]
    assert arn == f"arn:aws:events:us-east-1:{ACCOUNT}:rule/{bus}/{name}"
    described = events.describe_rule(Name=name, EventBusName=bus)
    assert json.loads(described["EventPattern"]) == pattern
    assert (described["State"], described["EventBusName"], described["CreatedBy"]) == ("ENABLED", bus, ACCOUNT)
    events.disable_rule(Name=name, EventBusName=bus)
    assert events.describe_rule(Name=name, EventBusName=bus)["State"] == "DISABLED"
    events.enable_rule(Name=name, EventBusName=bus)

    _, queue_arn = make_queue(sqs, unique("q"))
    out = events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "t1", "Arn": queue_arn}])
    assert (out["FailedEntryCount"], out["FailedEntries"]) == (0, [])
    assert events.list_targets_by_rule(Rule=name, EventBusName=bus)["Targets"] == [{"Id": "t1", "Arn": queue_arn}]
    assert events.list_rule_names_by_target(TargetArn=queue_arn, EventBusName=bus)["RuleNames"] == [name]
    err, _ = error_of(events.delete_rule, Name=name, EventBusName=bus)
    assert (err["Code"], err["Message"]) == ("ValidationException", "Rule can't be deleted since it has targets.")
    events.remove_targets(Rule=name, EventBusName=bus, Ids=["t1"])
    events.delete_rule(Name=name, EventBusName=bus)
    assert events.list_rules(EventBusName=bus)["Rules"] == []
    err, _ = error_of(events.describe_rule, Name=name)
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", f"Rule {name} does not exist on EventBus default.")


def test_target_validation(events):
    name = unique("rule")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": ["x"]}))
    err, _ = error_of(events.put_targets, Rule=name, Targets=[{"Id": "!@#$@!#$", "Arn": "arn:aws:sqs:us-east-1:000000000000:q"}])
    assert err["Message"] == ("1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy "
                              "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
    err, _ = error_of(events.put_targets, Rule=name, Targets=[{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:000000000000:q",
                                                               "Input": "{}", "InputPath": "$.detail"}])
    assert err["Message"] == "Only one of Input, InputPath, or InputTransformer must be provided for target t."
    err, _ = error_of(events.put_targets, Rule=name, Targets=[{"Id": "t", "Arn": "arn:aws:sqs:us-east-1:000000000000:q",
                      "InputTransformer": {"InputPathsMap": {}, "InputTemplate": "<notdefinedkey>"}}])
    assert err["Message"] == "InputTemplate for target t contains invalid placeholder notdefinedkey."
    targets = [{"Id": f"t{i}", "Arn": f"arn:aws:sqs:us-east-1:000000000000:q{i}"} for i in range(6)]
    err, _ = error_of(events.put_targets, Rule=name, Targets=targets)
    assert (err["Code"], err["Message"]) == ("LimitExceededException", "The requested resource exceeds the maximum number allowed.")
    err, _ = error_of(events.put_targets, Rule=unique("missing"), Targets=targets[:1])
    assert err["Code"] == "ResourceNotFoundException"


def test_invalid_patterns_and_schedules_answer_as_aws(events):
    cases = {
        '{"int": 42}': 'Event pattern is not valid. Reason: "int" must be an object or an array\n at [Source: (String)"{"int": 42}"; line: 1, column: 11]',
        '{"resources": []}': 'Event pattern is not valid. Reason: Empty arrays are not allowed\n at [Source: (String)"{"resources": []}"; line: 1, column: 17]',
        '{"a": [{"cidr": "xx.11.xx"}]}': "Event pattern is not valid. Reason: Malformed CIDR, one '/' required",
        '["not", "a", "dict"]': 'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"["not", "a", "dict"]"; line: 1, column: 2]',
    }
    for pattern, message in cases.items():
        err, status = error_of(events.put_rule, Name=unique("bad"), EventPattern=pattern)
        assert (err["Code"], err["Message"], status) == ("InvalidEventPatternException", message, 400)
    for expression in ("cron(INVALID)", "cron(0 1 * * * *)", "cron(71 8 1 * ? *)", "rate(1 minutes)", "rate(0 minutes)"):
        err, _ = error_of(events.put_rule, Name=unique("bad"), ScheduleExpression=expression)
        assert (err["Code"], err["Message"]) == ("ValidationException", "Parameter ScheduleExpression is not valid."), expression
    bus = unique("bus")
    events.create_event_bus(Name=bus)
    err, _ = error_of(events.put_rule, Name=unique("r"), EventBusName=bus, ScheduleExpression="rate(1 minute)")
    assert err["Message"] == "ScheduleExpression is supported only on the default event bus."
    for expression in ("cron(0 18 ? * MON-FRI *)", "cron(0/15 * * * ? *)", "rate(5 minutes)", "rate(1 day)"):
        assert events.put_rule(Name=unique("ok"), ScheduleExpression=expression)["RuleArn"]


def test_test_event_pattern_operators(events):
    event = {"id": "1", "account": ACCOUNT, "source": "my.app", "time": "2024-01-01T00:00:00Z", "region": "us-east-1",
             "resources": [], "detail-type": "Order", "detail": {"state": "Running", "count": 7, "ip": "10.0.0.5",
                                                                 "file": "photo.PNG", "tags": ["a", "b"]}}
    cases = [
        ({"detail": {"state": [{"prefix": "Run"}]}}, True),
        ({"detail": {"file": [{"suffix": {"equals-ignore-case": ".png"}}]}}, True),
        ({"detail": {"state": [{"anything-but": ["Running"]}]}}, False),
        ({"detail": {"count": [{"numeric": [">", 5, "<=", 7]}]}}, True),
        ({"detail": {"count": [{"numeric": [">", 7]}]}}, False),
        ({"detail": {"missing": [{"exists": False}]}}, True),
        ({"detail": {"ip": [{"cidr": "10.0.0.0/24"}]}}, True),
        ({"detail": {"state": [{"equals-ignore-case": "RUNNING"}]}}, True),
        ({"detail": {"file": [{"wildcard": "*.P?G"}]}}, False),
        ({"detail": {"file": [{"wildcard": "photo.*"}]}}, True),
        ({"detail": {"tags": ["b"]}}, True),
        ({"$or": [{"source": ["other"]}, {"detail": {"count": [7]}}]}, True),
    ]
    for pattern, expected in cases:
        assert events.test_event_pattern(EventPattern=json.dumps(pattern), Event=json.dumps(event))["Result"] is expected, pattern
    err, _ = error_of(events.test_event_pattern, EventPattern='{"source": ["x"]}', Event="plain string")
    assert (err["Code"], err["Message"]) == ("ValidationException", "Parameter Event is not valid.")


# ---------------------------------------------------------------- PutEvents and delivery

def test_put_events_entry_errors_and_limits(events):
    out = events.put_events(Entries=[
        {"DetailType": "t", "Detail": "{}"},
        {"Source": "s", "Detail": "{}"},
        {"Source": "s", "DetailType": "t"},
        {"Source": "s", "DetailType": "t", "Detail": '"a string"'},
        {"Source": "s", "DetailType": "t", "Detail": "{}"},
    ])
    assert out["FailedEntryCount"] == 4
    assert out["Entries"][:4] == [
        {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Source is not valid. Reason: Source is a required argument."},
        {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter DetailType is not valid. Reason: DetailType is a required argument."},
        {"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Detail is not valid. Reason: Detail is a required argument."},
        {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."},
    ]
    assert set(out["Entries"][4]) == {"EventId"}
    err, _ = error_of(events.put_events, Entries=[entry({"i": i}) for i in range(11)])
    assert err["Code"] == "ValidationException"
    assert err["Message"].endswith("at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
    err, _ = error_of(events.put_events, Entries=[entry({"big": "x" * 300_000})])
    assert (err["Code"], err["Message"]) == ("ValidationException", "Total size of the entries in the request is over the limit.")
    missing = unique("nobus")
    err, _ = error_of(events.put_events, Entries=[entry({}, EventBusName=missing)])
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", f"Event bus {missing} does not exist.")


def test_put_events_delivers_the_envelope_to_sqs(events, sqs):
    source = unique("src")
    _, url = rule_to_queue(events, sqs, {"source": [source], "detail": {"n": [{"numeric": [">=", 2]}]}})
    sent = events.put_events(Entries=[entry({"n": 1}, source=source), entry({"n": 2}, source=source,
                                                                              Resources=["arn:aws:s3:::b"])])
    assert sent["FailedEntryCount"] == 0
    messages = receive(sqs, url, 1)
    assert len(messages) == 1
    body = json.loads(messages[0]["Body"])
    assert list(body) == ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]
    assert body["id"] == sent["Entries"][1]["EventId"]
    assert (body["account"], body["region"], body["source"]) == (ACCOUNT, "us-east-1", source)
    assert body["resources"] == ["arn:aws:s3:::b"] and body["detail"] == {"n": 2}
    datetime.strptime(body["time"], "%Y-%m-%dT%H:%M:%SZ")
    assert receive(sqs, url, 1, timeout=1) == []


def test_put_events_time_field_and_other_account(aws_client, sqs):
    other = aws_client("events", aws_access_key_id="111111111111")
    other_sqs = aws_client("sqs", aws_access_key_id="111111111111")
    source = unique("src")
    _, url = rule_to_queue(other, other_sqs, {"source": [source]})
    other.put_events(Entries=[entry({}, source=source, Time=datetime(2020, 5, 17, 10, 30, tzinfo=timezone.utc))])
    body = json.loads(receive(other_sqs, url, 1)[0]["Body"])
    assert (body["account"], body["time"]) == ("111111111111", "2020-05-17T10:30:00Z")


def test_fifo_queue_target_with_message_group(events, sqs):
    url, arn = make_queue(sqs, unique("q") + ".fifo", FifoQueue="true")
    name, source = unique("rule"), unique("src")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))
    err, _ = error_of(events.put_targets, Rule=name, Targets=[{"Id": "t", "Arn": arn}])
    assert err["Message"] == "Parameter(s) SqsParameters must be specified for target: t."
    events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": arn, "SqsParameters": {"MessageGroupId": "grp"}}])
    for i in range(3):
        events.put_events(Entries=[entry({"i": i}, source=source)])
    messages = receive(sqs, url, 3, AttributeNames=["MessageGroupId"])
    assert [json.loads(m["Body"])["detail"]["i"] for m in messages] == [0, 1, 2]
    assert {m["Attributes"]["MessageGroupId"] for m in messages} == {"grp"}


def test_input_path_input_and_transformer(events, sqs):
    source = unique("src")
    detail = {"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}}
    name = unique("rule")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))
    urls = {}
    for key in ("path", "deep", "input", "json", "string"):
        urls[key], arn = make_queue(sqs, unique(key))
        urls[key + "_arn"] = arn
    paths = {"detail-type": "$.detail-type", "command": "$.detail.command", "payload": "$.detail.payload"}
    events.put_targets(Rule=name, Targets=[
        {"Id": "path", "Arn": urls["path_arn"], "InputPath": "$.detail"},
        {"Id": "deep", "Arn": urls["deep_arn"], "InputPath": "$.detail.payload.sf_id"},
        {"Id": "input", "Arn": urls["input_arn"], "Input": '{"custom": "value"}'},
        {"Id": "json", "Arn": urls["json_arn"], "InputTransformer": {"InputPathsMap": paths,
            "InputTemplate": '{"type": "<detail-type>", "cmd": "<command>", "body": <payload>, "rule": "<aws.events.rule-name>"}'}},
        {"Id": "string", "Arn": urls["string_arn"], "InputTransformer": {"InputPathsMap": paths,
            "InputTemplate": '"Payload of <payload> for <command> <missing>"'.replace(" <missing>", "")}},
    ])
    events.put_events(Entries=[entry(detail, source=source, detail_type="core.update-account-command")])
    assert json.loads(receive(sqs, urls["path"], 1)[0]["Body"]) == detail
    assert receive(sqs, urls["deep"], 1)[0]["Body"] == '"baz"'
    assert json.loads(receive(sqs, urls["input"], 1)[0]["Body"]) == {"custom": "value"}
    assert json.loads(receive(sqs, urls["json"], 1)[0]["Body"]) == {
        "type": "core.update-account-command", "cmd": "update-account", "body": detail["payload"], "rule": name}
    assert receive(sqs, urls["string"], 1)[0]["Body"] == '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} for update-account"'


def test_sns_target_and_bus_to_bus(events, sqs, sns):
    source = unique("src")
    topic = sns.create_topic(Name=unique("topic"))["TopicArn"]
    topic_queue, topic_queue_arn = make_queue(sqs, unique("q"))
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=topic_queue_arn, Attributes={"RawMessageDelivery": "true"})
    bus = unique("bus")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    _, bus_queue = rule_to_queue(events, sqs, {"source": [source]}, bus=bus)
    name = unique("rule")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))
    events.put_targets(Rule=name, Targets=[{"Id": "sns", "Arn": topic}, {"Id": "bus", "Arn": bus_arn}])
    event_id = events.put_events(Entries=[entry({"hello": "world"}, source=source)])["Entries"][0]["EventId"]
    via_sns = json.loads(receive(sqs, topic_queue, 1)[0]["Body"])
    assert (via_sns["id"], via_sns["detail"]) == (event_id, {"hello": "world"})
    via_bus = json.loads(receive(sqs, bus_queue, 1)[0]["Body"])
    assert (via_bus["id"], via_bus["source"]) == (event_id, source)


def test_failed_delivery_goes_to_dead_letter_queue(events, sqs):
    source = unique("src")
    dlq_url, dlq_arn = make_queue(sqs, unique("dlq"))
    name = unique("rule")
    events.put_rule(Name=name, EventPattern=json.dumps({"source": [source]}))
    missing = f"arn:aws:sqs:us-east-1:{ACCOUNT}:{unique('missing')}"
    events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": missing, "DeadLetterConfig": {"Arn": dlq_arn},
                                            "RetryPolicy": {"MaximumRetryAttempts": 0}}])
    out = events.put_events(Entries=[entry({"x": 1}, source=source)])
    assert out["FailedEntryCount"] == 0  # accepted: delivery fails later, as in AWS
    messages = receive(sqs, dlq_url, 1, MessageAttributeNames=["All"])
    assert len(messages) == 1
    assert json.loads(messages[0]["Body"])["detail"] == {"x": 1}
    attributes = {k: v["StringValue"] for k, v in messages[0]["MessageAttributes"].items()}
    assert attributes["RULE_ARN"].endswith(f":rule/{name}") and attributes["TARGET_ARN"] == missing
    assert attributes["ERROR_CODE"]


def test_schedule_rule_fires_into_sqs(events, sqs):
    url, arn = make_queue(sqs, unique("q"))
    name = unique("every-minute")
    rule_arn = events.put_rule(Name=name, ScheduleExpression="cron(* * * * ? *)")["RuleArn"]
    events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": arn}])
    messages = receive(sqs, url, 1, timeout=75)
    events.remove_targets(Rule=name, Ids=["t"])
    assert len(messages) == 1
    body = json.loads(messages[0]["Body"])
    assert (body["source"], body["detail-type"], body["resources"], body["detail"]) == (
        "aws.events", "Scheduled Event", [rule_arn], {})
    assert body["time"].endswith(":00Z")


def test_archive_and_replay(events, sqs):
    bus = unique("bus")
    bus_arn = events.create_event_bus(Name=bus)["EventBusArn"]
    source = unique("src")
    archive = unique("arch")
    archive_arn = events.create_archive(ArchiveName=archive, EventSourceArn=bus_arn,
                                        EventPattern=json.dumps({"source": [source]}))["ArchiveArn"]
    err, _ = error_of(events.create_archive, ArchiveName=archive, EventSourceArn=bus_arn)
    assert (err["Code"], err["Message"]) == ("ResourceAlreadyExistsException", f"Archive {archive} already exists.")
    start = datetime.now(timezone.utc) - timedelta(minutes=1)
    events.put_events(Entries=[entry({"i": i}, source=source, EventBusName=bus) for i in range(3)])
    events.put_events(Entries=[entry({"other": True}, source="not-archived", EventBusName=bus)])
    assert events.describe_archive(ArchiveName=archive)["EventCount"] == 3
    name, url = rule_to_queue(events, sqs, {"source": [source]}, bus=bus)
    replay = unique("replay")
    events.start_replay(ReplayName=replay, EventSourceArn=archive_arn, EventStartTime=start,
                        EventEndTime=datetime.now(timezone.utc) + timedelta(minutes=1), Destination={"Arn": bus_arn})
    bodies = [json.loads(m["Body"]) for m in receive(sqs, url, 3)]
    assert sorted(b["detail"]["i"] for b in bodies) == [0, 1, 2]
    assert {b["replay-name"] for b in bodies} == {replay}
    assert events.describe_replay(ReplayName=replay)["State"] == "COMPLETED"
    err, _ = error_of(events.start_replay, ReplayName=unique("r"), EventSourceArn=archive_arn,
                      EventStartTime=datetime.now(timezone.utc), EventEndTime=start, Destination={"Arn": bus_arn})
    assert err["Message"] == "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime."
    events.delete_archive(ArchiveName=archive)
    err, _ = error_of(events.describe_archive, ArchiveName=archive)
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", f"Archive {archive} does not exist.")


def test_tags_on_rules_and_buses(events):
    bus = unique("bus")
    bus_arn = events.create_event_bus(Name=bus, Tags=[{"Key": "a", "Value": "1"}])["EventBusArn"]
    rule_arn = events.put_rule(Name=unique("rule"), EventBusName=bus, EventPattern='{"source": ["x"]}')["RuleArn"]
    events.tag_resource(ResourceARN=rule_arn, Tags=[{"Key": "team", "Value": "core"}])
    events.tag_resource(ResourceARN=bus_arn, Tags=[{"Key": "b", "Value": "2"}])
    assert events.list_tags_for_resource(ResourceARN=rule_arn)["Tags"] == [{"Key": "team", "Value": "core"}]
    assert events.list_tags_for_resource(ResourceARN=bus_arn)["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    events.untag_resource(ResourceARN=bus_arn, TagKeys=["a"])
    assert events.list_tags_for_resource(ResourceARN=bus_arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    missing = bus_arn + "-missing"
    err, _ = error_of(events.list_tags_for_resource, ResourceARN=missing)
    assert err["Code"] == "ResourceNotFoundException"


def test_s3_event_bridge_notifications_reach_sqs(events, sqs, aws_client):
    s3 = aws_client("s3")
    bucket = unique("bucket")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
    assert "EventBridgeConfiguration" in s3.get_bucket_notification_configuration(Bucket=bucket)
    _, url = rule_to_queue(events, sqs, {"source": ["aws.s3"], "detail": {"bucket": {"name": [bucket]}}})
    etag = s3.put_object(Bucket=bucket, Key="dir/my file.txt", Body=b"hello")["ETag"].strip('"')
    s3.delete_object(Bucket=bucket, Key="dir/my file.txt")
    bodies = [json.loads(m["Body"]) for m in receive(sqs, url, 2)]
    assert [b["detail-type"] for b in bodies] == ["Object Created", "Object Deleted"]
    created, deleted = bodies
    assert (created["source"], created["account"], created["region"]) == ("aws.s3", ACCOUNT, "us-east-1")
    assert created["resources"] == [f"arn:aws:s3:::{bucket}"]
    assert created["detail"]["bucket"] == {"name": bucket}
    assert created["detail"]["object"]["key"] == "dir/my file.txt"
    assert (created["detail"]["object"]["size"], created["detail"]["object"]["etag"]) == (5, etag)
    assert created["detail"]["reason"] == "PutObject"
    assert (deleted["detail"]["reason"], deleted["detail"]["deletion-type"]) == ("DeleteObject", "Permanently Deleted")
