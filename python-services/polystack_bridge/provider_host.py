"""Hosts LocalStack-convention providers: one method per operation, ``method(context, **params)``.

The gateway parses the request with the service specification, so a provider sees exactly the
botocore-shaped parameters LocalStack's skeleton would hand it, and returns a dict that the
gateway serializes. Errors follow LocalStack's ``ServiceException`` attributes.
"""
import importlib
import re
import traceback

from polystack_bridge import treecodec
from polystack_bridge.api import Request, RequestContext

_FIRST = re.compile(r"([A-Z]+)([A-Z][a-z])")
_REST = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(operation):
    """``ListQueues`` → ``list_queues``, ``CreateDBInstance`` → ``create_db_instance`` (botocore's rule)."""
    return _REST.sub(r"\1_\2", _FIRST.sub(r"\1_\2", operation)).lower()


def _load_object(spec):
    """``package.module:Name`` → the provider instance (a class is instantiated, a function called)."""
    module_name, _, attribute = spec.partition(":")
    target = getattr(importlib.import_module(module_name), attribute) if attribute else importlib.import_module(module_name)
    return target() if callable(target) else target


class HostedProvider:
    def __init__(self, service, spec):
        self.service = service
        self.provider = _load_object(spec)
        self.handlers = {}
        for name in dir(type(self.provider)):
            method = getattr(self.provider, name, None)
            operation = getattr(method, "operation", None)
            if callable(method) and isinstance(operation, str):
                self.handlers[operation] = method

    def _handler(self, operation):
        method = self.handlers.get(operation)
        if method is None:
            method = getattr(self.provider, snake_case(operation), None)
            if method is not None:
                self.handlers[operation] = method
        return method

    def invoke(self, operation, context_json, params_json):
        """Returns a JSON envelope: {"output": ...} | {"error": ...} | {"unsupported": ...} | {"crash": ..., "traceback": ...}."""
        method = self._handler(operation)
        if method is None:
            return treecodec.dumps({"unsupported": operation})
        try:
            raw = treecodec.loads(context_json)
            request = Request(raw["method"], raw["path"], raw["query"], raw["headers"], raw["body"])
            context = RequestContext(raw["account_id"], raw["region"], raw["partition"], self.service,
                                     operation, raw["request_id"], request)
            params = treecodec.loads(params_json)
            if getattr(method, "expand_parameters", True):
                output = method(context, **params)
            else:
                output = method(context, params)
            return treecodec.dumps({"output": output or {}})
        except NotImplementedError:
            return treecodec.dumps({"unsupported": operation})
        except Exception as error:  # noqa: BLE001 - every failure becomes an answer, never a dead gateway
            code = getattr(error, "code", None)
            if isinstance(code, str) and (hasattr(error, "status_code") or hasattr(error, "sender_fault")):
                return treecodec.dumps({"error": _service_error(error, code)})
            return treecodec.dumps({"crash": f"{type(error).__name__}: {error}",
                                    "traceback": "".join(traceback.format_exception(error))})


def _service_error(error, code):
    message = getattr(error, "message", None) or (str(error.args[0]) if error.args else "")
    fields = {k: v for k, v in vars(error).items() if k[:1].isupper() and v is not None}
    return {
        "code": code,
        "message": message,
        "status": int(getattr(error, "status_code", 400) or 400),
        "sender_fault": bool(getattr(error, "sender_fault", False)),
        "fields": fields,
    }


def load(service, spec):
    return HostedProvider(service, spec)
