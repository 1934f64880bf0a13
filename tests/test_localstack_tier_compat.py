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
