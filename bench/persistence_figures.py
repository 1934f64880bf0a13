#!/usr/bin/env python3
"""Persistence figures (issue 8): how long saving and loading a snapshot takes for
10,000 SQS messages and 1,000 S3 objects.

Starts its own Polystack (PERSISTENCE=1, manual saves) on a free loopback port, fills it, then times
POST /_localstack/state/<service>/save and .../load (the same code paths the save strategies and the
restore at start use), and a whole restart to the first answered request. Bounded: a few minutes at most.

    python3 bench/persistence_figures.py [--messages 10000] [--objects 1000] [--repeat 3]
"""
import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import Server  # noqa: E402  (the suite's own server launcher)


def timed_post(url):
    start = time.perf_counter()
    r = requests.post(url, timeout=300)
    r.raise_for_status()
    return (time.perf_counter() - start) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--objects", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    srv = Server(env={"PERSISTENCE": "1", "SNAPSHOT_SAVE_STRATEGY": "MANUAL"}).start()
    try:
        sqs, s3 = srv.client("sqs"), srv.client("s3")
        url = sqs.create_queue(QueueName="figures")["QueueUrl"]

        def send(batch_no):
            entries = [{"Id": str(i), "MessageBody": f"message {batch_no}-{i} " + "x" * 100} for i in range(10)]
            sqs.send_message_batch(QueueUrl=url, Entries=entries)

        s3.create_bucket(Bucket="figures")

        def put(i):
            s3.put_object(Bucket="figures", Key=f"objects/{i:05d}", Body=b"y" * 1024)

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(send, range(args.messages // 10)))
            list(pool.map(put, range(args.objects)))
        count = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        print(f"filled: {count['Attributes']['ApproximateNumberOfMessages']} SQS messages, {args.objects} S3 objects")

        rows = []
        for service in ("sqs", "s3"):
            saves = [timed_post(f"{srv.endpoint_url}/_localstack/state/{service}/save") for _ in range(args.repeat)]
            loads = [timed_post(f"{srv.endpoint_url}/_localstack/state/{service}/load") for _ in range(args.repeat)]
            size = (Path(srv.data_dir) / "state" / f"{service}.snapshot").stat().st_size
            rows.append((service, statistics.median(saves), statistics.median(loads), size))

        srv.stop()
        start = time.perf_counter()
        srv.start()
        n = srv.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        restart_ms = (time.perf_counter() - start) * 1000
        assert int(n["Attributes"]["ApproximateNumberOfMessages"]) == args.messages, n

        print(f"\n| state | save (median of {args.repeat}) | load (median of {args.repeat}) | snapshot size |")
        print("|---|---|---|---|")
        labels = {"sqs": f"SQS, {args.messages:,} messages", "s3": f"S3, {args.objects:,} objects (metadata; bodies on disk)"}
        for service, save, load, size in rows:
            print(f"| {labels[service]} | {save:.0f} ms | {load:.0f} ms | {size / 1024:.0f} KiB |")
        print(f"\nrestart (SIGTERM, start, first SQS call answered from the restored state): {restart_ms:.0f} ms")
    finally:
        srv.cleanup()


if __name__ == "__main__":
    main()
