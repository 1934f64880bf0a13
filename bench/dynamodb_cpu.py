#!/usr/bin/env python3
"""Server CPU per DynamoDB PutItem+GetItem (the `dynamodb-put-get` scenario's work), Polystack and moto_server side
by side in one run.

CPU time, not wall time: on a shared, loaded machine wall-clock rates mostly measure waiting for a core, while the
CPU a server spends per request is what bounds its throughput on a quiet one. Both servers are started here on
free loopback ports (Polystack from this tree: build it first with ./polystack build) and driven one after the
other with the same requests over one keep-alive connection (JSON 1.0, as boto3 sends them):

    python3 bench/dynamodb_cpu.py [--iterations 3000] [--moto-iterations 300]

Prints each server's CPU milliseconds per put+get (user + system from /proc, the lowest of two runs after a
warm-up), the ratio, and the load average before and after.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from procstats import cpu_seconds, free_port

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Content-Type": "application/x-amz-json-1.0",
           "Authorization": "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, "
                            "SignedHeaders=host, Signature=0"}
PAYLOAD = "x" * 160


def call(conn, op, body):
    conn.request("POST", "/", json.dumps(body), {**HEADERS, "X-Amz-Target": f"DynamoDB_20120810.{op}"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise SystemExit(f"{op} answered {r.status}: {data[:300]!r}")
    return data


def wait_up(port, proc, path, timeout=900):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def java_pid(launcher_pid):
    """The JVM the launcher script started (it stays the launcher's child)."""
    for _ in range(600):
        out = subprocess.run(["pgrep", "-P", str(launcher_pid), "java"], capture_output=True, text=True).stdout.split()
        if out:
            return int(out[0])
        time.sleep(0.1)
    return launcher_pid


def run(port, pid, iterations, table):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    before = cpu_seconds(pid)
    for i in range(iterations):
        key = {"pk": {"S": f"k{i % 1000}"}}
        call(conn, "PutItem", {"TableName": table, "Item": {**key, "n": {"N": str(i)}, "payload": {"S": PAYLOAD}}})
        call(conn, "GetItem", {"TableName": table, "Key": key})
    conn.close()
    return (cpu_seconds(pid) - before) * 1000 / iterations


def measure(name, port, pid, iterations):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    table = f"cpu-{os.getpid()}"
    call(conn, "CreateTable", {"TableName": table, "BillingMode": "PAY_PER_REQUEST",
                               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
    conn.close()
    run(port, pid, max(iterations // 2, 100), table)  # warm-up: JIT, caches, connection
    best = min(run(port, pid, iterations, table) for _ in range(2))
    print(f"{name:10s} {best:8.3f} ms CPU per PutItem+GetItem ({iterations} iterations, best of 2)", flush=True)
    return best


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--iterations", type=int, default=3000, help="put+get pairs per measured Polystack run")
    p.add_argument("--moto-iterations", type=int, default=300, help="put+get pairs per measured moto run")
    a = p.parse_args()
    print(f"load average before {os.getloadavg()}", flush=True)
    data = tempfile.mkdtemp()
    ps_port, moto_port = free_port(), free_port()
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{ps_port}", DATA_DIR=data)
    ps = subprocess.Popen([str(ROOT / "polystack"), "start"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(ps_port, ps, "/_localstack/health")
        wait_up(moto_port, moto, "/moto-api/")
        polystack = measure("polystack", ps_port, java_pid(ps.pid), a.iterations)
        motos = measure("moto", moto_port, moto.pid, a.moto_iterations)
        print(f"ratio (moto CPU / Polystack CPU): {motos / polystack:.1f}x")
    finally:
        for proc in (ps, moto):
            proc.terminate()
        for proc in (ps, moto):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    sys.exit(main())
