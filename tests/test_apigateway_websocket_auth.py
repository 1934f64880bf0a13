"""API Gateway v2 WebSocket APIs: a Lambda REQUEST authorizer on $connect, as AWS runs it. The identity sources must
be present (else the handshake is refused with 401), the function gets the CONNECT event with type REQUEST and the
methodArn of $connect, its policy must allow that ARN (else 403), and what it answers (principalId, context) reaches
every later event of the connection in requestContext.authorizer."""
import json
from urllib.parse import urlparse

import pytest

from helpers import unique
from lambda_helpers import Functions

websocket = pytest.importorskip("websocket", reason="pip install websocket-client (listed in the README's test prerequisites)")

AUTHORIZER = '''
def handler(event, context):
    token = (event.get("queryStringParameters") or {}).get("token")
    if token == "crash":
        raise Exception("boom")
    effect = "Allow" if token == "allow" else "Deny"
    return {"principalId": "alice",
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]},
            "context": {"type": event["type"], "methodArn": event["methodArn"],
                        "route": event["requestContext"]["routeKey"], "tier": 3}}
'''

BACKEND = '''
import json
def handler(event, context):
    ctx = event["requestContext"]
    if ctx["eventType"] != "MESSAGE":
        return {"statusCode": 200}
    return {"statusCode": 200, "body": json.dumps({"authorizer": ctx.get("authorizer")})}
'''


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


@pytest.fixture(scope="module")
def authorized_api(aws_client):
    apigw2 = aws_client("apigatewayv2")
    functions = Functions(aws_client("lambda"))
    _, authorizer_fn = functions.create(files={"index.py": AUTHORIZER})
    _, backend_fn = functions.create(files={"index.py": BACKEND})
    uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{}/invocations"
    api = apigw2.create_api(Name=unique("ws-auth"), ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    api_id = api["ApiId"]
    authorizer = apigw2.create_authorizer(ApiId=api_id, Name="tokens", AuthorizerType="REQUEST",
                                          AuthorizerUri=uri.format(authorizer_fn["FunctionArn"]),
                                          IdentitySource=["route.request.querystring.token"])
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY",
                                            IntegrationUri=uri.format(backend_fn["FunctionArn"]))["IntegrationId"]
    apigw2.create_route(ApiId=api_id, RouteKey="$connect", Target=f"integrations/{integration}",
                        AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"])
    route = apigw2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{integration}",
                                RouteResponseSelectionExpression="$default")
    apigw2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    apigw2.create_stage(ApiId=api_id, StageName="prod", DeploymentId=apigw2.create_deployment(ApiId=api_id)["DeploymentId"])
    yield api_id
    functions.cleanup()


def connect(port, api_id, query=""):
    return websocket.create_connection(f"ws://127.0.0.1:{port}/prod{query}", timeout=60,
                                       host=f"{api_id}.execute-api.localhost.localstack.cloud:{port}")


def refused_status(port, api_id, query):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        connect(port, api_id, query)
    return refused.value.status_code


def test_connect_without_the_identity_source_is_401(authorized_api, port):
    assert refused_status(port, authorized_api, "") == 401


def test_connect_denied_by_the_policy_is_403(authorized_api, port):
    assert refused_status(port, authorized_api, "?token=deny") == 403


def test_a_failing_authorizer_refuses_with_500(authorized_api, port):
    assert refused_status(port, authorized_api, "?token=crash") == 500


def test_allowed_connection_carries_the_authorizer_context(authorized_api, port, aws_client):
    ws = connect(port, authorized_api, "?token=allow")
    try:
        ws.send(json.dumps({"action": "anything"}))
        authorizer = json.loads(ws.recv())["authorizer"]
    finally:
        ws.close()
    assert authorizer["principalId"] == "alice"
    assert authorizer["type"] == "REQUEST"
    assert authorizer["route"] == "$connect"
    assert authorizer["tier"] == "3"
    assert authorizer["methodArn"] == f"arn:aws:execute-api:us-east-1:000000000000:{authorized_api}/prod/$connect"
    # the authorizer is stored on the route as configured
    apigw2 = aws_client("apigatewayv2")
    connect_route = next(r for r in apigw2.get_routes(ApiId=authorized_api)["Items"] if r["RouteKey"] == "$connect")
    assert connect_route["AuthorizationType"] == "CUSTOM"
