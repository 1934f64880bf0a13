"""Serves raw HTTP requests with moto's backends, in process (no Flask, no socket).

Per request: a werkzeug Request is built from what the gateway received, the path is matched
against the service's ``moto.<service>.urls.url_paths`` (as moto's own server does, without the
host part), and the matching response handler answers with (status, headers, body).
Account and region are the gateway's (the same rules as the native providers), passed through
moto's ``x-moto-account-id`` header and a per-thread region.
"""
import importlib
import re
import threading
import traceback

from polystack_bridge import moto_speedups, shims, treecodec

shims.apply()

_local = threading.local()
_patched = False


def _patch_moto():
    """Region comes from the gateway, not from a host name moto would have to parse."""
    global _patched
    if _patched:
        return
    from moto.core.responses import BaseResponse

    original = BaseResponse.get_region_from_url

    def get_region_from_url(self, request, full_url):
        region = getattr(_local, "region", None)
        return region if region else original(self, request, full_url)

    BaseResponse.get_region_from_url = get_region_from_url

    # moto builds a whole boto3 client (credential chain, endpoint rules, HTTP pool) only to read a
    # service model when it routes REST requests; under GraalPy's interpreter that costs seconds per
    # service and region. A client-shaped holder of botocore's service model answers the same reads.
    import moto.core.responses as responses

    responses.boto3 = _ModelOnlyBoto3()
    _patched = True


class _ModelOnlyBoto3:
    def __init__(self):
        import botocore.session

        self._session = botocore.session.get_session()
        self._models = {}

    def client(self, service_name, region_name=None, **kwargs):
        model = self._models.get(service_name)
        if model is None:
            model = self._models[service_name] = self._session.get_service_model(service_name)
        return _ModelOnlyClient(model)


class _ModelOnlyClient:
    def __init__(self, service_model):
        self._service_model = service_model


class MotoService:
    def __init__(self, service):
        from moto import backends

        _patch_moto()
        safe = service.replace("-", "")
        module = backends.ALT_SERVICE_NAMES.get(safe, safe)
        self.service = service
        self.backends = backends.get_backend(service)  # imports the models: the slow part, done at start
        moto_speedups.apply(service)
        urls = importlib.import_module(f"moto.{module}.urls")
        self.routes = [(re.compile(path.format("")), handler) for path, handler in urls.url_paths.items()]
        self._warm_up()

    def _warm_up(self):
        """Runs one throw-away request through moto's request path while the service is still "starting":
        moto imports much on the first request (its IAM models, parsers, serializers), which would
        otherwise land on the first client's request (tens of seconds under GraalPy's interpreter)."""
        if not any(pattern.match("/") for pattern, _ in self.routes):
            return
        try:
            self.handle("POST", "/", "", "localhost", ["Content-Type", "application/x-www-form-urlencoded"],
                        "Action=PolystackWarmUp", "000000000000", "us-east-1")
        except Exception:  # noqa: BLE001 - an unknown action may raise; the imports are what we wanted
            pass

    def handle(self, method, path, query, url_host, headers, body, account, region):
        """headers: flat [name, value, name, value...]; body: bytes as a latin-1 str.

        Returns [status, [[name, value]...], body, binary]: a binary body is bytes as a latin-1 str,
        else text the gateway encodes as UTF-8."""
        from werkzeug.wrappers import Request

        route = next((handler for pattern, handler in self.routes if pattern.match(path)), None)
        if route is None:
            return [404, [["Content-Type", "text/plain"]], f"moto has no route for {method} {path}", False]
        flat = list(headers)
        header_list = [(str(flat[i]), str(flat[i + 1])) for i in range(0, len(flat) - 1, 2)]
        header_list.append(("x-moto-account-id", account))
        data = body.encode("latin-1")
        request = Request.from_values(method=method, base_url=f"http://{url_host}", path=path,
                                      query_string=query, data=data, headers=header_list)
        full_url = f"http://{url_host}{path}" + (f"?{query}" if query else "")
        _local.region = region
        try:
            result = route(request, full_url, dict(request.headers))
        except Exception as error:  # noqa: BLE001
            from werkzeug.exceptions import HTTPException

            if not isinstance(error, HTTPException):
                raise
            result = (error.code, dict(error.get_headers()), error.get_body())
        finally:
            _local.region = None
        return _response(result)

    def invoke(self, operation, account, region, params_json):
        """An in-process call from another provider (ProviderEnvironment.call): botocore serialises the
        parameters into the request a client would send, handle() answers it, botocore parses the answer.

        Returns treecodec JSON: {"output": {...}} or {"error": {"code", "message", "status", "sender_fault"}}."""
        from botocore import parsers, serialize
        from urllib.parse import urlencode

        model = _service_model(self.service)
        op = model.operation_model(operation)
        protocol = model.metadata["protocol"]
        request = serialize.create_serializer(protocol, include_validation=False).serialize_to_request(
            treecodec.loads(params_json), op)
        headers = dict(request.get("headers") or {})
        body = request.get("body") or b""
        if isinstance(body, dict):  # query/ec2 protocols: a form
            body = urlencode(body, doseq=True)
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        if isinstance(body, str):
            body = body.encode("utf-8")
        query = request.get("query_string") or ""
        if isinstance(query, dict):
            query = urlencode(query, doseq=True)
        flat = [item for pair in headers.items() for item in (str(pair[0]), str(pair[1]))]
        status, out_headers, out_body, binary = self.handle(
            request["method"], request["url_path"], query, "localhost", flat, body.decode("latin-1"), account, region)
        raw = out_body.encode("latin-1" if binary else "utf-8")
        parsed = parsers.create_parser(protocol).parse(
            {"status_code": status, "headers": {k: v for k, v in out_headers}, "body": raw}, op.output_shape)
        parsed.pop("ResponseMetadata", None)
        if status >= 300:
            error = parsed.get("Error", {})
            return treecodec.dumps({"error": {"code": error.get("Code") or "InternalError",
                                              "message": error.get("Message") or "", "status": status,
                                              "sender_fault": status < 500}})
        return treecodec.dumps({"output": parsed})


_models = {}


def _service_model(service):
    model = _models.get(service)
    if model is None:
        import botocore.session

        model = _models[service] = botocore.session.get_session().get_service_model(service)
    return model


def _response(result):
    if isinstance(result, tuple) and len(result) == 3:
        status, headers, body = result
    else:
        status, headers, body = 200, {}, result
    headers = dict(headers or {})
    status = int(headers.pop("status", status))
    out_headers = [[str(k), str(v)] for k, v in headers.items()]
    if body is None:
        return [status, out_headers, "", False]
    if isinstance(body, (bytes, bytearray)):
        return [status, out_headers, bytes(body).decode("latin-1"), True]
    return [status, out_headers, str(body), False]


def load(service):
    return MotoService(service)


def describe_error(error):
    return "".join(traceback.format_exception(error))
