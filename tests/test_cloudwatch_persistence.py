"""PERSISTENCE=1 keeps CloudWatch, Data Firehose and EventBridge Scheduler state across a clean restart: metric
data, alarms and dashboards; a delivery stream with records still buffered (delivered after the restart, none
lost); schedule groups and schedules, with an at() schedule due after the restart firing into SQS."""
import json
import time
from datetime import datetime, timedelta, timezone

from helpers import unique, wait_for

PERSIST = {"PERSISTENCE": "1"}
ROLE = "arn:aws:iam::000000000000:role/test"


def test_state_and_buffered_records_survive_a_restart(start_server):
    started = time.monotonic()
    srv = start_server(PERSIST)
    # The at() schedule must fall due after the restart: allow twice the start just measured (slow on a busy box).
    fire_in = max(20, int(3 * (time.monotonic() - started)) + 10)
    cw, fh, s3 = srv.client("cloudwatch"), srv.client("firehose"), srv.client("s3")
    sched, sqs = srv.client("scheduler"), srv.client("sqs")

    ns, alarm, dash = unique("Persist"), unique("alarm"), unique("dash")
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Hits", "Value": v, "Unit": "Count"} for v in (1.0, 2.0, 4.0)])
    cw.put_metric_alarm(AlarmName=alarm, Namespace=ns, MetricName="Hits", Statistic="Sum", Period=60, EvaluationPeriods=1,
                        Threshold=100, ComparisonOperator="GreaterThanThreshold", Tags=[{"Key": "k", "Value": "v"}])
    body = json.dumps({"widgets": []})
    cw.put_dashboard(DashboardName=dash, DashboardBody=body)

    bucket, stream = unique("persist-fh"), unique("fh")
    s3.create_bucket(Bucket=bucket)
    fh.create_delivery_stream(DeliveryStreamName=stream, ExtendedS3DestinationConfiguration={
        "RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{bucket}", "CompressionFormat": "GZIP",
        "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 900}})
    fh.put_record_batch(DeliveryStreamName=stream, Records=[{"Data": f"rec{i}\n".encode()} for i in range(50)])

    url = sqs.create_queue(QueueName=unique("persist-sched"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    group, once = unique("grp"), unique("once")
    sched.create_schedule_group(Name=group)
    due = datetime.now(timezone.utc) + timedelta(seconds=fire_in)
    sched.create_schedule(Name=once, GroupName=group, ScheduleExpression=f"at({due.strftime('%Y-%m-%dT%H:%M:%S')})",
                          FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": queue_arn, "RoleArn": ROLE, "Input": "after restart"})

    srv.stop()
    srv.start()
    cw, fh, s3 = srv.client("cloudwatch"), srv.client("firehose"), srv.client("s3")
    sched, sqs = srv.client("scheduler"), srv.client("sqs")
    assert datetime.now(timezone.utc) < due, "restart too slow to observe the schedule fire after it"

    now = datetime.now(timezone.utc)
    [point] = cw.get_metric_statistics(Namespace=ns, MetricName="Hits", StartTime=now - timedelta(hours=1), EndTime=now + timedelta(minutes=1),
                                       Period=7200, Statistics=["Sum", "SampleCount"])["Datapoints"]
    assert (point["Sum"], point["SampleCount"]) == (7.0, 3.0)
    [a] = cw.describe_alarms(AlarmNames=[alarm])["MetricAlarms"]
    assert (a["Threshold"], a["ComparisonOperator"]) == (100.0, "GreaterThanThreshold")
    assert cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"] == [{"Key": "k", "Value": "v"}]
    assert cw.get_dashboard(DashboardName=dash)["DashboardBody"] == body

    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0, "the 900 s buffer has not been written yet"
    fh.delete_delivery_stream(DeliveryStreamName=stream)   # writes what the buffer holds
    [obj] = wait_for(lambda: s3.list_objects_v2(Bucket=bucket).get("Contents"), timeout=60)
    import gzip
    assert gzip.decompress(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()) == b"".join(f"rec{i}\n".encode() for i in range(50))

    assert sched.get_schedule_group(Name=group)["State"] == "ACTIVE"
    assert sched.get_schedule(Name=once, GroupName=group)["Target"]["Input"] == "after restart"

    def fired():
        return sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages")
    [msg] = wait_for(fired, timeout=fire_in + 60)
    assert msg["Body"] == "after restart"
    assert datetime.now(timezone.utc) >= due - timedelta(seconds=1)
