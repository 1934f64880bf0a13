"""The container image, run with Podman the way users run LocalStack's: AWS CLI and boto3 against it (SQS, S3,
DynamoDB), an init hook creating a bucket before `Ready.`, persistence across a container restart with a volume,
a prompt stop on SIGTERM, and a moto-hosted service (the Python tier the image carries).

The image is built once per session by container/build-local.sh (no registry needed), under a name of this
checkout's own (several checkouts on one machine share Podman's image store), or taken from POLYSTACK_TEST_IMAGE. Needs root, podman and runc (.ci/run installs them); skipped when podman is missing.
Containers use the host's network with their own port (GATEWAY_LISTEN), which works with every Podman network
setup; Testcontainers' own port mapping is exercised by the Java test (container/testcontainers).
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import ROOT, free_port, make_client

PODMAN_MISSING = shutil.which("podman") is None
pytestmark = pytest.mark.skipif(PODMAN_MISSING, reason="podman is not installed (apt-get install -y podman runc)")

RUNTIME = os.environ.get("POLYSTACK_OCI_RUNTIME", "/usr/sbin/runc")
ENV = dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", str(ROOT / "container" / "containers.conf")))


def podman(*args, check=True, timeout=120):
    done = subprocess.run(["podman", "--runtime", RUNTIME, *map(str, args)], env=ENV, capture_output=True,
                          text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(map(str, args))} failed: {done.stderr[-2000:]}")
    return done


@pytest.fixture(scope="session")
def image():
    given = os.environ.get("POLYSTACK_TEST_IMAGE")
    if given:
        return given
    # "latest": Testcontainers' LocalStack module reads the tag as a version.
    tag = f"localhost/polystack-test-{hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]}:latest"
    done = subprocess.run([str(ROOT / "container" / "build-local.sh"), tag], env=ENV, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return tag


@pytest.fixture(scope="session")
def native_image():
    """The native-only image (container/build-local.sh TAG native: no Python tier), or POLYSTACK_TEST_NATIVE_IMAGE."""
    given = os.environ.get("POLYSTACK_TEST_NATIVE_IMAGE")
    if given:
        return given
    tag = f"localhost/polystack-test-{hashlib.sha1(str(ROOT).encode()).hexdigest()[:8]}:native"
    done = subprocess.run([str(ROOT / "container" / "build-local.sh"), tag, "native"], env=ENV, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return tag


class Container:
    """One `podman run -d` of the image on the host's network, on its own port."""

    def __init__(self, image, env=None, volumes=(), podman_args=()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = f"polystack-test-{uuid.uuid4().hex[:8]}"
        args = ["run", "-d", "--name", self.name, "--network", "host", "-e", f"GATEWAY_LISTEN=127.0.0.1:{self.port}"]
        for key, value in (env or {}).items():
            args += ["-e", f"{key}={value}"]
        for volume in volumes:
            args += ["-v", volume]
        args += list(podman_args)
        self.started = time.monotonic()
        podman(*args, image)
        self.ready_seconds = self.wait_ready()

    def logs(self):
        done = podman("logs", self.name, check=False)
        return done.stdout + done.stderr

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "Ready." in self.logs():
                return time.monotonic() - self.started
            state = podman("inspect", "--format", "{{.State.Running}}", self.name, check=False).stdout.strip()
            if state == "false":
                raise AssertionError(f"container exited while starting:\n{self.logs()[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"no Ready. within {timeout}s:\n{self.logs()[-3000:]}")

    def client(self, service):
        return make_client(self.url, service)

    def stop(self):
        """SIGTERM to the container's process 1 (the JVM, which the entry point execs): returns the seconds until
        that process was gone, and the container's exit code. Timed on the process itself, so the podman
        command's own start-up and clean-up are not counted."""
        pid = int(podman("inspect", "--format", "{{.State.Pid}}", self.name).stdout.strip())
        start = time.monotonic()
        os.kill(pid, 15)
        while _alive(pid) and time.monotonic() - start < 30:
            time.sleep(0.01)
        took = time.monotonic() - start
        podman("wait", self.name, timeout=60)
        code = int(podman("inspect", "--format", "{{.State.ExitCode}}", self.name).stdout.strip())
        return took, code

    def remove(self):
        podman("rm", "-f", "-v", self.name, check=False)  # -v: its anonymous /var/lib/localstack volume too


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def run(image):
    started = []

    def factory(**kwargs):
        container = Container(image, **kwargs)
        started.append(container)
        return container
    yield factory
    for container in started:
        container.remove()


def aws_cli(url, *args):
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_PAGER="")
    done = subprocess.run(["aws", "--endpoint-url", url, "--output", "json", *args], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else {}


def test_sqs_s3_and_dynamodb_through_boto3_and_the_cli(run):
    c = run()
    health = requests.get(c.url + "/_localstack/health", timeout=10).json()
    assert health["services"]["sqs"] in ("available", "running")
    assert requests.get(c.url + "/_localstack/info", timeout=10).json()["is_docker"] is True
    # The image's own health check, run as Docker would run it (Podman schedules it with systemd, absent here).
    assert podman("healthcheck", "run", c.name, check=False).returncode == 0

    sqs = c.client("sqs")
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="hello")
    assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"][0]["Body"] == "hello"
    assert any(u.endswith("/orders") for u in aws_cli(c.url, "sqs", "list-queues")["QueueUrls"])

    s3 = c.client("s3")
    s3.create_bucket(Bucket="files")
    s3.put_object(Bucket="files", Key="a.txt", Body=b"contents")
    assert s3.get_object(Bucket="files", Key="a.txt")["Body"].read() == b"contents"
    assert [o["Key"] for o in aws_cli(c.url, "s3api", "list-objects-v2", "--bucket", "files")["Contents"]] == ["a.txt"]

    dynamodb = c.client("dynamodb")
    dynamodb.create_table(TableName="users", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")
    dynamodb.put_item(TableName="users", Item={"id": {"S": "1"}, "name": {"S": "Ada"}})
    assert dynamodb.get_item(TableName="users", Key={"id": {"S": "1"}})["Item"]["name"] == {"S": "Ada"}
    assert "users" in aws_cli(c.url, "dynamodb", "list-tables")["TableNames"]


def test_a_ready_hook_creates_a_bucket_before_ready(run, tmp_path):
    hooks = tmp_path / "ready.d"
    hooks.mkdir()
    script = hooks / "01-bucket.sh"
    # What users do with awslocal, in plain curl (the image has bash and curl): an unsigned PUT goes to S3.
    script.write_text('#!/bin/bash\nset -e\ncurl -fsS -X PUT "$AWS_ENDPOINT_URL/made-by-hook" >/dev/null\n')
    script.chmod(0o755)
    c = run(volumes=[f"{hooks}:/etc/localstack/init/ready.d:Z"])
    # Ready. came after the hook: the bucket is there at once.
    c.client("s3").head_bucket(Bucket="made-by-hook")
    status = requests.get(c.url + "/_localstack/init", timeout=10).json()
    assert [(s["name"], s["state"]) for s in status["scripts"]] == [("01-bucket.sh", "SUCCESSFUL")]


def test_state_survives_a_restart_with_a_volume_and_sigterm_stops_it_within_2s(run):
    volume = f"polystack-test-{uuid.uuid4().hex[:8]}"
    podman("volume", "create", volume)
    try:
        first = run(env={"PERSISTENCE": "1"}, volumes=[f"{volume}:/var/lib/localstack"])
        sqs, s3 = first.client("sqs"), first.client("s3")
        queue = sqs.create_queue(QueueName="kept")["QueueUrl"]
        sqs.send_message(QueueUrl=queue, MessageBody="still here")
        s3.create_bucket(Bucket="kept-bucket")
        s3.put_object(Bucket="kept-bucket", Key="k", Body=b"v" * 5000)
        took, code = first.stop()
        assert took < 2.0, f"SIGTERM took {took:.2f}s"
        assert code in (0, 143), first.logs()[-2000:]

        second = run(env={"PERSISTENCE": "1"}, volumes=[f"{volume}:/var/lib/localstack"])
        sqs, s3 = second.client("sqs"), second.client("s3")
        queue = sqs.get_queue_url(QueueName="kept")["QueueUrl"]
        assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"][0]["Body"] == "still here"
        assert s3.get_object(Bucket="kept-bucket", Key="k")["Body"].read() == b"v" * 5000
    finally:
        for container in podman("ps", "-aq", "--filter", f"volume={volume}", check=False).stdout.split():
            podman("rm", "-f", "-v", container, check=False)
        podman("volume", "rm", "-f", volume, check=False)


def test_the_image_speaks_localstacks_conventions(image):
    inspected = json.loads(podman("image", "inspect", image).stdout)[0]
    config = inspected["Config"]
    assert "4566/tcp" in config["ExposedPorts"]
    assert "/var/lib/localstack" in config["Volumes"]
    health = inspected.get("Healthcheck") or config.get("Healthcheck")  # (where Podman puts it / Docker's place)
    assert health["Test"][-1] == "/opt/polystack/healthcheck.sh"
    env = dict(e.split("=", 1) for e in config["Env"])
    assert env["GATEWAY_LISTEN"] == "0.0.0.0:4566"
    assert env["DATA_DIR"] == "/var/lib/localstack"


@pytest.fixture(scope="session")
def podman_socket(tmp_path_factory):
    """Podman's Docker-compatible API on a unix socket of its own, as Testcontainers' DOCKER_HOST."""
    sock = tmp_path_factory.mktemp("podman-api") / "podman.sock"
    service = subprocess.Popen(["podman", "--runtime", RUNTIME, "system", "service", "--time=0", f"unix://{sock}"],
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not sock.exists():
            assert service.poll() is None and time.monotonic() < deadline, "podman system service did not start"
            time.sleep(0.1)
        yield f"unix://{sock}"
    finally:
        service.terminate()
        service.wait(30)


def test_testcontainers_localstack_module_starts_the_image(image, podman_socket):
    """Testcontainers' own LocalStack module (Java) with this image as a substitute for localstack/localstack:
    container/testcontainers/LocalStackModuleTest runs SQS, S3 and DynamoDB through the AWS SDK for Java v2."""
    env = dict(ENV, DOCKER_HOST=podman_socket, TESTCONTAINERS_RYUK_DISABLED="true",
               TESTCONTAINERS_CHECKS_DISABLE="true", POLYSTACK_IMAGE=image)
    done = subprocess.run([str(ROOT / "mvnw"), "-q", "-B", "-f", "container/testcontainers/pom.xml", "test"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_state_outgrowing_the_containers_memory_limit_gets_503_not_an_oom_kill(run):
    """Under a 512 MB limit (swap off) the JVM sizes its heap from the cgroup (half: 256 MB); SQS messages sent until
    refused get an AWS-shaped 503, the log says why, the container is not OOM-killed and still answers reads.
    (bench/memory_limit.py does the same with 1 GB and reports the figures.)"""
    c = run(podman_args=["--memory", "512m", "--memory-swap", "512m"])
    sqs = make_client(c.url, "sqs", config=Config(retries={"max_attempts": 1}, read_timeout=120))
    queue = sqs.create_queue(QueueName="fill")["QueueUrl"]
    body = "x" * (256 * 1024 - 16)
    refused = None
    for _ in range(4000):  # 1 GB: far more than a 256 MB heap holds
        try:
            sqs.send_message(QueueUrl=queue, MessageBody=body)
        except ClientError as e:
            refused = e.response
            break
    assert refused is not None, "1 GB of messages fit under a 512 MB limit?"
    assert refused["Error"]["Code"] == "ServiceUnavailable", refused
    assert refused["ResponseMetadata"]["HTTPStatusCode"] == 503
    heap = re.search(r"of (\d+) MB of heap", refused["Error"]["Message"])
    assert heap and 200 <= int(heap.group(1)) <= 256, refused["Error"]["Message"]  # the heap follows the limit
    # Either the guard saw the heap short after a collection and refused ("running out of memory"), or an allocation
    # outran it and the OutOfMemoryError was caught and answered with the same 503 ("ran out of memory serving").
    logs = c.logs()
    assert "running out of memory" in logs or "ran out of memory serving" in logs, logs
    state = podman("inspect", "--format", "{{.State.Running}} {{.State.OOMKilled}}", c.name).stdout.split()
    assert state == ["true", "false"], state
    assert sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1)["Messages"]
    assert "OutOfMemoryError" not in c.logs()


def test_a_moto_hosted_service_runs_in_the_image(run):
    """The Python tier the image carries (GraalPy, moto without what GraalPy cannot load): SES through moto."""
    c = run(env={"PROVIDER_OVERRIDE_SES": "moto", "EAGER_SERVICE_LOADING": "1"})
    # GraalPy imports moto in the background (about 20 s on a quiet 2-core box, minutes on a busy one).
    deadline = time.monotonic() + 900
    state = None
    while time.monotonic() < deadline:
        state = requests.get(c.url + "/_localstack/health", timeout=10).json()["services"].get("ses")
        if state not in ("starting", "available", None):
            break
        time.sleep(1)
    assert state == "running", c.logs()[-3000:]
    ses = c.client("ses")
    ses.verify_email_identity(EmailAddress="sender@example.com")
    assert ses.list_identities()["Identities"] == ["sender@example.com"]


def test_the_native_only_image_serves_native_services_and_says_python_tier_ones_are_not_in_it(native_image):
    """The native-only tag: no moto, GraalPy or Truffle inside, SQS, S3 and DynamoDB served natively, and a service
    only the Python tier serves (SES) answered with the documented AWS-shaped error, not a 500 or a hang."""
    listing = podman("run", "--rm", "--entrypoint", "/bin/bash", native_image, "-c",
                     "ls /opt/polystack/gateway/target/lib /opt/polystack/vendor; "
                     "test -s /opt/polystack/gateway/target/polystack.aot && echo cache-recorded").stdout.split()
    assert "cache-recorded" in listing
    assert not [j for j in listing if j.startswith(("python-language", "truffle-", "polyglot-", "bridge-"))], listing
    assert "moto" not in listing and "service-sqs-0.1.0-SNAPSHOT.jar" in listing

    c = Container(native_image)
    try:
        services = requests.get(c.url + "/_localstack/health", timeout=10).json()["services"]
        assert services["sqs"] in ("available", "running") and "ses" not in services
        sqs = c.client("sqs")
        queue = sqs.create_queue(QueueName="native")["QueueUrl"]
        sqs.send_message(QueueUrl=queue, MessageBody="hello")
        assert sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"][0]["Body"] == "hello"
        s3 = c.client("s3")
        s3.create_bucket(Bucket="native-bucket")
        s3.put_object(Bucket="native-bucket", Key="k", Body=b"native")
        assert s3.get_object(Bucket="native-bucket", Key="k")["Body"].read() == b"native"
        dynamodb = c.client("dynamodb")
        dynamodb.create_table(TableName="native", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST")
        dynamodb.put_item(TableName="native", Item={"id": {"S": "1"}})
        assert dynamodb.get_item(TableName="native", Key={"id": {"S": "1"}})["Item"] == {"id": {"S": "1"}}

        ses = make_client(c.url, "ses", config=Config(retries={"max_attempts": 1}))
        with pytest.raises(ClientError) as e:
            ses.list_identities()
        error = e.value.response
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 501 and error["Error"]["Code"] == "NotImplemented"
        assert error["Error"]["Message"].startswith("Service 'ses' is not available in this image: "), error
        assert "Use the full image" in error["Error"]["Message"]
    finally:
        c.remove()
