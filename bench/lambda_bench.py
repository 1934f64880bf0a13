#!/usr/bin/env python3
"""Lambda benchmark: warm synchronous invoke (p50/p99 at concurrency 1 and 8) of a Python function that returns
its event, cold start to first answer, and SQS -> Lambda throughput through an event source mapping.

    python3 bench/lambda_bench.py                    # starts Polystack on a free port, measures, stops it
    python3 bench/lambda_bench.py --endpoint http://127.0.0.1:4566 --seconds 10

moto's server is not measured beside it: moto runs functions only in Docker, which these machines lack (its Invoke
fails), so there is no peer figure to put in a ratio. Figures include the load average: the box may be shared.
"""
import argparse
import http.client
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
ROLE = "arn:aws:iam::000000000000:role/bench"
ECHO = "def handler(event, context):\n    return event\n"
NOOP = "def handler(event, context):\n    return None\n"


def package(source):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", source)
    return buf.getvalue()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server():
    port = free_port()
    data = tempfile.mkdtemp(prefix="lambda-bench-")
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{port}", DATA_DIR=data, LAMBDA_LOGS_TO_CLOUDWATCH="0")
    proc = subprocess.Popen([str(ROOT / "polystack"), "start"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(6000):  # a start that must build first takes minutes on a busy box
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/_localstack/health")
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("Polystack did not start")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def invoke_loop(host, port, name, stop_at, latencies, errors):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    body = json.dumps({"bench": True, "n": 1}).encode()
    path = f"/2015-03-31/functions/{name}/invocations"
    headers = {"Content-Type": "application/json",
               "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0"}
    while time.perf_counter() < stop_at:
        t = time.perf_counter()
        conn.request("POST", path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        if r.status != 200 or r.getheader("X-Amz-Function-Error"):
            errors.append(data)
        latencies.append(time.perf_counter() - t)


def warm_invoke(url, name, concurrency, seconds):
    host, port = url.split("//")[1].split(":")
    # warm-up: one environment per worker
    latencies, errors = [], []
    invoke_loop(host, int(port), name, time.perf_counter() + 1, [], [])
    threads = [threading.Thread(target=invoke_loop, args=(host, int(port), name, time.perf_counter() + 1, [], []))
               for _ in range(concurrency)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    stop_at = time.perf_counter() + seconds
    threads = [threading.Thread(target=invoke_loop, args=(host, int(port), name, stop_at, latencies, errors))
               for _ in range(concurrency)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return len(latencies) / seconds, percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000, len(errors)


def cold_starts(client, runs):
    """Create a function, then time its first invocation (a fresh process: python3 and the runtime client)."""
    times = []
    for _ in range(runs):
        name = f"bench-cold-{uuid.uuid4().hex[:8]}"
        client.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="index.handler",
                               Code={"ZipFile": package(ECHO + f"# {name}\n")})
        t = time.perf_counter()
        client.invoke(FunctionName=name, Payload=b'{"cold": true}')["Payload"].read()
        times.append((time.perf_counter() - t) * 1000)
        client.delete_function(FunctionName=name)
    return times


def sqs_throughput(client, sqs, messages):
    queue = sqs.create_queue(QueueName=f"bench-esm-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = f"bench-esm-{uuid.uuid4().hex[:8]}"
    client.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="index.handler",
                           Code={"ZipFile": package(NOOP)})
    for i in range(0, messages, 10):
        sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(j), "MessageBody": f"m{i + j}"} for j in range(10)])
    t = time.perf_counter()
    mapping = client.create_event_source_mapping(EventSourceArn=arn, FunctionName=name, BatchSize=10)
    while True:
        attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        if int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"]) == 0:
            break
        if time.perf_counter() - t > 300:
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - t
    client.delete_event_source_mapping(UUID=mapping["UUID"])
    client.delete_function(FunctionName=name)
    sqs.delete_queue(QueueUrl=queue)
    return messages / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--messages", type=int, default=1000)
    args = ap.parse_args()
    proc = None
    url = args.endpoint
    if not url:
        proc, url = start_server()
    try:
        kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        client = boto3.client("lambda", **kw)
        sqs = boto3.client("sqs", **kw)
        name = f"bench-echo-{uuid.uuid4().hex[:8]}"
        client.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="index.handler",
                               Code={"ZipFile": package(ECHO)})
        print(f"load average before: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
        print("scenario                         invokes/s    p50 ms    p99 ms  errors")
        for c in (1, 8):
            rate, p50, p99, errors = warm_invoke(url, name, c, args.seconds)
            print(f"warm sync invoke (python) c={c:<3}  {rate:9.0f} {p50:9.2f} {p99:9.2f} {errors:7d}")
        cold = cold_starts(client, args.cold_runs)
        print(f"cold start to first answer (python): median {statistics.median(cold):.0f} ms, "
              f"min {min(cold):.0f} ms, max {max(cold):.0f} ms over {len(cold)} functions")
        rate = sqs_throughput(client, sqs, args.messages)
        print(f"SQS -> Lambda (batch 10, no-op function): {rate:.0f} messages/s over {args.messages} messages")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    sys.exit(main())
