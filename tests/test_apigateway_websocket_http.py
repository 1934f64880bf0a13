"""API Gateway v2 WebSocket APIs with HTTP integrations: HTTP_PROXY sends each message to the endpoint as it is,
HTTP renders the integration's request template over it first; on a two-way route the endpoint's answer goes back
to the client, and a $connect route with an HTTP integration decides the handshake by the endpoint's status."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from helpers import unique

websocket = pytest.importorskip("websocket", reason="pip install websocket-client (listed in the README's test prerequisites)")


class Backend(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        status = 403 if "deny" in self.path else 200
        out = json.dumps({"method": self.command, "path": self.path, "body": body,
                          "connectionId": self.headers.get("connectionId")}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def backend():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


def make_api(apigw2, backend, connect_path="/connect"):
    api_id = apigw2.create_api(Name=unique("ws-http"), ProtocolType="WEBSOCKET",
                               RouteSelectionExpression="$request.body.action")["ApiId"]
    proxy = apigw2.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="POST",
                                      IntegrationUri=f"{backend}/proxy")["IntegrationId"]
    templated = apigw2.create_integration(ApiId=api_id, IntegrationType="HTTP", IntegrationMethod="PUT",
                                          IntegrationUri=f"{backend}/templated",
                                          RequestTemplates={"$default": '{"wrapped": $input.body, "route": "$context.routeKey"}'},
                                          TemplateSelectionExpression="\\$default")["IntegrationId"]
    connect = apigw2.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET",
                                        IntegrationUri=f"{backend}{connect_path}")["IntegrationId"]
    apigw2.create_route(ApiId=api_id, RouteKey="$connect", Target=f"integrations/{connect}")
    for key, integration in (("$default", proxy), ("templated", templated)):
        route = apigw2.create_route(ApiId=api_id, RouteKey=key, Target=f"integrations/{integration}",
                                    RouteResponseSelectionExpression="$default")
        apigw2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    apigw2.create_stage(ApiId=api_id, StageName="prod", DeploymentId=apigw2.create_deployment(ApiId=api_id)["DeploymentId"])
    return api_id


def connect(port, api_id):
    return websocket.create_connection(f"ws://127.0.0.1:{port}/prod", timeout=60,
                                       host=f"{api_id}.execute-api.localhost.localstack.cloud:{port}")


def test_http_proxy_and_http_integrations_answer_the_client(aws_client, backend, port):
    api_id = make_api(aws_client("apigatewayv2"), backend)
    ws = connect(port, api_id)
    try:
        ws.send(json.dumps({"action": "other", "n": 1}))
        proxied = json.loads(ws.recv())
        ws.send(json.dumps({"action": "templated", "n": 2}))
        templated = json.loads(ws.recv())
    finally:
        ws.close()
    assert proxied["method"] == "POST" and proxied["path"] == "/proxy"
    assert json.loads(proxied["body"]) == {"action": "other", "n": 1}
    assert proxied["connectionId"]
    assert templated["method"] == "PUT" and templated["path"] == "/templated"
    assert json.loads(templated["body"]) == {"wrapped": {"action": "templated", "n": 2}, "route": "templated"}


def test_connect_refused_by_the_http_endpoint(aws_client, backend, port):
    api_id = make_api(aws_client("apigatewayv2"), backend, connect_path="/deny")
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        connect(port, api_id)
    assert refused.value.status_code == 403
