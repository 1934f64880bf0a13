"""End-to-end fixtures: a real Polystack server, real clients (boto3, requests, the AWS CLI).

Fixtures (the interface every service's tests use):
  endpoint_url   session: URL of the shared server (started from the built jars on a free loopback port,
                 or $ENDPOINT_URL when set). $POLYSTACK_TEST_SERVER_ENV="K=V K2=V2" adds env vars to it.
  aws_client     session: aws_client("sqs", region_name="us-east-1", **kwargs) -> boto3 client (test/test)
  aws_cli        session: aws_cli("sqs", "list-queues", ...) -> parsed JSON output (raises AwsCliError)
  start_server   function: start_server({"PERSISTENCE": "1"}, java_opts=["-Xmx256m"]) -> Server, an extra
                 server with its own env and data dir, stopped at test end.
The server is built first if needed (./polystack builds what is missing).
"""
import atexit
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import boto3
import pytest
import requests
import urllib3
from botocore.config import Config

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # USE_SSL servers: self-signed

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "polystack"
START_TIMEOUT = float(os.environ.get("POLYSTACK_TEST_START_TIMEOUT", "120"))
# Python-hosted services loaded eagerly (EAGER_SERVICE_LOADING=1) start in the background after the
# server answers; GraalPy imports take minutes on a busy machine. Bounded wait until none is "starting".
READY_TIMEOUT = float(os.environ.get("POLYSTACK_TEST_READY_TIMEOUT", "900"))
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_client(endpoint_url, service, region_name="us-east-1", **kwargs):
    for key, value in CREDENTIALS.items():
        kwargs.setdefault(key, value)
    kwargs.setdefault("config", Config(retries={"max_attempts": 2, "mode": "standard"}))
    return boto3.client(service, endpoint_url=endpoint_url, region_name=region_name, **kwargs)


# Every server this session started (each leads its own process group), so none outlives the session.
_STARTED = []


def _kill_leftover_servers():
    for server in _STARTED:
        server.kill()


atexit.register(_kill_leftover_servers)


def _interrupt_on_sigterm(signum, frame):
    # A CI timeout's SIGTERM would end pytest without its finalizers or atexit; as an interrupt, pytest stops the
    # session cleanly and every server is stopped.
    raise KeyboardInterrupt("SIGTERM")


if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
    signal.signal(signal.SIGTERM, _interrupt_on_sigterm)


class Server:
    """A Polystack process started through ./polystack start with its own environment and data dir.

    The launcher may still be building or recording the start-up cache when a test gives up on it; it runs in a
    process group of its own (a new session), and kill() ends the whole group: Maven, the JVM, a cache recording
    and the Lambda runtimes the server started, not just the launcher."""

    def __init__(self, env=None, java_opts=None, data_dir=None, port=None):
        self.env = dict(env or {})
        self.java_opts = list(java_opts or [])
        self.data_dir = str(data_dir or tempfile.mkdtemp(prefix="polystack-test-"))
        self._own_data_dir = data_dir is None
        self.port = port or free_port()
        # USE_SSL=1 servers speak TLS with a self-signed certificate: checked by nobody here (verify=False).
        self.tls = self.env.get("USE_SSL", "").lower() in ("1", "true", "yes", "on")
        self.endpoint_url = f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"
        self.process = None
        self.log_path = os.path.join(self.data_dir, "server.log")

    def start(self, timeout=START_TIMEOUT):
        if self.running:
            return self
        env = dict(os.environ)
        env.pop("ENDPOINT_URL", None)
        env.update({"GATEWAY_LISTEN": f"127.0.0.1:{self.port}", "DATA_DIR": self.data_dir})
        env.update(self.env)
        if self.java_opts:
            env["JAVA_OPTS"] = " ".join(self.java_opts)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([str(LAUNCHER), "start"], cwd=str(ROOT), env=env, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        if self not in _STARTED:
            _STARTED.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Polystack exited with {self.process.returncode} while starting:\n{self.log_tail()}")
            try:
                if requests.get(self.endpoint_url + "/_localstack/health", timeout=2, verify=False).status_code == 200:
                    return self.wait_until_services_started()
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"Polystack did not answer within {timeout}s:\n{self.log_tail()}")

    def wait_until_services_started(self, timeout=READY_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            services = requests.get(self.endpoint_url + "/_localstack/health", timeout=10,
                                    verify=False).json().get("services", {})
            if "starting" not in services.values():
                return self
            time.sleep(0.5)
        raise RuntimeError(f"services still starting after {timeout}s:\n{self.log_tail()}")

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout=30):
        """SIGTERM, then wait (shutdown hooks run, state is saved). Returns the exit code. Whatever else of its
        process group is still running afterwards (a cache recording, a runtime) is killed."""
        if not self.running:
            self._kill_group()
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise RuntimeError(f"Polystack ignored SIGTERM for {timeout}s:\n{self.log_tail()}")
        finally:
            self._kill_group()

    def kill(self):
        """SIGKILL to the server and everything it started (no shutdown hooks)."""
        if self.process is None:
            return
        self._kill_group()
        self.process.wait()

    def _kill_group(self):
        # The group's id is the launcher's pid (start_new_session); it outlives the launcher while any member runs.
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def client(self, service, region_name="us-east-1", **kwargs):
        if self.tls:
            kwargs.setdefault("verify", False)
        return make_client(self.endpoint_url, service, region_name, **kwargs)

    def log_tail(self, lines=60):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return "(no log)"

    def cleanup(self):
        self.kill()
        if self._own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def _server_env_from_environment():
    return dict(item.split("=", 1) for item in shlex.split(os.environ.get("POLYSTACK_TEST_SERVER_ENV", ""))
                if "=" in item)


@pytest.fixture(scope="session")
def endpoint_url():
    external = os.environ.get("ENDPOINT_URL")
    if external:
        yield external.rstrip("/")
        return
    server = Server(env=_server_env_from_environment())
    server.start()
    try:
        yield server.endpoint_url
    finally:
        server.stop()
        server.cleanup()


@pytest.fixture(scope="session")
def aws_client(endpoint_url):
    def factory(service, region_name="us-east-1", **kwargs):
        return make_client(endpoint_url, service, region_name, **kwargs)
    return factory


class AwsCliError(Exception):
    def __init__(self, returncode, stderr):
        super().__init__(f"aws exited with {returncode}: {stderr.strip()}")
        self.returncode = returncode
        self.stderr = stderr


@pytest.fixture(scope="module")
def sqs(aws_client):
    return aws_client("sqs")


@pytest.fixture(scope="module")
def sns(aws_client):
    return aws_client("sns")


@pytest.fixture(scope="session")
def aws_cli(endpoint_url):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_PAGER="")
    env.pop("AWS_PROFILE", None)

    def run(*args, region="us-east-1", timeout=60):
        cmd = ["aws", "--endpoint-url", endpoint_url, "--region", region, "--output", "json", *map(str, args)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise AwsCliError(done.returncode, done.stderr)
        return json.loads(done.stdout) if done.stdout.strip() else {}
    return run


@pytest.fixture
def start_server():
    servers = []

    def factory(env=None, java_opts=None):
        server = Server(env=env, java_opts=java_opts)
        servers.append(server)
        return server.start()

    yield factory
    for server in servers:
        server.cleanup()


# Tests of a service that moto-hosted providers are known to fail carry
# @pytest.mark.moto_deviation("reason"); they are skipped, with that reason, when the shared server
# runs the service with moto (POLYSTACK_TEST_SERVER_ENV="PROVIDER_OVERRIDE_SQS=moto ...").
def pytest_configure(config):
    config.addinivalue_line("markers", "moto_deviation(reason, service='sqs'): known difference of the "
                                       "moto-hosted provider; skipped when the shared server uses moto for the service")


def pytest_collection_modifyitems(config, items):
    # The container tests run last: Podman's bridge networking (Testcontainers' port mappings) reloads the host's
    # firewall rules, which stalled the shared server's pooled loopback connections for the tests right after them.
    items.sort(key=lambda item: item.nodeid.startswith("tests/test_container.py") or "test_container.py::" in item.nodeid)
    server_env = _server_env_from_environment()
    for item in items:
        for mark in item.iter_markers("moto_deviation"):
            service = mark.kwargs.get("service", "sqs")
            if server_env.get(f"PROVIDER_OVERRIDE_{service.upper().replace('-', '_')}", "").lower() == "moto":
                reason = mark.args[0] if mark.args else mark.kwargs.get("reason", "")
                item.add_marker(pytest.mark.skip(reason=f"known moto deviation: {reason}"))
