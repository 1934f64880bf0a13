#!/usr/bin/env python3
"""State outgrowing a container's memory limit: the image started with Podman under `--memory` (1 GB by default,
swap off), then SQS messages sent until the server refuses them, the way a test suite that never drains its
queues would. What should happen (README, Memory): the JVM sizes its heap from the limit (half of it), a log
line says memory is short, writes get an AWS-shaped 503 ServiceUnavailable, the container is not OOM-killed,
reads and deletes still work, and once the queue is deleted writes are accepted again.

    python3 bench/memory_limit.py [--image localhost/polystack:latest] [--memory 1g] [--message-kib 256]
    python3 bench/memory_limit.py --cpu-shares 24576      # on a busy cgroup-v1 box (see README, Container image)

Needs root, podman and runc and a built image (container/build-local.sh). Every phase is bounded. The load
average is printed with the figures.
"""
import argparse
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from procstats import free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", str(ROOT / "container" / "containers.conf")))
PODMAN = ["podman", "--runtime", os.environ.get("POLYSTACK_OCI_RUNTIME", "/usr/sbin/runc")]


def podman(*args, check=True):
    done = subprocess.run([*PODMAN, *map(str, args)], env=ENV, capture_output=True, text=True)
    if check and done.returncode != 0:
        sys.exit(f"podman {' '.join(map(str, args))} failed: {done.stderr[-2000:]}")
    return done.stdout.strip()


def container_logs(name):
    """Both streams of the container's output (the JVM logs to stderr, the ready line goes to stdout)."""
    done = subprocess.run([*PODMAN, "logs", name], env=ENV, capture_output=True, text=True)
    return done.stdout + done.stderr


def loadavg():
    return open("/proc/loadavg").read().split()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", default="localhost/polystack:latest")
    parser.add_argument("--memory", default="1g", help="the container's memory limit (podman run --memory)")
    parser.add_argument("--message-kib", type=int, default=256, help="size of each message (SQS allows 256 KiB)")
    parser.add_argument("--max-gib", type=float, default=4.0, help="stop sending after this much in any case")
    parser.add_argument("--cpu-shares", type=int, help="the container's CPU weight (podman run --cpu-shares)")
    args = parser.parse_args()

    port = free_port()
    name = f"polystack-memlimit-{uuid.uuid4().hex[:8]}"
    run = ["run", "-d", "--name", name, "--network", "host", "--memory", args.memory, "--memory-swap", args.memory,
           "-e", f"GATEWAY_LISTEN=127.0.0.1:{port}"]
    if args.cpu_shares:
        run += ["--cpu-shares", args.cpu_shares]
    print(f"load average at start {loadavg()}; image {args.image}; --memory {args.memory}")
    podman(*run, args.image)
    try:
        deadline = time.monotonic() + 300
        while "Ready." not in container_logs(name):
            if time.monotonic() > deadline:
                sys.exit(f"not ready in 300 s:\n{container_logs(name)[-3000:]}")
            time.sleep(0.2)
        pid = int(podman("inspect", "--format", "{{.State.Pid}}", name))
        url = f"http://127.0.0.1:{port}"
        config = Config(retries={"max_attempts": 1}, read_timeout=120)
        sqs = boto3.client("sqs", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                           aws_secret_access_key="test", config=config)
        s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=config)
        print(f"ready; JVM idle RSS {rss_mb(pid)} MB")

        queue = sqs.create_queue(QueueName=f"fill-{uuid.uuid4().hex[:6]}")["QueueUrl"]
        body = "x" * (args.message_kib * 1024 - 16)
        sent, refusal, other, peak = 0, None, None, 0
        started = time.monotonic()
        limit = int(args.max_gib * (1 << 20) / args.message_kib)
        while sent < limit:
            try:
                sqs.send_message(QueueUrl=queue, MessageBody=body)
                sent += 1
            except ClientError as e:
                refusal = e.response
                break
            except Exception as e:  # a dead server or a dropped connection: the figure the table reports
                other = repr(e)
                break
            if sent % 50 == 0:
                peak = max(peak, rss_mb(pid))
        fill_seconds = time.monotonic() - started
        peak = max(peak, rss_mb(pid))
        logs = container_logs(name)
        state = podman("inspect", "--format", "{{.State.Running}} {{.State.OOMKilled}}", name, check=False)

        reads_ok = False
        try:
            got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1).get("Messages", [])
            s3.list_buckets()
            sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
            reads_ok = bool(got)
        except Exception as e:
            reads_ok = f"failed: {e!r}"[:200]

        accepted_after = None
        if refusal is not None:
            sqs.delete_queue(QueueUrl=queue)
            t0 = time.monotonic()
            while time.monotonic() - t0 < 120:
                try:
                    other_queue = sqs.create_queue(QueueName=f"after-{uuid.uuid4().hex[:6]}")["QueueUrl"]
                    sqs.send_message(QueueUrl=other_queue, MessageBody="small")
                    accepted_after = time.monotonic() - t0
                    break
                except ClientError:
                    time.sleep(0.5)

        error = refusal["Error"] if refusal else {}
        status = refusal["ResponseMetadata"]["HTTPStatusCode"] if refusal else None
        print()
        print("| Measure | Value |")
        print("|---|---|")
        print(f"| messages accepted before the first refusal | {sent} x {args.message_kib} KiB = "
              f"{sent * args.message_kib / 1024:.0f} MiB in {fill_seconds:.1f} s |")
        print(f"| first refusal | {error.get('Code')} {status}: {error.get('Message', other)} |")
        print(f"| JVM RSS peak while filling | {peak} MB |")
        print(f"| log line | {next((l for l in logs.splitlines() if 'out of memory' in l), 'none')[:160]} |")
        print(f"| OutOfMemoryError in the log | {bool(re.search('OutOfMemoryError', logs))} |")
        print(f"| container running, OOM-killed | {state} |")
        print(f"| reads afterwards (ReceiveMessage, ListBuckets, GetQueueAttributes) | {reads_ok} |")
        print(f"| writes accepted again after DeleteQueue | "
              f"{'after %.1f s' % accepted_after if accepted_after is not None else 'no'} |")
        print(f"\nload average at the end {loadavg()}")
    finally:
        podman("rm", "-f", "-v", name, check=False)


if __name__ == "__main__":
    main()
