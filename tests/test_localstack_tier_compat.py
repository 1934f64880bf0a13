"""The LocalStack tier's own parts that need no LocalStack checkout: the stand-ins of
python-services/polystack_bridge/standins.py and localstack_compat.py (run here under CPython in a child
process, so this test session's modules stay untouched), and the argument handling of
``./polystack vendor localstack``."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "python-services"


def run_python(code):
    """Runs code with python-services first on the path and no site-packages (as bare as GraalPy's path)."""
    prelude = f"import sys; sys.path.insert(0, {str(SERVICES)!r})\n"
    done = subprocess.run([sys.executable, "-S", "-c", prelude + code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_stand_ins_exist_only_for_missing_packages():
    out = run_python(
        "from polystack_bridge import standins; standins.install()\n"
        "import json, semver, dnslib, readerwriterlock.rwlock as rw, crontab, cbor2._decoder\n"
        "from dnslib import DNSRecord\n"
        "print(json.dumps({'used': sorted(standins.USED), 'record': DNSRecord.__name__}))")
    assert out["record"] == "DNSRecord"
    assert {"semver", "dnslib", "readerwriterlock", "crontab", "cbor2"} <= set(out["used"])


def test_placeholder_names_fail_clearly_when_used():
    out = run_python(
        "from polystack_bridge import standins; standins.install()\n"
        "import json\nfrom dnslib import DNSRecord\n"
        "try:\n    DNSRecord().question('x')\n    print(json.dumps('no error'))\n"
        "except NotImplementedError as e:\n    print(json.dumps(str(e)))")
    assert "not available in Polystack" in out


def test_semver_stand_in_orders_versions():
    out = run_python(
        "from polystack_bridge import standins; standins.install()\n"
        "import json, semver\nV = semver.VersionInfo\n"
        "print(json.dumps([V.parse('1.2.3') < V.parse('1.10.0'), V.parse('2.0.0-rc1') < '2.0.0',"
        " str(V.parse('3.4.5-beta+b7')), V.parse('1.2.3') == '1.2.3', V.is_valid('1.x')]))")
    assert out == [True, True, "3.4.5-beta+b7", True, False]


def test_readerwriterlock_stand_in_locks():
    out = run_python(
        "from polystack_bridge import standins; standins.install()\n"
        "import json\nfrom readerwriterlock import rwlock\n"
        "lock = rwlock.RWLockWrite()\n"
        "with lock.gen_wlock():\n    inner = lock.gen_rlock().acquire(blocking=False)\n"
        "print(json.dumps(inner))")
    assert out is True  # re-entrant for the same thread


def test_pydantic_stand_in_when_its_core_cannot_load():
    out = run_python(
        "import sys, json\nsys.modules['pydantic_core'] = None  # as under GraalPy: the Rust core cannot load\n"
        "from polystack_bridge import standins; standins.install()\n"
        "from pydantic import BaseModel, RootModel, Field, model_validator\n"
        "from pydantic.dataclasses import dataclass\n"
        "class M(BaseModel):\n    a: int\n"
        "    @model_validator(mode='before')\n    @classmethod\n"
        "    def add(cls, data):\n        return dict(data, b=2)\n"
        "class R(RootModel[dict]):\n    pass\n"
        "@dataclass\nclass D:\n    x: float = Field(0.5, gt=0)\n"
        "m = M.model_validate_json('{\"a\": 1}')\n"
        "print(json.dumps([m.a, m.b, R.model_validate({'k': 'v'}).root, D().x, m.model_dump()]))")
    assert out == [1, 2, {"k": "v"}, 0.5, {"a": 1, "b": 2}]


def test_python_313_lock_type_and_time():
    out = run_python(
        "import json, threading, time\nfrom polystack_bridge import localstack_compat\n"
        "localstack_compat.apply()\n"
        "lock = threading.Lock()\n"
        "with lock:\n    held = lock.locked()\n"
        "print(json.dumps([isinstance(threading.Lock, type), str(threading.Lock | None), held,"
        " abs(time.time() - time.time_ns() / 1e9) < 1]))")
    assert out[0] is True and "None" in out[1] and out[2] is True and out[3] is True


def test_microsecond_clock_advances_within_a_millisecond():
    out = run_python(
        "import json, time\nfrom polystack_bridge import localstack_compat\n"
        "clock = localstack_compat._microsecond_time()\n"
        "a = clock(); b = clock()\n"
        "print(json.dumps([b >= a, a != round(a, 3) or b != round(b, 3), abs(a - time.time()) < 1]))")
    assert out == [True, True, True]


def test_pydantic_stand_in_has_pydantic_1_names_for_the_sam_translator():
    out = run_python(
        "import sys, json\nsys.modules['pydantic_core'] = None\n"
        "from polystack_bridge import standins; standins.install()\n"
        "from pydantic import v1 as pydantic\n"
        "class M(pydantic.BaseModel):\n    class Config:\n        extra = pydantic.Extra.forbid\n"
        "print(json.dumps([pydantic.Extra.forbid, pydantic.constr(min_length=1) is str,"
        " issubclass(pydantic.error_wrappers.ValidationError, ValueError)]))")
    assert out == ["forbid", True, True]


def test_rpds_stand_in_is_immutable_and_returns_changed_copies():
    out = run_python(
        "import sys, json\nsys.modules['rpds'] = None  # as under GraalPy: rpds-py is a Rust extension\n"
        "from polystack_bridge import standins; standins.install()\n"
        "from rpds import HashTrieMap, HashTrieSet, List\n"
        "m = HashTrieMap({'a': 1}); m2 = m.insert('b', 2).remove('a'); m3 = m.update({'c': 3}, d=4)\n"
        "try:\n    m['x'] = 1\n    mutable = True\nexcept TypeError:\n    mutable = False\n"
        "s = HashTrieSet(); s2 = s.insert(1).insert(2).discard(1)\n"
        "l = List().push_front(2).push_front(1)\n"
        "print(json.dumps([dict(m), dict(m2), sorted(m3), mutable, HashTrieMap.convert({'k': 1}) == {'k': 1},"
        " len(s), sorted(s2), list(l), l.first, list(l.rest), hash(m) == hash(HashTrieMap({'a': 1}))]))")
    assert out == [{"a": 1}, {"b": 2}, ["a", "c", "d"], False, True, 0, [2], [1, 2], 1, [2], True]


def test_deferred_imports_run_a_package_init_and_a_function_module_late(tmp_path):
    # Stand-ins for moto.batch (whose __init__ imports the heavy models) and the SAM translator's transform module.
    batch = tmp_path / "moto" / "batch"
    batch.mkdir(parents=True)
    (tmp_path / "moto" / "__init__.py").write_text("")
    (batch / "__init__.py").write_text("import builtins\nbuiltins.BATCH_INIT = True\nfrom .models import backends\n")
    (batch / "models.py").write_text("backends = {'batch': 1}\n")
    (batch / "utils.py").write_text("import enum\nclass JobStatus(str, enum.Enum):\n    SUCCEEDED = 'SUCCEEDED'\n")
    transform = tmp_path / "samtranslator" / "translator"
    transform.mkdir(parents=True)
    (tmp_path / "samtranslator" / "__init__.py").write_text("")
    (transform / "__init__.py").write_text("")
    (transform / "transform.py").write_text("import builtins\nbuiltins.SAM_LOADED = True\n"
                                            "def transform(template, params, loader):\n    return {'sam': template}\n")
    out = run_python(
        f"import sys, json, builtins\nsys.path.insert(0, {str(tmp_path)!r})\n"
        "from polystack_bridge import localstack_compat\nlocalstack_compat.apply()\n"
        "from moto.batch.utils import JobStatus\n"
        "from samtranslator.translator.transform import transform\n"
        "before = [hasattr(builtins, 'BATCH_INIT'), hasattr(builtins, 'SAM_LOADED')]\n"
        "import moto.batch\nbackends = moto.batch.backends\n"
        "result = transform('t', {}, None)\n"
        "print(json.dumps(before + [JobStatus.SUCCEEDED.value, backends, hasattr(builtins, 'BATCH_INIT'), result,"
        " hasattr(builtins, 'SAM_LOADED')]))")
    assert out == [False, False, "SUCCEEDED", {"batch": 1}, True, {"sam": "t"}, True]


def test_cloudformation_resource_plugins_are_read_from_the_source(tmp_path):
    package = tmp_path / "localstack"
    generated = package / "services" / "sqs" / "resource_providers" / "generated"
    generated.mkdir(parents=True)
    (generated / "aws_sqs_queue_plugin.py").write_text(
        "from localstack.services.cloudformation.resource_provider import CloudFormationResourceProviderPlugin\n\n\n"
        "class SQSQueueProviderPlugin(CloudFormationResourceProviderPlugin):\n    name = \"AWS::SQS::Queue\"\n")
    plain = package / "services" / "ec2" / "resource_providers"
    plain.mkdir(parents=True)
    (plain / "aws_ec2_vpc_plugin.py").write_text(
        "class EC2VPCProviderPlugin(CloudFormationResourceProviderPlugin):\n    name = \"AWS::EC2::VPC\"\n")
    (plain / "aws_ec2_vpc.py").write_text("class NotAPlugin:\n    name = \"AWS::EC2::Nothing\"\n")
    out = run_python(
        "import json\nfrom polystack_bridge import localstack_compat\n"
        f"print(json.dumps(localstack_compat.cloudformation_resource_plugins({str(package)!r})))")
    assert out == {
        "AWS::SQS::Queue": ["localstack.services.sqs.resource_providers.generated.aws_sqs_queue_plugin",
                            "SQSQueueProviderPlugin"],
        "AWS::EC2::VPC": ["localstack.services.ec2.resource_providers.aws_ec2_vpc_plugin", "EC2VPCProviderPlugin"],
    }


def test_tree_codec_sends_dict_views_as_lists():
    out = run_python(
        "import json\nfrom polystack_bridge import treecodec\n"
        "print(treecodec.dumps({'Exports': {'a': {'Name': 'a'}}.values(), 'Keys': {'k': 1}.keys()}))")
    assert out == {"Exports": [{"Name": "a"}], "Keys": ["k"]}


def vendor(*args):
    return subprocess.run([str(ROOT / "polystack"), "vendor", *args], capture_output=True, text=True, timeout=60)


def test_vendor_command_usage():
    done = vendor()
    assert done.returncode == 2 and "usage: ./polystack vendor localstack" in done.stderr
    done = vendor("nothing-else")
    assert done.returncode == 2


def test_vendor_rejects_a_missing_source_folder(tmp_path):
    done = vendor("localstack", "--from", str(tmp_path / "absent"), "--target", str(tmp_path / "out"))
    assert done.returncode == 2 and "no such folder" in done.stderr


def test_vendor_copies_source_checkouts_without_the_index(tmp_path):
    """--from takes LocalStack's layout (localstack-core/localstack) and a dependency's (one top-level package)."""
    ls = tmp_path / "ls" / "localstack-core" / "localstack" / "services"
    ls.mkdir(parents=True)
    (ls.parent / "__init__.py").write_text("")
    (ls / "providers.py").write_text("")
    dep = tmp_path / "dep"
    (dep / "rolo").mkdir(parents=True)
    (dep / "rolo" / "__init__.py").write_text("")
    (dep / "tests").mkdir()
    (dep / "tests" / "__init__.py").write_text("")
    out = tmp_path / "out"
    done = vendor("localstack", "--from", str(tmp_path / "ls"), "--from", str(dep), "--target", str(out),
                  "--no-index-deps")
    assert done.returncode == 0, done.stderr
    assert (out / "localstack" / "services" / "providers.py").is_file()
    assert (out / "localstack" / "version.py").is_file()  # a checkout has none; setuptools-scm writes it on build
    assert (out / "rolo" / "__init__.py").is_file()
    assert not (out / "tests").exists()
    assert (out / ".polystack-vendored").read_text().split() == ["localstack", "rolo"]


def test_vendor_refuses_a_folder_without_packages(tmp_path):
    (tmp_path / "empty").mkdir()
    done = vendor("localstack", "--from", str(tmp_path / "empty"), "--target", str(tmp_path / "out"), "--no-index-deps")
    assert done.returncode != 0 and "no Python package found" in done.stderr


INTERNAL_CLIENT = """
import json, datetime, sys
import boto3
from polystack_bridge import internal_client, treecodec

sent = []
class FakeCalls:
    answer = None
    @staticmethod
    def call(service, operation, key, region, params):
        sent.append({"service": service, "operation": operation, "key": key, "region": region,
                     "params": treecodec.loads(params)})
        return treecodec.dumps(FakeCalls.answer)
internal_client._calls = FakeCalls

def client(service):
    c = boto3.client(service, endpoint_url="http://localhost.localstack.cloud:4566", region_name="eu-west-1",
                     aws_access_key_id="111122223333", aws_secret_access_key="x")
    internal_client.short_circuit(c)
    return c

out = {}
FakeCalls.answer = {"output": {"FailedEntryCount": 0, "Entries": [{"EventId": "e-1"}]}, "request_id": "r-1"}
answer = client("events").put_events(Entries=[{"Source": "s", "DetailType": "d", "Detail": "{}"}], _SourceArn="arn:x")
out["put_events"] = {"answer": {k: v for k, v in answer.items() if k != "ResponseMetadata"},
                     "metadata": answer["ResponseMetadata"], "sent": sent[-1]}

FakeCalls.answer = {"output": {"StatusCode": 200, "Payload": {"$b": "eyJhIjogMX0="}, "ExecutedVersion": "$LATEST"}}
answer = client("lambda").invoke(FunctionName="f", Payload='{"n": 1}')
out["invoke"] = {"payload": answer["Payload"].read().decode(), "sent_payload_is_bytes": isinstance(
    treecodec.loads(treecodec.dumps(sent[-1]["params"]))["Payload"], bytes)}

FakeCalls.answer = {"output": {"startDate": 1700000000.5, "stopDate": {"$t": 1700000001000}}}
answer = client("stepfunctions").describe_execution(executionArn="arn:aws:states:eu-west-1:111122223333:execution:m:e")
out["timestamps"] = [answer["startDate"].isoformat(), answer["stopDate"].isoformat()]

FakeCalls.answer = {"error": {"code": "AWS.SimpleQueueService.NonExistentQueue", "message": "The specified queue does not exist.",
                              "status": 400, "sender_fault": True, "fields": {}}}
try:
    client("sqs").get_queue_url(QueueName="nope")
    out["error"] = "no error"
except Exception as e:
    out["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                    "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
FakeCalls.answer = {"error": {"code": "ExecutionDoesNotExist", "message": "Execution Does Not Exist: 'arn'",
                              "status": 400, "sender_fault": True, "fields": {}}}
sfn = client("stepfunctions")
try:
    sfn.describe_execution(executionArn="arn:aws:states:eu-west-1:111122223333:execution:m:e")
except sfn.exceptions.ExecutionDoesNotExist as e:
    out["modelled"] = type(e).__name__

out["targets"] = [internal_client.targets_gateway(u, 4566) for u in (
    "http://localhost.localstack.cloud:4566", "http://127.0.0.1:4566", "http://s3.localhost.localstack.cloud:4566",
    "http://localhost:4567", "https://sqs.us-east-1.amazonaws.com", None)]
print(json.dumps(out, default=str))
"""


def test_internal_clients_call_in_process_and_answer_as_botocore_parses():
    """LocalStack's connect_to clients made short-circuit: parameters leave as the gateway's trees (LocalStack's
    _-prefixed parameters dropped, blobs as bytes), answers come back as botocore parses them (a blob payload as a
    stream, timestamps as datetimes, ResponseMetadata) and errors as the client's modelled exception."""
    prelude = f"import sys; sys.path.insert(0, {str(SERVICES)!r})\n"
    done = subprocess.run([sys.executable, "-c", prelude + INTERNAL_CLIENT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    put = out["put_events"]
    assert put["answer"] == {"FailedEntryCount": 0, "Entries": [{"EventId": "e-1"}]}
    assert put["metadata"]["HTTPStatusCode"] == 200 and put["metadata"]["RequestId"] == "r-1"
    assert put["sent"]["service"] == "events" and put["sent"]["operation"] == "PutEvents"
    assert put["sent"]["key"] == "111122223333" and put["sent"]["region"] == "eu-west-1"
    assert put["sent"]["params"] == {"Entries": [{"Source": "s", "DetailType": "d", "Detail": "{}"}]}
    assert out["invoke"] == {"payload": '{"a": 1}', "sent_payload_is_bytes": True}
    assert out["timestamps"] == ["2023-11-14T22:13:20.500000+00:00", "2023-11-14T22:13:21+00:00"]
    assert out["error"] == {"code": "AWS.SimpleQueueService.NonExistentQueue",
                            "message": "The specified queue does not exist.", "status": 400}
    assert out["modelled"] == "ExecutionDoesNotExist"
    assert out["targets"] == [True, True, True, False, False, False]


def test_sqs_queue_update_skips_tag_calls_with_nothing_to_change():
    """LocalStack's AWS::SQS::Queue update sends UntagQueue with no keys, which AWS (and Polystack's SQS) reject: the
    fix-up skips such calls and passes real ones through, and the request keeps its own client factory."""
    out = run_python(
        "import json\nfrom polystack_bridge import localstack_compat\n"
        "calls = []\n"
        "class Sqs:\n"
        "    def untag_queue(self, **kw): calls.append(['untag', kw['TagKeys']]); return {}\n"
        "    def tag_queue(self, **kw): calls.append(['tag', kw['Tags']]); return {}\n"
        "    def set_queue_attributes(self, **kw): calls.append(['attrs', kw['Attributes']]); return {}\n"
        "class Factory:\n    sqs = Sqs()\n"
        "class Request:\n    aws_client_factory = None\n"
        "class Provider:\n"
        "    def update(self, request):\n"
        "        sqs = request.aws_client_factory.sqs\n"
        "        sqs.set_queue_attributes(QueueUrl='q', Attributes={'VisibilityTimeout': '45'})\n"
        "        sqs.untag_queue(QueueUrl='q', TagKeys=[])\n"
        "        sqs.tag_queue(QueueUrl='q', Tags={})\n"
        "        sqs.untag_queue(QueueUrl='q', TagKeys=['old'])\n"
        "        sqs.tag_queue(QueueUrl='q', Tags={'k': 'v'})\n"
        "        return 'done'\n"
        "localstack_compat.RESOURCE_PROVIDER_FIXUPS['AWS::SQS::Queue'](Provider)\n"
        "factory = Factory(); request = Request(); request.aws_client_factory = factory\n"
        "result = Provider().update(request)\n"
        "print(json.dumps({'result': result, 'calls': calls, 'factory_kept': request.aws_client_factory is factory}))")
    assert out == {"result": "done", "factory_kept": True, "calls": [
        ["attrs", {"VisibilityTimeout": "45"}], ["untag", ["old"]], ["tag", {"k": "v"}]]}


def launcher_command(tmp_path, **env):
    """The java command ./polystack start would run, from a copy of the launcher over an empty build (nothing runs)."""
    import os
    import shutil
    import time
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "polystack", tmp_path / "polystack")
    shutil.copy(ROOT / "scripts" / "find-jdk.sh", tmp_path / "scripts" / "find-jdk.sh")
    target = tmp_path / "gateway" / "target"
    target.mkdir(parents=True)
    (target / "gateway-0.1.0-SNAPSHOT.jar").write_bytes(b"")
    (target / "classpath.txt").write_text("lib/a.jar")
    (target / ".polystack-built").write_text("")
    later = time.time() + 5
    for cache in ("polystack.aot", "polystack-python.aot"):
        (target / cache).write_bytes(b"x")
        os.utime(target / cache, (later, later))
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PROVIDER_OVERRIDE_")
             and k not in ("SERVICES", "JAVA_OPTS", "POLYSTACK_AOT", "POLYSTACK_AOT_PYTHON")}
    out = subprocess.run([str(tmp_path / "polystack"), "start"], capture_output=True, text=True, timeout=60,
                         env={**clean, "POLYSTACK_PRINT_COMMAND": "1", "POLYSTACK_RUNTIME_ONLY": "1", **env})
    assert out.returncode == 0, out.stderr
    return [arg for arg in out.stdout.split("\0") if arg.startswith("-XX:AOTCache=")]


def test_launcher_uses_the_python_start_up_cache_for_python_hosted_services(tmp_path):
    """A start that configures a Python-hosted service maps the cache trained with them (./polystack aot python);
    any other start maps the gateway's own, so native starts keep their figures."""
    def cache(folder, name):
        return [f"-XX:AOTCache={tmp_path / folder}/gateway/target/{name}"]

    cases = {"a": ({}, "polystack.aot"),
             "b": ({"PROVIDER_OVERRIDE_SES": "moto"}, "polystack-python.aot"),
             "c": ({"PROVIDER_OVERRIDE_SQS": "native"}, "polystack.aot"),
             "d": ({"SERVICES": "sqs,stepfunctions"}, "polystack-python.aot"),
             "e": ({"PROVIDER_OVERRIDE_CLOUDFORMATION": "LocalStack"}, "polystack-python.aot"),
             "f": ({"PROVIDER_OVERRIDE_SES": "moto", "POLYSTACK_AOT_PYTHON": "0"}, "polystack.aot")}
    for folder, (env, expected) in cases.items():
        (tmp_path / folder).mkdir()
        assert launcher_command(tmp_path / folder, **env) == cache(folder, expected), (env, expected)
