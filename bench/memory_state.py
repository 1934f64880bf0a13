#!/usr/bin/env python3
"""Memory when state is big or bodies are huge, side by side: one or more Polystack builds (or one build with
different JVM options), each driven in turn through the same bounded phases while its RSS is sampled every 0.1 s.

  s3-1gib   a 1 GiB object PUT (streamed from a generator, never held by the client) and GET (read in 1 MiB
            chunks and counted): wall time, MiB/s, and the RSS peak over each, which stays small when the server
            streams the body instead of holding it;
  fanout    SNS fan-out into --queues unread SQS queues until --messages messages are queued in total (300,000 by
            default: 6,000 PublishBatch entries x 50 subscribers), published by --concurrency clients: publish
            rate per tenth of the run (falling rates mean the collector thrashes), the JVM's collector time over
            the phase (jstat), the RSS peak and at the end, the heap used after a full collection;
  after     RSS --after seconds after the phases (default 30).

    python3 bench/memory_state.py                                   # this tree
    python3 bench/memory_state.py --server before=/path/to/main --server after=.
    python3 bench/memory_state.py --server g1=. --server zgc=. --opts zgc='-XX:+UseZGC -XX:+ZGenerational'
    python3 bench/memory_state.py --memory-max 1G                   # each server in its own memory cgroup (root)
    python3 bench/memory_state.py --phases fanout --messages 100000

With --memory-max, a server whose state outgrows its heap should refuse writes with 503 ServiceUnavailable (the
fan-out then counts refusals) and stay up; the table says whether it did. The load average is printed with
the figures: on a busy box wall-clock figures mostly measure the queue for the CPU.
"""
import argparse
import concurrent.futures
import subprocess
import threading
import time
import uuid

import boto3
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from memory import ROOT, Server, loadavg, make_cgroup

GIB = 1 << 30
CHUNK = 1 << 20


def client(url, service):
    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=Config(retries={"max_attempts": 1}, max_pool_connections=64, read_timeout=300))


class Sampler:
    """Samples one server's RSS every 0.1 s in the background; peak(start, end) over a window."""

    def __init__(self, server):
        self.server = server
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_event.is_set():
            self.server.sample()
            self.stop_event.wait(0.1)

    def peak(self, start, end):
        return self.server.peak(start, end)

    def stop(self):
        self.stop_event.set()
        self.thread.join()


def java_tool(tool):
    java_home = subprocess.run(["bash", "-c", f". '{ROOT}/scripts/find-jdk.sh' && echo $JAVA_HOME"],
                               capture_output=True, text=True, check=True).stdout.strip()
    return f"{java_home}/bin/{tool}"


def gc_seconds(pid):
    """Total collector time so far (jstat's GCT: young, full and concurrent pauses), or None."""
    try:
        out = subprocess.run([java_tool("jstat"), "-gcutil", str(pid)], capture_output=True, text=True,
                             timeout=30).stdout.split("\n")
        header, values = out[0].split(), out[1].split()
        return float(values[header.index("GCT")])
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return None


def heap_after_full_gc_mb(pid):
    """Heap in use right after a full collection (what the state really holds), from jcmd GC.run + GC.heap_info."""
    jcmd = java_tool("jcmd")
    try:
        subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, timeout=120)
        info = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in info.splitlines():
        if " used " in line and "total" in line:  # "garbage-first heap   total reserved ..., committed ..., used 123K"
            used = line.rsplit("used", 1)[1].strip().split()[0].rstrip(",")
            unit = used[-1].upper()
            number = float(used[:-1])
            return round(number / 1024 if unit == "K" else number if unit == "M" else number * 1024)
    return None


class Body:
    """A request body of `size` bytes made as it is read (the client never holds it); its length is known."""

    def __init__(self, size):
        self.left = size
        self.size = size
        self.block = b"\x5a" * CHUNK

    def __len__(self):
        return self.size

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        n = min(n, CHUNK)
        self.left -= n
        return self.block[:n]


def s3_1gib(server, sampler, size):
    url = server.url
    s3 = client(url, "s3")
    bucket = f"memory-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    t0 = time.monotonic()
    # Streamed with a known length (Content-Length, not chunked) and no payload signing (UNSIGNED-PAYLOAD).
    put = requests.put(f"{url}/{bucket}/big", data=Body(size), timeout=600,
                       headers={"Content-Type": "application/octet-stream", "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
                                "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, "
                                                 "SignedHeaders=host, Signature=0"})
    t1 = time.monotonic()
    got = 0
    with requests.get(f"{url}/{bucket}/big", stream=True, timeout=600,
                      headers={"Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, "
                                                "SignedHeaders=host, Signature=0"}) as response:
        status = response.status_code
        for chunk in response.iter_content(CHUNK):
            got += len(chunk)
    t2 = time.monotonic()
    s3.delete_object(Bucket=bucket, Key="big")
    s3.delete_bucket(Bucket=bucket)
    mib = size / CHUNK
    return {
        "put": f"{put.status_code}{'' if put.ok else ' ' + put.text[:200]}, {t1 - t0:.1f} s, {mib / (t1 - t0):.0f} MiB/s, RSS peak {sampler.peak(t0, t1)} MB",
        "get": f"{status}, {got == size and 'all bytes' or f'{got} of {size} bytes'}, {t2 - t1:.1f} s, "
               f"{mib / (t2 - t1):.0f} MiB/s, RSS peak {sampler.peak(t1, t2)} MB",
    }


def fanout(server, sampler, messages, queues, concurrency):
    url = server.url
    sns, sqs = client(url, "sns"), client(url, "sqs")
    run = uuid.uuid4().hex[:8]
    topic = sns.create_topic(Name=f"memory-fanout-{run}")["TopicArn"]
    for i in range(queues):
        queue_url = sqs.create_queue(QueueName=f"memory-fanout-{run}-{i}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    batches = max(1, messages // queues // 10)
    body = "m" * 200  # about the size of a small JSON event
    refused = errors = 0
    done_at = []  # monotonic time of each finished batch
    lock = threading.Lock()

    def publish(b):
        nonlocal refused, errors
        entries = [{"Id": str(j), "Message": f"{b}-{j}-{body}"} for j in range(10)]
        try:
            sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)
        except ClientError as e:
            with lock:
                if e.response["Error"]["Code"] == "ServiceUnavailable":
                    refused += 1
                else:
                    errors += 1
        with lock:
            done_at.append(time.monotonic())

    gc0 = gc_seconds(server.proc.pid)
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(publish, range(batches)))
    t1 = time.monotonic()
    gc1 = gc_seconds(server.proc.pid)
    # Publish rate per tenth of the batches, in messages published per second (before fan-out).
    done_at.sort()
    tenths = []
    step = max(1, len(done_at) // 10)
    previous = t0
    for k in range(step - 1, len(done_at), step):
        tenths.append(round(step * 10 / max(done_at[k] - previous, 1e-6)))
        previous = done_at[k]
    # Delivery to the queues is asynchronous: wait until every message is queued, or 5 minutes without progress.
    urls = [sqs.get_queue_url(QueueName=f"memory-fanout-{run}-{i}")["QueueUrl"] for i in range(queues)]
    expected = (batches - refused - errors) * 10 * queues
    queued, last, last_progress = 0, -1, time.monotonic()
    while queued < expected and time.monotonic() - last_progress < 300:
        queued = sum(int(sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["ApproximateNumberOfMessages"])
                         ["Attributes"]["ApproximateNumberOfMessages"]) for u in urls)
        if queued != last:
            last, last_progress = queued, time.monotonic()
        time.sleep(1)
    t2 = time.monotonic()
    gc2 = gc_seconds(server.proc.pid)
    gc = (f"{gc1 - gc0:.1f} s while publishing ({100 * (gc1 - gc0) / (t1 - t0):.0f}%), {gc2 - gc0:.1f} s until all "
          f"were queued ({100 * (gc2 - gc0) / (t2 - t0):.0f}%)") if None not in (gc0, gc1, gc2) else "?"
    return {
        "published": f"{batches * 10} in {t1 - t0:.1f} s ({batches * 10 / (t1 - t0):.0f}/s), refused {refused * 10}, "
                     f"other errors {errors * 10}",
        "rate per tenth (msg/s)": " ".join(str(r) for r in tenths),
        "queued": f"{queued} of {batches * 10 * queues}, all {t2 - t0:.1f} s after the first publish",
        "collector time": gc,
        "RSS peak / at end": f"{sampler.peak(t0, time.monotonic())} MB / {server.rss()} MB",
        "heap after a full GC": f"{heap_after_full_gc_mb(server.proc.pid)} MB",
        "server alive": str(server.proc.poll() is None),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", action="append", default=[], metavar="LABEL=TREE")
    parser.add_argument("--opts", action="append", default=[], metavar="LABEL=JAVA_OPTS")
    parser.add_argument("--env", action="append", default=[], metavar="LABEL:NAME=VALUE")
    parser.add_argument("--phases", default="s3-1gib,fanout")
    parser.add_argument("--size", default="1G", help="the S3 object's size (default 1G)")
    parser.add_argument("--messages", type=int, default=300_000, help="messages queued in total by the fan-out")
    parser.add_argument("--queues", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--after", type=float, default=30.0)
    parser.add_argument("--memory-max", help="run each server in its own cgroup with this memory limit (e.g. 1G)")
    args = parser.parse_args()

    from memory import parse_size
    size = parse_size(args.size)
    servers_spec = [s.split("=", 1) for s in args.server] or [["polystack", str(ROOT)]]
    opts = dict(o.split("=", 1) for o in args.opts)
    envs = {}
    for e in args.env:
        label, assignment = e.split(":", 1)
        name, value = assignment.split("=", 1)
        envs.setdefault(label, {})[name] = value
    phases = args.phases.split(",")

    print(f"load average at start {loadavg()}; memory limit {args.memory_max or 'none'}; phases {phases}")
    results = {}
    for label, tree in servers_spec:  # one server at a time: each phase has the box to itself
        cgroup = make_cgroup(label, args.memory_max) if args.memory_max else None
        server = Server(label, tree, opts.get(label), envs.get(label, {}), cgroup)
        server.url = f"http://127.0.0.1:{server.port}"
        sampler = None
        try:
            server.wait_ready()
            time.sleep(2)
            rows = {"idle RSS": f"{server.rss()} MB"}
            sampler = Sampler(server)
            if "s3-1gib" in phases:
                rows.update({f"S3 {args.size} {k}": v for k, v in s3_1gib(server, sampler, size).items()})
            if "fanout" in phases:
                rows.update({f"fan-out {k}": v for k, v in
                             fanout(server, sampler, args.messages, args.queues, args.concurrency).items()})
            end = time.monotonic() + args.after
            while time.monotonic() < end and server.proc.poll() is None:
                time.sleep(0.5)
            rows[f"RSS {args.after:.0f} s after"] = f"{server.rss()} MB"
            server.log.seek(0)
            log = server.log.read()
            rows["log: out of memory line"] = str("running out of memory" in log)
            rows["log: OutOfMemoryError"] = str("OutOfMemoryError" in log)
            results[label] = rows
        finally:
            if sampler:
                sampler.stop()
            server.stop()
        print(f"{label}: done, load average {loadavg()}", flush=True)

    labels = list(results)
    keys = list(dict.fromkeys(k for rows in results.values() for k in rows))
    print()
    print("| Measure | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for k in keys:
        print(f"| {k} | " + " | ".join(results[label].get(k, "") for label in labels) + " |")
    print(f"\nload average at the end {loadavg()}")


if __name__ == "__main__":
    main()
