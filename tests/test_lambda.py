"""Native Lambda end to end: functions created with boto3 and run as local processes (python3, node), no Docker."""
import base64
import json
import time

import pytest

from helpers import error_of, unique
from lambda_helpers import ROLE, ECHO_PY, functions, lambda_client, zip_of  # noqa: F401  (fixtures)


def invoke(client, name, event=None, **kwargs):
    answer = client.invoke(FunctionName=name, Payload=json.dumps(event if event is not None else {}), **kwargs)
    payload = answer["Payload"].read()
    return answer, (json.loads(payload) if payload else None)


# ---------------------------------------------------------------- function API

def test_create_get_update_delete(lambda_client, functions):
    name, created = functions.create(Timeout=5, MemorySize=256, Environment={"Variables": {}})
    assert created["State"] == "Pending"
    assert created["StateReasonCode"] == "Creating"
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert created["Version"] == "$LATEST"
    assert created["PackageType"] == "Zip"
    assert created["Architectures"] == ["x86_64"]
    assert created["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}

    got = lambda_client.get_function(FunctionName=name)
    config = got["Configuration"]
    assert config["State"] == "Active" and config["LastUpdateStatus"] == "Successful"
    assert config["CodeSha256"] == created["CodeSha256"]
    assert got["Code"]["RepositoryType"] == "S3"

    updated = lambda_client.update_function_configuration(FunctionName=name, Description="changed", Timeout=10,
                                                          Environment={"Variables": {"ENV_A": "a"}})
    assert updated["LastUpdateStatus"] == "InProgress"
    lambda_client.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1})
    config = lambda_client.get_function_configuration(FunctionName=name)
    assert config["Description"] == "changed" and config["Timeout"] == 10
    assert config["Environment"] == {"Variables": {"ENV_A": "a"}}
    assert config["LastUpdateStatus"] == "Successful"

    code = lambda_client.update_function_code(FunctionName=name, ZipFile=zip_of({"index.py": ECHO_PY + "# v2\n"}))
    assert code["CodeSha256"] != created["CodeSha256"]

    names = [f["FunctionName"] for f in lambda_client.get_paginator("list_functions").paginate().build_full_result()["Functions"]]
    assert name in names

    assert lambda_client.delete_function(FunctionName=name)["ResponseMetadata"]["HTTPStatusCode"] == 204
    error, status = error_of(lambda_client.get_function, FunctionName=name)
    assert status == 404 and error["Code"] == "ResourceNotFoundException"
    assert error["Message"] == f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}"


def test_code_location_downloads_the_package(lambda_client, functions, endpoint_url):
    import requests
    package = zip_of({"index.py": ECHO_PY})
    name, _ = functions.create(files={"index.py": ECHO_PY})
    location = lambda_client.get_function(FunctionName=name)["Code"]["Location"]
    path = location.split("/", 3)[3]
    assert requests.get(f"{endpoint_url}/{path}", timeout=10).content == package


def test_create_errors(lambda_client, functions):
    name, _ = functions.create()
    error, status = error_of(lambda_client.create_function, FunctionName=name, Runtime="python3.12", Role=ROLE,
                             Handler="index.handler", Code={"ZipFile": zip_of({"index.py": ECHO_PY})})
    assert status == 409 and error["Code"] == "ResourceConflictException"
    assert error["Message"] == f"Function already exist: {name}"

    error, status = error_of(lambda_client.create_function, FunctionName=unique("fn"), Runtime="non-existent-runtime",
                             Role=ROLE, Handler="index.handler", Code={"ZipFile": zip_of({"index.py": ECHO_PY})})
    assert status == 400 and error["Code"] == "InvalidParameterValueException"
    assert error["Message"].startswith("Value non-existent-runtime at 'runtime' failed to satisfy constraint: "
                                       "Member must satisfy enum value set: [nodejs20.x, python3.14")

    error, status = error_of(lambda_client.create_function, FunctionName=unique("fn"), Runtime="python3.12",
                             Role="r1", Handler="index.handler", Code={"ZipFile": zip_of({"index.py": ECHO_PY})})
    assert status == 400 and error["Code"] == "ValidationException"
    assert error["Message"].startswith("1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint")

    error, status = error_of(lambda_client.create_function, FunctionName=unique("fn"), Runtime="python3.12",
                             Role=ROLE, Handler="index.handler", Code={"ZipFile": b"not a zip"})
    assert status == 400 and error["Code"] == "InvalidParameterValueException"
    assert error["Message"] == "Could not unzip uploaded file. Please check your file, then try to upload again."


def test_qualifier_mismatch_and_missing_version(lambda_client, functions):
    name, _ = functions.create()
    error, status = error_of(lambda_client.get_function, FunctionName=f"{name}:1", Qualifier="2")
    assert status == 400
    assert error["Message"] == "The derived qualifier from the function name does not match the specified qualifier."
    error, status = error_of(lambda_client.get_function, FunctionName=name, Qualifier="1221")
    assert status == 404
    assert error["Message"] == f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}:1221"


# ---------------------------------------------------------------- invoke

def test_invoke_python_returns_event_and_tail_log(lambda_client, functions):
    source = "def handler(event, context):\n    print('hello from', context.function_name)\n    return {'got': event}\n"
    name, _ = functions.create(files={"index.py": source})
    answer, payload = invoke(lambda_client, name, {"a": 1}, LogType="Tail")
    assert answer["StatusCode"] == 200
    assert payload == {"got": {"a": 1}}
    assert answer["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in answer
    log = base64.b64decode(answer["LogResult"]).decode()
    assert f"hello from {name}" in log
    assert "START RequestId: " in log and "END RequestId: " in log and "REPORT RequestId: " in log
    # warm: the second invocation reuses the environment and sees the same module state
    answer, payload = invoke(lambda_client, name, {"b": 2})
    assert payload == {"got": {"b": 2}}


def test_invoke_node(lambda_client, functions):
    source = ("exports.handler = async (event, context) => {\n"
              "  console.log('node says hi');\n"
              "  return { node: process.version.startsWith('v'), event, fn: context.functionName };\n};\n")
    name, _ = functions.create(files={"index.js": source}, runtime="nodejs20.x")
    answer, payload = invoke(lambda_client, name, {"x": "y"}, LogType="Tail")
    assert payload == {"node": True, "event": {"x": "y"}, "fn": name}
    assert "node says hi" in base64.b64decode(answer["LogResult"]).decode()


def test_environment_is_awss(lambda_client, functions):
    source = ("import os\n"
              "def handler(event, context):\n"
              "    keys = ['AWS_LAMBDA_FUNCTION_NAME', 'AWS_REGION', '_HANDLER', 'LAMBDA_TASK_ROOT', 'MY_VAR',\n"
              "            'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_ENDPOINT_URL']\n"
              "    return {k: os.environ.get(k) for k in keys} | {'remaining': context.get_remaining_time_in_millis(),\n"
              "        'cwd_is_task_root': os.getcwd() == os.environ['LAMBDA_TASK_ROOT'],\n"
              "        'has_key': bool(os.environ.get('AWS_ACCESS_KEY_ID'))}\n")
    name, _ = functions.create(files={"index.py": source}, Environment={"Variables": {"MY_VAR": "mine"}},
                               MemorySize=256, Timeout=7)
    _, env = invoke(lambda_client, name)
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == name
    assert env["AWS_REGION"] == "us-east-1"
    assert env["_HANDLER"] == "index.handler"
    assert env["MY_VAR"] == "mine"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert env["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    assert 0 < env["remaining"] <= 7000
    assert env["cwd_is_task_root"] and env["has_key"]


def test_function_error(lambda_client, functions):
    source = "def handler(event, context):\n    raise Exception('Handler fails')\n"
    name, _ = functions.create(files={"index.py": source})
    answer, payload = invoke(lambda_client, name)
    assert answer["StatusCode"] == 200 and answer["FunctionError"] == "Unhandled"
    assert payload["errorMessage"] == "Handler fails" and payload["errorType"] == "Exception"
    assert payload["requestId"] and payload["stackTrace"]
    assert "line 2, in handler" in payload["stackTrace"][0]


def test_node_function_error(lambda_client, functions):
    source = "exports.handler = async () => { throw new TypeError('bad node'); };\n"
    name, _ = functions.create(files={"index.js": source}, runtime="nodejs20.x")
    answer, payload = invoke(lambda_client, name)
    assert answer["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "TypeError" and payload["errorMessage"] == "bad node"


def test_import_error_then_fixed_code_works(lambda_client, functions):
    name, _ = functions.create(files={"other.py": ECHO_PY})
    answer, payload = invoke(lambda_client, name)
    assert answer["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.ImportModuleError"
    assert payload["errorMessage"] == "Unable to import module 'index': No module named 'index'"

    name2, _ = functions.create(files={"index.py": "x = 1\n"})
    answer, payload = invoke(lambda_client, name2)
    assert payload["errorType"] == "Runtime.HandlerNotFound"
    assert payload["errorMessage"] == "Handler 'handler' missing on module 'index'"

    lambda_client.update_function_code(FunctionName=name, ZipFile=zip_of({"index.py": ECHO_PY}))
    lambda_client.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1})
    answer, payload = invoke(lambda_client, name, {"fixed": True})
    assert "FunctionError" not in answer and payload == {"fixed": True}


def test_timeout_then_next_invoke_works(lambda_client, functions):
    source = ("import time\n"
              "def handler(event, context):\n"
              "    if event.get('sleep'):\n"
              "        print('going to sleep')\n"
              "        time.sleep(30)\n"
              "    return 'awake'\n")
    name, _ = functions.create(files={"index.py": source}, Timeout=1)
    started = time.monotonic()
    answer, payload = invoke(lambda_client, name, {"sleep": True}, LogType="Tail")
    assert time.monotonic() - started < 10
    assert answer["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Sandbox.Timedout"
    assert payload["errorMessage"].endswith("Error: Task timed out after 1.00 seconds")
    log = base64.b64decode(answer["LogResult"]).decode()
    assert "going to sleep" in log and "Task timed out after 1.00 seconds" in log
    answer, payload = invoke(lambda_client, name, {})
    assert payload == "awake"


def test_crash_is_runtime_exit_error_then_next_invoke_works(lambda_client, functions):
    source = ("import os\n"
              "def handler(event, context):\n"
              "    if event.get('crash'):\n"
              "        os._exit(3)\n"
              "    return 'alive'\n")
    name, _ = functions.create(files={"index.py": source})
    answer, payload = invoke(lambda_client, name, {"crash": True})
    assert answer["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.ExitError"
    assert payload["errorMessage"].endswith("Error: Runtime exited with error: exit status 3")
    _, payload = invoke(lambda_client, name)
    assert payload == "alive"


def test_invalid_payload_and_dry_run(lambda_client, functions):
    name, _ = functions.create()
    error, status = error_of(lambda_client.invoke, FunctionName=name, Payload=b"{not json")
    assert status == 400 and error["Code"] == "InvalidRequestContentException"
    assert error["Message"].startswith("Could not parse request body into json: Could not parse payload into json: ")
    answer = lambda_client.invoke(FunctionName=name, InvocationType="DryRun")
    assert answer["StatusCode"] == 204
    error, status = error_of(lambda_client.invoke, FunctionName=unique("missing"), Payload=b"{}")
    assert status == 404 and error["Code"] == "ResourceNotFoundException"


def test_concurrent_invokes_start_more_environments(lambda_client, functions):
    from concurrent.futures import ThreadPoolExecutor
    source = ("import os, time\n"
              "def handler(event, context):\n"
              "    time.sleep(0.5)\n"
              "    return os.getpid()\n")
    name, _ = functions.create(files={"index.py": source})
    with ThreadPoolExecutor(4) as pool:
        pids = list(pool.map(lambda i: invoke(lambda_client, name)[1], range(4)))
    assert len(set(pids)) == 4
    # warm environments are reused afterwards
    assert invoke(lambda_client, name)[1] in pids


def test_reserved_concurrency_zero_throttles(lambda_client, functions):
    name, _ = functions.create()
    assert lambda_client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)[
        "ReservedConcurrentExecutions"] == 0
    error, status = error_of(lambda_client.invoke, FunctionName=name, Payload=b"{}")
    assert status == 429 and error["Code"] == "TooManyRequestsException"
    lambda_client.delete_function_concurrency(FunctionName=name)
    assert invoke(lambda_client, name, {"ok": 1})[1] == {"ok": 1}
