#!/usr/bin/env python3
"""The GraalPy bridge side by side, in one run, bounded in time.

Servers (started together, then measured one after the other so they do not compete):
  native       Polystack, native SQS
  moto         Polystack, PROVIDER_OVERRIDE_SQS=moto (moto's SQS under GraalPy, in process)
  python       Polystack, PROVIDER_OVERRIDE_SQS=python with the tiny test provider
               (tests/python_providers/polystack_test_provider.py)
  moto_server  moto's own server under CPython (the same moto code, outside the bridge)

Scenarios (SQS JSON protocol, one keep-alive connection, sequential):
  round-trip   SendMessage + ReceiveMessage + DeleteMessage            native, moto, moto_server
  list-queues  ListQueues, the cheapest call                          all four
               python - native = the bridge's own cost per call (JSON hand-off, GraalPy call, a
               trivial Python method); moto - moto_server = GraalPy + bridge vs CPython + werkzeug.

Per server and scenario: client wall time per iteration (mean, p50) and the server process's CPU time
per iteration (utime + stime from /proc: every thread, JIT and GC included), which stays meaningful on a
loaded machine where wall time does not. Each measurement stops after --iterations or --max-seconds,
whichever comes first; the server start waits at most --start-timeout.

    python3 bench/bridge_bench.py [--iterations 300] [--warmup 3] [--max-seconds 40] [--servers native,moto,python,moto_server]
"""
import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from procstats import cpu_seconds, free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent
AUTH = "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0"


class Server:
    def __init__(self, name, data):
        self.name, self.port = name, free_port()
        self.log_path = Path(data) / f"{name}.log"
        env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{self.port}", DATA_DIR=str(Path(data) / name),
                   PERSISTENCE="0", POLYSTACK_XMX="1g", EAGER_SERVICE_LOADING="1")
        for key in [k for k in env if k.startswith("PROVIDER_OVERRIDE_")]:
            del env[key]
        command = [str(ROOT / "polystack"), "start"]
        if name == "moto":
            env["PROVIDER_OVERRIDE_SQS"] = "moto"
        elif name == "python":
            env.update(PROVIDER_OVERRIDE_SQS="python",
                       POLYSTACK_PYTHON_PROVIDERS="sqs=polystack_test_provider:TinySqsProvider",
                       POLYSTACK_PYTHON_PATH=str(ROOT / "tests" / "python_providers"))
        elif name == "moto_server":
            command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        self.log = open(self.log_path, "wb")
        # ./polystack start execs java, so this pid is the JVM's
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.conn = None

    def ready(self):
        """SQS answers (for Polystack: health says sqs is running)."""
        if self.proc.poll() is not None:
            raise SystemExit(f"{self.name} exited: see {self.log_path}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            if self.name == "moto_server":
                status, _ = self.call_on(conn, "ListQueues", {})
                return status == 200
            conn.request("GET", "/_localstack/health")
            state = json.loads(conn.getresponse().read())["services"].get("sqs")
            if state == "error":
                raise SystemExit(f"{self.name}: sqs failed to start, see {self.log_path}")
            return state == "running"
        except (OSError, ValueError, http.client.HTTPException):
            return False

    @staticmethod
    def call_on(conn, action, body):
        conn.request("POST", "/", body=json.dumps(body), headers={
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS." + action, "Authorization": AUTH})
        response = conn.getresponse()
        return response.status, response.read()

    def call(self, action, body):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        status, data = self.call_on(self.conn, action, body)
        if status != 200:
            raise RuntimeError(f"{self.name} {action}: {status} {data[:300]!r}")
        return json.loads(data) if data else {}

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def round_trip(server, queue_url, i):
    server.call("SendMessage", {"QueueUrl": queue_url, "MessageBody": f"m{i}"})
    got = server.call("ReceiveMessage", {"QueueUrl": queue_url, "MaxNumberOfMessages": 1})["Messages"]
    server.call("DeleteMessage", {"QueueUrl": queue_url, "ReceiptHandle": got[0]["ReceiptHandle"]})


def list_queues(server, _queue_url, _i):
    server.call("ListQueues", {})


SCENARIOS = {"round-trip": (round_trip, ("native", "moto", "moto_server")),
             "list-queues": (list_queues, ("native", "python", "moto", "moto_server"))}


def measure(server, action, queue_url, iterations, warmup_seconds, max_seconds):
    end = time.monotonic() + warmup_seconds
    i = 0
    while time.monotonic() < end:
        action(server, queue_url, i)
        i += 1
    walls = []
    cpu0, start = cpu_seconds(server.proc.pid), time.monotonic()
    while len(walls) < iterations and time.monotonic() - start < max_seconds:
        t = time.perf_counter()
        action(server, queue_url, i)
        walls.append(time.perf_counter() - t)
        i += 1
    cpu = cpu_seconds(server.proc.pid) - cpu0
    return len(walls), statistics.fmean(walls) * 1000, statistics.median(walls) * 1000, cpu * 1000 / len(walls)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--warmup", type=float, default=3, help="seconds of untimed iterations per server and scenario")
    parser.add_argument("--max-seconds", type=float, default=40, help="cap of one measurement")
    parser.add_argument("--start-timeout", type=float, default=900)
    parser.add_argument("--servers", default="native,moto,python,moto_server")
    args = parser.parse_args()
    names = args.servers.split(",")

    data = tempfile.mkdtemp(prefix="bridge-bench-")
    servers = {}
    try:
        t0 = time.monotonic()
        for name in names:
            servers[name] = Server(name, data)
        pending = set(names)
        while pending:
            if time.monotonic() - t0 > args.start_timeout:
                raise SystemExit(f"not ready after {args.start_timeout}s: {sorted(pending)}")
            for name in sorted(pending):
                if servers[name].ready():
                    pending.discard(name)
                    print(f"{name:12s} sqs ready {time.monotonic() - t0:6.1f} s after launch "
                          f"({len(names)} servers starting together), RSS {rss_mb(servers[name].proc.pid)} MB", flush=True)
            time.sleep(0.5)

        print(f"\nload average before measuring: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
        print(f"{'scenario':12s} {'server':12s} {'n':>5s} {'wall mean ms':>13s} {'wall p50 ms':>12s} "
              f"{'server CPU ms/it':>17s} {'CPU vs native':>14s}")
        for scenario, (action, wanted) in SCENARIOS.items():
            native_cpu = None
            for name in [n for n in wanted if n in servers]:
                server = servers[name]
                queue_url = server.call("CreateQueue", {"QueueName": f"bench-{scenario}"})["QueueUrl"]
                n, mean, p50, cpu = measure(server, action, queue_url, args.iterations, args.warmup, args.max_seconds)
                if name == "native":
                    native_cpu = cpu
                ratio = f"{cpu / native_cpu:13.1f}x" if native_cpu else f"{'':>14s}"
                print(f"{scenario:12s} {name:12s} {n:5d} {mean:13.2f} {p50:12.2f} {cpu:17.2f} {ratio}", flush=True)
        print(f"load average after measuring: {os.getloadavg()[0]:.1f}")
        print("RSS after the run: " + ", ".join(f"{n} {rss_mb(s.proc.pid)} MB" for n, s in servers.items()))
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
