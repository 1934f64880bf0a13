"""API Gateway v2 WebSocket APIs: the message payload quota AWS documents (128 KB; a larger message closes the
connection with code 1009). A message at the quota is still routed."""
import json
from urllib.parse import urlparse

import pytest

from helpers import unique

websocket = pytest.importorskip("websocket", reason="pip install websocket-client (listed in the README's test prerequisites)")

QUOTA = 128 * 1024


@pytest.fixture(scope="module")
def api_url(aws_client, endpoint_url):
    apigw2 = aws_client("apigatewayv2")
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
    return f"ws://127.0.0.1:{urlparse(endpoint_url).port}/_aws/execute-api/{api_id}/dev"


def test_message_at_the_quota_is_routed(api_url):
    ws = websocket.create_connection(api_url, timeout=60)
    try:
        ws.send("x" * QUOTA)
        assert json.loads(ws.recv()) == {"route": "$default"}
    finally:
        ws.close()


def test_message_over_the_quota_closes_with_1009(api_url):
    ws = websocket.create_connection(api_url, timeout=60)
    try:
        ws.send("x" * (QUOTA + 1))
        opcode, data = ws.recv_data(control_frame=True)
        assert opcode == websocket.ABNF.OPCODE_CLOSE
        assert int.from_bytes(data[:2], "big") == 1009
    finally:
        ws.close()
