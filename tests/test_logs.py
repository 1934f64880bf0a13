"""CloudWatch Logs end to end: groups (retention, KMS, tags), streams, PutLogEvents (ordering and batch rules,
rejected events), GetLogEvents paging, FilterLogEvents with term, JSON and space-delimited patterns, metric
and subscription filters, Logs Insights, EventBridge → Logs, and AWS's error answers."""
import base64
import gzip
import json
import time

import pytest
from helpers import error_of, unique, wait_for

ACCOUNT = "000000000000"


@pytest.fixture(scope="module")
def logs(aws_client):
    return aws_client("logs")


def now_ms():
    return int(time.time() * 1000)


def group_with_stream(logs, **kwargs):
    group, stream = unique("/test/group"), unique("stream")
    logs.create_log_group(logGroupName=group, **kwargs)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    return group, stream


def test_log_group_lifecycle_and_errors(logs):
    group = unique("/aws/lambda/fn")
    logs.create_log_group(logGroupName=group, tags={"env": "testing"}, kmsKeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k1")
    described = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert len(described) == 1
    g = described[0]
    assert g["logGroupName"] == group and g["logGroupClass"] == "STANDARD" and g["metricFilterCount"] == 0
    assert g["arn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}:*"
    assert g["logGroupArn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"
    assert g["kmsKeyId"].endswith(":key/k1") and isinstance(g["creationTime"], int)
    logs.put_retention_policy(logGroupName=group, retentionInDays=7)
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["retentionInDays"] == 7
    logs.delete_retention_policy(logGroupName=group)
    assert "retentionInDays" not in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    err, _ = error_of(logs.put_retention_policy, logGroupName=group, retentionInDays=8)
    assert err["Code"] == "InvalidParameterException"

    assert logs.list_tags_log_group(logGroupName=group)["tags"] == {"env": "testing"}
    logs.tag_resource(resourceArn=g["logGroupArn"], tags={"team": "a"})
    logs.untag_log_group(logGroupName=group, tags=["env"])
    assert logs.list_tags_for_resource(resourceArn=g["logGroupArn"])["tags"] == {"team": "a"}

    err, status = error_of(logs.create_log_group, logGroupName=group)
    assert (err["Code"], err["Message"], status) == ("ResourceAlreadyExistsException", "The specified log group already exists", 400)
    err, _ = error_of(logs.create_log_group, logGroupName="x" * 513)
    assert err["Message"] == "Invalid LogGroup or LogStream, both must have length less than or equal to 512."
    err, _ = error_of(logs.describe_log_groups, logGroupNamePrefix="a", logGroupNamePattern="b")
    assert err["Message"] == "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."
    logs.delete_log_group(logGroupName=group)
    err, _ = error_of(logs.delete_log_group, logGroupName=group)
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "The specified log group does not exist.")


def test_log_streams(logs):
    group, stream = group_with_stream(logs)
    err, _ = error_of(logs.create_log_stream, logGroupName=group, logStreamName=stream)
    assert (err["Code"], err["Message"]) == ("ResourceAlreadyExistsException", "The specified log stream already exists")
    for name in ("b-stream", "a-stream"):
        logs.create_log_stream(logGroupName=group, logStreamName=name)
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert [s["logStreamName"] for s in streams] == sorted(["b-stream", "a-stream", stream])
    assert streams[0]["arn"] == f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}:log-stream:a-stream"
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"
    by_arn = logs.describe_log_streams(logGroupIdentifier=arn, logStreamNamePrefix="a-")["logStreams"]
    assert [s["logStreamName"] for s in by_arn] == ["a-stream"]
    err, _ = error_of(logs.describe_log_streams, logGroupName=group, logGroupIdentifier=arn)
    assert (err["Code"], err["Message"]) == ("ValidationException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.")
    logs.delete_log_stream(logGroupName=group, logStreamName="a-stream")
    err, _ = error_of(logs.delete_log_stream, logGroupName=group, logStreamName="a-stream")
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "The specified log stream does not exist.")


def test_put_and_get_log_events(logs):
    group, stream = group_with_stream(logs)
    t = now_ms()
    out = logs.put_log_events(logGroupName=group, logStreamName=stream,
                              logEvents=[{"timestamp": t + i, "message": f"line {i}"} for i in range(5)])
    assert "nextSequenceToken" in out and "rejectedLogEventsInfo" not in out
    events = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)
    assert [e["message"] for e in events["events"]] == [f"line {i}" for i in range(5)]
    assert all(isinstance(e["ingestionTime"], int) for e in events["events"])
    first = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True, limit=2)
    assert [e["message"] for e in first["events"]] == ["line 0", "line 1"]
    second = logs.get_log_events(logGroupName=group, logStreamName=stream, nextToken=first["nextForwardToken"], limit=2)
    assert [e["message"] for e in second["events"]] == ["line 2", "line 3"]
    latest = logs.get_log_events(logGroupName=group, logStreamName=stream, limit=2)
    assert [e["message"] for e in latest["events"]] == ["line 3", "line 4"]
    stream_info = logs.describe_log_streams(logGroupName=group)["logStreams"][0]
    assert (stream_info["firstEventTimestamp"], stream_info["lastEventTimestamp"]) == (t, t + 4)

    err, _ = error_of(logs.put_log_events, logGroupName=group, logStreamName=stream,
                      logEvents=[{"timestamp": t + 10, "message": "b"}, {"timestamp": t, "message": "a"}])
    assert err["Message"] == "Log events in a single PutLogEvents request must be in chronological order."
    too_old = logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": t - 15 * 86_400_000, "message": "too old"}])["rejectedLogEventsInfo"]
    assert too_old == {"tooOldLogEventEndIndex": 0}
    mixed = logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": t, "message": "fine"}, {"timestamp": t + 3 * 3_600_000, "message": "too new"}])["rejectedLogEventsInfo"]
    assert mixed == {"tooNewLogEventStartIndex": 1}
    err, _ = error_of(logs.put_log_events, logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": t - 2 * 86_400_000, "message": "a"}, {"timestamp": t, "message": "b"}])
    assert err["Message"] == "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."
    stored = [e["message"] for e in logs.get_log_events(logGroupName=group, logStreamName=stream)["events"]]
    assert "fine" in stored and "too old" not in stored and "too new" not in stored
    err, _ = error_of(logs.put_log_events, logGroupName=group, logStreamName="missing",
                      logEvents=[{"timestamp": t, "message": "x"}])
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "The specified log stream does not exist.")
    err, _ = error_of(logs.get_log_events, logGroupName=group, logStreamName=stream, nextToken="bogus")
    assert (err["Code"], err["Message"]) == ("InvalidParameterException", "The specified nextToken is invalid.")
    err, _ = error_of(logs.get_log_events, logGroupName=group, logStreamName=stream, limit=10001)
    assert err["Message"] == ("1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: "
                              "Member must have value less than or equal to 10000")


def test_filter_log_events_with_patterns(logs):
    group, stream = group_with_stream(logs)
    other = "other-stream"
    logs.create_log_stream(logGroupName=group, logStreamName=other)
    t = now_ms()
    messages = [
        "ERROR Connection refused to db",
        "WARN slow query",
        "INFO all good",
        json.dumps({"level": "error", "latency": 250, "user": {"id": 7}}),
        json.dumps({"level": "info", "latency": 20, "user": {"id": 8}}),
        "127.0.0.1 alice GET 404 1200",
        "127.0.0.1 bob GET 200 5000",
    ]
    logs.put_log_events(logGroupName=group, logStreamName=stream,
                        logEvents=[{"timestamp": t + i, "message": m} for i, m in enumerate(messages[:5])])
    logs.put_log_events(logGroupName=group, logStreamName=other,
                        logEvents=[{"timestamp": t + 10 + i, "message": m} for i, m in enumerate(messages[5:])])

    def matching(pattern, **kw):
        return [e["message"] for e in logs.filter_log_events(logGroupName=group, filterPattern=pattern, **kw)["events"]]

    assert matching("ERROR") == [messages[0]]
    assert matching('"Connection refused"') == [messages[0]]
    assert matching("?WARN ?INFO") == [messages[1], messages[2]]
    assert matching("GET -404") == [messages[6]]
    assert matching('{ $.level = "error" }') == [messages[3]]
    assert matching("{ $.latency > 100 || $.user.id = 8 }") == [messages[3], messages[4]]
    assert matching('{ $.level = "inf*" && $.latency < 100 }') == [messages[4]]
    assert matching("[ip, user, verb, status = 404, size]") == [messages[5]]
    assert matching("[ip, user, ..., size > 2000]") == [messages[6]]
    assert matching("") == messages
    assert matching("GET", logStreamNames=[stream]) == []
    events = logs.filter_log_events(logGroupName=group, filterPattern="GET")["events"]
    assert {e["logStreamName"] for e in events} == {other} and all(e["eventId"] for e in events)
    page = logs.filter_log_events(logGroupName=group, limit=3)
    assert len(page["events"]) == 3 and page["nextToken"]
    rest = logs.filter_log_events(logGroupName=group, nextToken=page["nextToken"])
    assert len(rest["events"]) == 4
    err, _ = error_of(logs.filter_log_events, logGroupName=group, nextToken="not-a-token")
    assert err["Message"] == "The specified nextToken is invalid."
    matches = logs.test_metric_filter(filterPattern="{ $.latency > 100 }", logEventMessages=messages[3:5])["matches"]
    assert [m["eventNumber"] for m in matches] == [1]


def test_metric_and_subscription_filters_configuration(logs):
    group, _ = group_with_stream(logs)
    logs.put_metric_filter(logGroupName=group, filterName="errors", filterPattern="ERROR", metricTransformations=[
        {"metricName": "ErrorCount", "metricNamespace": "App", "metricValue": "1", "defaultValue": 0}])
    filters = logs.describe_metric_filters(logGroupName=group)["metricFilters"]
    assert [(f["filterName"], f["filterPattern"], f["logGroupName"]) for f in filters] == [("errors", "ERROR", group)]
    assert filters[0]["metricTransformations"][0]["metricName"] == "ErrorCount"
    assert logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["metricFilterCount"] == 1
    err, _ = error_of(logs.put_metric_filter, logGroupName=group, filterName="two", filterPattern="", metricTransformations=[
        {"metricName": "a", "metricNamespace": "n", "metricValue": "1"}, {"metricName": "b", "metricNamespace": "n", "metricValue": "1"}])
    assert err["Message"].endswith("at 'metricTransformations' failed to satisfy constraint: Member must have length less than or equal to 1")
    logs.delete_metric_filter(logGroupName=group, filterName="errors")
    assert logs.describe_metric_filters(logGroupName=group)["metricFilters"] == []

    err, _ = error_of(logs.put_subscription_filter, logGroupName=group, filterName="k", filterPattern="",
                      destinationArn=f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/s")
    assert (err["Code"], err["Message"]) == ("InvalidParameterException", "destinationArn for vendor kinesis cannot be used without roleArn")
    err, _ = error_of(logs.put_subscription_filter, logGroupName=group, filterName="l", filterPattern="",
                      destinationArn="arn:aws:lambda:us-east-1:111111111111:function:f")
    assert err["Code"] == "AccessDeniedException"
    for name in ("one", "two"):
        logs.put_subscription_filter(logGroupName=group, filterName=name, filterPattern="ERROR",
                                     destinationArn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}")
    err, _ = error_of(logs.put_subscription_filter, logGroupName=group, filterName="three", filterPattern="",
                      destinationArn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:three")
    assert (err["Code"], err["Message"]) == ("LimitExceededException", "Resource limit exceeded.")
    assert [f["filterName"] for f in logs.describe_subscription_filters(logGroupName=group)["subscriptionFilters"]] == ["one", "two"]
    logs.delete_subscription_filter(logGroupName=group, filterName="one")
    err, _ = error_of(logs.delete_subscription_filter, logGroupName=group, filterName="one")
    assert (err["Code"], err["Message"]) == ("ResourceNotFoundException", "The specified subscription filter does not exist.")


def test_subscription_filter_delivers_gzipped_data_messages_to_kinesis(logs, aws_client):
    kinesis = aws_client("kinesis")
    stream_name = unique("logs-sub")
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    stream_arn = kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["StreamARN"]
    group, stream = group_with_stream(logs)
    logs.put_subscription_filter(logGroupName=group, filterName="errors", filterPattern="ERROR",
                                 destinationArn=stream_arn, roleArn=f"arn:aws:iam::{ACCOUNT}:role/logs")
    t = now_ms()
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[
        {"timestamp": t, "message": "ERROR disk full"}, {"timestamp": t + 1, "message": "INFO fine"},
        {"timestamp": t + 2, "message": "ERROR again"}])

    shard = kinesis.list_shards(StreamName=stream_name)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName=stream_name, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]

    def records():
        nonlocal iterator
        out = kinesis.get_records(ShardIterator=iterator)
        iterator = out["NextShardIterator"]
        return out["Records"]
    [record] = wait_for(records, timeout=60, interval=0.3)
    message = json.loads(gzip.decompress(record["Data"]))
    assert (message["messageType"], message["owner"], message["logGroup"], message["logStream"]) == (
        "DATA_MESSAGE", ACCOUNT, group, stream)
    assert message["subscriptionFilters"] == ["errors"]
    assert [(e["timestamp"], e["message"]) for e in message["logEvents"]] == [(t, "ERROR disk full"), (t + 2, "ERROR again")]
    assert all(e["id"] for e in message["logEvents"])


def test_logs_insights_common_commands(logs):
    group, stream = group_with_stream(logs)
    t = now_ms()
    lines = [json.dumps({"level": lvl, "ms": ms}) for lvl, ms in
             [("error", 300), ("info", 10), ("error", 100), ("error", 200), ("warn", 50)]]
    lines.append("plain user=alice action=login")
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=[{"timestamp": t + i, "message": m}
                                                                            for i, m in enumerate(lines)])

    def run(query):
        qid = logs.start_query(logGroupName=group, startTime=t // 1000 - 60, endTime=t // 1000 + 60, queryString=query)["queryId"]
        out = logs.get_query_results(queryId=qid)
        assert out["status"] == "Complete"
        return [{f["field"]: f["value"] for f in row if f["field"] != "@ptr"} for row in out["results"]]

    assert run("stats count(*) as n by level | sort n desc | limit 1") == [{"level": "error", "n": "3"}]
    assert run("filter level = 'error' | stats sum(ms) as total, avg(ms) as mean") == [{"total": "600", "mean": "200"}]
    assert run("fields @message | filter @message like /login/ | parse @message 'user=* action=*' as user, action "
               "| fields user, action") == [{"user": "alice", "action": "login"}]
    assert [r["ms"] for r in run("fields ms | filter ms > 20 | sort ms asc")] == ["50", "100", "200", "300"]
    err, _ = error_of(logs.start_query, logGroupName=unique("missing"), startTime=0, endTime=1, queryString="fields @message")
    assert err["Code"] == "ResourceNotFoundException"


def test_event_bridge_rule_writes_to_a_log_group(logs, aws_client):
    events = aws_client("events")
    group = unique("/aws/events/test")
    logs.create_log_group(logGroupName=group)
    source = unique("src")
    rule = unique("rule")
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": [source]}))
    events.put_targets(Rule=rule, Targets=[{"Id": "logs", "Arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"}])
    event_id = events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": '{"k": "v"}'}])["Entries"][0]["EventId"]
    deadline = time.monotonic() + 10
    found = []
    while not found and time.monotonic() < deadline:
        found = logs.filter_log_events(logGroupName=group)["events"]
        time.sleep(0.05)
    assert len(found) == 1
    assert json.loads(found[0]["message"])["id"] == event_id and found[0]["logStreamName"] == event_id
