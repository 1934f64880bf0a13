#!/usr/bin/env python3
"""EventBridge -> SQS delivery latency, Polystack and (side by side) moto_server: the time from sending
PutEvents to the message being received from the rule's SQS target, per event, sequentially. Bounded: a fixed
number of events, each with a timeout.

    python3 bench/events_latency.py                    # starts Polystack (./polystack start) and moto_server
    python3 bench/events_latency.py --polystack URL    # use a running server; --moto URL likewise, --no-moto to skip

The receiving side long-polls (WaitTimeSeconds=2) on its own connection, started before PutEvents, so the
figure is delivery latency plus one client round trip, not a polling interval. The load average is printed
with the result: on a busy box every figure grows.
"""
import argparse
import concurrent.futures
import json
import os
import statistics
import subprocess
import time
import sys
import uuid

from procstats import free_port
from sns_fanout import client, percentile, start

EVENTS = 200
WARM_UP = 30


def measure(url, events, timeout=5.0):
    ev, sqs_send, sqs_recv = client(url, "events"), client(url, "sqs"), client(url, "sqs")
    run = uuid.uuid4().hex[:8]
    bus = f"latency-{run}"
    ev.create_event_bus(Name=bus)
    queue = sqs_send.create_queue(QueueName=f"latency-{run}")["QueueUrl"]
    arn = sqs_send.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    ev.put_rule(Name="latency", EventBusName=bus, EventPattern=json.dumps({"source": ["bench.latency"]}))
    ev.put_targets(Rule="latency", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    pool = concurrent.futures.ThreadPoolExecutor(1)
    samples, lost = [], 0
    for i in range(WARM_UP + events):
        poll = pool.submit(sqs_recv.receive_message, QueueUrl=queue, WaitTimeSeconds=2, MaxNumberOfMessages=1)
        time.sleep(0.002)  # let the long poll reach the server first
        t0 = time.perf_counter()
        ev.put_events(Entries=[{"EventBusName": bus, "Source": "bench.latency", "DetailType": "t", "Detail": json.dumps({"i": i})}])
        got = poll.result(timeout=timeout).get("Messages", [])
        elapsed = time.perf_counter() - t0
        if not got:
            lost += 1
            continue
        sqs_send.delete_message(QueueUrl=queue, ReceiptHandle=got[0]["ReceiptHandle"])
        if i >= WARM_UP:
            samples.append(elapsed * 1000)
    pool.shutdown()
    return samples, lost


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polystack")
    parser.add_argument("--moto")
    parser.add_argument("--no-moto", action="store_true")
    parser.add_argument("--events", type=int, default=EVENTS)
    args = parser.parse_args()
    processes = []
    try:
        targets = {}
        if args.polystack:
            targets["polystack"] = args.polystack
        else:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            processes.append(start(["./polystack", "start"], {"GATEWAY_LISTEN": f"127.0.0.1:{port}",
                                                               "DATA_DIR": f"/tmp/events-latency-{port}"}, url, "/_localstack/health"))
            targets["polystack"] = url
        if not args.no_moto:
            if args.moto:
                targets["moto"] = args.moto
            else:
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                processes.append(start(["moto_server", "-H", "127.0.0.1", "-p", str(port)], {}, url, "/moto-api/"))
                targets["moto"] = url
        print(f"EventBridge -> SQS delivery latency, {args.events} events after {WARM_UP} warm-up, load average "
              f"{os.getloadavg()[0]:.2f}")
        for name, url in targets.items():
            samples, lost = measure(url, args.events)
            if not samples:
                print(f"  {name:10s} no event arrived ({lost} lost)")
                continue
            print(f"  {name:10s} p50 {statistics.median(samples):7.2f} ms   p90 {percentile(samples, 90):7.2f} ms   "
                  f"p99 {percentile(samples, 99):7.2f} ms   not delivered within the poll: {lost}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        for p in processes:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
