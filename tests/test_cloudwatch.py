"""CloudWatch metrics, alarms and dashboards end to end (native provider): PutMetricData in the three protocols
clients use (boto3's rpc-v2-cbor, JSON 1.0 and query), GetMetricStatistics, GetMetricData with metric math,
ListMetrics, alarms evaluated on a timer with SNS actions, SetAlarmState, history, composite alarms, dashboards,
tags, a Logs metric filter raising an alarm, and AWS's error answers."""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from helpers import error_of, unique
from helpers import wait_for

ACCOUNT = "000000000000"
AUTH = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=x"


@pytest.fixture(scope="module")
def cw(aws_client):
    return aws_client("cloudwatch")


def stats(cw, ns, name, dims=(), stats=("Sum", "SampleCount", "Average", "Minimum", "Maximum"), **kw):
    now = datetime.now(timezone.utc)
    return cw.get_metric_statistics(Namespace=ns, MetricName=name, Dimensions=list(dims),
                                    StartTime=now - timedelta(minutes=10), EndTime=now + timedelta(minutes=1),
                                    Period=3600, Statistics=list(stats), **kw)


def test_put_metric_data_and_statistics(cw):
    ns = unique("ns")
    dims = [{"Name": "InstanceId", "Value": "i-1"}]
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "m", "Dimensions": dims, "Value": v, "Unit": "Seconds"} for v in range(10)])
    out = stats(cw, ns, "m", dims)
    assert out["Label"] == "m"
    [p] = out["Datapoints"]
    assert (p["Sum"], p["SampleCount"], p["Average"], p["Minimum"], p["Maximum"], p["Unit"]) == (45.0, 10.0, 4.5, 0.0, 9.0, "Seconds")
    # another dimension set is another metric
    assert stats(cw, ns, "m", [{"Name": "InstanceId", "Value": "i-2"}])["Datapoints"] == []
    # values with counts, statistic sets, percentiles
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "v", "Values": [1.0, 2.0, 3.0], "Counts": [1.0, 2.0, 7.0]},
        {"MetricName": "s", "StatisticValues": {"SampleCount": 4, "Sum": 10, "Minimum": 1, "Maximum": 4}}])
    [v] = stats(cw, ns, "v", ExtendedStatistics=["p50"], stats=["Sum", "SampleCount"])["Datapoints"]
    assert (v["Sum"], v["SampleCount"], v["ExtendedStatistics"]["p50"], v["Unit"]) == (26.0, 10.0, 3.0, "None")
    [s] = stats(cw, ns, "s")["Datapoints"]
    assert (s["Sum"], s["SampleCount"], s["Average"], s["Minimum"], s["Maximum"]) == (10.0, 4.0, 2.5, 1.0, 4.0)
    names = {(m["MetricName"], tuple((d["Name"], d["Value"]) for d in m["Dimensions"])) for m in cw.list_metrics(Namespace=ns)["Metrics"]}
    assert names == {("m", (("InstanceId", "i-1"),)), ("v", ()), ("s", ())}
    filtered = cw.list_metrics(Namespace=ns, Dimensions=[{"Name": "InstanceId"}])["Metrics"]
    assert [m["MetricName"] for m in filtered] == ["m"]


def test_put_metric_data_validation(cw):
    ns = unique("ns")
    err, status = error_of(cw.put_metric_data, Namespace=ns, MetricData=[{"MetricName": "m", "Value": 1, "Values": [1.0]}])
    assert (err["Code"], status) == ("InvalidParameterCombination", 400)
    assert err["Message"] == ("The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually "
                              "exclusive and you have specified both.")
    err, _ = error_of(cw.put_metric_data, Namespace=ns, MetricData=[{"MetricName": "m", "Values": [1.0, 2.0], "Counts": [1.0]}])
    assert (err["Code"], err["Message"]) == ("InvalidParameterValue", "The parameters MetricData.member.1.Values and "
                                             "MetricData.member.1.Counts must be of the same size.")
    err, _ = error_of(cw.put_metric_data, Namespace=ns, MetricData=[
        {"MetricName": "m", "Value": 1, "StatisticValues": {"SampleCount": 1, "Sum": 1, "Minimum": 1, "Maximum": 1}}])
    assert err["Code"] == "InvalidParameterCombination"
    assert cw.list_metrics(Namespace=ns)["Metrics"] == [], "nothing of a refused request is stored"
    now = datetime.now(timezone.utc)
    err, _ = error_of(cw.get_metric_statistics, Namespace=ns, MetricName="m", StartTime=now, EndTime=now - timedelta(hours=1),
                      Period=60, Statistics=["Sum"])
    assert (err["Code"], err["Message"]) == ("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.")
    err, _ = error_of(cw.get_metric_statistics, Namespace=ns, MetricName="m", StartTime=now - timedelta(days=1), EndTime=now,
                      Period=1, Statistics=["Sum"])
    assert err["Code"] == "InvalidParameterCombination"
    assert err["Message"].startswith("You have requested up to 86400 datapoints, which exceeds the limit of 1440.")


def test_put_metric_data_json_and_query_protocols(cw, endpoint_url):
    ns = unique("ns")
    r = requests.post(endpoint_url, headers={"X-Amz-Target": "GraniteServiceVersion20100801.PutMetricData",
                                             "Content-Type": "application/x-amz-json-1.0", "Authorization": AUTH},
                      data=json.dumps({"Namespace": ns, "MetricData": [{"MetricName": "j", "Value": 2.5}]}))
    assert r.status_code == 200, r.text
    r = requests.post(endpoint_url, headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": AUTH},
                      data={"Action": "PutMetricData", "Version": "2010-08-01", "Namespace": ns,
                            "MetricData.member.1.MetricName": "q", "MetricData.member.1.Value": "4"})
    assert r.status_code == 200, r.text
    assert "<PutMetricDataResponse" in r.text
    assert stats(cw, ns, "j")["Datapoints"][0]["Sum"] == 2.5
    assert stats(cw, ns, "q")["Datapoints"][0]["Sum"] == 4.0
    # a query client gets query errors
    r = requests.post(endpoint_url, headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": AUTH},
                      data={"Action": "SetAlarmState", "Version": "2010-08-01", "AlarmName": unique("none"),
                            "StateValue": "OK", "StateReason": "x"})
    assert r.status_code == 404 and "<Code>ResourceNotFound</Code>" in r.text


def test_get_metric_data_and_math(cw):
    ns = unique("ns")
    t = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=3)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "a", "Timestamp": t, "Value": 10}, {"MetricName": "a", "Timestamp": t, "Value": 20},
        {"MetricName": "b", "Timestamp": t, "Value": 5},
        {"MetricName": "a", "Timestamp": t + timedelta(minutes=1), "Value": 1}])
    def q(i, name, stat):
        return {"Id": i, "MetricStat": {"Metric": {"Namespace": ns, "MetricName": name}, "Period": 60, "Stat": stat}}
    out = cw.get_metric_data(MetricDataQueries=[
        q("a", "a", "Sum"), q("b", "b", "Sum"),
        {"Id": "e1", "Expression": "a + b * 2", "Label": "combined"},
        {"Id": "e2", "Expression": "SUM([a, b])"},
        {"Id": "e3", "Expression": "MAX(a)"},
        q("hidden", "a", "Average") | {"ReturnData": False}],
        StartTime=t - timedelta(minutes=5), EndTime=t + timedelta(minutes=5))
    res = {r["Id"]: r for r in out["MetricDataResults"]}
    assert set(res) == {"a", "b", "e1", "e2", "e3"}
    assert res["a"]["Values"] == [1.0, 30.0], "newest first"
    assert res["a"]["Timestamps"][0] > res["a"]["Timestamps"][1]
    assert res["a"]["Label"] == "a" and res["a"]["StatusCode"] == "Complete"
    assert res["e1"]["Values"] == [40.0] and res["e1"]["Label"] == "combined"
    assert res["e2"]["Values"] == [1.0, 35.0]
    assert set(res["e3"]["Values"]) == {30.0}
    err, _ = error_of(cw.get_metric_data, MetricDataQueries=[q("a", "a", "Sum"), {"Id": "e", "Expression": "a + nope"}],
                      StartTime=t - timedelta(minutes=5), EndTime=t + timedelta(minutes=5))
    assert err["Code"] == "ValidationError"


@pytest.fixture(scope="module")
def topic_queue(aws_client):
    sns, sqs = aws_client("sns"), aws_client("sqs")
    topic = sns.create_topic(Name=unique("alarms"))["TopicArn"]
    url = sqs.create_queue(QueueName=unique("alarms"))["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    return topic, url, sqs


def alarm_messages(sqs, url, timeout=40):
    def poll():
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        return [json.loads(m["Body"]) for m in msgs]
    return wait_for(poll, timeout=timeout)


def describe(cw, name, types=("MetricAlarm",)):
    out = cw.describe_alarms(AlarmNames=[name], AlarmTypes=list(types))
    return (out["MetricAlarms"] + out["CompositeAlarms"])[0]


def test_metric_alarm_fires_to_sns(cw, topic_queue):
    topic, url, sqs = topic_queue
    ns, name = unique("ns"), unique("alarm")
    dims = [{"Name": "InstanceId", "Value": "abc"}]
    cw.put_metric_alarm(AlarmName=name, AlarmDescription="testing cloudwatch alarms", Namespace=ns, MetricName="my-metric1",
                        Dimensions=dims, Statistic="Average", Period=10, EvaluationPeriods=1, Threshold=21,
                        ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore", Unit="Seconds",
                        AlarmActions=[topic], OKActions=[topic])
    a = describe(cw, name)
    assert (a["StateValue"], a["StateReason"], a["AlarmArn"]) == (
        "INSUFFICIENT_DATA", "Unchecked: Initial alarm creation", f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:{name}")
    assert (a["Dimensions"], a["InsufficientDataActions"], a["TreatMissingData"], a["Threshold"]) == (dims, [], "ignore", 21.0)
    # data keeps arriving in every period until the alarm fires
    def breach():
        cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "my-metric1", "Dimensions": dims, "Value": v, "Unit": "Seconds"}
                                                     for v in (21, 22)])
        return describe(cw, name)["StateValue"] == "ALARM"
    wait_for(breach, timeout=45, interval=2)
    a = describe(cw, name)
    assert a["StateReason"].startswith("Threshold Crossed: 1 datapoint [21.5 (")
    assert a["StateReason"].endswith(")] was greater than the threshold (21.0).")
    reason_data = json.loads(a["StateReasonData"])
    assert (reason_data["version"], reason_data["statistic"], reason_data["period"], reason_data["threshold"]) == ("1.0", "Average", 10, 21.0)
    [msg] = [m for m in alarm_messages(sqs, url) if json.loads(m["Message"])["AlarmName"] == name]
    assert msg["Subject"] == f'ALARM: "{name}" in US East (N. Virginia)'
    body = json.loads(msg["Message"])
    assert (body["NewStateValue"], body["OldStateValue"], body["AWSAccountId"], body["Region"]) == (
        "ALARM", "INSUFFICIENT_DATA", ACCOUNT, "US East (N. Virginia)")
    assert body["Trigger"]["Statistic"] == "AVERAGE" and body["Trigger"]["Dimensions"] == [{"value": "abc", "name": "InstanceId"}]
    history = cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate")["AlarmHistoryItems"]
    assert history[0]["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to ALARM"
    assert json.loads(history[0]["HistoryData"])["newState"]["stateValue"] == "ALARM"
    assert [x["AlarmName"] for x in cw.describe_alarms_for_metric(Namespace=ns, MetricName="my-metric1", Dimensions=dims)["MetricAlarms"]] == [name]


def test_set_alarm_state_actions_and_errors(cw, topic_queue):
    topic, url, sqs = topic_queue
    name = unique("alarm")
    cw.put_metric_alarm(AlarmName=name, Namespace=unique("ns"), MetricName="m", Statistic="Sum", Period=300, EvaluationPeriods=2,
                        Threshold=50, ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore", AlarmActions=[topic])
    cw.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason="testing alarm")
    a = describe(cw, name)
    assert (a["StateValue"], a["StateReason"]) == ("ALARM", "testing alarm")
    [msg] = [m for m in alarm_messages(sqs, url) if json.loads(m["Message"])["AlarmName"] == name]
    assert json.loads(msg["Message"])["NewStateReason"] == "testing alarm"
    cw.disable_alarm_actions(AlarmNames=[name])
    assert describe(cw, name)["ActionsEnabled"] is False
    cw.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="resetting alarm")
    assert describe(cw, name)["StateValue"] == "OK"
    err, status = error_of(cw.set_alarm_state, AlarmName=unique("missing"), StateValue="OK", StateReason="x")
    assert (err["Code"], status) == ("ResourceNotFound", 404)
    assert [x["AlarmName"] for x in cw.describe_alarms(StateValue="OK", AlarmNamePrefix=name)["MetricAlarms"]] == [name]
    cw.delete_alarms(AlarmNames=[name])
    assert cw.describe_alarms(AlarmNames=[name])["MetricAlarms"] == []


def test_composite_alarm(cw):
    a1, a2, comp = unique("a1"), unique("a2"), unique("comp")
    for n in (a1, a2):
        cw.put_metric_alarm(AlarmName=n, Namespace="x", MetricName="m", Statistic="Sum", Period=300, EvaluationPeriods=1,
                            Threshold=1, ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore")
    arn1 = describe(cw, a1)["AlarmArn"]
    cw.put_composite_alarm(AlarmName=comp, AlarmRule=f'ALARM("{arn1}") OR ALARM({a2})', AlarmDescription="composite alarm description")
    cw.set_alarm_state(AlarmName=a1, StateValue="ALARM", StateReason="x")
    c = describe(cw, comp, types=("CompositeAlarm",))
    assert c["StateValue"] == "ALARM"
    assert json.loads(c["StateReasonData"])["triggeringAlarms"][0]["arn"] == arn1
    cw.set_alarm_state(AlarmName=a1, StateValue="OK", StateReason="x")
    assert describe(cw, comp, types=("CompositeAlarm",))["StateValue"] == "OK"
    assert comp not in [x["AlarmName"] for x in cw.describe_alarms()["MetricAlarms"]], "composites only when asked for"
    err, _ = error_of(cw.put_composite_alarm, AlarmName=unique("bad"), AlarmRule="ALARM(x) AND")
    assert err["Code"] == "ValidationError"


def test_alarm_tags(cw):
    name = unique("alarm")
    cw.put_metric_alarm(AlarmName=name, Namespace="x", MetricName="m", Statistic="Sum", Period=60, EvaluationPeriods=1,
                        Threshold=1, ComparisonOperator="GreaterThanThreshold", Tags=[{"Key": "Environment", "Value": "Production"}])
    arn = describe(cw, name)["AlarmArn"]
    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "tag1", "Value": "foo"}, {"Key": "tag2", "Value": "bar"}])
    cw.untag_resource(ResourceARN=arn, TagKeys=["tag1"])
    assert cw.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "Environment", "Value": "Production"}, {"Key": "tag2", "Value": "bar"}]
    cw.delete_alarms(AlarmNames=[name])
    assert cw.list_tags_for_resource(ResourceARN=arn)["Tags"] == []


def test_dashboards(cw):
    name = unique("dash")
    body = json.dumps({"widgets": [{"type": "metric", "x": 0, "y": 0, "width": 6, "height": 6,
                                    "properties": {"metrics": [["AWS/EC2", "CPUUtilization"]], "region": "us-east-1"}}]})
    assert cw.put_dashboard(DashboardName=name, DashboardBody=body)["DashboardValidationMessages"] == []
    got = cw.get_dashboard(DashboardName=name)
    assert (got["DashboardBody"], got["DashboardArn"]) == (body, f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{name}")
    [entry] = cw.list_dashboards(DashboardNamePrefix=name)["DashboardEntries"]
    assert entry["Size"] == len(body)
    assert cw.list_dashboards(DashboardNamePrefix=name + "-none")["DashboardEntries"] == []
    err, _ = error_of(cw.put_dashboard, DashboardName="bad name!", DashboardBody=body)
    assert err["Code"] == "InvalidParameterValue"
    assert err["Message"].startswith("The value for field DashboardName contains invalid characters.")
    cw.delete_dashboards(DashboardNames=[name])
    err, status = error_of(cw.get_dashboard, DashboardName=name)
    assert (err["Code"], status) == ("ResourceNotFound", 404)


def test_logs_metric_filter_raises_alarm(cw, aws_client, topic_queue):
    topic, url, sqs = topic_queue
    logs = aws_client("logs")
    group, ns, name = unique("/app"), unique("ns"), unique("errors")
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    logs.put_metric_filter(logGroupName=group, filterName="errors", filterPattern="ERROR",
                           metricTransformations=[{"metricName": "ErrorCount", "metricNamespace": ns, "metricValue": "1"}])
    cw.put_metric_alarm(AlarmName=name, Namespace=ns, MetricName="ErrorCount", Statistic="Sum", Period=10, EvaluationPeriods=1,
                        Threshold=0, ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore", AlarmActions=[topic])
    def errors_logged():
        now = int(time.time() * 1000)
        logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
            {"timestamp": now, "message": "ERROR boom"}, {"timestamp": now, "message": "all fine"}])
        return describe(cw, name)["StateValue"] == "ALARM"
    wait_for(errors_logged, timeout=45, interval=2)
    assert stats(cw, ns, "ErrorCount", stats=["Sum"])["Datapoints"][0]["Sum"] >= 1
    assert any(json.loads(m["Message"])["AlarmName"] == name for m in alarm_messages(sqs, url))


def test_pagination(cw):
    ns = unique("Paged")
    names = sorted(f"m{i:04d}" for i in range(503))
    for i in range(0, len(names), 500):
        cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": n, "Value": 1.0} for n in names[i:i + 500]])
    first = cw.list_metrics(Namespace=ns)
    assert [m["MetricName"] for m in first["Metrics"]] == names[:500], "AWS answers 500 metrics a page"
    rest = cw.list_metrics(Namespace=ns, NextToken=first["NextToken"])
    assert [m["MetricName"] for m in rest["Metrics"]] == names[500:] and "NextToken" not in rest
    paged = [m["MetricName"] for p in cw.get_paginator("list_metrics").paginate(Namespace=ns) for m in p["Metrics"]]
    assert paged == names
    err, status = error_of(cw.list_metrics, Namespace=ns, NextToken="not-a-token")
    assert (err["Code"], status) == ("InvalidNextToken", 400)

    prefix = unique("paged-alarm")
    alarms = [f"{prefix}-{i}" for i in range(5)]
    for a in alarms:
        cw.put_metric_alarm(AlarmName=a, Namespace=ns, MetricName="m0000", Statistic="Sum", Period=60, EvaluationPeriods=1,
                            Threshold=1, ComparisonOperator="GreaterThanThreshold")
    page = cw.describe_alarms(AlarmNamePrefix=prefix, MaxRecords=2)
    assert [a["AlarmName"] for a in page["MetricAlarms"]] == alarms[:2]
    got = [a["AlarmName"] for p in cw.get_paginator("describe_alarms").paginate(AlarmNamePrefix=prefix, PaginationConfig={"PageSize": 2})
           for a in p["MetricAlarms"]]
    assert got == alarms
    cw.delete_alarms(AlarmNames=alarms)


def test_alarm_history_and_metric_data_pages(cw):
    """DescribeAlarmHistory and GetMetricData continue with NextToken: MaxRecords / MaxDatapoints per page, nothing
    skipped or repeated, newest first unless asked otherwise, and a token they did not issue is InvalidNextToken."""
    name = unique("history-paged")
    # missing data ignored: no evaluation moves the state between the calls below
    cw.put_metric_alarm(AlarmName=name, Namespace=unique("Hist"), MetricName="m", Statistic="Sum", Period=300,
                        EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold", TreatMissingData="ignore")
    for i in range(4):
        cw.set_alarm_state(AlarmName=name, StateValue="ALARM" if i % 2 == 0 else "OK", StateReason=f"step {i}")
    everything = cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate")["AlarmHistoryItems"]
    assert len(everything) == 4
    assert [h["Timestamp"] for h in everything] == sorted((h["Timestamp"] for h in everything), reverse=True)
    first = cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate", MaxRecords=3)
    assert len(first["AlarmHistoryItems"]) == 3 and first["NextToken"]
    rest = cw.describe_alarm_history(AlarmName=name, HistoryItemType="StateUpdate", MaxRecords=3, NextToken=first["NextToken"])
    assert len(rest["AlarmHistoryItems"]) == 1 and "NextToken" not in rest
    assert first["AlarmHistoryItems"] + rest["AlarmHistoryItems"] == everything
    paged = [h for p in cw.get_paginator("describe_alarm_history").paginate(
        AlarmName=name, HistoryItemType="StateUpdate", PaginationConfig={"PageSize": 1}) for h in p["AlarmHistoryItems"]]
    assert paged == everything
    err, status = error_of(cw.describe_alarm_history, AlarmName=name, NextToken="not-a-token")
    assert (err["Code"], status) == ("InvalidNextToken", 400)
    cw.delete_alarms(AlarmNames=[name])

    ns = unique("DataPaged")
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "m", "Value": float(i), "Timestamp": now - timedelta(minutes=i)} for i in range(5)])
    queries = [{"Id": "a", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "m"}, "Period": 60, "Stat": "Sum"}},
               {"Id": "b", "Expression": "a * 2"}]
    window = {"StartTime": now - timedelta(minutes=10), "EndTime": now + timedelta(minutes=1)}
    whole = cw.get_metric_data(MetricDataQueries=queries, **window)
    assert [len(r["Values"]) for r in whole["MetricDataResults"]] == [5, 5] and "NextToken" not in whole
    pages, token = [], None
    while True:
        page = cw.get_metric_data(MetricDataQueries=queries, MaxDatapoints=3, **window, **({"NextToken": token} if token else {}))
        pages.append(page)
        assert sum(len(r["Values"]) for r in page["MetricDataResults"]) <= 3
        token = page.get("NextToken")
        if not token:
            break
    assert len(pages) == 4
    assert pages[0]["MetricDataResults"][0]["StatusCode"] == "PartialData"
    assert pages[-1]["MetricDataResults"][1]["StatusCode"] == "Complete"
    for i, result in enumerate(whole["MetricDataResults"]):
        assert [v for p in pages for v in p["MetricDataResults"][i]["Values"]] == result["Values"]
        assert [t for p in pages for t in p["MetricDataResults"][i]["Timestamps"]] == result["Timestamps"]
    err, status = error_of(cw.get_metric_data, MetricDataQueries=queries, NextToken="bad", **window)
    assert (err["Code"], status) == ("InvalidNextToken", 400)
