#!/usr/bin/env python3
"""Server CPU per 1 KiB PutObject, without and with an SQS event notification on the bucket.

CPU time, not wall time: on the shared, loaded build machine wall-clock figures mostly measure waiting.
The server's CPU comes from /proc/<pid>/stat (user + system), so the server must run on this machine:

    GATEWAY_LISTEN=127.0.0.1:45990 ./polystack start &
    python3 bench/s3_events_cpu.py --endpoint http://127.0.0.1:45990 --pid <java pid> [--puts 2000]

It also checks that every event reached the queue (the delivery is asynchronous).
"""
import argparse
import os
import time
import uuid

import boto3
from procstats import cpu_seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--puts", type=int, default=2000)
    a = p.parse_args()
    kw = dict(endpoint_url=a.endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
    s3, sqs = boto3.client("s3", **kw), boto3.client("sqs", **kw)
    body = os.urandom(1024)
    plain, notified = f"bench-{uuid.uuid4().hex[:8]}", f"bench-{uuid.uuid4().hex[:8]}"
    for b in (plain, notified):
        s3.create_bucket(Bucket=b)
    url = sqs.create_queue(QueueName=f"bench-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    s3.put_bucket_notification_configuration(Bucket=notified, NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    for b in (plain, notified):  # warm-up
        for i in range(300):
            s3.put_object(Bucket=b, Key=f"warm-{i}", Body=body)
    time.sleep(2)
    def queued():
        return int(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
                   ["Attributes"]["ApproximateNumberOfMessages"])

    results = {plain: [], notified: []}
    expected = 1 + 300  # the TestEvent and the warm-up's events
    for b in (plain, notified, plain, notified):
        before = cpu_seconds(a.pid)
        for i in range(a.puts):
            s3.put_object(Bucket=b, Key=f"k-{i}", Body=body)
        if b == notified:  # wait until the queue holds every event, so their delivery is in the figure
            expected += a.puts
            deadline = time.time() + 60
            while queued() < expected and time.time() < deadline:
                time.sleep(0.2)
        results[b].append((cpu_seconds(a.pid) - before) * 1000 / a.puts)
    n = queued()
    print(f"load average {os.getloadavg()}")
    print(f"server CPU per PutObject, no notification:   {min(results[plain]):.3f} ms (runs {results[plain]})")
    print(f"server CPU per PutObject, SQS notification:  {min(results[notified]):.3f} ms (runs {results[notified]})")
    print(f"events in the queue: {n} (expected {expected}: TestEvent + warm-up + measured)")


if __name__ == "__main__":
    main()
