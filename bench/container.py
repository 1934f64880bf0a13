#!/usr/bin/env python3
"""The container image against the bare process, side by side: image size (per layer, and gzip-compressed as a
registry would send it), wall time from `podman run` to the "Ready." line, the JVM's own "started in" figure and
the CPU it spent until Ready. (load-independent, unlike wall time on a shared box), the same for the bare
`./polystack start`, idle RSS of the JVM inside the container and of the bare one, then the SQS round-trip
benchmark (bench/run.sh's generator, alternating rounds) against both.

    python3 bench/container.py [--image localhost/polystack:latest] [--runs 3] [--scenarios sqs-send-receive-delete]
    python3 bench/container.py --image localhost/polystack:native --start-only   # size and start of one image

Needs root, podman and runc, a built image (container/build-local.sh) and a built tree. The container uses the
host's network (its own port via GATEWAY_LISTEN), so both are reached over loopback the same way.
"""
import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from procstats import cpu_seconds, free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", str(ROOT / "container" / "containers.conf")))
PODMAN = ["podman", "--runtime", os.environ.get("POLYSTACK_OCI_RUNTIME", "/usr/sbin/runc")]


def podman(*args):
    return subprocess.run([*PODMAN, *args], env=ENV, capture_output=True, text=True, check=True).stdout.strip()


STARTED_IN = re.compile(r"started in (\d+) ms\. Ready\.")


def start_container(image, port, cpu_shares=None):
    """Returns the container's name, seconds from `podman run` to Ready., the JVM's own figure (from the launcher's
    start inside the container) and the JVM's CPU seconds until Ready."""
    name = f"polystack-bench-{uuid.uuid4().hex[:8]}"
    t0 = time.monotonic()
    weight = ["--cpu-shares", str(cpu_shares)] if cpu_shares else []
    podman("run", "-d", "--name", name, "--network", "host", *weight, "-e", f"GATEWAY_LISTEN=127.0.0.1:{port}", image)
    while True:
        logs = subprocess.run([*PODMAN, "logs", name], env=ENV, capture_output=True, text=True).stdout
        found = STARTED_IN.search(logs)
        if found:
            wall = time.monotonic() - t0
            break
        if time.monotonic() - t0 > 120:
            sys.exit(f"container {name} not ready in 120 s")
        time.sleep(0.02)
    pid = int(podman("inspect", "--format", "{{.State.Pid}}", name))
    return name, wall, int(found.group(1)) / 1000, cpu_seconds(pid)


def layers(image):
    """(size, created by) of each layer, bottom first, and the gzip-compressed size of all of them."""
    history = json.loads(podman("history", "--format", "json", image))
    sizes = [(h["size"], h["CreatedBy"]) for h in reversed(history) if h["size"] > 0]
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "image.tar"
        podman("save", "--format", "docker-archive", "-o", str(archive), image)
        compressed = 0
        with open(archive, "rb") as f, gzip.GzipFile(fileobj=_Counter(), mode="wb", compresslevel=6) as z:
            while chunk := f.read(1 << 20):
                z.write(chunk)
            z.flush()
            compressed = z.fileobj.count
    return sizes, compressed


class _Counter:
    """A file that only counts what is written to it."""
    count = 0

    def write(self, data):
        self.count += len(data)
        return len(data)

    def flush(self):
        pass


def start_bare(port):
    t0 = time.monotonic()
    env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{port}", DATA_DIR=tempfile.mkdtemp(prefix="bench-bare-"),
               POLYSTACK_INIT_DIR="/nonexistent")
    proc = subprocess.Popen([str(ROOT / "polystack"), "start"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    for line in proc.stdout:
        found = STARTED_IN.search(line.decode(errors="replace"))
        if found:
            return proc, time.monotonic() - t0, int(found.group(1)) / 1000, cpu_seconds(proc.pid)
    sys.exit("bare server exited before Ready.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--image", default="localhost/polystack:latest")
    parser.add_argument("--runs", type=int, default=3, help="container starts timed (each stopped again)")
    parser.add_argument("--scenarios", default="sqs-send-receive-delete")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--seconds", default="5")
    parser.add_argument("--cpu-shares", type=int,
                        help="the container's CPU weight (podman run --cpu-shares). On cgroup v1 a container's cgroup "
                             "as a whole weighs as much as one root-level task, so on a busy box it gets far less "
                             "CPU than the bare process: give it more to compare like with like (README, Container)")
    parser.add_argument("--start-only", action="store_true",
                        help="image size, start to Ready. and idle RSS only: no bare server, no SQS comparison")
    args = parser.parse_args()

    print(f"load average {open('/proc/loadavg').read().split()[0]}; container CPU weight "
          f"{args.cpu_shares or 'default'}")
    size = int(podman("image", "inspect", "--format", "{{.Size}}", args.image))
    sizes, compressed = layers(args.image)
    print(f"image {args.image}: {size / 1e6:.0f} MB uncompressed, {compressed / 1e6:.0f} MB gzip-compressed")
    for layer_size, created_by in sizes:
        print(f"  layer {layer_size / 1e6:6.1f} MB  {created_by[:90]}")

    runs = []
    for _ in range(args.runs):
        name, *figures = start_container(args.image, free_port(), args.cpu_shares)
        runs.append(figures)
        subprocess.run([*PODMAN, "rm", "-f", "-v", name], env=ENV, capture_output=True)
    print(f"podman run -> Ready.: median {statistics.median(r[0] for r in runs):.2f} s; inside the container "
          f"(launcher -> Ready.) median {statistics.median(r[1] for r in runs):.2f} s, "
          f"JVM CPU until Ready. median {statistics.median(r[2] for r in runs):.2f} s ({args.runs} runs, "
          f"load average {open('/proc/loadavg').read().split()[0]})")

    if args.start_only:
        name, *_ = start_container(args.image, free_port(), args.cpu_shares)
        try:
            time.sleep(5)
            print(f"idle RSS: container JVM {rss_mb(int(podman('inspect', '--format', '{{.State.Pid}}', name)))} MB")
        finally:
            subprocess.run([*PODMAN, "rm", "-f", "-v", name], env=ENV, capture_output=True)
        return

    c_port, b_port = free_port(), free_port()
    name, *_ = start_container(args.image, c_port, args.cpu_shares)
    bare, bare_ready, bare_inside, bare_cpu = start_bare(b_port)
    try:
        time.sleep(5)
        c_pid = int(podman("inspect", "--format", "{{.State.Pid}}", name))
        print(f"bare ./polystack start -> Ready.: {bare_ready:.2f} s (launcher -> Ready. {bare_inside:.2f} s, "
              f"JVM CPU until Ready. {bare_cpu:.2f} s)")
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
