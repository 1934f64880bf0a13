"""Hosts LocalStack's own provider for a service (``PROVIDER_OVERRIDE_<SERVICE>=localstack``).

The Java gateway parses the request with botocore's specification and hands over the operation and its
parameter tree; this module answers it the way LocalStack's skeleton would, with LocalStack's objects:

- the provider comes from LocalStack's plugin registry: the ``PluginSpec`` named ``<service>:<name>`` in
  the namespace ``localstack.aws.provider``, whose *factory* gives the plugin that creates the ``Service``;
- the operation runs through that service's dispatch table (``Skeleton.dispatch_table``): LocalStack's
  dispatcher turns the PascalCase members into the snake_case keyword arguments the provider declares;
- ``context`` is a real ``localstack.aws.api.RequestContext`` (request, service model, operation, protocol,
  account, region, request id, trace context);
- a ``ServiceException`` becomes an error envelope the Java side answers in the service's protocol;
- LocalStack's internal clients (``connect_to``) reach this gateway's providers in process
  (:mod:`polystack_bridge.internal_client`); ``GATEWAY_LISTEN`` is set to the gateway's address before
  ``localstack.config`` is read, so clients that still go over HTTP (``POLYSTACK_INTERNAL_CLIENTS=http``) reach it too.
"""
import os
import traceback

from polystack_bridge import internal_client, localstack_compat, treecodec

PLUGIN_NAMESPACE = "localstack.aws.provider"


def _configure(gateway_listen):
    """Environment LocalStack's config reads at import time: where this gateway listens, nothing to download."""
    if gateway_listen:
        os.environ["GATEWAY_LISTEN"] = gateway_listen
    os.environ.setdefault("SKIP_SSL_CERT_DOWNLOAD", "1")
    os.environ.setdefault("DISABLE_EVENTS", "1")  # no analytics sent anywhere


def find_plugin_spec(service, name="default"):
    """LocalStack's registry entry for ``<service>:<name>``: the PluginSpec its ``@aws_provider`` made."""
    import localstack.services.providers as providers
    from plux import PluginSpec

    wanted = f"{service}:{name}"
    for value in vars(providers).values():
        if isinstance(value, PluginSpec) and value.namespace == PLUGIN_NAMESPACE and value.name == wanted:
            return value
    raise LookupError(f"LocalStack has no provider '{wanted}' in {PLUGIN_NAMESPACE}")


class LocalStackService:
    def __init__(self, service, provider_name, gateway_listen):
        _configure(gateway_listen)
        localstack_compat.apply()
        localstack_compat.patch_localstack()
        internal_client.install(_port(gateway_listen))
        from localstack.aws.spec import load_service

        if service == "cloudformation":
            localstack_compat.patch_cloudformation()
        spec = find_plugin_spec(service, provider_name)
        plugin = spec.factory()  # the factory, not the spec: it gives the ServicePlugin
        self.service = service
        self.localstack_service = plugin.create_service()
        self.dispatch = self.localstack_service.skeleton.dispatch_table
        self.model = load_service(service)
        hook = self.localstack_service.lifecycle_hook
        if hook is not None:
            hook.on_after_init()
            hook.on_before_start()
        self.provider = getattr(self.localstack_service, "_provider", None)

    def operations(self):
        return sorted(self.dispatch)

    def _context(self, operation, raw, params):
        from localstack.aws.api import RequestContext
        from localstack.http import Request

        headers = raw["headers"]
        request = Request(method=raw["method"], path=raw["path"], headers=headers, body=raw["body"],
                          query_string=raw["query"] or "", server=_server(headers))
        context = RequestContext(request)
        context.service = self.model
        context.operation = self.model.operation_model(operation)
        context.protocol = raw.get("protocol") or self.model.protocol
        context.region = raw["region"]
        context.account_id = raw["account_id"]
        context.partition = raw["partition"]
        context.request_id = raw["request_id"]
        context.service_request = params
        trace = headers.get("X-Amzn-Trace-Id") or headers.get("x-amzn-trace-id")
        if trace:
            context.trace_context = {"aws_trace_header": trace}
        return context

    def invoke(self, operation, context_json, params_json):
        """Returns treecodec JSON: {"output"} | {"error"} | {"unsupported"} | {"crash", "traceback"}."""
        handler = self.dispatch.get(operation)
        if handler is None:
            return treecodec.dumps({"unsupported": operation})
        try:
            params = treecodec.loads(params_json)
            context = self._context(operation, treecodec.loads(context_json), params)
            output = handler(context, params)
            return treecodec.dumps({"output": _without_none(dict(output or {}))})
        except NotImplementedError:
            return treecodec.dumps({"unsupported": operation})
        except Exception as error:  # noqa: BLE001 - every failure becomes an answer, never a dead gateway
            from localstack.aws.api import ServiceException

            if isinstance(error, ServiceException):
                return treecodec.dumps({"error": service_error(error)})
            return treecodec.dumps({"crash": f"{type(error).__name__}: {error}",
                                    "traceback": "".join(traceback.format_exception(error))})


def service_error(error):
    """A LocalStack ServiceException as the fields the gateway's error serializer needs."""
    message = getattr(error, "message", None) or (str(error.args[0]) if error.args else "")
    fields = {k: v for k, v in vars(error).items() if k[:1].isupper() and v is not None}
    return {
        "code": getattr(error, "code", None) or type(error).__name__,
        "message": message,
        "status": int(getattr(error, "status_code", 400) or 400),
        "sender_fault": bool(getattr(error, "sender_fault", False)),
        "fields": fields,
    }


def _without_none(tree):
    """LocalStack's providers return None for absent members; the gateway's trees have no null members."""
    if isinstance(tree, dict):
        return {k: _without_none(v) for k, v in tree.items() if v is not None}
    if isinstance(tree, list):
        return [_without_none(v) for v in tree]
    return tree


def _server(headers):
    host = headers.get("Host") or headers.get("host") or "localhost:4566"
    name, _, port = host.partition(":")
    return name, int(port) if port.isdigit() else 80


def _port(gateway_listen):
    _host, _, port = (gateway_listen or "").rpartition(":")
    return int(port) if port.isdigit() else 4566


def load(service, provider_name, gateway_listen):
    return LocalStackService(service, provider_name or "default", gateway_listen)


def describe_error(error):
    return "".join(traceback.format_exception(error))
