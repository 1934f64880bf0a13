"""Native API Gateway v2 HTTP APIs: management shapes, quick create, auto-deployed $default stage, named stages
with deployments, route matching, CORS, JWT routes refusing requests without a valid token (verification against a
JWKS served here: tests/test_apigateway_jwt.py)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import requests

from helpers import error_of, unique


@pytest.fixture(scope="module")
def apigw2(aws_client):
    return aws_client("apigatewayv2")


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


@pytest.fixture(scope="module")
def backend():
    class Echo(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            payload = json.dumps({"method": self.command, "path": self.path, "body": body}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def call(port, api_id, path, method="GET", **kwargs):
    headers = dict(kwargs.pop("headers", {}))
    headers["Host"] = f"{api_id}.execute-api.localhost.localstack.cloud:{port}"
    return requests.request(method, f"http://127.0.0.1:{port}{path}", headers=headers, timeout=30, **kwargs)


def test_create_api_shape_and_errors(apigw2, port):
    api = apigw2.create_api(Name=unique("http"), ProtocolType="HTTP")
    assert api["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert api["ApiEndpoint"] == f"http://{api['ApiId']}.execute-api.localhost.localstack.cloud:{port}"
    assert api["RouteSelectionExpression"] == "$request.method $request.path"
    assert api["ApiKeySelectionExpression"] == "$request.header.x-api-key"
    assert api["DisableExecuteApiEndpoint"] is False
    assert [a["ApiId"] for a in apigw2.get_apis()["Items"]].count(api["ApiId"]) == 1
    err, status = error_of(apigw2.get_api, ApiId="nope")
    assert (err["Code"], status) == ("NotFoundException", 404)
    err, status = error_of(apigw2.create_route, ApiId=api["ApiId"], RouteKey="FETCH /x")
    assert (err["Code"], status) == ("BadRequestException", 400)
    err, _ = error_of(apigw2.create_integration, ApiId=api["ApiId"], IntegrationType="AWS_PROXY",
                      IntegrationUri="arn:aws:lambda:us-east-1:000000000000:function:f")
    assert err["Message"] == "PayloadFormatVersion is a required parameter for integration type AWS_PROXY."
    ws = apigw2.create_api(Name=unique("ws"), ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    assert ws["ApiEndpoint"].startswith("ws://")
    apigw2.delete_api(ApiId=api["ApiId"])
    error_of(apigw2.get_api, ApiId=api["ApiId"])


def test_quick_create_http_proxy_serves_on_default_stage(apigw2, port, backend):
    api = apigw2.create_api(Name=unique("quick"), ProtocolType="HTTP", Target=backend + "/base")
    stages = apigw2.get_stages(ApiId=api["ApiId"])["Items"]
    assert [(s["StageName"], s["AutoDeploy"]) for s in stages] == [("$default", True)]
    routes = apigw2.get_routes(ApiId=api["ApiId"])["Items"]
    assert [r["RouteKey"] for r in routes] == ["$default"]
    answer = call(port, api["ApiId"], "/anything?x=1", method="POST", data="hi")
    assert answer.status_code == 200
    assert answer.json() == {"method": "POST", "path": "/base?x=1", "body": "hi"}


def test_routes_stages_and_deployments(apigw2, port, backend):
    api_id = apigw2.create_api(Name=unique("routes"), ProtocolType="HTTP")["ApiId"]
    items = apigw2.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET",
                                      IntegrationUri=backend + "/items/{id}", PayloadFormatVersion="1.0")
    catch_all = apigw2.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="ANY",
                                          IntegrationUri=backend + "/fallback", PayloadFormatVersion="1.0")
    apigw2.create_route(ApiId=api_id, RouteKey="GET /items/{id}", Target=f"integrations/{items['IntegrationId']}")
    apigw2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{catch_all['IntegrationId']}")
    err, status = error_of(apigw2.create_route, ApiId=api_id, RouteKey="GET /items/{id}")
    assert (err["Code"], status) == ("ConflictException", 409)
    apigw2.create_stage(ApiId=api_id, StageName="prod")
    # Not deployed yet: nothing is served.
    assert call(port, api_id, "/prod/items/1").status_code == 404
    deployment = apigw2.create_deployment(ApiId=api_id, StageName="prod")
    assert deployment["DeploymentStatus"] == "DEPLOYED"
    assert apigw2.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"] == deployment["DeploymentId"]
    assert call(port, api_id, "/prod/items/7").json()["path"] == "/items/7"
    assert call(port, api_id, "/prod/other", method="DELETE").json() == {"method": "DELETE", "path": "/fallback", "body": ""}
    # A route added after the deployment is served only once deployed again.
    apigw2.create_route(ApiId=api_id, RouteKey="GET /new", Target=f"integrations/{items['IntegrationId']}")
    assert call(port, api_id, "/prod/new").json()["path"] == "/fallback"


def test_cors_and_jwt_route(apigw2, port, backend):
    api_id = apigw2.create_api(Name=unique("cors"), ProtocolType="HTTP", Target=backend,
                               CorsConfiguration={"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"],
                                                  "AllowHeaders": ["content-type"], "MaxAge": 300})["ApiId"]
    preflight = call(port, api_id, "/x", method="OPTIONS",
                     headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET,POST"
    assert preflight.headers["Access-Control-Max-Age"] == "300"
    simple = call(port, api_id, "/x", headers={"Origin": "https://app.example"})
    assert simple.headers["Access-Control-Allow-Origin"] == "https://app.example"

    authorizer = apigw2.create_authorizer(ApiId=api_id, AuthorizerType="JWT", Name="jwt",
                                          IdentitySource=["$request.header.Authorization"],
                                          JwtConfiguration={"Audience": ["aud"], "Issuer": "https://issuer.example"})
    assert apigw2.get_authorizer(ApiId=api_id, AuthorizerId=authorizer["AuthorizerId"])["JwtConfiguration"]["Issuer"] == "https://issuer.example"
    integration = apigw2.get_integrations(ApiId=api_id)["Items"][0]
    apigw2.create_route(ApiId=api_id, RouteKey="GET /secure", AuthorizationType="JWT", AuthorizerId=authorizer["AuthorizerId"],
                        Target=f"integrations/{integration['IntegrationId']}")
    assert (call(port, api_id, "/secure").status_code, call(port, api_id, "/secure").json()) == (401, {"message": "Unauthorized"})
    invalid = call(port, api_id, "/secure", headers={"Authorization": "Bearer x"})
    assert (invalid.status_code, invalid.json()) == (401, {"message": "Unauthorized"})
    assert invalid.headers["www-authenticate"] == 'Bearer scope="" error="invalid_token" error_description="the token is invalid"'
