"""What LocalStack's source needs from the interpreter beyond :mod:`polystack_bridge.shims`.

Applied once, before ``localstack`` is imported:

- Python 3.13 gaps (LocalStack 4.x targets 3.13, GraalPy is 3.12): ``threading.Lock`` usable as a type
  (``Lock | None`` in annotations evaluated at import time);
- ``time.time()`` with sub-millisecond resolution: GraalPy's ticks in whole milliseconds, so two events in
  the same millisecond look simultaneous and LocalStack's ordering by timestamp (execution history events,
  message delays) breaks;
- the stand-ins of :mod:`polystack_bridge.standins` for packages that cannot load here.
"""
import _thread
import sys
import threading
import time

from polystack_bridge import shims, standins

_applied = False


class _LockType:
    """``threading.Lock`` as a class (3.13): calling it still gives the interpreter's fast lock."""

    def __new__(cls, *args, **kwargs):
        return _thread.allocate_lock()


def _microsecond_time():
    """``time.time()`` from the nanosecond clock (GraalPy's own ``time.time`` rounds to milliseconds)."""
    base_ns = time.time_ns()
    base_perf = time.perf_counter_ns()

    def precise_time():
        return (base_ns + (time.perf_counter_ns() - base_perf)) / 1e9

    return precise_time


def apply():
    global _applied
    if _applied:
        return
    _applied = True
    shims.apply()
    standins.install()
    if not isinstance(threading.Lock, type):
        threading.Lock = _LockType
    if sys.implementation.name == "graalpy":
        time.time = _microsecond_time()


class _ClassPathJsonata:
    """Step Functions' JSONata "package": the jars are on Polystack's class path already, nothing to download."""

    def install(self, *args, **kwargs):
        pass

    def get_java_lib_path(self):
        return ""

    def get_installed_dir(self):
        return ""


def patch_localstack():
    """Adjustments to LocalStack's modules, applied after ``localstack`` is importable."""
    try:
        from localstack.services.stepfunctions import packages
    except ImportError:
        return
    packages.jpype_jsonata_package.get_installer = lambda *args, **kwargs: _ClassPathJsonata()
