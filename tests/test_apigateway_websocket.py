"""API Gateway v2 WebSocket APIs served for real: a WebSocket client (websocket-client) connects to
ws://<api-id>.execute-api.localhost.localstack.cloud:<port>/<stage> (and LocalStack's /_aws/execute-api path form),
$connect decides the handshake, messages are routed by the route selection expression to Lambda proxy and MOCK
integrations, two-way routes answer, $disconnect runs, and the backend uses @connections (PostToConnection,
GetConnection, DeleteConnection) through boto3's apigatewaymanagementapi client."""
import json
import os
import tempfile
import time
from urllib.parse import urlparse

import pytest

from conftest import make_client
from helpers import unique
from lambda_helpers import Functions

websocket = pytest.importorskip("websocket", reason="pip install websocket-client (listed in the README's test prerequisites)")

HANDLER = '''
import json, os
def handler(event, context):
    ctx = event["requestContext"]
    kind = ctx["eventType"]
    if kind == "CONNECT" and (event.get("queryStringParameters") or {}).get("deny"):
        return {"statusCode": 403}
    if kind == "DISCONNECT":
        with open(os.path.join(os.environ["MARKERS"], ctx["connectionId"].replace("=", "_")), "w") as f:
            json.dump(ctx, f)
        return {"statusCode": 200}
    if kind == "CONNECT":
        return {"statusCode": 200}
    if event.get("body") == "crash":
        raise Exception("boom")
    return {"statusCode": 200, "body": json.dumps({"route": ctx["routeKey"], "eventType": kind, "body": event.get("body"),
            "connectionId": ctx["connectionId"], "stage": ctx["stage"], "apiId": ctx["apiId"],
            "base64": event.get("isBase64Encoded")})}
'''


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


@pytest.fixture(scope="module")
def apigw2(aws_client):
    return aws_client("apigatewayv2")


@pytest.fixture(scope="module")
def markers():
    with tempfile.TemporaryDirectory() as d:
        yield d


@pytest.fixture(scope="module")
def function_arn(aws_client, markers):
    functions = Functions(aws_client("lambda"))
    name, answer = functions.create(files={"index.py": HANDLER}, Environment={"Variables": {"MARKERS": markers}})
    yield answer["FunctionArn"]
    functions.cleanup()


def lambda_uri(arn):
    return f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"


def deploy(apigw2, api_id, stage="prod"):
    deployment = apigw2.create_deployment(ApiId=api_id)["DeploymentId"]
    apigw2.create_stage(ApiId=api_id, StageName=stage, DeploymentId=deployment)


@pytest.fixture(scope="module")
def lambda_api(apigw2, function_arn):
    api = apigw2.create_api(Name=unique("ws"), ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    api_id = api["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY",
                                            IntegrationUri=lambda_uri(function_arn))["IntegrationId"]
    for key in ("$connect", "$disconnect", "$default", "echo", "oneway"):
        route = apigw2.create_route(ApiId=api_id, RouteKey=key, Target=f"integrations/{integration}",
                                    **({} if key in ("$connect", "$disconnect", "oneway") else
                                       {"RouteResponseSelectionExpression": "$default"}))
        if key in ("$default", "echo"):
            apigw2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    deploy(apigw2, api_id)
    return api


def connect(port, api_id, path="/prod", **kwargs):
    return websocket.create_connection(f"ws://127.0.0.1:{port}{path}", timeout=30,
                                       host=f"{api_id}.execute-api.localhost.localstack.cloud:{port}", **kwargs)


def management(port, stage="prod"):
    """The management client as a backend points it: at the stage's URL (the path carries the stage)."""
    return make_client(f"http://127.0.0.1:{port}" + (f"/{stage}" if stage else ""), "apigatewaymanagementapi")


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_api_endpoint_is_a_ws_url(lambda_api, port):
    assert lambda_api["ApiEndpoint"] == f"ws://{lambda_api['ApiId']}.execute-api.localhost.localstack.cloud:{port}"
    assert lambda_api["RouteSelectionExpression"] == "$request.body.action"


def test_messages_routed_by_selection_expression_to_lambda(lambda_api, port):
    ws = connect(port, lambda_api["ApiId"])
    try:
        ws.send(json.dumps({"action": "echo", "n": 1}))
        answer = json.loads(ws.recv())
        assert answer["route"] == "echo"
        assert answer["eventType"] == "MESSAGE"
        assert json.loads(answer["body"]) == {"action": "echo", "n": 1}
        assert answer["stage"] == "prod"
        assert answer["apiId"] == lambda_api["ApiId"]
        ws.send("not json at all")
        answer = json.loads(ws.recv())
        assert answer["route"] == "$default"
        assert answer["body"] == "not json at all"
        ws.send(json.dumps({"action": "unknown-key"}))
        assert json.loads(ws.recv())["route"] == "$default"
        # a one-way route (no route response) answers nothing: the next answer is the next two-way message's
        ws.send(json.dumps({"action": "oneway"}))
        ws.send(json.dumps({"action": "echo", "n": 2}))
        assert json.loads(json.loads(ws.recv())["body"])["n"] == 2
        # a failing function: AWS's error message on the socket, the connection stays open
        ws.send("crash")
        error = json.loads(ws.recv())
        assert error["message"] == "Internal server error"
        assert error["connectionId"] == answer["connectionId"]
        assert error["requestId"]
        ws.send(json.dumps({"action": "echo", "n": 3}))
        assert json.loads(json.loads(ws.recv())["body"])["n"] == 3
    finally:
        ws.close()


def test_connect_route_refuses_the_handshake(lambda_api, port):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        connect(port, lambda_api["ApiId"], path="/prod?deny=1")
    assert refused.value.status_code == 403


def test_unknown_stage_is_refused(lambda_api, port):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        connect(port, lambda_api["ApiId"], path="/nostage")
    assert refused.value.status_code == 403


def test_connections_management_api(lambda_api, port, markers):
    ws = connect(port, lambda_api["ApiId"], header=["User-Agent: ws-test-agent"])
    try:
        ws.send(json.dumps({"action": "echo"}))
        connection_id = json.loads(ws.recv())["connectionId"]
        client = management(port)
        info = client.get_connection(ConnectionId=connection_id)
        assert info["Identity"]["SourceIp"]
        assert info["Identity"]["UserAgent"] == "ws-test-agent"
        assert info["ConnectedAt"] <= info["LastActiveAt"]
        client.post_to_connection(ConnectionId=connection_id, Data=b'{"pushed": true}')
        assert json.loads(ws.recv()) == {"pushed": True}
        # the endpoint without a stage (LocalStack's plain endpoint) reaches the same connection
        plain = management(port, stage=None)
        plain.post_to_connection(ConnectionId=connection_id, Data="second")
        assert ws.recv() == "second"
        client.delete_connection(ConnectionId=connection_id)
        opcode, _ = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        for call in (lambda: client.get_connection(ConnectionId=connection_id),
                     lambda: client.post_to_connection(ConnectionId=connection_id, Data=b"x"),
                     lambda: client.delete_connection(ConnectionId=connection_id)):
            with pytest.raises(client.exceptions.GoneException) as gone:
                call()
            assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
    finally:
        ws.close()
    marker = os.path.join(markers, connection_id.replace("=", "_"))
    ctx = json.loads(wait_for(lambda: os.path.exists(marker) and open(marker).read()))
    assert ctx["eventType"] == "DISCONNECT"
    assert ctx["routeKey"] == "$disconnect"


def test_disconnect_route_runs_when_the_client_closes(lambda_api, port, markers):
    ws = connect(port, lambda_api["ApiId"])
    ws.send(json.dumps({"action": "echo"}))
    connection_id = json.loads(ws.recv())["connectionId"]
    ws.close()
    marker = os.path.join(markers, connection_id.replace("=", "_"))
    ctx = json.loads(wait_for(lambda: os.path.exists(marker) and open(marker).read()))
    assert ctx["connectionId"] == connection_id
    assert ctx["disconnectStatusCode"] == 1000


def test_unknown_connection_is_gone(port):
    client = management(port)
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId="AAAAAAAAAAAAAAA=", Data=b"x")


def test_mock_integration_with_templates_and_path_form(apigw2, port):
    api_id = apigw2.create_api(Name=unique("ws-mock"), ProtocolType="WEBSOCKET",
                               RouteSelectionExpression="$request.body.action")["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="MOCK",
                                            RequestTemplates={"$default": '{"statusCode": 200}'},
                                            TemplateSelectionExpression="\\$default")["IntegrationId"]
    answer = apigw2.create_integration_response(
        ApiId=api_id, IntegrationId=integration, IntegrationResponseKey="$default",
        ResponseTemplates={"$default": '{"said": $input.json(\'$.text\'), "route": "$context.routeKey"}'})
    assert answer["IntegrationResponseKey"] == "$default"
    assert apigw2.get_integration_responses(ApiId=api_id, IntegrationId=integration)["Items"][0]["IntegrationResponseId"] \
        == answer["IntegrationResponseId"]
    route = apigw2.create_route(ApiId=api_id, RouteKey="say", Target=f"integrations/{integration}",
                                RouteResponseSelectionExpression="$default")
    apigw2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    assert [r["RouteResponseKey"] for r in apigw2.get_route_responses(ApiId=api_id, RouteId=route["RouteId"])["Items"]] \
        == ["$default"]
    deploy(apigw2, api_id, stage="dev")
    ws = websocket.create_connection(f"ws://127.0.0.1:{port}/_aws/execute-api/{api_id}/dev", timeout=30)
    try:
        ws.send(json.dumps({"action": "say", "text": "hi"}))
        assert json.loads(ws.recv()) == {"said": "hi", "route": "say"}
        # no route for the key and no $default route: AWS's Forbidden message
        ws.send(json.dumps({"action": "other"}))
        error = json.loads(ws.recv())
        assert error["message"] == "Forbidden"
        assert error["connectionId"] and error["requestId"]
    finally:
        ws.close()


def test_route_response_errors(apigw2):
    api_id = apigw2.create_api(Name=unique("ws-err"), ProtocolType="WEBSOCKET",
                               RouteSelectionExpression="$request.body.action")["ApiId"]
    with pytest.raises(apigw2.exceptions.NotFoundException):
        apigw2.create_route_response(ApiId=api_id, RouteId="nope", RouteResponseKey="$default")
    with pytest.raises(apigw2.exceptions.NotFoundException):
        apigw2.get_integration_responses(ApiId=api_id, IntegrationId="nope")
