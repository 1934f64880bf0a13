#!/usr/bin/env python3
"""Memory under and after load, side by side: one or more Polystack builds (or one build with different JVM
options) started together, the same bounded load driven at each in alternating rounds (bench/run.sh's
generator, dev.polystack.bench.Compare), and every server's resident memory sampled all along.

Per server it reports
  ready    wall time from launch to the "Ready." line, and to the first 200 from /_localstack/health;
  idle     RSS after the server sat idle (--idle seconds, default 5) after its ready line;
  load     the highest RSS sampled (every 0.1 s) while the load ran (any server's turn: state and heap stay);
  after    RSS --after seconds (default 30) after the load stopped, and when it first fell under 150 MB;
then Compare's own table: iterations/s, p50 and p99 per scenario and concurrency for each server.

    python3 bench/memory.py                                   # this tree, default load
    python3 bench/memory.py --server before=/path/to/main --server after=.   # two builds, side by side
    python3 bench/memory.py --server g1=. --server serial=. --opts g1='-XX:+UseG1GC'   # JVM options per server
    python3 bench/memory.py --memory-max 1G                   # each server in its own memory cgroup (root)

Defaults: the standard load of issue 21 (sqs-send-receive-delete and s3-put-get-1kib at concurrency 1 and 8,
2 rounds of 5 s per server after a warm-up). Every phase is bounded. The load average is printed with the
figures: on a busy box wall-clock figures mostly measure the queue for the CPU.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from procstats import cpu_seconds, free_port, rss_mb

ROOT = Path(__file__).resolve().parent.parent
CGROUP_ROOT = Path("/sys/fs/cgroup")


def health_ok(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /_localstack/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            return s.recv(16).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("B")
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def make_cgroup(name, memory_max):
    """A child of this process's memory cgroup limited to memory_max (cgroup v2 memory.max, or v1
    memory.limit_in_bytes); exits with a message when cgroups cannot be written here (root is needed)."""
    limit = str(parse_size(memory_max))
    leaf = f"polystack-bench-{name}-{os.getpid()}"
    try:
        if (CGROUP_ROOT / "cgroup.controllers").exists():  # v2: one hierarchy
            parent = CGROUP_ROOT / open("/proc/self/cgroup").read().strip().split("::", 1)[1].lstrip("/")
            path = parent / leaf
            path.mkdir()
            (path / "memory.max").write_text(limit)
            if (path / "memory.swap.max").exists():
                (path / "memory.swap.max").write_text("0")
        else:  # v1: the memory controller's own hierarchy
            own = next(line.split(":", 2)[2].strip() for line in open("/proc/self/cgroup")
                       if line.split(":", 2)[1] == "memory")
            path = CGROUP_ROOT / "memory" / own.lstrip("/") / leaf
            path.mkdir()
            (path / "memory.limit_in_bytes").write_text(limit)
        return path
    except (OSError, StopIteration) as e:
        sys.exit(f"--memory-max needs a writable memory cgroup under {CGROUP_ROOT} ({e})")


class Server:
    def __init__(self, label, tree, java_opts, env, cgroup):
        self.label, self.tree, self.cgroup = label, Path(tree).resolve(), cgroup
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix=f"memory-{label}-")
        self.samples = []  # (monotonic time, rss MB)
        self.ready_s = self.health_s = None
        self.log = open(os.path.join(self.data, "server.log"), "w+")
        # POLYSTACK_RUNTIME_ONLY: a tree is measured as built, never rebuilt in the middle of a run.
        full_env = dict(os.environ, GATEWAY_LISTEN=f"127.0.0.1:{self.port}", DATA_DIR=os.path.join(self.data, "state"),
                        POLYSTACK_INIT_DIR="/nonexistent", POLYSTACK_RUNTIME_ONLY="1", **env)
        if java_opts:
            full_env["JAVA_OPTS"] = java_opts
        preexec = None
        if cgroup is not None:
            def preexec():  # joins the cgroup before exec, so the JVM sees its limit from its first instruction
                (cgroup / "cgroup.procs").write_text(str(os.getpid()))
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([str(self.tree / "polystack"), "start"], cwd=self.tree, env=full_env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=preexec)
        threading.Thread(target=self._read_output, daemon=True).start()

    def _read_output(self):
        for line in self.proc.stdout:
            text = line.decode(errors="replace")
            if self.ready_s is None and "Ready." in text:
                self.ready_s = time.monotonic() - self.t0
            self.log.write(text)
            self.log.flush()

    def wait_ready(self, timeout=180):
        while self.health_s is None or self.ready_s is None:
            if self.health_s is None and health_ok(self.port):
                self.health_s = time.monotonic() - self.t0
            if self.proc.poll() is not None or time.monotonic() - self.t0 > timeout:
                self.log.seek(0)
                sys.exit(f"{self.label}: server did not start\n{self.log.read()[-3000:]}")
            time.sleep(0.005)

    def cpu(self):
        try:
            return cpu_seconds(self.proc.pid)
        except OSError:
            return 0.0

    def rss(self):
        try:
            return rss_mb(self.proc.pid)
        except OSError:
            return -1

    def sample(self):
        self.samples.append((time.monotonic(), self.rss()))

    def peak(self, start, end):
        values = [m for t, m in self.samples if start <= t <= end]
        return max(values) if values else -1

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.data, ignore_errors=True)
        if self.cgroup is not None:
            try:
                self.cgroup.rmdir()
            except OSError:
                pass


def iterations_per_server(table, labels, seconds_per_cell):
    """Total iterations each server ran, from Compare's table (rows: scenario, c, then per server it/s, p50, p99,
    errors), at seconds_per_cell seconds of load per scenario, concurrency and server."""
    totals = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) < 2 + len(labels) or not re.match(r"^\S+\s+\d+$", cells[0]):
            continue
        for label, cell in zip(labels, cells[1:]):
            try:
                totals[label] = totals.get(label, 0) + float(cell.split()[0]) * seconds_per_cell
            except (ValueError, IndexError):
                pass
    return totals


def loadavg():
    return open("/proc/loadavg").read().split()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", action="append", default=[], metavar="LABEL=TREE",
                        help="a built Polystack tree to start under LABEL (repeatable; default: this tree)")
    parser.add_argument("--opts", action="append", default=[], metavar="LABEL=JAVA_OPTS",
                        help="extra JVM options for one server (JAVA_OPTS)")
    parser.add_argument("--env", action="append", default=[], metavar="LABEL:NAME=VALUE",
                        help="an environment variable for one server")
    parser.add_argument("--scenarios", default="sqs-send-receive-delete,s3-put-get-1kib")
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--seconds", default="5")
    parser.add_argument("--rounds", default="2")
    parser.add_argument("--warmup", default="3")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before the idle RSS is read")
    parser.add_argument("--after", type=float, default=30.0, help="seconds after the load for the 'after' RSS")
    parser.add_argument("--memory-max", help="run each server in its own cgroup with this memory.max (e.g. 1G)")
    args = parser.parse_args()

    servers_spec = [s.split("=", 1) for s in args.server] or [["polystack", str(ROOT)]]
    opts = dict(o.split("=", 1) for o in args.opts)
    envs = {}
    for e in args.env:
        label, assignment = e.split(":", 1)
        name, value = assignment.split("=", 1)
        envs.setdefault(label, {})[name] = value

    java = subprocess.run(["bash", "-c", f". '{ROOT}/scripts/find-jdk.sh' && echo $JAVA_HOME"], capture_output=True,
                          text=True, check=True).stdout.strip() + "/bin/java"
    bench_cp = f"{ROOT}/bench/target/classes:{ROOT}/bench/target/lib/*"
    if not (ROOT / "bench/target/lib").is_dir():
        subprocess.run(["./mvnw", "-q", "-B", "package", "-DskipTests", "-pl", "bench", "-am"], cwd=ROOT, check=True)

    print(f"load average at start {loadavg()}; memory.max {args.memory_max or 'none'}")
    servers = []
    try:
        for label, tree in servers_spec:
            cgroup = make_cgroup(label, args.memory_max) if args.memory_max else None
            servers.append(Server(label, tree, opts.get(label), envs.get(label, {}), cgroup))
            servers[-1].wait_ready()  # one at a time: start-up figures without the other's start competing
        idle_end = time.monotonic() + args.idle
        while time.monotonic() < idle_end:
            time.sleep(0.2)
        idle = {s.label: s.rss() for s in servers}

        stop_sampling = threading.Event()

        def sampler():
            while not stop_sampling.is_set():
                for s in servers:
                    s.sample()
                stop_sampling.wait(0.1)

        cpu_before = {s.label: s.cpu() for s in servers}
        load_start = time.monotonic()
        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        command = [java, "-Xmx256m", "-cp", bench_cp, "dev.polystack.bench.Compare",
                   "--scenarios", args.scenarios, "--concurrency", args.concurrency, "--seconds", args.seconds,
                   "--rounds", args.rounds, "--warmup", args.warmup]
        for s in servers:
            command += ["--target", f"{s.label}=http://127.0.0.1:{s.port}", "--pid", f"{s.label}={s.proc.pid}"]
        compare = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        load_end = time.monotonic()
        load_avg_after_load = loadavg()
        cpu_load = {s.label: s.cpu() - cpu_before[s.label] for s in servers}

        under_150 = {}
        while time.monotonic() < load_end + args.after:
            time.sleep(0.5)
            for s in servers:
                if s.label not in under_150 and 0 <= s.samples[-1][1] < 150:
                    under_150[s.label] = s.samples[-1][0] - load_end
        stop_sampling.set()
        thread.join()
        after = {s.label: s.rss() for s in servers}

        print(compare.stdout)
        if compare.returncode != 0:
            print(compare.stderr[-3000:])
        print(f"load average after the load {load_avg_after_load}, at the end {loadavg()}")
        # CPU per iteration: what the server spends on the same work, which a busy box changes far less than
        # wall-clock rates (the warm-up rounds are not counted in the iterations, so this is an upper bound).
        iterations = iterations_per_server(compare.stdout, [s.label for s in servers],
                                           float(args.seconds) * int(args.rounds))
        for s in servers:
            if iterations.get(s.label):
                print(f"{s.label}: {cpu_load[s.label]:.1f} CPU s over the load, "
                      f"{cpu_load[s.label] * 1e6 / iterations[s.label]:.0f} CPU us per iteration")
        print()
        print(f"| Server | launch → Ready. | launch → health | RSS idle | RSS peak under load | RSS {args.after:.0f} s after | under 150 MB after |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for s in servers:
            fell = f"{under_150[s.label]:.1f} s" if s.label in under_150 else "no"
            print(f"| {s.label} | {s.ready_s:.2f} s | {s.health_s:.2f} s | {idle[s.label]} MB | "
                  f"{s.peak(load_start, load_end)} MB | {after[s.label]} MB | {fell} |")
        for s in servers:
            s.log.seek(0)
            problems = [line for line in s.log if re.search(r"OutOfMemory|SEVERE|Exception", line)]
            if problems:
                print(f"\n{s.label}: {len(problems)} log line(s) with errors, first: {problems[0].rstrip()}")
    finally:
        for s in servers:
            s.stop()


if __name__ == "__main__":
    main()
