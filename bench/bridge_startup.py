#!/usr/bin/env python3
"""Start-up cost of Python-hosted services: cold (empty GraalPy bytecode cache) and warm (cache filled).

For each run: launch ./polystack start with PROVIDER_OVERRIDE_SQS=moto (lazy loading), then time
launch → health answering → first successful SQS call (moto-hosted) → first successful SES call (moto-only),
each as wall time and as the JVM's CPU time (utime + stime from /proc, all threads: the figure that
holds on a loaded machine), and print the JVM's RSS afterwards. A run gives up after --timeout seconds.
One request waits for its service's whole start
(POLYSTACK_PYTHON_START_TIMEOUT raised) so the figure is the true time to a first answer.
    python3 bench/bridge_startup.py [--runs cold,warm,warm] [--timeout 1800]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import requests
from botocore.config import Config
from procstats import cpu_seconds, free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent


def run(label, cache_dir, extra_env, timeout):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = tempfile.mkdtemp(prefix="bridge-startup-")
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{port}", DATA_DIR=data, POLYSTACK_AOT="0",
               POLYSTACK_XMX="1g", PROVIDER_OVERRIDE_SQS="moto", POLYSTACK_PYTHON_CACHE=str(cache_dir),
               POLYSTACK_PYTHON_START_TIMEOUT=str(int(timeout)), **extra_env)
    log = open(os.path.join(data, "server.log"), "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen([str(ROOT / "polystack"), "start"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                if requests.get(url + "/_localstack/health", timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.05)
            if proc.poll() is not None or time.monotonic() - t0 > 300:
                raise SystemExit(f"server did not start: see {data}/server.log")
        health, health_cpu = time.monotonic() - t0, cpu_seconds(proc.pid)
        cfg = Config(read_timeout=timeout + 60, retries={"max_attempts": 1})
        client = lambda s: boto3.client(s, endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                                        aws_secret_access_key="test", config=cfg)
        client("sqs").list_queues()
        sqs_first, sqs_cpu = time.monotonic() - t0, cpu_seconds(proc.pid)
        client("ses").list_identities()
        ses_first, ses_cpu = time.monotonic() - t0, cpu_seconds(proc.pid)
        t = time.monotonic()
        for _ in range(20):
            client("sqs").list_queues()
        per_call = (time.monotonic() - t) / 20
        print(f"{label:6} health {health:6.1f}s (CPU {health_cpu:5.1f}s) | first moto SQS call {sqs_first:6.1f}s "
              f"(CPU {sqs_cpu:6.1f}s) | first SES call {ses_first:6.1f}s (CPU {ses_cpu:6.1f}s) | then ListQueues "
              f"{per_call * 1000:5.0f} ms/call (client included) | RSS {rss_mb(proc.pid)} MB | load {os.getloadavg()[0]:.1f}",
              flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", default="cold,warm")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds one run may take before it gives up")
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="bridge-pycache-"))
    try:
        load = os.getloadavg()[0]
        print(f"load average at start: {load:.1f} on {os.cpu_count()} cores", flush=True)
        for label in args.runs.split(","):
            if label == "cold":
                shutil.rmtree(cache, ignore_errors=True)
                cache.mkdir()
            run(label, cache, {}, args.timeout)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
