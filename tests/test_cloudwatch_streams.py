"""CloudWatch metric streams and anomaly detectors end to end: streams to Firehose (and so S3) in JSON and the
OpenTelemetry 1.0 / 0.7 formats, include and exclude filters, additional statistics, Start/Stop, and the anomaly
detector lifecycle as AWS answers it (recorded in aws-recorded/cloudwatch)."""
import base64
import json
import struct
import time
from datetime import datetime, timezone

import pytest
from helpers import error_of, unique, wait_for

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/streams"
# A minute closes, then the stream sends it, then Firehose buffers a second: generous on a shared box.
STREAM_TIMEOUT = 200


@pytest.fixture(scope="module")
def cloudwatch(aws_client):
    return aws_client("cloudwatch")


@pytest.fixture(scope="module")
def firehose(aws_client):
    return aws_client("firehose")


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


def delivery_stream(firehose, bucket, prefix):
    name = unique("ms-fh")
    return firehose.create_delivery_stream(
        DeliveryStreamName=name,
        ExtendedS3DestinationConfiguration={"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}", "Prefix": prefix,
                                            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 1}})["DeliveryStreamARN"]


def delivered(s3, bucket, prefix):
    return b"".join(s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
                    for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


# ---------------------------------------------------------------- a small protobuf reader for the OpenTelemetry formats

def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        value |= (b & 0x7F) << shift
        i += 1
        if not b & 0x80:
            return value, i
        shift += 7


def fields(buf):
    """{field number: [raw values]} of one message (varints as ints, fixed64 as 8 bytes, length-delimited as bytes)."""
    out, i = {}, 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 2:
            size, i = varint(buf, i)
            value, i = buf[i:i + size], i + size
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise AssertionError(f"wire type {wire}")
        out.setdefault(number, []).append(value)
    return out


def delimited_messages(data):
    messages, i = [], 0
    while i < len(data):
        size, i = varint(data, i)
        messages.append(data[i:i + size])
        i += size
    return messages


def double(raw):
    return struct.unpack("<d", raw)[0]


def fixed64(raw):
    return struct.unpack("<Q", raw)[0]


def key_values(raws):
    """KeyValue (1.0: value an AnyValue; a kvlist becomes a dict) or StringKeyValue (0.7) list as a dict."""
    out = {}
    for raw in raws:
        kv = fields(raw)
        key, value = kv[1][0].decode(), kv[2][0]
        try:
            any_value = fields(value)
        except (IndexError, AssertionError):
            any_value = None
        if any_value and 1 in any_value and isinstance(any_value[1][0], bytes) and len(any_value) == 1:
            out[key] = any_value[1][0].decode()
        elif any_value and 6 in any_value:
            out[key] = key_values(fields(any_value[6][0]).get(1, []))
        else:
            out[key] = value.decode()
    return out


def otel_points(data, v1):
    """[(resource attributes, metric name, unit, point)] of every message of a Firehose object."""
    out = []
    for message in delimited_messages(data):
        for resource_metrics in fields(message)[1]:
            rm = fields(resource_metrics)
            resource = key_values(fields(rm[1][0]).get(1, []))
            for scope in rm[2]:
                for metric in fields(scope)[2]:
                    m = fields(metric)
                    for point in fields(m[11][0])[1]:
                        p = fields(point)
                        quantiles = {double(fields(q)[1][0]) if 1 in fields(q) else 0.0: double(fields(q)[2][0]) for q in p[6]}
                        labels = key_values(p[7] if v1 else p[1])
                        out.append((resource, m[1][0].decode(), m[3][0].decode(), {
                            "start": fixed64(p[2][0]), "time": fixed64(p[3][0]), "count": fixed64(p[4][0]),
                            "sum": double(p[5][0]), "quantiles": quantiles, "labels": labels}))
    return out


# ---------------------------------------------------------------- metric streams

def test_metric_stream_lifecycle_and_errors(cloudwatch, firehose, s3):
    bucket = unique("ms-bucket")
    s3.create_bucket(Bucket=bucket)
    target = delivery_stream(firehose, bucket, "life/")
    name = unique("stream")
    arn = cloudwatch.put_metric_stream(Name=name, FirehoseArn=target, RoleArn=ROLE, OutputFormat="json")["Arn"]
    assert arn == f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:metric-stream/{name}"
    got = cloudwatch.get_metric_stream(Name=name)
    got.pop("ResponseMetadata")
    assert set(got) == {"Arn", "CreationDate", "FirehoseArn", "IncludeLinkedAccountsMetrics", "LastUpdateDate", "Name",
                        "OutputFormat", "RoleArn", "State"}, "the recorded field set"
    assert (got["Arn"], got["Name"], got["FirehoseArn"], got["RoleArn"], got["OutputFormat"], got["State"],
            got["IncludeLinkedAccountsMetrics"]) == (arn, name, target, ROLE, "json", "running", False)
    entries = {e["Name"]: e for e in cloudwatch.list_metric_streams()["Entries"]}
    assert entries[name]["State"] == "running" and entries[name]["OutputFormat"] == "json"

    cloudwatch.stop_metric_streams(Names=[name])
    assert cloudwatch.get_metric_stream(Name=name)["State"] == "stopped"
    cloudwatch.start_metric_streams(Names=[name])
    assert cloudwatch.get_metric_stream(Name=name)["State"] == "running"

    # an update keeps the stream, with its new settings
    cloudwatch.put_metric_stream(Name=name, FirehoseArn=target, RoleArn=ROLE, OutputFormat="opentelemetry1.0",
                                 IncludeFilters=[{"Namespace": "A", "MetricNames": ["x"]}],
                                 StatisticsConfigurations=[{"IncludeMetrics": [{"Namespace": "A", "MetricName": "x"}],
                                                            "AdditionalStatistics": ["p99"]}])
    got = cloudwatch.get_metric_stream(Name=name)
    assert got["OutputFormat"] == "opentelemetry1.0"
    assert got["IncludeFilters"] == [{"Namespace": "A", "MetricNames": ["x"]}]
    assert got["StatisticsConfigurations"] == [{"IncludeMetrics": [{"Namespace": "A", "MetricName": "x"}],
                                                "AdditionalStatistics": ["p99"]}]

    err, status = error_of(cloudwatch.put_metric_stream, Name=unique("s"), FirehoseArn=target, RoleArn=ROLE,
                           OutputFormat="json", IncludeFilters=[{"Namespace": "A"}], ExcludeFilters=[{"Namespace": "B"}])
    assert (err["Code"], status) == ("InvalidParameterCombination", 400)
    err, status = error_of(cloudwatch.put_metric_stream, Name=unique("s"), FirehoseArn=target, RoleArn=ROLE,
                           OutputFormat="csv")
    assert (err["Code"], status) == ("InvalidParameterValue", 400)

    cloudwatch.delete_metric_stream(Name=name)
    err, status = error_of(cloudwatch.get_metric_stream, Name=name)
    assert (err["Code"], status) == ("ResourceNotFoundException", 404)
    cloudwatch.delete_metric_stream(Name=name)   # deleting what is gone succeeds, as on AWS


def test_metric_streams_deliver_each_minute_in_every_format(cloudwatch, firehose, s3):
    bucket = unique("ms-bucket")
    s3.create_bucket(Bucket=bucket)
    ns, other_ns = unique("Streams"), unique("Other")
    streams = {
        "json": dict(OutputFormat="json", IncludeFilters=[{"Namespace": ns, "MetricNames": ["Latency"]}],
                     StatisticsConfigurations=[{"IncludeMetrics": [{"Namespace": ns, "MetricName": "Latency"}],
                                                "AdditionalStatistics": ["p99"]}]),
        "otel1": dict(OutputFormat="opentelemetry1.0", IncludeFilters=[{"Namespace": ns}]),
        "otel07": dict(OutputFormat="opentelemetry0.7", IncludeFilters=[{"Namespace": ns}]),
        "exclude": dict(OutputFormat="json", ExcludeFilters=[{"Namespace": ns}]),
        "stopped": dict(OutputFormat="json", IncludeFilters=[{"Namespace": ns}]),
    }
    names = {}
    for prefix, settings in streams.items():
        names[prefix] = unique(prefix)
        cloudwatch.put_metric_stream(Name=names[prefix], FirehoseArn=delivery_stream(firehose, bucket, f"{prefix}/"),
                                     RoleArn=ROLE, **settings)
    cloudwatch.stop_metric_streams(Names=[names["stopped"]])

    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    cloudwatch.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Latency", "Dimensions": [{"Name": "Service", "Value": "api"}], "Timestamp": stamp,
         "Values": [10, 20, 30], "Counts": [1, 1, 1], "Unit": "Milliseconds"},
        {"MetricName": "Requests", "Timestamp": stamp, "Value": 5, "Unit": "Count"}])
    cloudwatch.put_metric_data(Namespace=other_ns, MetricData=[{"MetricName": "Elsewhere", "Timestamp": stamp, "Value": 1}])
    minute = int(stamp.timestamp()) // 60 * 60 * 1000

    # JSON: only Latency (its MetricNames filter), with the p99 it was configured for
    body = wait_for(lambda: delivered(s3, bucket, "json/"), timeout=STREAM_TIMEOUT, interval=1)
    [line] = [json.loads(x) for x in body.decode().splitlines()]
    assert line == {"metric_stream_name": names["json"], "account_id": ACCOUNT, "region": "us-east-1",
                    "namespace": ns, "metric_name": "Latency", "dimensions": {"Service": "api"}, "timestamp": minute,
                    "value": {"max": 30.0, "min": 10.0, "sum": 60.0, "count": 3.0, "p99": 30.0}, "unit": "Milliseconds"}

    # OpenTelemetry 1.0: both metrics, attributes with the dimensions as a key-value list
    body = wait_for(lambda: delivered(s3, bucket, "otel1/"), timeout=STREAM_TIMEOUT, interval=1)
    points = {name: (resource, unit, p) for resource, name, unit, p in otel_points(body, v1=True)}
    assert set(points) == {f"amazonaws.com/{ns}/Latency", f"amazonaws.com/{ns}/Requests"}
    resource, unit, p = points[f"amazonaws.com/{ns}/Latency"]
    assert resource == {"cloud.provider": "aws", "cloud.account.id": ACCOUNT, "cloud.region": "us-east-1",
                        "aws.exporter.arn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:metric-stream/{names['otel1']}"}
    assert unit == "ms"
    assert (p["count"], p["sum"], p["quantiles"]) == (3, 60.0, {0.0: 10.0, 1.0: 30.0})
    assert (p["start"], p["time"]) == (minute * 1_000_000, (minute + 60_000) * 1_000_000)
    assert p["labels"] == {"Namespace": ns, "MetricName": "Latency", "Dimensions": {"Service": "api"}}
    assert points[f"amazonaws.com/{ns}/Requests"][1] == "1"

    # OpenTelemetry 0.7: the same, with StringKeyValue labels, one per dimension
    body = wait_for(lambda: delivered(s3, bucket, "otel07/"), timeout=STREAM_TIMEOUT, interval=1)
    points = {name: p for _, name, _, p in otel_points(body, v1=False)}
    assert points[f"amazonaws.com/{ns}/Latency"]["labels"] == {"Namespace": ns, "MetricName": "Latency", "Service": "api"}
    assert points[f"amazonaws.com/{ns}/Requests"]["sum"] == 5.0

    # the exclude filter keeps the namespace out and lets the other in
    def other_delivered():
        lines = [json.loads(x) for x in delivered(s3, bucket, "exclude/").decode().splitlines()]
        return lines if any(x["namespace"] == other_ns for x in lines) else None
    lines = wait_for(other_delivered, timeout=STREAM_TIMEOUT, interval=1)
    assert not [x for x in lines if x["namespace"] == ns]
    assert delivered(s3, bucket, "stopped/") == b"", "a stopped stream sends nothing"
    for name in names.values():
        cloudwatch.delete_metric_stream(Name=name)


# ---------------------------------------------------------------- anomaly detectors

def test_anomaly_detector_lifecycle(cloudwatch):
    ns = unique("AD")
    dims = [{"Name": "DimensionName", "Value": "DimensionValue"}]
    cloudwatch.put_anomaly_detector(Namespace=ns, MetricName="MyMetric", Dimensions=dims, Stat="Sum")
    [d] = cloudwatch.describe_anomaly_detectors(Namespace=ns)["AnomalyDetectors"]
    assert d == {"Configuration": {"ExcludedTimeRanges": []}, "Dimensions": dims, "MetricName": "MyMetric",
                 "Namespace": ns, "Stat": "Sum", "StateValue": "PENDING_TRAINING",
                 "SingleMetricAnomalyDetector": {"AccountId": ACCOUNT, "Dimensions": dims, "MetricName": "MyMetric",
                                                 "Namespace": ns, "Stat": "Sum"}}, "AWS's recorded shape"

    # the typed form names the same detector; a second one with its configuration
    cloudwatch.put_anomaly_detector(SingleMetricAnomalyDetector={"Namespace": ns, "MetricName": "MyMetric",
                                                                 "Dimensions": dims, "Stat": "Sum"})
    window = {"StartTime": datetime(2026, 1, 1, tzinfo=timezone.utc), "EndTime": datetime(2026, 1, 2, tzinfo=timezone.utc)}
    cloudwatch.put_anomaly_detector(SingleMetricAnomalyDetector={"Namespace": ns, "MetricName": "Other", "Stat": "Average"},
                                    Configuration={"ExcludedTimeRanges": [window], "MetricTimezone": "UTC"})
    math = [{"Id": "m1", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "MyMetric"}, "Period": 60, "Stat": "Sum"},
             "ReturnData": False}, {"Id": "e1", "Expression": "m1 * 2", "ReturnData": True}]
    cloudwatch.put_anomaly_detector(MetricMathAnomalyDetector={"MetricDataQueries": math})

    found = cloudwatch.describe_anomaly_detectors(Namespace=ns)["AnomalyDetectors"]
    assert sorted(d["MetricName"] for d in found) == ["MyMetric", "Other"], "the math detector has no namespace"
    [other] = [d for d in found if d["MetricName"] == "Other"]
    assert other["Configuration"]["MetricTimezone"] == "UTC"
    assert other["Configuration"]["ExcludedTimeRanges"][0]["StartTime"] == window["StartTime"]
    assert [d["MetricName"] for d in cloudwatch.describe_anomaly_detectors(Namespace=ns, Dimensions=dims)["AnomalyDetectors"]] == ["MyMetric"]
    maths = [d for d in cloudwatch.describe_anomaly_detectors(AnomalyDetectorTypes=["METRIC_MATH"])["AnomalyDetectors"]
             if d["MetricMathAnomalyDetector"]["MetricDataQueries"][0]["MetricStat"]["Metric"]["Namespace"] == ns]
    assert len(maths) == 1 and maths[0]["MetricMathAnomalyDetector"]["MetricDataQueries"][1]["Expression"] == "m1 * 2"
    page = cloudwatch.describe_anomaly_detectors(Namespace=ns, MaxResults=1)
    assert len(page["AnomalyDetectors"]) == 1 and "NextToken" in page
    rest = cloudwatch.describe_anomaly_detectors(Namespace=ns, MaxResults=1, NextToken=page["NextToken"])
    assert rest["AnomalyDetectors"][0]["MetricName"] != page["AnomalyDetectors"][0]["MetricName"]

    err, status = error_of(cloudwatch.put_anomaly_detector, Namespace=ns, MetricName="MyMetric", Stat="Sum",
                           SingleMetricAnomalyDetector={"Namespace": ns, "MetricName": "MyMetric", "Stat": "Sum"})
    assert (err["Code"], status) == ("InvalidParameterCombination", 400)
    err, _ = error_of(cloudwatch.put_anomaly_detector, Namespace=ns, MetricName="MyMetric")
    assert err["Code"] == "MissingParameter"

    cloudwatch.delete_anomaly_detector(Namespace=ns, MetricName="MyMetric", Dimensions=dims, Stat="Sum")
    cloudwatch.delete_anomaly_detector(MetricMathAnomalyDetector={"MetricDataQueries": math})
    assert [d["MetricName"] for d in cloudwatch.describe_anomaly_detectors(Namespace=ns)["AnomalyDetectors"]] == ["Other"]
    err, status = error_of(cloudwatch.delete_anomaly_detector, Namespace=ns, MetricName="MyMetric", Dimensions=dims, Stat="Sum")
    assert (err["Code"], status) == ("ResourceNotFoundException", 404)
