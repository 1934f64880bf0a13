"""Shared by the e2e modules of LocalStack-hosted services (test_stepfunctions*.py, test_cloudformation*.py).

They need LocalStack's source: POLYSTACK_LOCALSTACK_SRC names a checkout of LocalStack's repository, followed by
checkouts of any of its pure-Python dependencies the package index lacks (``:``-separated, e.g.
``/src/localstack:/src/rolo:/src/plux``); vendor/localstack is installed from them with
``./polystack vendor localstack --from`` when missing. Without the setting the modules are skipped.
"""
import os
import subprocess
import time
from pathlib import Path

import pytest
import requests

from conftest import Server

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for p in os.environ.get("POLYSTACK_LOCALSTACK_SRC", "").split(":") if p]
READY_TIMEOUT = float(os.environ.get("POLYSTACK_TEST_PYTHON_READY_TIMEOUT", "900"))

needs_localstack = pytest.mark.skipif(
    not SOURCES, reason="POLYSTACK_LOCALSTACK_SRC is not set: LocalStack's provider needs a checkout of LocalStack's "
                        "repository (not shipped with Polystack); see README, LocalStack providers")


def vendor_localstack():
    if (ROOT / "vendor" / "localstack" / "localstack" / "services" / "providers.py").is_file():
        return
    command = [str(ROOT / "polystack"), "vendor", "localstack"]
    for source in SOURCES:
        command += ["--from", source]
    subprocess.run(command, check=True, timeout=900)


def wait_until_running(server, service, timeout=READY_TIMEOUT):
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        state = requests.get(server.endpoint_url + "/_localstack/health", timeout=30).json()["services"].get(service)
        if state not in ("starting", "available"):
            break
        time.sleep(1)
    assert state == "running", f"{service} is {state}\n{server.log_tail(120)}"


class Running:
    """A server someone else started ($ENDPOINT_URL)."""

    def __init__(self, url):
        self.endpoint_url = url

    def client(self, service, **kwargs):
        from conftest import make_client
        return make_client(self.endpoint_url, service, **kwargs)

    def log_tail(self, lines=60):
        return "(server started elsewhere)"


def localstack_server(service, env=None):
    """A generator for a module fixture: the server at $ENDPOINT_URL, else one started with LocalStack's provider
    for ``service`` loading eagerly; yields once the service is running."""
    if os.environ.get("ENDPOINT_URL"):
        running = Running(os.environ["ENDPOINT_URL"])
        wait_until_running(running, service)
        yield running
        return
    vendor_localstack()
    srv = Server(env={"EAGER_SERVICE_LOADING": "1", f"PROVIDER_OVERRIDE_{service.upper()}": "localstack", **(env or {})},
                 java_opts=["-Xmx1g"])
    srv.start()
    try:
        wait_until_running(srv, service)
        yield srv
    finally:
        srv.cleanup()
