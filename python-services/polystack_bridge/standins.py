"""Stand-ins for packages LocalStack imports that cannot load here, used only when the real one is missing.

Two reasons a package is missing: it is a C or Rust extension GraalPy cannot load (``jpype``), or this
machine's package index lacks it although it is pure Python (``dnslib``, ``semver``, ``readerwriterlock``,
``crontab``). The finder below sits at the *end* of ``sys.meta_path``, so an installed package always wins.

What each stand-in gives, and which LocalStack features are lost with it:

- ``dnslib``: names only. LocalStack's DNS server and ``utils.net.resolve_hostname`` via DNS are lost
  (Polystack serves no DNS).
- ``semver``: ``VersionInfo``/``Version`` parse and compare ``MAJOR.MINOR.PATCH[-pre][+build]``; enough for
  the version checks of the OpenSearch provider, which Polystack does not host.
- ``readerwriterlock.rwlock``: ``RWLockWrite``/``RWLockRead``/``RWLockFair`` as one re-entrant lock (readers
  exclude each other too: correct, only less concurrent; used by LocalStack's S3 storage, not hosted here).
- ``crontab.CronTab``: names only; EventBridge ``cron(...)`` schedules in LocalStack's events provider are lost
  (Polystack's EventBridge is native).
- ``cbor2`` (its pure-Python ``_decoder``/``_encoder`` modules, gone from cbor2 6, which is all the index has):
  names only. LocalStack's own CBOR parsing is not needed: Polystack's gateway parses and serializes
  ``smithy-rpc-v2-cbor`` requests itself before the provider sees them.
- ``pydantic`` (whose core, ``pydantic_core``, is a Rust extension): replaced as a whole only when
  ``pydantic_core`` cannot load. ``BaseModel`` keeps the fields it is given (no validation, no coercion,
  nested models stay dicts), ``Field`` gives its default, ``pydantic.dataclasses.dataclass`` is the
  standard one. Lost: validation of Step Functions' mock config file and of TestState's mocked context.
- ``rpds`` (``rpds-py``, a Rust extension): ``HashTrieMap``, ``HashTrieSet`` and ``List`` as immutable Python
  collections that copy on each change (same results, O(n) updates instead of structural sharing). Used by
  ``referencing``/``jsonschema``, which the SAM translator (CloudFormation's ``AWS::Serverless`` transform) imports.
- ``jpype``: mapped onto GraalPy's Java interop (``import java``): ``startJVM`` does nothing (the JVM is the
  one Polystack runs in), ``from com.example import Class`` gives the Java class, and a class imported as a
  module (``from com.example.Class import staticMethod``) gives its static members. Step Functions' JSONata
  runs this way on ``com.dashjoin:jsonata`` from Polystack's class path.
"""
import importlib.abc
import importlib.machinery
import sys
import threading
import types


class _Anything:
    """A name that exists: subclassable, callable (returns a stand-in), usable in annotations."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotImplementedError(f"{type(self).__qualname__}.{name} is not available in Polystack")


class _NamesModule(types.ModuleType):
    """Every attribute is a placeholder class: the package imports, using it fails clearly."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = type(name, (_Anything,), {"__qualname__": f"{self.__name__}.{name}", "__module__": self.__name__})
        setattr(self, name, value)
        return value


# --- semver -----------------------------------------------------------------------------------------------

class _VersionInfo:
    def __init__(self, major, minor=0, patch=0, prerelease=None, build=None):
        self.major, self.minor, self.patch = int(major), int(minor), int(patch)
        self.prerelease, self.build = prerelease, build

    @classmethod
    def parse(cls, version):
        core, _, build = str(version).partition("+")
        core, _, pre = core.partition("-")
        parts = (core.split(".") + ["0", "0"])[:3]
        return cls(*parts, prerelease=pre or None, build=build or None)

    is_valid = classmethod(lambda cls, v: _try_parse(cls, v))

    def _key(self):
        # a pre-release sorts before its release
        return self.major, self.minor, self.patch, self.prerelease is None, self.prerelease or ""

    def _other(self, other):
        return other if isinstance(other, _VersionInfo) else _VersionInfo.parse(other)

    def compare(self, other):
        a, b = self._key(), self._other(other)._key()
        return (a > b) - (a < b)

    __eq__ = lambda self, o: self.compare(o) == 0
    __lt__ = lambda self, o: self.compare(o) < 0
    __le__ = lambda self, o: self.compare(o) <= 0
    __gt__ = lambda self, o: self.compare(o) > 0
    __ge__ = lambda self, o: self.compare(o) >= 0
    __hash__ = lambda self: hash(self._key())

    def __str__(self):
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.build:
            text += f"+{self.build}"
        return text


def _try_parse(cls, value):
    try:
        cls.parse(value)
        return True
    except (ValueError, TypeError):
        return False


def _semver():
    module = types.ModuleType("semver")
    module.VersionInfo = module.Version = _VersionInfo
    module.parse_version_info = _VersionInfo.parse
    module.compare = lambda a, b: _VersionInfo.parse(a).compare(b)
    return module


# --- readerwriterlock ---------------------------------------------------------------------------------------

class _Lockable:
    def __init__(self, lock):
        self._lock = lock

    def acquire(self, blocking=True, timeout=-1):
        return self._lock.acquire(blocking, timeout)

    def release(self):
        self._lock.release()

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()


class _RWLock:
    def __init__(self, *args, **kwargs):
        self._lock = threading.RLock()

    def gen_rlock(self):
        return _Lockable(self._lock)

    def gen_wlock(self):
        return _Lockable(self._lock)


def _readerwriterlock():
    package = types.ModuleType("readerwriterlock")
    package.__path__ = []
    rwlock = types.ModuleType("readerwriterlock.rwlock")
    rwlock.RWLockWrite = rwlock.RWLockRead = rwlock.RWLockFair = _RWLock
    rwlock.RWLockWriteD = rwlock.RWLockReadD = rwlock.RWLockFairD = _RWLock
    rwlock.Lockable = _Lockable
    package.rwlock = rwlock
    return {"readerwriterlock": package, "readerwriterlock.rwlock": rwlock}


# --- jpype onto GraalPy's Java interop ---------------------------------------------------------------------

# Only roots no Python package uses here ("java" is GraalPy's own interop module).
_JAVA_ROOTS = ("com", "org")


class _JavaPackage(types.ModuleType):
    """A Java package (or a class imported as a module) as jpype shows it."""

    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        import java

        qualified = f"{self.__name__}.{name}"
        try:
            value = java.type(qualified)
        except Exception:  # noqa: BLE001 - not a class: a sub-package
            value = _JavaPackage(qualified)
        setattr(self, name, value)
        return value


class _JavaClassModule(types.ModuleType):
    """``from pkg.Class import member``: the class's static members."""

    def __init__(self, name, java_class):
        super().__init__(name)
        self.__path__ = []
        self._class = java_class

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._class, name)


class _JavaImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``jpype.imports``: Java packages and classes become importable by their dotted names."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".", 1)[0] not in _JAVA_ROOTS:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        import java

        try:
            return _JavaClassModule(spec.name, java.type(spec.name))
        except Exception:  # noqa: BLE001 - a package
            return _JavaPackage(spec.name)

    def exec_module(self, module):
        pass


def _has_java():
    try:
        import java  # noqa: F401 - GraalPy's interop module

        return True
    except ImportError:
        return False


def _jpype():
    package = types.ModuleType("jpype")
    package.__path__ = []
    state = {"started": False}

    def start_jvm(*args, **kwargs):
        state["started"] = True  # Polystack's JVM is already running: nothing to start

    package.startJVM = start_jvm
    package.isJVMStarted = lambda: _has_java()
    package.shutdownJVM = lambda: None
    package.getDefaultJVMPath = lambda: ""
    package.JClass = lambda name: __import__("java").type(name)
    config = types.ModuleType("jpype.config")
    config.destroy_jvm = False
    imports = types.ModuleType("jpype.imports")
    package.config, package.imports = config, imports
    return {"jpype": package, "jpype.config": config, "jpype.imports": imports}


# --- pydantic (pure Python, no validation) -----------------------------------------------------------------

class _ValidationError(ValueError):
    pass


class _BaseModel:
    """Fields as given; ``model_validate`` of a dict, ``model_dump`` back to one."""

    def __init__(self, **data):
        for name, value in data.items():
            setattr(self, name, value)

    def __class_getitem__(cls, item):
        return cls  # RootModel[Any], RootModel[dict[str, str]]

    @classmethod
    def model_validate(cls, obj, **kwargs):
        for hook in _before_validators(cls):
            obj = hook(obj)
        if isinstance(obj, cls):
            return obj
        if issubclass(cls, _RootModel) or not isinstance(obj, dict):
            return cls(root=obj)
        return cls(**obj)

    @classmethod
    def model_validate_json(cls, text, **kwargs):
        import json

        try:
            return cls.model_validate(json.loads(text))
        except ValueError as error:
            raise _ValidationError(str(error)) from error

    def model_dump(self, exclude_unset=False, exclude_none=False, **kwargs):
        if isinstance(self, _RootModel):
            return self.root
        return {k: v for k, v in vars(self).items() if not (exclude_none and v is None)}

    def model_dump_json(self, **kwargs):
        import json

        return json.dumps(self.model_dump(**kwargs))


class _RootModel(_BaseModel):
    pass


def _before_validators(cls):
    return [getattr(cls, name) for name in dir(cls) if getattr(getattr(cls, name, None), "_before_validator", False)]


def _model_validator(mode="after", **kwargs):
    def decorate(fn):
        target = fn.__func__ if isinstance(fn, classmethod) else fn
        target._before_validator = mode == "before"
        return classmethod(target) if not isinstance(fn, classmethod) else fn
    return decorate


def _field(default=None, *args, default_factory=None, **kwargs):
    return default_factory() if default_factory is not None else default


def _pydantic():
    import dataclasses

    package = types.ModuleType("pydantic")
    package.__path__ = []
    package.VERSION = package.__version__ = "2.0+polystack-standin"
    package.BaseModel, package.RootModel, package.ValidationError = _BaseModel, _RootModel, _ValidationError
    package.Field, package.model_validator = _field, _model_validator
    package.field_validator = lambda *a, **k: (lambda fn: fn)
    package.ConfigDict = dict
    package.StrictInt, package.StrictStr, package.StrictBool, package.StrictFloat = int, str, bool, float
    package.create_model = lambda name, __config__=None, __base__=None, **fields: type(name, (__base__ or _BaseModel,), {})
    # pydantic 1's names, which the SAM translator (AWS::Serverless transforms) reads through ``pydantic.v1``
    package.Extra = types.SimpleNamespace(forbid="forbid", allow="allow", ignore="ignore")
    package.constr = lambda **kwargs: str
    error_wrappers = types.ModuleType("pydantic.error_wrappers")
    error_wrappers.ValidationError = _ValidationError
    package.error_wrappers = error_wrappers
    package.v1 = package
    dataclasses_module = types.ModuleType("pydantic.dataclasses")

    def dataclass(cls=None, **kwargs):
        return dataclasses.dataclass(cls) if cls is not None else dataclasses.dataclass
    dataclasses_module.dataclass = dataclass
    package.dataclasses = dataclasses_module
    return {"pydantic": package, "pydantic.dataclasses": dataclasses_module, "pydantic.v1": package,
            "pydantic.error_wrappers": error_wrappers}


def _pydantic_core_loads():
    try:
        import pydantic_core  # noqa: F401

        return True
    except ImportError:
        for name in [m for m in sys.modules if m.split(".", 1)[0] in ("pydantic", "pydantic_core")]:
            del sys.modules[name]
        return False


# --- rpds (persistent collections, copy on write) ------------------------------------------------------------

class _HashTrieMap(dict):
    """An immutable mapping whose changes return a new one."""

    def __init__(self, value=(), **kwargs):
        super().__init__(value, **kwargs)

    def __class_getitem__(cls, item):
        return cls

    @classmethod
    def convert(cls, value):
        return value if isinstance(value, cls) else cls(value)

    def insert(self, key, value):
        copy = _HashTrieMap(self)
        dict.__setitem__(copy, key, value)
        return copy

    def remove(self, key):
        if key not in self:
            raise KeyError(key)
        return self.discard(key)

    def discard(self, key):
        copy = _HashTrieMap(self)
        dict.pop(copy, key, None)
        return copy

    def update(self, *others, **kwargs):
        copy = _HashTrieMap(self)
        for other in others:
            dict.update(copy, other)
        dict.update(copy, kwargs)
        return copy

    def _immutable(self, *args, **kwargs):
        raise TypeError("HashTrieMap is immutable")

    __setitem__ = __delitem__ = setdefault = pop = popitem = clear = _immutable

    def __hash__(self):
        return hash(frozenset(self.items()))


class _HashTrieSet(frozenset):
    def __class_getitem__(cls, item):
        return cls

    def insert(self, value):
        return _HashTrieSet(self | {value})

    def discard(self, value):
        return _HashTrieSet(self - {value})

    def remove(self, value):
        if value not in self:
            raise KeyError(value)
        return self.discard(value)

    def update(self, *others):
        result = set(self)
        for other in others:
            result.update(other)
        return _HashTrieSet(result)


class _List(tuple):
    def __new__(cls, *values):
        if len(values) == 1 and not isinstance(values[0], (str, bytes)) and hasattr(values[0], "__iter__"):
            values = tuple(values[0])
        return super().__new__(cls, values)

    def __class_getitem__(cls, item):
        return cls

    def push_front(self, value):
        return _List((value, *self))

    @property
    def first(self):
        return self[0]

    @property
    def rest(self):
        return _List(self[1:])


def _rpds():
    module = types.ModuleType("rpds")
    module.HashTrieMap, module.HashTrieSet, module.List = _HashTrieMap, _HashTrieSet, _List
    return {"rpds": module}


def _rpds_loads():
    try:
        import rpds  # noqa: F401

        return True
    except ImportError:
        for name in [m for m in sys.modules if m.split(".", 1)[0] == "rpds"]:
            del sys.modules[name]
        return False


# --- the finder -----------------------------------------------------------------------------------------

_BUILDERS = {
    "dnslib": lambda: {"dnslib": _names("dnslib"), "dnslib.server": _names("dnslib.server")},
    "crontab": lambda: {"crontab": _names("crontab")},
    "cbor2": lambda: {name: _names(name) for name in ("cbor2", "cbor2._decoder", "cbor2._encoder", "cbor2._types")},
    "semver": lambda: {"semver": _semver()},
    "readerwriterlock": _readerwriterlock,
    "jpype": _jpype,
}

USED = set()  # which stand-ins were used in this interpreter (reported in the log)


def _names(name):
    module = _NamesModule(name)
    module.__path__ = []
    return module


class _StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Builds the stand-in modules of the packages it is given, on first import."""

    def __init__(self, builders):
        self._builders = builders
        self._built = {}

    def find_spec(self, fullname, path=None, target=None):
        top = fullname.split(".", 1)[0]
        if top not in self._builders:
            return None
        if top not in self._built:
            self._built[top] = self._builders[top]()
        if fullname not in self._built[top]:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        USED.add(spec.name.split(".", 1)[0])
        return self._built[spec.name.split(".", 1)[0]][spec.name]

    def exec_module(self, module):
        pass


_installed = False


def install():
    """Adds the stand-ins (after every real finder) and the Java importer; once per interpreter."""
    global _installed
    if _installed:
        return
    _installed = True
    sys.meta_path.append(_StandInFinder(_BUILDERS))
    if not _pydantic_core_loads():
        # pydantic itself is installed but its core is not loadable: the stand-in must come first.
        sys.meta_path.insert(0, _StandInFinder({"pydantic": _pydantic}))
    if not _rpds_loads():
        # rpds-py is installed (moto's jsonschema needs it) but its Rust core is not loadable here.
        sys.meta_path.insert(0, _StandInFinder({"rpds": _rpds}))
    if _has_java():
        sys.meta_path.append(_JavaImporter())
