#!/usr/bin/env python3
"""RSS of a Polystack server holding N DynamoDB items of ~200 bytes (default 1,000,000; the issue's bound: 1 GB).

Starts its own server (./polystack start on a free port, POLYSTACK_XMX as given, default 768m), creates one
table, loads the items with BatchWriteItem from 8 threads (25 items per call, raw HTTP with keep-alive), forces
a full GC through jcmd when available, and prints the item count the table reports, the load rate and the RSS:

    python3 bench/dynamodb_memory.py [--items 1000000] [--xmx 768m]
"""
import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from procstats import free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent
HEADERS = {"Content-Type": "application/x-amz-json-1.0",
           "Authorization": "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, "
                            "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64}


def call(conn, op, body):
    conn.request("POST", "/", json.dumps(body), {**HEADERS, "X-Amz-Target": f"DynamoDB_20120810.{op}"})
    resp = conn.getresponse()
    data = resp.read()
    if resp.status >= 400:
        raise SystemExit(f"{op}: {resp.status} {data[:300]!r}")
    return json.loads(data)


def java_pid(launcher_pid):
    """The JVM serving the port: the launcher execs java, so it is the same process (or its only child)."""
    try:
        children = Path(f"/proc/{launcher_pid}/task/{launcher_pid}/children").read_text().split()
    except OSError:
        children = []
    return int(children[0]) if children else launcher_pid


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1_000_000)
    ap.add_argument("--xmx", default="768m")
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="ddb-mem-")
    env = {**os.environ, "GATEWAY_LISTEN": f"127.0.0.1:{port}", "DATA_DIR": data_dir, "POLYSTACK_XMX": args.xmx}
    log = open(os.path.join(data_dir, "server.log"), "wb")
    server = subprocess.Popen([str(ROOT / "polystack"), "start"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 180
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                call(conn, "ListTables", {})
                break
            except (OSError, http.client.HTTPException):
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start")
                time.sleep(0.2)
        pid = java_pid(server.pid)
        idle = rss_mb(pid)
        table = "memory"
        call(conn, "CreateTable", {"TableName": table, "BillingMode": "PAY_PER_REQUEST",
                                   "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                   "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
        filler = "v" * 160

        def load(worker):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for start in range(worker * 25, args.items, 25 * args.threads):
                items = [{"PutRequest": {"Item": {"pk": {"S": f"item-{i:08d}"}, "n": {"N": str(i)}, "data": {"S": filler}}}}
                         for i in range(start, min(args.items, start + 25))]
                call(c, "BatchWriteItem", {"RequestItems": {table: items}})

        began = time.time()
        threads = [threading.Thread(target=load, args=(w,)) for w in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.time() - began
        if shutil.which("jcmd"):
            subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=120)
        described = call(conn, "DescribeTable", {"TableName": table})["Table"]
        print(f"items={described['ItemCount']} size={described['TableSizeBytes'] / args.items:.0f} B/item (AWS's count) "
              f"load={args.items / took:,.0f} items/s idle_rss={idle} MiB rss={rss_mb(pid)} MiB xmx={args.xmx} "
              f"load_average={os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
