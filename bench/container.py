#!/usr/bin/env python3
"""The container image against the bare process, side by side: image size, wall time from `podman run` to the
"Ready." line (and from launch to Ready. for the bare `./polystack start`), idle RSS of the JVM inside the
container and of the bare one, then the SQS round-trip benchmark (bench/run.sh's generator, alternating rounds)
against both.

    python3 bench/container.py [--image localhost/polystack:latest] [--runs 3] [--scenarios sqs-send-receive-delete]

Needs root, podman and runc, a built image (container/build-local.sh) and a built tree. The container uses the
host's network (its own port via GATEWAY_LISTEN), so both are reached over loopback the same way.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from procstats import free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", str(ROOT / "container" / "containers.conf")))
PODMAN = ["podman", "--runtime", os.environ.get("POLYSTACK_OCI_RUNTIME", "/usr/sbin/runc")]


def podman(*args):
    return subprocess.run([*PODMAN, *args], env=ENV, capture_output=True, text=True, check=True).stdout.strip()


def start_container(image, port):
    name = f"polystack-bench-{uuid.uuid4().hex[:8]}"
    t0 = time.monotonic()
    podman("run", "-d", "--name", name, "--network", "host", "-e", f"GATEWAY_LISTEN=127.0.0.1:{port}", image)
    while "Ready." not in subprocess.run([*PODMAN, "logs", name], env=ENV, capture_output=True, text=True).stdout:
        if time.monotonic() - t0 > 120:
            sys.exit(f"container {name} not ready in 120 s")
        time.sleep(0.02)
    return name, time.monotonic() - t0


def start_bare(port):
    t0 = time.monotonic()
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{port}", DATA_DIR=tempfile.mkdtemp(prefix="bench-bare-"),
               POLYSTACK_INIT_DIR="/nonexistent")
    proc = subprocess.Popen([str(ROOT / "polystack"), "start"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    for line in proc.stdout:
        if b"Ready." in line:
            return proc, time.monotonic() - t0
    sys.exit("bare server exited before Ready.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", default="localhost/polystack:latest")
    parser.add_argument("--runs", type=int, default=3, help="container starts timed (each stopped again)")
    parser.add_argument("--scenarios", default="sqs-send-receive-delete")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--seconds", default="5")
    args = parser.parse_args()

    print(f"load average {open('/proc/loadavg').read().split()[0]}")
    size = int(podman("image", "inspect", "--format", "{{.Size}}", args.image))
    print(f"image {args.image}: {size / 1e6:.0f} MB uncompressed")

    ready = []
    for _ in range(args.runs):
        name, seconds = start_container(args.image, free_port())
        ready.append(seconds)
        subprocess.run([*PODMAN, "rm", "-f", "-v", name], env=ENV, capture_output=True)
    print(f"podman run -> Ready.: median {statistics.median(ready):.2f} s, min {min(ready):.2f} s ({args.runs} runs)")

    c_port, b_port = free_port(), free_port()
    name, _ = start_container(args.image, c_port)
    bare, bare_ready = start_bare(b_port)
    try:
        time.sleep(5)
        c_pid = int(podman("inspect", "--format", "{{.State.Pid}}", name))
        print(f"bare ./polystack start -> Ready.: {bare_ready:.2f} s")
        print(f"idle RSS: container JVM {rss_mb(c_pid)} MB, bare JVM {rss_mb(bare.pid)} MB")
        java = subprocess.run(["bash", "-c", f". '{ROOT}/scripts/find-jdk.sh' && echo $JAVA_HOME"], capture_output=True,
                              text=True, check=True).stdout.strip() + "/bin/java"
        subprocess.run([java, "-Xmx256m", "-cp", f"{ROOT}/bench/target/classes:{ROOT}/bench/target/lib/*",
                        "dev.polystack.bench.Compare", "--target", f"container=http://127.0.0.1:{c_port}",
                        "--target", f"bare=http://127.0.0.1:{b_port}", "--scenarios", args.scenarios,
                        "--concurrency", args.concurrency, "--seconds", args.seconds, "--rounds", "2"], check=True)
        print(f"RSS after the load: container JVM {rss_mb(c_pid)} MB, bare JVM {rss_mb(bare.pid)} MB; "
              f"load average {open('/proc/loadavg').read().split()[0]}")
    finally:
        subprocess.run([*PODMAN, "rm", "-f", "-v", name], env=ENV, capture_output=True)
        bare.terminate()
        bare.wait(30)


if __name__ == "__main__":
    main()
