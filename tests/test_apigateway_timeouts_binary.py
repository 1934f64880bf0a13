"""API Gateway behaviour that needs a real function behind it: an integration that outlives its timeoutInMillis
(REST: 504 "Endpoint request timed out"; HTTP APIs: 503 "Service Unavailable"), and binary media types served through
a Lambda proxy integration (request bodies base64-encoded for the function when their Content-Type is binary; a
base64 answer decoded for a client whose Accept names a binary type, left as text for others)."""
import base64
import io
import time
import zipfile
from urllib.parse import urlparse

import pytest
import requests

from helpers import unique

SLOW = """
import time
def handler(event, context):
    time.sleep(20)
    return {"statusCode": 200, "body": "too late"}
"""

FAST = """
def handler(event, context):
    return {"statusCode": 200, "body": "in time"}
"""

BINARY = """
import base64, json
PICTURE = bytes(range(256))
def handler(event, context):
    if event["path"].endswith("/upload"):
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
                "body": json.dumps({"isBase64Encoded": event["isBase64Encoded"], "body": event["body"]})}
    return {"statusCode": 200, "headers": {"Content-Type": "image/png"},
            "body": base64.b64encode(PICTURE).decode(), "isBase64Encoded": True}
"""


def zipped(source):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("index.py", source)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def clients(aws_client, endpoint_url):
    return aws_client("apigateway"), aws_client("apigatewayv2"), aws_client("lambda"), urlparse(endpoint_url).port


def function(lambda_client, source, timeout=3):
    name = unique("fn")
    arn = lambda_client.create_function(FunctionName=name, Runtime="python3.12", Handler="index.handler", Timeout=timeout,
                                        Role="arn:aws:iam::000000000000:role/lambda", Code={"ZipFile": zipped(source)})["FunctionArn"]
    lambda_client.get_waiter("function_active_v2").wait(FunctionName=name)
    return arn


def uri(arn):
    return f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"


def call(port, api_id, path, method="GET", **kwargs):
    headers = dict(kwargs.pop("headers", {}))
    headers["Host"] = f"{api_id}.execute-api.localhost.localstack.cloud:{port}"
    return requests.request(method, f"http://127.0.0.1:{port}{path}", headers=headers, timeout=60, **kwargs)


def proxy_resource(apigw, api_id, parent, part, function_arn, **integration):
    resource = apigw.create_resource(restApiId=api_id, parentId=parent, pathPart=part)["id"]
    apigw.put_method(restApiId=api_id, resourceId=resource, httpMethod="ANY", authorizationType="NONE")
    apigw.put_integration(restApiId=api_id, resourceId=resource, httpMethod="ANY", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=uri(function_arn), **integration)
    return resource


def test_a_lambda_integration_past_its_timeout_is_504_on_rest_and_503_on_http_apis(clients):
    apigw, apigw2, lambda_client, port = clients
    slow = function(lambda_client, SLOW, timeout=30)
    fast = function(lambda_client, FAST)
    api = apigw.create_rest_api(name=unique("timeouts"))
    slow_resource = proxy_resource(apigw, api["id"], api["rootResourceId"], "slow", slow, timeoutInMillis=1000)
    proxy_resource(apigw, api["id"], api["rootResourceId"], "fast", fast)
    assert apigw.get_integration(restApiId=api["id"], resourceId=slow_resource, httpMethod="ANY")["timeoutInMillis"] == 1000
    apigw.create_deployment(restApiId=api["id"], stageName="dev")

    assert call(port, api["id"], "/dev/fast").text == "in time"
    started = time.monotonic()
    answer = call(port, api["id"], "/dev/slow")
    elapsed = time.monotonic() - started
    assert (answer.status_code, answer.json()) == (504, {"message": "Endpoint request timed out"})
    assert elapsed < 15, f"answered after {elapsed:.1f} s: the 1 s integration timeout was not applied"

    http_api = apigw2.create_api(Name=unique("timeouts"), ProtocolType="HTTP")["ApiId"]
    integration = apigw2.create_integration(ApiId=http_api, IntegrationType="AWS_PROXY", IntegrationUri=slow,
                                            PayloadFormatVersion="2.0", TimeoutInMillis=1000)
    assert integration["TimeoutInMillis"] == 1000
    apigw2.create_route(ApiId=http_api, RouteKey="GET /slow", Target=f"integrations/{integration['IntegrationId']}")
    apigw2.create_stage(ApiId=http_api, StageName="$default", AutoDeploy=True)
    started = time.monotonic()
    answer = call(port, http_api, "/slow")
    assert (answer.status_code, answer.json()) == (503, {"message": "Service Unavailable"})
    assert time.monotonic() - started < 15


def test_binary_media_types_round_trip_through_a_lambda_proxy(clients):
    apigw, _, lambda_client, port = clients
    fn = function(lambda_client, BINARY)
    api = apigw.create_rest_api(name=unique("binary"), binaryMediaTypes=["image/png", "audio/*"])
    proxy_resource(apigw, api["id"], api["rootResourceId"], "upload", fn)
    proxy_resource(apigw, api["id"], api["rootResourceId"], "image", fn)
    apigw.create_deployment(restApiId=api["id"], stageName="dev")
    picture = bytes(range(256))

    # A binary request body reaches the function base64-encoded; a text one as it is.
    seen = call(port, api["id"], "/dev/upload", method="POST", data=picture, headers={"Content-Type": "image/png"}).json()
    assert seen == {"isBase64Encoded": True, "body": base64.b64encode(picture).decode()}
    seen = call(port, api["id"], "/dev/upload", method="POST", data=picture,
                headers={"Content-Type": "audio/mpeg"}).json()
    assert seen["isBase64Encoded"] is True, "a wildcard binary media type matches"
    seen = call(port, api["id"], "/dev/upload", method="POST", data=b'{"a": 1}', headers={"Content-Type": "application/json"}).json()
    assert seen == {"isBase64Encoded": False, "body": '{"a": 1}'}

    # A base64 answer is decoded for a client accepting a binary type, and left as base64 text otherwise.
    image = call(port, api["id"], "/dev/image", headers={"Accept": "image/png"})
    assert (image.status_code, image.headers["Content-Type"], image.content) == (200, "image/png", picture)
    text = call(port, api["id"], "/dev/image", headers={"Accept": "application/json"})
    assert text.content == base64.b64encode(picture)
