"""LocalStack's internal clients (``connect_to``) call this gateway's providers in process.

LocalStack's Step Functions and CloudFormation reach other services through botocore clients made by
``localstack.aws.connect.InternalClientFactory``. Over HTTP every such call costs, under GraalPy's interpreter,
botocore's endpoint resolution, serialization, signing, urllib3 and the parsing of the answer (each Step Functions
execution sends two ``PutEvents`` this way). Here a client aimed at this gateway gets its own ``_make_api_call``:
the parameters go as one parameter tree to ``dev.polystack.bridge.InternalCalls``, which calls the provider through
the gateway's in-process dispatch (a native provider converts the tree once to its typed request), and the answer
comes back shaped as botocore would have parsed it: timestamps as ``datetime``, blobs as ``bytes``, a blob payload
(Lambda's ``Payload``, S3's ``Body``) as a ``StreamingBody``, ``ResponseMetadata``, and errors as the client's
modelled ``ClientError`` subclasses with AWS's code and message.

What a client over HTTP does that this path leaves out: botocore's client-side parameter validation (the
provider validates), LocalStack's internal request parameters (``_SourceArn`` ..., dropped: the gateway does not
read them), and retries. ``POLYSTACK_INTERNAL_CLIENTS=http`` keeps LocalStack's HTTP clients.
"""
import datetime
import io
import os
import sys
import urllib.parse
import uuid

from polystack_bridge import treecodec

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "localhost.localstack.cloud"}
_calls = None
_announced = False


def enabled():
    return os.environ.get("POLYSTACK_INTERNAL_CLIENTS", "in-process").strip().lower() != "http"


def install(gateway_port):
    """Gives every internal client made from now on that targets this gateway the in-process path."""
    if not enabled():
        return
    from localstack.aws import connect

    original = connect.InternalClientFactory._get_client_post_hook
    if getattr(original, "_polystack", False):
        return

    def post_hook(self, client):
        client = original(self, client)
        if targets_gateway(client.meta.endpoint_url, gateway_port):
            short_circuit(client)
        return client

    post_hook._polystack = True
    connect.InternalClientFactory._get_client_post_hook = post_hook


def targets_gateway(endpoint_url, gateway_port):
    """Whether a client's endpoint is this gateway (a local host name on its port)."""
    if not endpoint_url:
        return False
    url = urllib.parse.urlsplit(endpoint_url)
    host = (url.hostname or "").lower()
    local = host in _LOCAL_HOSTS or host.endswith(".localhost.localstack.cloud")
    port = url.port or (443 if url.scheme == "https" else 80)
    return local and port == int(gateway_port)


def short_circuit(client):
    """Replaces the client's ``_make_api_call`` (the one method all its operations, paginators and waiters use)."""

    def _make_api_call(operation_name, api_params):
        return call(client, operation_name, api_params)

    client._make_api_call = _make_api_call
    global _announced
    if not _announced:  # one line in the server's log, so it is plain which path internal calls take
        _announced = True
        print(f"polystack: LocalStack's internal clients call the gateway in process (first: "
              f"{client.meta.service_model.service_name})", file=sys.stderr, flush=True)


def _java():
    global _calls
    if _calls is None:
        import java

        _calls = java.type("dev.polystack.bridge.InternalCalls")
    return _calls


def call(client, operation_name, api_params):
    """One operation through the gateway's in-process dispatch, answered as botocore's parser would."""
    meta = client.meta
    model = meta.service_model.operation_model(operation_name)
    # LocalStack's internal request parameters (_SourceArn, _ServicePrincipal ...) travel in a header over HTTP;
    # no provider here reads them.
    params = {k: v for k, v in api_params.items() if not k.startswith("_")}
    if model.input_shape is not None:
        params = _to_gateway(model.input_shape, params)
    credentials = client._get_credentials()
    access_key = credentials.access_key if credentials is not None else None
    answer = treecodec.loads(_java().call(meta.service_model.service_name, operation_name, access_key,
                                          meta.region_name or "us-east-1", treecodec.dumps(params)))
    if "error" in answer:
        raise client_error(client, operation_name, answer["error"])
    output = answer.get("output") or {}
    parsed = _from_gateway(model.output_shape, output) if model.output_shape is not None else {}
    status = answer.get("status") or 200
    parsed["ResponseMetadata"] = {"RequestId": answer.get("request_id", ""), "HTTPStatusCode": status,
                                  "HTTPHeaders": {}, "RetryAttempts": 0}
    return parsed


def client_error(client, operation_name, error):
    """The exception botocore raises for an error answer: the client's modelled class for the code, else ClientError."""
    code = error.get("code") or "InternalError"
    status = int(error.get("status") or 400)
    response = {"Error": {"Code": code, "Message": error.get("message") or "",
                          "Type": "Sender" if error.get("sender_fault") else "Receiver"},
                "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0}}
    for name, value in (error.get("fields") or {}).items():
        response.setdefault(name, value)
    return client.exceptions.from_code(code)(response, operation_name)


def _to_gateway(shape, value):
    """Parameters as the gateway's trees hold them: blobs as bytes (botocore accepts str and files for them),
    timestamps as datetimes, idempotency tokens filled in as botocore fills them."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return value
        members = shape.members
        out = {}
        for name, member in value.items():
            member_shape = members.get(name)
            out[name] = member if member_shape is None or member is None else _to_gateway(member_shape, member)
        for name, member_shape in members.items():
            if name not in out and member_shape.metadata.get("idempotencyToken"):
                out[name] = str(uuid.uuid4())
        return out
    if kind == "list":
        return [_to_gateway(shape.member, v) for v in value] if isinstance(value, (list, tuple)) else value
    if kind == "map":
        return {k: _to_gateway(shape.value, v) for k, v in value.items()} if isinstance(value, dict) else value
    if kind == "blob":
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, (bytearray, memoryview)):
            return bytes(value)
        read = getattr(value, "read", None)
        return read() if callable(read) else value
    if kind == "timestamp":
        return _timestamp(value)
    return value


def _from_gateway(shape, value):
    """An answer tree as botocore parses it: timestamps as aware datetimes, a blob payload as a StreamingBody."""
    out = _parsed(shape, value)
    payload = shape.serialization.get("payload")
    if payload and isinstance(out, dict) and payload in shape.members and shape.members[payload].type_name == "blob":
        from botocore.response import StreamingBody

        data = out.get(payload, b"")
        if isinstance(data, str):
            data = data.encode("utf-8")
        out[payload] = StreamingBody(io.BytesIO(data), len(data))
    return out


def _parsed(shape, value):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return value
        members = shape.members
        return {k: (_parsed(members[k], v) if k in members else v) for k, v in value.items()}
    if kind == "list":
        return [_parsed(shape.member, v) for v in value] if isinstance(value, list) else value
    if kind == "map":
        return {k: _parsed(shape.value, v) for k, v in value.items()} if isinstance(value, dict) else value
    if kind == "timestamp":
        return _timestamp(value)
    return value


def _timestamp(value):
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc)
    if isinstance(value, str):
        from botocore.utils import parse_timestamp

        return parse_timestamp(value)
    return value
