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
import importlib
import os
import re
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


# One plugin class per file: ``class SQSQueueProviderPlugin(CloudFormationResourceProviderPlugin):`` then
# ``name = "AWS::SQS::Queue"`` (the layout LocalStack's resource provider scaffolding generates).
_RESOURCE_PLUGIN = re.compile(r'^class (\w+)\(CloudFormationResourceProviderPlugin\):\s*\n\s+name = "([^"]+)"', re.M)


def cloudformation_resource_plugins(localstack_package_dir):
    """{resource type: (module, class)} of LocalStack's CloudFormation resource providers, from its source.

    LocalStack finds them through the entry points its wheel declares (written at build time by plux); a copy
    from a source checkout has none, and resolving entry points imports every provider's plugin module. Reading
    the ``*_plugin.py`` files instead costs a few milliseconds and imports a provider only when a template uses it.
    """
    services = os.path.join(localstack_package_dir, "services")
    found = {}
    for folder, _dirs, files in os.walk(services):
        if "resource_providers" not in folder:
            continue
        for file in files:
            if not file.endswith("_plugin.py"):
                continue
            with open(os.path.join(folder, file), encoding="utf-8") as source:
                match = _RESOURCE_PLUGIN.search(source.read())
            if match:
                relative = os.path.relpath(os.path.join(folder, file[:-3]), os.path.dirname(localstack_package_dir))
                found[match.group(2)] = (relative.replace(os.sep, "."), match.group(1))
    return found


def patch_cloudformation():
    """LocalStack's CloudFormation engine looks its resource providers up through a plux PluginManager."""
    from localstack.services.cloudformation import resource_provider
    from plux import PluginFinder, PluginManager, PluginSpec

    namespace = resource_provider.CloudFormationResourceProviderPlugin.namespace
    # localstack/services/cloudformation/resource_provider.py: three folders up is the package (a namespace package)
    package_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(resource_provider.__file__))))
    plugins = cloudformation_resource_plugins(package_dir)

    def factory(module, class_name):
        return lambda: getattr(importlib.import_module(module), class_name)()

    class SourceFinder(PluginFinder):
        def find_plugins(self):
            return [PluginSpec(namespace, name, factory(module, cls)) for name, (module, cls) in plugins.items()]

    resource_provider.plugin_manager = PluginManager(namespace, finder=SourceFinder())
