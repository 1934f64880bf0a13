"""API Gateway v2 WebSocket APIs: the limits AWS documents. A frame over 32 KB, or a message over the 128 KB payload
quota (sent in frames within the limit), closes the connection with code 1009; a message at the quota, sent in
32 KB frames, is still routed. A connection idle for the idle timeout (10 minutes on AWS) or open for the maximum
duration (2 hours) is closed with 1001: both are settings (APIGATEWAY_WEBSOCKET_IDLE_TIMEOUT,
APIGATEWAY_WEBSOCKET_MAX_LIFETIME, in seconds), proven here on a server of its own with short ones."""
import json
import time
from urllib.parse import urlparse

import pytest

from helpers import unique

websocket = pytest.importorskip("websocket", reason="pip install websocket-client (listed in the README's test prerequisites)")

QUOTA = 128 * 1024
FRAME = 32 * 1024


def echo_api(apigw2):
    """A WebSocket API whose $default route answers {"route": ...} through MOCK, deployed to stage dev."""
    api_id = apigw2.create_api(Name=unique("ws-limits"), ProtocolType="WEBSOCKET",
                               RouteSelectionExpression="$request.body.action")["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="MOCK",
                                            RequestTemplates={"$default": '{"statusCode": 200}'},
                                            TemplateSelectionExpression="\\$default")["IntegrationId"]
    apigw2.create_integration_response(ApiId=api_id, IntegrationId=integration, IntegrationResponseKey="$default",
                                       ResponseTemplates={"$default": '{"route": "$context.routeKey"}'})
    route = apigw2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{integration}",
                                RouteResponseSelectionExpression="$default")
    apigw2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    apigw2.create_stage(ApiId=api_id, StageName="dev", DeploymentId=apigw2.create_deployment(ApiId=api_id)["DeploymentId"])
    return api_id


@pytest.fixture(scope="module")
def api_url(aws_client, endpoint_url):
    api_id = echo_api(aws_client("apigatewayv2"))
    return f"ws://127.0.0.1:{urlparse(endpoint_url).port}/_aws/execute-api/{api_id}/dev"


def send_in_frames(ws, text, frame=FRAME):
    """One text message sent as several frames (a first TEXT frame, then continuations), none over `frame` bytes."""
    data = text.encode()
    parts = [data[i:i + frame] for i in range(0, len(data), frame)]
    for i, part in enumerate(parts):
        opcode = websocket.ABNF.OPCODE_TEXT if i == 0 else websocket.ABNF.OPCODE_CONT
        ws.send_frame(websocket.ABNF.create_frame(part, opcode, fin=1 if i == len(parts) - 1 else 0))


def close_code(ws):
    """The code of the close frame the server sends next."""
    opcode, data = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    return int.from_bytes(data[:2], "big"), data[2:].decode()


def test_a_frame_at_the_limit_is_routed_and_a_larger_one_closes_with_1009(api_url):
    ws = websocket.create_connection(api_url, timeout=60)
    try:
        ws.send("x" * FRAME)
        assert json.loads(ws.recv()) == {"route": "$default"}
        ws.send("x" * (FRAME + 1))
        assert close_code(ws)[0] == 1009
    finally:
        ws.close()


def test_a_message_at_the_quota_in_frames_is_routed(api_url):
    ws = websocket.create_connection(api_url, timeout=60)
    try:
        send_in_frames(ws, "x" * QUOTA)
        assert json.loads(ws.recv()) == {"route": "$default"}
    finally:
        ws.close()


def test_a_message_over_the_quota_closes_with_1009(api_url):
    ws = websocket.create_connection(api_url, timeout=60)
    try:
        send_in_frames(ws, "x" * (QUOTA + 1))
        assert close_code(ws)[0] == 1009
    finally:
        ws.close()


IDLE = 8
LIFETIME = 16


def test_idle_and_too_old_connections_are_closed_with_1001(start_server):
    server = start_server({"APIGATEWAY_WEBSOCKET_IDLE_TIMEOUT": str(IDLE), "APIGATEWAY_WEBSOCKET_MAX_LIFETIME": str(LIFETIME)})
    api_id = echo_api(server.client("apigatewayv2"))
    url = f"ws://127.0.0.1:{urlparse(server.endpoint_url).port}/_aws/execute-api/{api_id}/dev"

    # A silent connection: closed once it has been idle for the idle timeout, not before.
    idle = websocket.create_connection(url, timeout=120)
    opened = time.monotonic()
    try:
        code, reason = close_code(idle)
        assert (code, reason) == (1001, "Idle timeout")
        assert time.monotonic() - opened >= IDLE - 0.5
    finally:
        idle.close()

    # A busy connection outlives the idle timeout and is closed at the end of its lifetime.
    busy = websocket.create_connection(url, timeout=120)
    opened = time.monotonic()
    try:
        while True:
            busy.send("ping")
            opcode, data = busy.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                break
            assert json.loads(data) == {"route": "$default"}
            assert time.monotonic() - opened < LIFETIME + 60, "never closed"
            time.sleep(0.2)
        assert (int.from_bytes(data[:2], "big"), data[2:].decode()) == (1001, "Connection lifetime exceeded")
        assert time.monotonic() - opened >= LIFETIME - 0.5
    finally:
        busy.close()
