#!/usr/bin/env python3
"""SNS benchmark: Publish latency with 0 and with N SQS subscribers, and SNS -> SQS fan-out throughput,
for Polystack and (side by side) moto_server. Bounded: every phase has a message count and a timeout.

    python3 bench/sns_fanout.py                       # starts Polystack (./polystack start) and moto_server
    python3 bench/sns_fanout.py --polystack URL       # use a running server; --moto URL likewise, --no-moto to skip

Latency is measured at the client (boto3, one connection, sequential calls), so it includes the client's own
cost; what matters is the difference between 0 and N subscribers on the same server. Both latency phases are
warmed the same way, then measured in alternating rounds so neither runs on a colder server. When the script started the server itself it also reports the
server's CPU per publish (from /proc, including the asynchronous fan-out), which a loaded box distorts less than
wall-clock latency. A publish only counts
as delivered when every subscribed queue holds it (checked through ApproximateNumberOfMessages).
"""
import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import boto3
import requests
from botocore.config import Config
from procstats import cpu_seconds, free_port

ROOT = Path(__file__).resolve().parent.parent
WARM_UP = 100
ROUNDS = 4


def wait_until_up(url, probe, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url + probe, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout}s")


def start(cmd, env, url, probe):
    log = tempfile.NamedTemporaryFile(prefix="sns-bench-", suffix=".log", delete=False)
    process = subprocess.Popen(cmd, cwd=str(ROOT), env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    try:
        wait_until_up(url, probe)
    except Exception:
        process.kill()
        raise
    return process


def client(url, service):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, max_pool_connections=64))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queued(sqs, urls):
    total = 0
    for u in urls:
        attrs = sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
        total += int(attrs["ApproximateNumberOfMessages"])
    return total


def wait_delivered(sqs, urls, expected, timeout):
    """Seconds until the queues hold `expected` messages in total, or None on timeout."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if queued(sqs, urls) >= expected:
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def setup(url, subscribers):
    sns, sqs = client(url, "sns"), client(url, "sqs")
    run = uuid.uuid4().hex[:8]
    topic = sns.create_topic(Name=f"bench-{run}")["TopicArn"]
    urls = []
    for i in range(subscribers):
        q = sqs.create_queue(QueueName=f"bench-{run}-{i}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
        urls.append(q)
    return sns, sqs, topic, urls


def warm(phase):
    """WARM_UP publishes through a phase's topic; waits until its queues hold them (they stay: counts below are
    taken relative to what the queues already hold, as PurgeQueue is allowed once a minute)."""
    sns, sqs, topic, urls = phase
    before = queued(sqs, urls)
    for _ in range(WARM_UP):
        sns.publish(TopicArn=topic, Message="warm-up")
    if urls:
        wait_delivered(sqs, urls, before + WARM_UP * len(urls), 120)


def latency_round(phase, count, pid, totals):
    """`count` sequential publishes: adds their client-side latencies to totals["samples"] and the server's CPU
    from the first publish until every queue holds every message (the asynchronous fan-out included) to
    totals["cpu"]; totals["delivered"] turns False when a round's messages did not all arrive."""
    sns, sqs, topic, urls = phase
    before = queued(sqs, urls)
    cpu0 = cpu_seconds(pid) if pid else None
    for i in range(count):
        t0 = time.perf_counter()
        sns.publish(TopicArn=topic, Message=f"message {i}")
        totals["samples"].append((time.perf_counter() - t0) * 1000)
    if urls and wait_delivered(sqs, urls, before + count * len(urls), 120) is None:
        totals["delivered"] = False
    if cpu0 is not None:
        totals["cpu"] += cpu_seconds(pid) - cpu0


def summary(totals, urls, pid):
    samples = totals["samples"]
    return {"p50_ms": statistics.median(samples), "p99_ms": percentile(samples, 99), "mean_ms": statistics.mean(samples),
            "all_delivered": None if not urls else totals["delivered"],
            "server_cpu_ms": totals["cpu"] * 1000 / len(samples) if pid else None}


def throughput(url, subscribers, count, concurrency):
    sns, sqs, topic, urls = setup(url, subscribers)
    clients = [client(url, "sns") for _ in range(concurrency)]

    def publish(i):
        clients[i % concurrency].publish(TopicArn=topic, Message=f"m{i}")

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(publish, range(count)))
    published = time.monotonic() - t0
    waited = wait_delivered(sqs, urls, count * subscribers, 180)
    total = published + (waited if waited is not None else float("nan"))
    return {"publishes_per_s": count / published, "deliveries_per_s": count * subscribers / total,
            "seconds_to_deliver_all": total, "all_delivered": waited is not None}


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(name, url, args, throughput_messages, pid=None):
    print(f"\n== {name} ({url}); load average {load_average()}", flush=True)
    phases = {0: setup(url, 0), args.subscribers: setup(url, args.subscribers)}
    # Both phases are warmed alike, then measured in alternating rounds (0, N, 0, N ...): whatever warm-up is
    # left (JIT, pools) and whatever the box's load does falls on both alike. Measuring one phase after the other
    # made the first one look slower.
    for phase in phases.values():
        warm(phase)
    totals = {subs: {"samples": [], "cpu": 0.0, "delivered": True} for subs in phases}
    per_round = max(1, args.latency_messages // ROUNDS)
    for _ in range(ROUNDS):
        for subs, phase in phases.items():
            latency_round(phase, per_round, pid, totals[subs])
    for subs, phase in phases.items():
        r = summary(totals[subs], phase[3], pid)
        cpu = "" if r["server_cpu_ms"] is None else f", server CPU {r['server_cpu_ms']:.2f} ms per publish"
        print(f"Publish latency, {subs:>2} SQS subscribers: p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
              f"mean {r['mean_ms']:.2f} ms{cpu}" + ("" if r["all_delivered"] is None else f", every message in all {subs} queues: {r['all_delivered']}"),
              flush=True)
    r = throughput(url, args.subscribers, throughput_messages, args.concurrency)
    print(f"Fan-out, {args.subscribers} subscribers, {throughput_messages} publishes at concurrency {args.concurrency}: "
          f"{r['publishes_per_s']:.0f} publishes/s, {r['deliveries_per_s']:.0f} deliveries/s end to end "
          f"({r['seconds_to_deliver_all']:.2f} s, all delivered: {r['all_delivered']}); load average {load_average()}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--polystack", help="URL of a running Polystack (default: start one)")
    p.add_argument("--moto", help="URL of a running moto_server (default: start one)")
    p.add_argument("--no-moto", action="store_true")
    p.add_argument("--subscribers", type=int, default=50)
    p.add_argument("--latency-messages", type=int, default=200)
    p.add_argument("--throughput-messages", type=int, default=400)
    p.add_argument("--moto-throughput-messages", type=int, default=40,
                   help="moto delivers inside Publish, one queue at a time: fewer messages keep the run short")
    p.add_argument("--concurrency", type=int, default=8)
    args = p.parse_args()
    started = []
    try:
        polystack = args.polystack
        if not polystack:
            port = free_port()
            polystack = f"http://127.0.0.1:{port}"
            started.append(start([str(ROOT / "polystack"), "start"], {"GATEWAY_LISTEN": f"127.0.0.1:{port}"},
                                 polystack, "/_localstack/health"))
        run("Polystack", polystack, args, args.throughput_messages, started[-1].pid if started else None)
        if not args.no_moto:
            moto = args.moto
            if not moto:
                port = free_port()
                moto = f"http://127.0.0.1:{port}"
                started.append(start(["moto_server", "-H", "127.0.0.1", "-p", str(port)], {}, moto, "/moto-api/"))
            run("moto_server", moto, args, args.moto_throughput_messages, None if args.moto else started[-1].pid)
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
