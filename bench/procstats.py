"""What the Python bench scripts read about processes and ports, in one place (Linux /proc)."""
import os
import socket

_TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid, with_reaped_children=False):
    """User + system CPU of a process; with_reaped_children adds its waited-for children's (a launcher's
    subprocesses before it execs java)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    last = 15 if with_reaped_children else 13
    return sum(int(x) for x in fields[11:last]) / _TICK


def rss_mb(pid):
    """Resident memory in whole MiB, -1 when the process reports none."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    return -1
