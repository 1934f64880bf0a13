#!/usr/bin/env python3
"""Start-up of `./polystack start` on a built tree (JDK 25 AOT cache present): N runs, median and minimum of

  health  wall time from launching the start command to the first 200 from /_localstack/health
          (polled over one kept-open socket every 5 ms, so the poller costs next to nothing);
  cpu     CPU time (user + system, launcher and JVM together) the process had used at that moment;
  ready   wall time to the "Ready." line on its stdout;
  aws     wall time to the first successful `aws --endpoint-url ... sqs list-queues` (a separate run: the
          CLI is launched together with the server and retried until it succeeds, as a user's script
          would do; the AWS CLI's own start-up is part of it);
  rss     the JVM's resident memory after 2 s idle.
It prints the load average next to the figures: wall-clock times on a loaded box mostly measure the queue.

    python3 bench/startup.py [--runs 5] [--no-aws] [--java-only]

--java-only starts the JVM the way the launcher ends up doing (same options) without the launcher script,
to separate the launcher's own cost.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from procstats import cpu_seconds, free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent


def health_ok(port):
    """One GET of /_localstack/health; True on a 200."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /_localstack/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            return s.recv(16).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def command(java_only):
    if not java_only:
        return [str(ROOT / "polystack"), "start"]
    # The launcher's final exec, as the launcher itself builds it.
    out = subprocess.run([str(ROOT / "polystack"), "start"], env=dict(os.environ, POLYSTACK_PRINT_COMMAND="1"),
                         capture_output=True, text=True, check=True).stdout
    return out.rstrip("\0").split("\0")


def launch(cmd, port, data):
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{port}", DATA_DIR=data, POLYSTACK_INIT_DIR="/nonexistent")
    env.pop("EAGER_SERVICE_LOADING", None)
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_health(cmd):
    port = free_port()
    data = tempfile.mkdtemp(prefix="startup-")
    t0 = time.monotonic()
    proc = launch(cmd, port, data)
    try:
        while not health_ok(port):
            if proc.poll() is not None or time.monotonic() - t0 > 120:
                raise SystemExit("server did not start")
            time.sleep(0.005)
        health = time.monotonic() - t0
        cpu = cpu_seconds(proc.pid, with_reaped_children=True)
        line = proc.stdout.readline()
        ready = time.monotonic() - t0 if b"Ready." in line else float("nan")
        time.sleep(2)
        return health, cpu, ready, rss_mb(proc.pid)
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)


def run_aws(cmd):
    port = free_port()
    data = tempfile.mkdtemp(prefix="startup-")
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_MAX_ATTEMPTS="1")
    t0 = time.monotonic()
    proc = launch(cmd, port, data)
    try:
        while True:
            r = subprocess.run(["aws", "--endpoint-url", f"http://localhost:{port}", "sqs", "list-queues"],
                               env=env, capture_output=True)
            if r.returncode == 0:
                return time.monotonic() - t0
            if proc.poll() is not None or time.monotonic() - t0 > 120:
                raise SystemExit("no successful aws call: " + r.stderr.decode()[-300:])
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)


def summary(name, values, unit, fmt="{:.2f}"):
    seen = [v for v in values if v == v]  # a run whose ready line was not read counts as missing, not as NaN
    if not seen:
        return f"{name:7} not measured"
    missing = f" ({len(values) - len(seen)} runs without a value)" if len(seen) < len(values) else ""
    return f"{name:7} median {fmt.format(statistics.median(seen))} {unit}, min {fmt.format(min(seen))} {unit}{missing}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-aws", action="store_true")
    ap.add_argument("--java-only", action="store_true")
    args = ap.parse_args()
    cmd = command(args.java_only)
    load_before = os.getloadavg()
    health, cpu, ready, rss = [], [], [], []
    for _ in range(args.runs):
        h, c, r, m = run_health(cmd)
        health.append(h); cpu.append(c); ready.append(r); rss.append(m)
    aws = [] if args.no_aws else [run_aws(cmd) for _ in range(args.runs)]
    load_after = os.getloadavg()
    print(f"{'java only' if args.java_only else './polystack start'}, {args.runs} runs, load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(summary("health", health, "s"))
    print(summary("cpu", cpu, "s"))
    print(summary("ready", ready, "s"))
    if aws:
        print(summary("aws", aws, "s"))
    print(summary("rss", rss, "MB", "{:.0f}"))


if __name__ == "__main__":
    main()
