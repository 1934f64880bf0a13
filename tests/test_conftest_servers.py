"""The test servers' own hygiene: a server the tests give up on leaves nothing running.

When the start timeout fires while ./polystack start is still building or recording the start-up cache, killing
the launcher alone left its children (Maven, the JVM) running, once for 1 h 40 min. These tests put a stand-in
launcher that starts a long-lived child and never answers in place of ./polystack, and check that the child dies
with it, both when the start times out and when a running server is stopped.
"""
import time

import pytest

import conftest


# A stand-in for the server: answers every GET with an empty health document on GATEWAY_LISTEN's port.
HEALTH_SERVER = """
import http.server, os
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "15"); self.end_headers()
        self.wfile.write(b'{"services":{}}')
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(os.environ["GATEWAY_LISTEN"].rsplit(":", 1)[1])), Health).serve_forever()
"""


def _stand_in_launcher(tmp_path, monkeypatch, serves):
    child_pid_file = tmp_path / "child.pid"
    launcher = tmp_path / "launcher"
    (tmp_path / "health.py").write_text(HEALTH_SERVER)
    # A "build" in the background that ignores SIGTERM (a busy Maven may not stop at once), then the server, or a
    # launcher that never serves.
    final = f"exec python3 {tmp_path / 'health.py'}" if serves else "exec sleep 600"
    launcher.write_text("#!/bin/sh\n"
                        "(trap '' TERM; sleep 600) &\n"
                        f"echo $! > {child_pid_file}\n"
                        f"{final}\n")
    launcher.chmod(0o755)
    monkeypatch.setattr(conftest, "LAUNCHER", launcher)
    return child_pid_file


def _child_pid(child_pid_file):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = child_pid_file.read_text().strip() if child_pid_file.exists() else ""
        if text:
            return int(text)
        time.sleep(0.05)
    raise AssertionError("the stand-in launcher did not start its child")


def _gone(pid, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ", 1)[1].startswith("Z"):  # dead, not yet reaped by its new parent
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_a_start_that_times_out_kills_the_launchers_children(tmp_path, monkeypatch):
    child_pid_file = _stand_in_launcher(tmp_path, monkeypatch, serves=False)
    server = conftest.Server()
    try:
        with pytest.raises(RuntimeError, match="did not answer"):
            server.start(timeout=1)
        assert _gone(_child_pid(child_pid_file)), "the launcher's child outlived the start timeout"
    finally:
        server.cleanup()


def test_stopping_a_server_ends_its_whole_process_group(tmp_path, monkeypatch):
    child_pid_file = _stand_in_launcher(tmp_path, monkeypatch, serves=True)
    server = conftest.Server()
    try:
        server.start(timeout=60)
        child = _child_pid(child_pid_file)
        assert not _gone(child, timeout=0)
        server.stop(timeout=10)
        assert _gone(child), "a child of the stopped server is still running"
    finally:
        server.cleanup()
