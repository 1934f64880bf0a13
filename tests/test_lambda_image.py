"""Native Lambda's PackageType Image: with LAMBDA_CONTAINER_ENGINE set, the function's image runs in a container
(Podman with runc here) on the host's network, its runtime interface client talking to the environment's own Lambda
Runtime API, layers mounted at /opt, ImageConfig's overrides applied, and a container that outlives its timeout
killed. The image is built offline from this machine's own programs (container/make-base.sh: bash, curl and their
libraries) plus a bash bootstrap, imported with `podman import`. Skipped, with the reason, when Podman is missing."""
import base64
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import uuid

import pytest

from conftest import ROOT, Server
from lambda_helpers import ROLE, lambda_client, zip_of  # noqa: F401  (fixture)

needs_podman = pytest.mark.skipif(shutil.which("podman") is None,
                                  reason="podman is not installed (apt-get install -y podman runc)")

RUNTIME = os.environ.get("POLYSTACK_OCI_RUNTIME", "/usr/sbin/runc")
CONTAINERS_CONF = os.environ.get("CONTAINERS_CONF", str(ROOT / "container" / "containers.conf"))
ENV = dict(os.environ, CONTAINERS_CONF=CONTAINERS_CONF)

# A custom runtime in bash: takes each event from the Runtime API and answers with what it saw. {"sleep": N} sleeps.
BOOTSTRAP = """#!/bin/bash
set -uo pipefail
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
echo "bootstrap started with args: $*"
while true; do
  headers=$(mktemp)
  event=$(curl -sS -D "$headers" "$api/invocation/next")
  id=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | cut -d' ' -f2 | tr -d '\\r\\n')
  rm -f "$headers"
  echo "handling $id"
  seconds=$(echo "$event" | grep -o '"sleep": *[0-9]*' | grep -o '[0-9]*$' || true)
  [ -n "$seconds" ] && sleep "$seconds"
  word=$(cat /opt/word.txt 2>/dev/null || echo none)
  body="{\\"event\\": $event, \\"function\\": \\"$AWS_LAMBDA_FUNCTION_NAME\\", \\"opt\\": \\"$word\\", \\"args\\": \\"$*\\", \\"cwd\\": \\"$(pwd)\\"}"
  curl -sS -X POST "$api/invocation/$id/response" -d "$body" > /dev/null
done
"""


def podman(*args, check=True, timeout=300):
    done = subprocess.run(["podman", "--runtime", RUNTIME, *map(str, args)], env=ENV, capture_output=True,
                          text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"podman {' '.join(map(str, args))} failed: {done.stderr[-2000:]}")
    return done


@pytest.fixture(scope="module")
def image():
    tag = f"localhost/polystack-lambda-test:{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.tar")
        done = subprocess.run([str(ROOT / "container" / "make-base.sh"), base], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        with tarfile.open(base, "a") as tar:
            data = BOOTSTRAP.encode()
            info = tarfile.TarInfo("./bootstrap")
            info.size, info.mode = len(data), 0o755
            tar.addfile(info, io.BytesIO(data))
            workdir = tarfile.TarInfo("./work")
            workdir.type, workdir.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(workdir)
        podman("import", "--change", 'ENTRYPOINT ["/bootstrap"]', base, tag)
    yield tag
    podman("rmi", "-f", tag, check=False)


def image_server():
    return Server(env={"LAMBDA_CONTAINER_ENGINE": f"podman --runtime {RUNTIME}", "CONTAINERS_CONF": CONTAINERS_CONF,
                       "LAMBDA_LOGS_TO_CLOUDWATCH": "0"})


@pytest.fixture(scope="module")
def server(image):
    srv = image_server()
    srv.start()
    yield srv
    srv.cleanup()


def image_digest(uri):
    """The image's digest as the engine reports it, without its sha256: prefix."""
    digest = podman("image", "inspect", "--format", "{{.Digest}}", uri).stdout.strip()
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest), digest
    return digest.removeprefix("sha256:")


def lambda_containers(srv):
    """The names of the containers of `srv`'s image functions (named polystack-lambda-<port>-<id>)."""
    prefix = f"polystack-lambda-{srv.port}-"
    names = podman("ps", "-a", "--format", "{{.Names}}", "--filter", f"name=^{prefix}").stdout.split()
    return [n for n in names if n.startswith(prefix)]


@needs_podman
def test_image_function_runs_in_a_container_with_its_layers_at_opt(server, image):
    client = server.client("lambda")
    layer = client.publish_layer_version(LayerName="image-layer", Content={"ZipFile": zip_of({"word.txt": "layered"})})
    created = client.create_function(FunctionName="from-image", PackageType="Image", Role=ROLE, Timeout=30,
                                     Code={"ImageUri": image}, Layers=[layer["LayerVersionArn"]],
                                     ImageConfig={"Command": ["from-config"], "WorkingDirectory": "/work"})
    assert created["PackageType"] == "Image" and "Runtime" not in created and "Handler" not in created
    client.get_waiter("function_active_v2").wait(FunctionName="from-image", WaiterConfig={"Delay": 1})
    got = client.get_function(FunctionName="from-image")
    assert got["Code"]["RepositoryType"] == "ECR" and got["Code"]["ImageUri"] == image
    # AWS names an image function's code by its image's digest: CodeSha256 is the digest's hex, and
    # ResolvedImageUri the repository (the URI without its tag) at that digest.
    digest = image_digest(image)
    assert created["CodeSha256"] == digest and got["Configuration"]["CodeSha256"] == digest
    assert got["Code"]["ResolvedImageUri"] == image.rsplit(":", 1)[0] + "@sha256:" + digest
    assert got["Configuration"]["ImageConfigResponse"]["ImageConfig"] == {"Command": ["from-config"],
                                                                          "WorkingDirectory": "/work"}
    answer = client.invoke(FunctionName="from-image", Payload=b'{"hello": "image"}', LogType="Tail")
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    payload = json.loads(answer["Payload"].read())
    assert payload == {"event": {"hello": "image"}, "function": "from-image", "opt": "layered",
                       "args": "from-config", "cwd": "/work"}
    assert "START RequestId: " + answer["ResponseMetadata"]["RequestId"] in base64.b64decode(answer["LogResult"]).decode()
    # warm: the same container answers again
    again = json.loads(client.invoke(FunctionName="from-image", Payload=b'{"n": 2}')["Payload"].read())
    assert again["event"] == {"n": 2}
    assert len(lambda_containers(server)) == 1


@needs_podman
def test_a_timed_out_container_is_killed_and_the_next_invoke_works(server, image):
    client = server.client("lambda")
    client.create_function(FunctionName="slow-image", PackageType="Image", Role=ROLE, Timeout=2,
                           Code={"ImageUri": image})
    client.get_waiter("function_active_v2").wait(FunctionName="slow-image", WaiterConfig={"Delay": 1})
    before = set(lambda_containers(server))
    answer = client.invoke(FunctionName="slow-image", Payload=b'{"sleep": 30}')
    assert answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert error["errorType"] == "Sandbox.Timedout" and error["errorMessage"].endswith("Task timed out after 2.00 seconds")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and set(lambda_containers(server)) - before:
        time.sleep(0.5)
    assert not set(lambda_containers(server)) - before, "the timed-out container still exists"
    answer = client.invoke(FunctionName="slow-image", Payload=b'{"after": "timeout"}')
    assert json.loads(answer["Payload"].read())["event"] == {"after": "timeout"}


@needs_podman
def test_image_uris_are_checked_against_the_engine_and_code_updates_keep_their_package_type(server, image):
    client = server.client("lambda")
    missing = image.rsplit(":", 1)[0] + ":no-such-tag"
    with pytest.raises(client.exceptions.InvalidParameterValueException) as e:
        client.create_function(FunctionName="missing-image", PackageType="Image", Role=ROLE, Code={"ImageUri": missing})
    assert e.value.response["Error"]["Message"] == f"Source image {missing} does not exist. Provide a valid source image."
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_function(FunctionName="missing-image")

    client.create_function(FunctionName="image-updates", PackageType="Image", Role=ROLE, Code={"ImageUri": image})
    with pytest.raises(client.exceptions.InvalidParameterValueException) as e:
        client.update_function_code(FunctionName="image-updates", ZipFile=zip_of({"x.py": ""}))
    assert e.value.response["Error"]["Message"] == ("Please provide ImageUri when updating a function with "
                                                    "packageType Image.")
    with pytest.raises(client.exceptions.InvalidParameterValueException) as e:
        client.update_function_code(FunctionName="image-updates", ImageUri=missing)
    assert e.value.response["Error"]["Message"] == f"Source image {missing} does not exist. Provide a valid source image."
    # Re-tagged under a new name: same digest, so the same CodeSha256 (AWS's answer for an unchanged image).
    other = image.rsplit(":", 1)[0] + ":retagged"
    podman("tag", image, other)
    try:
        updated = client.update_function_code(FunctionName="image-updates", ImageUri=other)
        assert updated["CodeSha256"] == image_digest(other)
        assert client.get_function(FunctionName="image-updates")["Code"]["ImageUri"] == other
    finally:
        podman("rmi", other, check=False)

    client.create_function(FunctionName="zip-updates", Runtime="python3.12", Role=ROLE, Handler="x.handler",
                           Code={"ZipFile": zip_of({"x.py": "def handler(e, c):\n    return e\n"})})
    with pytest.raises(client.exceptions.InvalidParameterValueException) as e:
        client.update_function_code(FunctionName="zip-updates", ImageUri=image)
    assert e.value.response["Error"]["Message"] == ("Please don't provide ImageUri when updating a function with "
                                                    "packageType Zip.")


@needs_podman
def test_containers_are_removed_at_shutdown(image):
    srv = image_server()
    srv.start()
    try:
        client = srv.client("lambda")
        client.create_function(FunctionName="stopped-image", PackageType="Image", Role=ROLE, Code={"ImageUri": image})
        client.get_waiter("function_active_v2").wait(FunctionName="stopped-image", WaiterConfig={"Delay": 1})
        client.invoke(FunctionName="stopped-image", Payload=b"{}")
        running = lambda_containers(srv)
        assert running
        srv.stop()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and lambda_containers(srv):
            time.sleep(0.5)
        assert not lambda_containers(srv)
    finally:
        srv.cleanup()


def test_image_functions_are_refused_without_a_container_engine(lambda_client):
    with pytest.raises(lambda_client.exceptions.InvalidParameterValueException) as e:
        lambda_client.create_function(FunctionName="no-engine", PackageType="Image", Role=ROLE,
                                      Code={"ImageUri": "localhost/whatever:1"})
    assert "PackageType Image is not supported" in e.value.response["Error"]["Message"]
