"""API Gateway Lambda REQUEST authorizers on a REST API (the function gets the request's headers, query string and
methodArn; missing identity sources are 401 without calling it, a denying policy 403) and an HTTP API's cookies
with payload format 2.0 (the request's Cookie header as the event's cookies, the function's cookies as Set-Cookie)."""
import json

from helpers import unique
from test_apigateway_lambda import call, clients, function, uri  # noqa: F401 (clients is a fixture)

AUTHORIZER = '''
def handler(event, context):
    token = (event.get("queryStringParameters") or {}).get("token")
    effect = "Allow" if token == "allow" and event["headers"].get("X-Team") == "blue" else "Deny"
    return {"principalId": "request-user", "context": {"type": event["type"], "arn": event["methodArn"]},
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}}
'''

ECHO = '''
import json
def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"authorizer": event["requestContext"].get("authorizer")})}
'''

COOKIES = '''
import json
def handler(event, context):
    return {"statusCode": 200, "cookies": ["a=1; Path=/", "b=2"], "body": json.dumps({"cookies": event.get("cookies")})}
'''


def test_rest_request_authorizer_allows_and_denies(clients):
    apigw, _, lambda_client, port = clients
    echo = function(lambda_client, ECHO)
    auth = function(lambda_client, AUTHORIZER)
    api_id = apigw.create_rest_api(name=unique("api"))["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    resource = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="orders")["id"]
    authorizer = apigw.create_authorizer(restApiId=api_id, name="request", type="REQUEST", authorizerUri=uri(auth),
                                         identitySource="method.request.querystring.token, method.request.header.X-Team")
    assert authorizer["type"] == "REQUEST" and authorizer["authorizerResultTtlInSeconds"] == 300
    apigw.put_method(restApiId=api_id, resourceId=resource, httpMethod="GET", authorizationType="CUSTOM",
                     authorizerId=authorizer["id"])
    apigw.put_integration(restApiId=api_id, resourceId=resource, httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=uri(echo))
    apigw.create_deployment(restApiId=api_id, stageName="dev")

    missing = call(port, api_id, "/dev/orders?token=allow")
    assert (missing.status_code, missing.json()) == (401, {"message": "Unauthorized"})
    allowed = call(port, api_id, "/dev/orders?token=allow", headers={"X-Team": "blue"})
    assert allowed.status_code == 200
    context = allowed.json()["authorizer"]
    assert context["principalId"] == "request-user" and context["type"] == "REQUEST"
    assert context["arn"] == f"arn:aws:execute-api:us-east-1:000000000000:{api_id}/dev/GET/orders"
    denied = call(port, api_id, "/dev/orders?token=nope", headers={"X-Team": "blue"})
    assert (denied.status_code, denied.json()) == (403, {"Message": "User is not authorized to access this resource with an explicit deny"})


def test_http_api_cookies_payload_v2(clients):
    _, apigw2, lambda_client, port = clients
    fn = function(lambda_client, COOKIES)
    api_id = apigw2.create_api(Name=unique("http"), ProtocolType="HTTP")["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn,
                                            PayloadFormatVersion="2.0")["IntegrationId"]
    apigw2.create_route(ApiId=api_id, RouteKey="GET /c", Target=f"integrations/{integration}")
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    answer = call(port, api_id, "/c", headers={"Cookie": "x=1; y=2"})
    assert answer.status_code == 200
    assert json.loads(answer.text)["cookies"] == ["x=1", "y=2"]
    assert answer.raw.headers.getlist("Set-Cookie") == ["a=1; Path=/", "b=2"]
