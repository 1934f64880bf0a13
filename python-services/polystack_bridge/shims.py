"""Compatibility shims applied once per GraalPy context, before any service code is imported.

GraalPy (Python 3.12, Java-backed ssl/posix/zlib) differs from the CPython the packages were
written for in a few places; each shim below names the package and the reason.
"""
import importlib.abc
import importlib.machinery
import sys
import types
import warnings

# Packages with C/Rust extensions that cannot load under GraalPy and that moto imports at module level
# although the services hosted here rarely use them (moto.iam.models imports cryptography for
# certificates, and every moto request passes through moto.iam). They are replaced by stand-ins whose
# names import fine and whose use raises NotImplementedError (→ InternalError for that request only).
STUBBED_PACKAGES = ("cryptography",)

_applied = False


def apply():
    global _applied
    if _applied:
        return
    _applied = True

    # requests picks a charset detector at import time. charset_normalizer probes every codec and
    # GraalPy lacks the CJK ones (_codecs_jp ...), so its import fails with LookupError. Blocking
    # both detectors makes requests fall back to no detection, which moto never needs.
    for name in ("charset_normalizer", "chardet"):
        sys.modules.setdefault(name, None)

    # Warnings that only say "this is not CPython with OpenSSL": noise in the gateway's log.
    warnings.filterwarnings("ignore", message=".*urllib3 v2 only supports OpenSSL.*")
    warnings.filterwarnings("ignore", message=".*Unable to find acceptable character detection.*")
    warnings.filterwarnings("ignore", category=DeprecationWarning)

    if sys.implementation.name == "graalpy":
        for name in STUBBED_PACKAGES:
            for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                del sys.modules[loaded]
        sys.meta_path.insert(0, _StubFinder(STUBBED_PACKAGES))

    _complete_ssl_module()

    # localstack-core uses warnings.deprecated (Python 3.13); GraalPy is 3.12.
    if not hasattr(warnings, "deprecated"):
        def deprecated(message, *, category=DeprecationWarning, stacklevel=1):
            def decorate(obj):
                return obj
            return decorate
        warnings.deprecated = deprecated


def _unavailable(what):
    def fail(*args, **kwargs):
        raise NotImplementedError(f"{what} needs a C extension that GraalPy cannot load")
    return fail


class _StubMeta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _stub_class(f"{cls.__qualname__}.{name}")


def _stub_class(qualname):
    """A stand-in class: subclassable, instantiable, isinstance-checkable; using an instance fails."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _unavailable(f"{qualname}.{name}")

    def __init__(self, *args, **kwargs):
        pass

    return _StubMeta(qualname.rsplit(".", 1)[-1], (), {
        "__init__": __init__, "__getattr__": __getattr__, "__qualname__": qualname})


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = _stub_class(f"{self.__name__}.{name}")
        setattr(self, name, value)
        return value


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, packages):
        self.packages = packages

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".", 1)[0] in self.packages:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        module.__version__ = "0+graalpy-stub"
        return module

    def exec_module(self, module):
        pass


# GraalPy's ssl module (backed by Java's JSSE) lacks a few OpenSSL constants that urllib3 imports in
# one statement; one missing name makes urllib3 believe there is no ssl at all (SSLContext = None), and
# botocore then fails to build any HTTP session (moto creates boto3 clients to read service models).
_SSL_CONSTANTS = {
    "HAS_NEVER_CHECK_COMMON_NAME": False,
    "OP_NO_COMPRESSION": 0x20000,
    "OP_NO_TICKET": 0x4000,
    "OP_NO_SSLv2": 0,
    "OP_NO_SSLv3": 0x2000000,
    "VERIFY_X509_PARTIAL_CHAIN": 0x80000,
    "VERIFY_X509_STRICT": 0x20,
    "OPENSSL_VERSION": "GraalPy JSSE",
}


def _complete_ssl_module():
    try:
        import ssl
    except ImportError:
        return
    for name, value in _SSL_CONSTANTS.items():
        if not hasattr(ssl, name):
            setattr(ssl, name, value)
