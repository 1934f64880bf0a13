"""API Gateway in front of real Lambda functions (native Lambda runs them as local processes): the REST API Lambda
proxy event and answer mapping, a malformed answer (502), a Lambda TOKEN authorizer allowing and denying, and an
HTTP API with payload format 2.0."""
import io
import json
import zipfile
from urllib.parse import urlparse

import pytest
import requests

from helpers import unique

ECHO = '''
import json
def handler(event, context):
    if event.get("path", event.get("rawPath", "")).endswith("/broken"):
        return "not a proxy answer"
    return {"statusCode": 201, "headers": {"X-Fn": "echo"}, "multiValueHeaders": {"X-Multi": ["a", "b"]},
            "body": json.dumps({"event": event})}
'''

V2_PLAIN = '''
def handler(event, context):
    return {"route": event["routeKey"], "path": event["rawPath"], "q": event.get("queryStringParameters"),
            "version": event["version"], "id": event.get("pathParameters", {}).get("id")}
'''

AUTHORIZER = '''
def handler(event, context):
    token = event["authorizationToken"]
    if token == "boom":
        raise Exception("Unauthorized")
    effect = "Allow" if token == "allow" else "Deny"
    return {"principalId": "user-1", "context": {"tier": "gold"},
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}}
'''


def zipped(source):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("index.py", source)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def clients(aws_client, endpoint_url):
    return aws_client("apigateway"), aws_client("apigatewayv2"), aws_client("lambda"), urlparse(endpoint_url).port


def function(lambda_client, source):
    name = unique("fn")
    arn = lambda_client.create_function(FunctionName=name, Runtime="python3.12", Handler="index.handler",
                                        Role="arn:aws:iam::000000000000:role/lambda", Code={"ZipFile": zipped(source)})["FunctionArn"]
    lambda_client.get_waiter("function_active_v2").wait(FunctionName=name)
    return arn


def uri(arn):
    return f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"


def call(port, api_id, path, method="GET", **kwargs):
    headers = dict(kwargs.pop("headers", {}))
    headers["Host"] = f"{api_id}.execute-api.localhost.localstack.cloud:{port}"
    return requests.request(method, f"http://127.0.0.1:{port}{path}", headers=headers, timeout=60, **kwargs)


def test_rest_api_lambda_proxy_and_token_authorizer(clients):
    apigw, _, lambda_client, port = clients
    echo = function(lambda_client, ECHO)
    auth = function(lambda_client, AUTHORIZER)
    api_id = apigw.create_rest_api(name=unique("api"))["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    proxy = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")["id"]
    apigw.put_method(restApiId=api_id, resourceId=proxy, httpMethod="ANY", authorizationType="NONE")
    apigw.put_integration(restApiId=api_id, resourceId=proxy, httpMethod="ANY", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=uri(echo))
    secure = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="secure")["id"]
    authorizer = apigw.create_authorizer(restApiId=api_id, name="token", type="TOKEN", authorizerUri=uri(auth),
                                         identitySource="method.request.header.Authorization")["id"]
    apigw.put_method(restApiId=api_id, resourceId=secure, httpMethod="GET", authorizationType="CUSTOM", authorizerId=authorizer)
    apigw.put_integration(restApiId=api_id, resourceId=secure, httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=uri(echo))
    apigw.create_deployment(restApiId=api_id, stageName="dev", variables={"v": "1"})

    answer = call(port, api_id, "/dev/pets/7?a=1&a=2", method="POST", json={"n": 1})
    assert answer.status_code == 201
    assert answer.headers["X-Fn"] == "echo" and answer.headers["X-Multi"] == "a, b"
    event = answer.json()["event"]
    assert (event["resource"], event["path"], event["httpMethod"]) == ("/{proxy+}", "/pets/7", "POST")
    assert event["pathParameters"] == {"proxy": "pets/7"} and event["stageVariables"] == {"v": "1"}
    assert event["queryStringParameters"] == {"a": "2"} and event["multiValueQueryStringParameters"] == {"a": ["1", "2"]}
    assert json.loads(event["body"]) == {"n": 1} and event["isBase64Encoded"] is False
    assert event["requestContext"]["stage"] == "dev" and event["requestContext"]["resourcePath"] == "/{proxy+}"

    broken = call(port, api_id, "/dev/broken")
    assert (broken.status_code, broken.json()) == (502, {"message": "Internal server error"})

    assert call(port, api_id, "/dev/secure").status_code == 401
    allowed = call(port, api_id, "/dev/secure", headers={"Authorization": "allow"})
    assert allowed.status_code == 201
    assert allowed.json()["event"]["requestContext"]["authorizer"] == {"principalId": "user-1", "tier": "gold"}
    denied = call(port, api_id, "/dev/secure", headers={"Authorization": "deny"})
    assert (denied.status_code, denied.json()) == (403, {"Message": "User is not authorized to access this resource with an explicit deny"})
    assert call(port, api_id, "/dev/secure", headers={"Authorization": "boom"}).status_code == 401


def test_http_api_payload_v2(clients):
    _, apigw2, lambda_client, port = clients
    fn = function(lambda_client, V2_PLAIN)
    api_id = apigw2.create_api(Name=unique("http"), ProtocolType="HTTP")["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn,
                                            PayloadFormatVersion="2.0")["IntegrationId"]
    apigw2.create_route(ApiId=api_id, RouteKey="GET /items/{id}", Target=f"integrations/{integration}")
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    answer = call(port, api_id, "/items/9?x=1")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.json() == {"route": "GET /items/{id}", "path": "/items/9", "q": {"x": "1"}, "version": "2.0", "id": "9"}
