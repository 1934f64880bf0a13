"""What LocalStack's source needs from the interpreter beyond :mod:`polystack_bridge.shims`.

Applied once, before ``localstack`` is imported:

- Python 3.13 gaps (LocalStack 4.x targets 3.13, GraalPy is 3.12): ``threading.Lock`` usable as a type
  (``Lock | None`` in annotations evaluated at import time);
- ``time.time()`` with sub-millisecond resolution: GraalPy's ticks in whole milliseconds, so two events in
  the same millisecond look simultaneous and LocalStack's ordering by timestamp (execution history events,
  message delays) breaks;
- the stand-ins of :mod:`polystack_bridge.standins` for packages that cannot load here;
- imports trimmed (:data:`DEFERRED`): modules LocalStack's providers import at start but use rarely or never.
"""
import _thread
import importlib
import importlib.abc
import importlib.machinery
import types
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


# Imports that cost much and serve little, measured with ``python -X importtime`` (CPython 3.13, no bytecode cache):
# - ``moto.batch``'s package init imports moto's Batch and EC2 models (31 s of the 87 s that Step Functions' import
#   took): Step Functions only wants the ``JobStatus`` enum from ``moto.batch.utils``. The package's own
#   ``__init__`` runs on the first attribute read (a moto-hosted Batch still imports ``moto.batch.models`` as before).
# - ``samtranslator.translator.transform`` (the SAM translator, with jsonschema and pydantic models: 4.6 s of
#   CloudFormation's 48 s): needed only by templates with ``Transform: AWS::Serverless-2016-10-31``, imported on
#   the first call of ``transform``.
DEFERRED = {
    "moto.batch": "package-init",
    "samtranslator.translator.transform": ("transform",),
}


class _DeferredImports(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """First in ``sys.meta_path``: gives the modules of :data:`DEFERRED` as stand-ins that load the real one late."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in DEFERRED:
            return None
        real = self._real_spec(fullname, path)
        if real is None:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=real.origin,
                                              is_package=real.submodule_search_locations is not None)
        if real.submodule_search_locations is not None:
            spec.submodule_search_locations = list(real.submodule_search_locations)
        spec.loader_state = real
        return spec

    def _real_spec(self, fullname, path):
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path)
            if spec is not None:
                return spec
        return None

    def create_module(self, spec):
        return None  # the default module object

    def exec_module(self, module):
        real = module.__spec__.loader_state
        module.__file__ = real.origin
        plan = DEFERRED[module.__name__]
        state = {"loaded": False}

        def load_real():
            if not state["loaded"]:
                state["loaded"] = True
                real.loader.exec_module(module)  # runs the real code in this same module object
            return module

        if plan == "package-init":
            def __getattr__(name):
                if name.startswith("__") or state["loaded"]:
                    raise AttributeError(name)
                load_real()
                return module.__dict__[name] if name in module.__dict__ else _missing(module, name)
        else:
            for function in plan:
                def deferred(*args, _name=function, **kwargs):
                    # the real code replaces these stand-ins in the module's namespace when it runs
                    return getattr(load_real(), _name)(*args, **kwargs)
                setattr(module, function, deferred)

            def __getattr__(name):
                if name.startswith("__") or state["loaded"]:
                    raise AttributeError(name)
                load_real()
                return module.__dict__[name] if name in module.__dict__ else _missing(module, name)
        module.__getattr__ = __getattr__


def _missing(module, name):
    raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")


def apply():
    global _applied
    if _applied:
        return
    _applied = True
    shims.apply()
    standins.install()
    sys.meta_path.insert(0, _DeferredImports())
    if not isinstance(threading.Lock, type):
        threading.Lock = _LockType
    if sys.implementation.name == "graalpy":
        time.time = _microsecond_time()
    _system_time_zones()


def _system_time_zones():
    """GraalPy's zoneinfo searches no folder (CPython's is set at build time): give it the system's, if any
    (else the ``tzdata`` package that ``./polystack vendor localstack`` installs serves)."""
    import zoneinfo

    if not zoneinfo.TZPATH:
        folders = [p for p in ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/etc/zoneinfo")
                   if os.path.isdir(p)]
        if folders:
            zoneinfo.reset_tzpath(folders)


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

    def factory(type_name, module, class_name):
        def create():
            plugin = getattr(importlib.import_module(module), class_name)()
            fixup = RESOURCE_PROVIDER_FIXUPS.get(type_name)
            if fixup is not None:
                load = plugin.load

                def load_and_fix(*args, **kwargs):  # the plugin's load() imports the provider class into plugin.factory
                    result = load(*args, **kwargs)
                    if not getattr(plugin.factory, "_polystack_fixed", False):
                        fixup(plugin.factory)
                        plugin.factory._polystack_fixed = True
                    return result

                plugin.load = load_and_fix
            return plugin

        return create

    class SourceFinder(PluginFinder):
        def find_plugins(self):
            return [PluginSpec(namespace, name, factory(name, module, cls)) for name, (module, cls) in plugins.items()]

    resource_provider.plugin_manager = PluginManager(namespace, finder=SourceFinder())
    _patch_list_imports()
    _patch_update_stack_keeps_processed_template()


def _patch_update_stack_keeps_processed_template():
    """LocalStack 4.14's v2 UpdateStack stores the template it deployed but not its processed form (CreateStack and
    ExecuteChangeSet store both), and DeleteStack deletes what the processed template lists: after an UpdateStack that
    removed a resource, the delete tried to remove it again (its properties gone, so the resource provider failed) and
    ended DELETE_FAILED. Here every deployment that succeeds, other than a deletion, stores the processed template it
    deployed, as the other two paths already do (a failed one, rolled back, keeps the previous)."""
    from localstack.aws.api.cloudformation import StackStatus
    from localstack.services.cloudformation.engine.v2.change_set_model_executor import ChangeSetModelExecutor

    execute = ChangeSetModelExecutor.execute

    def execute_and_keep_processed_template(self):
        result = execute(self)
        change_set = self._change_set
        stack = change_set.stack
        deployed = result.failure_message is None and stack.status != StackStatus.DELETE_IN_PROGRESS
        if deployed and change_set.processed_template is not None:
            stack.processed_template = change_set.processed_template
        return result

    ChangeSetModelExecutor.execute = execute_and_keep_processed_template


class _NoEmptyTagCalls:
    """An SQS client that skips ``UntagQueue`` without keys and ``TagQueue`` without tags (nothing to change);
    everything else is the wrapped client's."""

    def __init__(self, client):
        self._client = client

    def untag_queue(self, **kwargs):
        return self._client.untag_queue(**kwargs) if kwargs.get("TagKeys") else {}

    def tag_queue(self, **kwargs):
        return self._client.tag_queue(**kwargs) if kwargs.get("Tags") else {}

    def __getattr__(self, name):
        return getattr(self._client, name)


class _ClientsWithoutEmptyTagCalls:
    def __init__(self, factory):
        self._factory = factory

    @property
    def sqs(self):
        return _NoEmptyTagCalls(self._factory.sqs)

    def __getattr__(self, name):
        return getattr(self._factory, name)


def _fix_sqs_queue(provider):
    """LocalStack's AWS::SQS::Queue update always calls ``UntagQueue`` and ``TagQueue``, with empty lists when the
    tags did not change. AWS rejects an UntagQueue without keys (and so does Polystack's SQS: MissingParameter);
    LocalStack's own SQS accepts it. So every stack update that modified a queue failed and rolled back. Here the
    update runs with an SQS client that skips the two calls when they have nothing to change."""
    update = provider.update

    def update_without_empty_tag_calls(self, request):
        factory = request.aws_client_factory
        request.aws_client_factory = _ClientsWithoutEmptyTagCalls(factory)
        try:
            return update(self, request)
        finally:
            request.aws_client_factory = factory

    provider.update = update_without_empty_tag_calls


# Fixes applied to a resource provider's class when a template first uses its type: {type: fixup(class)}.
RESOURCE_PROVIDER_FIXUPS = {
    "AWS::SQS::Queue": _fix_sqs_queue,
}


def _import_names(node):
    """The literal export names a template's Fn::ImportValue calls name."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::ImportValue" and isinstance(value, str):
                yield value
            else:
                yield from _import_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from _import_names(value)


def _patch_list_imports():
    """LocalStack 4.14's v2 engine keeps its stacks in ``stacks_v2`` but inherits ListImports from the v1 provider,
    which reads the v1 stacks only: it answered [] for every export. Here it lists the live v2 stacks whose template
    imports the export (by a literal name), and answers AWS's ValidationError when none does."""
    from localstack.aws.api.cloudformation import ListImportsOutput
    from localstack.services.cloudformation.engine.validations import ValidationError
    from localstack.services.cloudformation.stores import get_cloudformation_store
    from localstack.services.cloudformation.v2.provider import CloudformationProviderV2

    def list_imports(self, context, export_name, next_token=None, **kwargs):
        state = get_cloudformation_store(context.account_id, context.region)
        names = sorted({stack.stack_name for stack in state.stacks_v2.values()
                        if stack.status != "DELETE_COMPLETE"
                        and export_name in set(_import_names(stack.template or {}))})
        if not names:
            raise ValidationError(f"Export '{export_name}' is not imported by any stack.")
        return ListImportsOutput(Imports=names)

    CloudformationProviderV2.list_imports = list_imports
