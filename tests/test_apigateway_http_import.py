"""HTTP APIs (API Gateway v2): ImportApi/ReimportApi from OpenAPI 3 (routes, integrations, JWT and Lambda authorizers,
CORS, x-amazon-apigateway-* extensions), and AWS service integrations (IntegrationSubtype) with RequestParameters
mapping, served end to end: SQS-SendMessage/ReceiveMessage/DeleteMessage, EventBridge-PutEvents, Kinesis-PutRecord."""
import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import requests

from helpers import error_of, unique, wait_for

ROLE = "arn:aws:iam::000000000000:role/apigw-integrations"


@pytest.fixture(scope="module")
def apigw2(aws_client):
    return aws_client("apigatewayv2")


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


@pytest.fixture(scope="module")
def backend():
    class Echo(BaseHTTPRequestHandler):
        def do_GET(self):
            payload = json.dumps({"path": self.path}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

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


def openapi(backend, title="imported-http"):
    return f"""
openapi: "3.0.1"
info:
  title: {title}
  version: "2024-01-01"
  description: from a document
x-amazon-apigateway-cors:
  allowOrigins: ["https://example.com"]
  allowMethods: ["GET", "POST"]
  allowHeaders: ["content-type"]
  maxAge: 300
paths:
  /items/{{id}}:
    get:
      operationId: getItem
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: {backend}/items/{{id}}
        payloadFormatVersion: "1.0"
  /secure:
    get:
      security:
        - jwt-auth: [read]
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/echo"
  /custom:
    post:
      security:
        - lambda-auth: []
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/echo"
  $default:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/echo"
components:
  securitySchemes:
    jwt-auth:
      type: oauth2
      flows: {{}}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration:
          issuer: https://issuer.example.com
          audience: [my-client]
    lambda-auth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        identitySource: $request.header.Authorization
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations
        authorizerPayloadFormatVersion: "2.0"
        enableSimpleResponses: true
        authorizerResultTtlInSeconds: 0
  x-amazon-apigateway-integrations:
    echo:
      type: http_proxy
      httpMethod: ANY
      uri: {backend}/echo
      payloadFormatVersion: "1.0"
      timeoutInMillis: 5000
"""


def test_import_api_builds_routes_integrations_authorizers_and_cors(apigw2, port, backend):
    api = apigw2.import_api(Body=openapi(backend))
    assert api["ResponseMetadata"]["HTTPStatusCode"] == 201
    api_id = api["ApiId"]
    assert (api["Name"], api["ProtocolType"], api["Version"], api["Description"]) == (
        "imported-http", "HTTP", "2024-01-01", "from a document")
    assert api["CorsConfiguration"]["AllowOrigins"] == ["https://example.com"]
    assert api["CorsConfiguration"]["MaxAge"] == 300

    routes = {r["RouteKey"]: r for r in apigw2.get_routes(ApiId=api_id)["Items"]}
    assert set(routes) == {"GET /items/{id}", "GET /secure", "POST /custom", "$default"}
    assert routes["GET /items/{id}"]["OperationName"] == "getItem"
    integrations = {i["IntegrationId"]: i for i in apigw2.get_integrations(ApiId=api_id)["Items"]}
    item = integrations[routes["GET /items/{id}"]["Target"].split("/")[1]]
    assert (item["IntegrationType"], item["IntegrationUri"]) == ("HTTP_PROXY", backend + "/items/{id}")
    echo = integrations[routes["$default"]["Target"].split("/")[1]]
    assert (echo["IntegrationUri"], echo["TimeoutInMillis"]) == (backend + "/echo", 5000)

    authorizers = {a["Name"]: a for a in apigw2.get_authorizers(ApiId=api_id)["Items"]}
    jwt = authorizers["jwt-auth"]
    assert jwt["AuthorizerType"] == "JWT" and jwt["IdentitySource"] == ["$request.header.Authorization"]
    assert jwt["JwtConfiguration"] == {"Audience": ["my-client"], "Issuer": "https://issuer.example.com"}
    custom = authorizers["lambda-auth"]
    assert custom["AuthorizerType"] == "REQUEST" and custom["EnableSimpleResponses"] is True
    assert custom["AuthorizerPayloadFormatVersion"] == "2.0"
    secure = routes["GET /secure"]
    assert (secure["AuthorizationType"], secure["AuthorizerId"], secure["AuthorizationScopes"]) == ("JWT", jwt["AuthorizerId"], ["read"])
    assert (routes["POST /custom"]["AuthorizationType"], routes["POST /custom"]["AuthorizerId"]) == ("CUSTOM", custom["AuthorizerId"])
    assert routes["GET /items/{id}"]["AuthorizationType"] == "NONE"

    # Served once a stage exists.
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    assert call(port, api_id, "/items/7").json() == {"path": "/items/7"}
    assert call(port, api_id, "/anything/else").json() == {"path": "/echo"}
    assert call(port, api_id, "/secure").status_code == 401, "the imported JWT authorizer guards the route"
    preflight = call(port, api_id, "/items/7", method="OPTIONS", headers={
        "Origin": "https://example.com", "Access-Control-Request-Method": "GET"})
    assert preflight.headers.get("Access-Control-Allow-Origin") == "https://example.com"


def test_reimport_replaces_routes_and_keeps_stages(apigw2, port, backend):
    api_id = apigw2.import_api(Body=openapi(backend, "before"))["ApiId"]
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    assert call(port, api_id, "/items/1").status_code == 200
    document = {
        "openapi": "3.0.1", "info": {"title": "after", "version": "2"},
        "paths": {"/other": {"get": {"x-amazon-apigateway-integration": {
            "type": "http_proxy", "httpMethod": "GET", "uri": backend + "/other", "payloadFormatVersion": "1.0"}}}},
    }
    reimported = apigw2.reimport_api(ApiId=api_id, Body=json.dumps(document))
    assert (reimported["ApiId"], reimported["Name"], reimported["Version"]) == (api_id, "after", "2")
    assert "CorsConfiguration" not in reimported
    assert [r["RouteKey"] for r in apigw2.get_routes(ApiId=api_id)["Items"]] == ["GET /other"]
    assert len(apigw2.get_integrations(ApiId=api_id)["Items"]) == 1
    assert apigw2.get_authorizers(ApiId=api_id)["Items"] == []
    assert [s["StageName"] for s in apigw2.get_stages(ApiId=api_id)["Items"]] == ["$default"]
    assert call(port, api_id, "/other").json() == {"path": "/other"}
    assert call(port, api_id, "/items/1").status_code == 404


def test_import_refuses_what_is_not_openapi(apigw2):
    err, status = error_of(apigw2.import_api, Body="not: [a, spec")
    assert (err["Code"], status) == ("BadRequestException", 400)
    err, status = error_of(apigw2.import_api, Body=json.dumps({"openapi": "3.0.1", "info": {"title": "x"}}))
    assert (err["Code"], status) == ("BadRequestException", 400)
    err, status = error_of(apigw2.reimport_api, ApiId="nosuchapi", Body=json.dumps({"openapi": "3.0.1", "paths": {}}))
    assert (err["Code"], status) == ("NotFoundException", 404)


def service_api(apigw2, route_key, subtype, parameters):
    api_id = apigw2.create_api(Name=unique("aws-integrations"), ProtocolType="HTTP")["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationSubtype=subtype,
                                            PayloadFormatVersion="1.0", CredentialsArn=ROLE, RequestParameters=parameters)
    assert integration["IntegrationSubtype"] == subtype and integration["RequestParameters"] == parameters
    apigw2.create_route(ApiId=api_id, RouteKey=route_key, Target=f"integrations/{integration['IntegrationId']}")
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    return api_id


def test_sqs_send_receive_and_delete_through_subtype_integrations(apigw2, sqs, port):
    queue_url = sqs.create_queue(QueueName=unique("apigw-subtype"))["QueueUrl"]
    api_id = service_api(apigw2, "POST /orders/{id}", "SQS-SendMessage", {
        "QueueUrl": "$request.header.x-queue-url",
        "MessageBody": "$request.body.order",
        "DelaySeconds": "0",
        "MessageAttributes": '{"source": {"DataType": "String", "StringValue": "api"}}'})
    sent = call(port, api_id, "/orders/42", method="POST", headers={"x-queue-url": queue_url},
                json={"order": {"id": 42, "item": "book"}})
    assert sent.status_code == 200, sent.text
    assert sent.json()["MessageId"] and sent.json()["MD5OfMessageBody"]
    got = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5, MessageAttributeNames=["All"])["Messages"][0]
    assert json.loads(got["Body"]) == {"id": 42, "item": "book"}
    assert got["MessageId"] == sent.json()["MessageId"]
    assert got["MessageAttributes"]["source"]["StringValue"] == "api"
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=got["ReceiptHandle"])

    # Embedded selections and path parameters, then receive and delete through the API itself.
    templated = service_api(apigw2, "POST /say/{word}", "SQS-SendMessage", {
        "QueueUrl": queue_url, "MessageBody": "said ${request.path.word} to ${request.querystring.who}"})
    assert call(port, templated, "/say/hello?who=bob", method="POST").status_code == 200
    receiver = service_api(apigw2, "GET /messages", "SQS-ReceiveMessage",
                           {"QueueUrl": queue_url, "WaitTimeSeconds": "5", "MaxNumberOfMessages": "1"})
    received = call(port, receiver, "/messages").json()["Messages"][0]
    assert received["Body"] == "said hello to bob"
    deleter = service_api(apigw2, "DELETE /messages", "SQS-DeleteMessage",
                          {"QueueUrl": queue_url, "ReceiptHandle": "$request.querystring.handle"})
    assert call(port, deleter, "/messages", method="DELETE", params={"handle": received["ReceiptHandle"]}).status_code == 200
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0" and attributes["ApproximateNumberOfMessagesNotVisible"] == "0"

    # The service's own error keeps its status.
    missing = call(port, api_id, "/orders/1", method="POST", headers={"x-queue-url": queue_url + "-missing"},
                   json={"order": 1})
    assert (missing.status_code, missing.json()["__type"]) == (400, "QueueDoesNotExist")


def test_eventbridge_put_events_subtype_reaches_a_rule(apigw2, aws_client, sqs, port):
    events = aws_client("events")
    queue_url = sqs.create_queue(QueueName=unique("apigw-events"))["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    source = unique("my.app")
    rule = unique("apigw-rule")
    rule_arn = events.put_rule(Name=rule, EventPattern=json.dumps({"source": [source]}))["RuleArn"]
    # as on AWS, the queue lets the rule send to it
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps({
        "Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
            "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}}}]})})
    events.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": queue_arn}])
    api_id = service_api(apigw2, "POST /events", "EventBridge-PutEvents", {
        "Source": source, "DetailType": "$request.header.x-type", "Detail": "$request.body"})
    answer = call(port, api_id, "/events", method="POST", headers={"x-type": "Order Placed"}, json={"id": 7})
    assert answer.status_code == 200, answer.text
    assert answer.json()["FailedEntryCount"] == 0 and answer.json()["Entries"][0]["EventId"]
    message = wait_for(lambda: sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=2).get("Messages"), timeout=60)[0]
    event = json.loads(message["Body"])
    assert (event["source"], event["detail-type"], event["detail"]) == (source, "Order Placed", {"id": 7})


def test_kinesis_put_record_subtype(apigw2, aws_client, port):
    kinesis = aws_client("kinesis")
    stream = unique("apigw-stream")
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    wait_for(lambda: kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE",
             timeout=60, interval=0.2)
    api_id = service_api(apigw2, "PUT /records/{key}", "Kinesis-PutRecord", {
        "StreamName": stream, "PartitionKey": "$request.path.key", "Data": "$request.body"})
    answer = call(port, api_id, "/records/user-1", method="PUT", data=b'{"clicks": 3}')
    assert answer.status_code == 200, answer.text
    put = answer.json()
    assert put["ShardId"] and put["SequenceNumber"]
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=put["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = kinesis.get_records(ShardIterator=iterator)["Records"]
    assert [(r["Data"], r["PartitionKey"], r["SequenceNumber"]) for r in records] == [
        (b'{"clicks": 3}', "user-1", put["SequenceNumber"])]


def test_an_imported_subtype_integration_is_served(apigw2, sqs, port):
    queue_url = sqs.create_queue(QueueName=unique("apigw-imported"))["QueueUrl"]
    document = {
        "openapi": "3.0.1", "info": {"title": unique("import-sqs"), "version": "1"},
        "paths": {"/send": {"post": {"x-amazon-apigateway-integration": {
            "type": "aws_proxy", "integrationSubtype": "SQS-SendMessage", "credentials": ROLE,
            "payloadFormatVersion": "1.0",
            "requestParameters": {"QueueUrl": queue_url, "MessageBody": "$request.body.text"}}}}},
    }
    api_id = apigw2.import_api(Body=json.dumps(document))["ApiId"]
    integration = apigw2.get_integrations(ApiId=api_id)["Items"][0]
    assert (integration["IntegrationType"], integration["IntegrationSubtype"], integration["CredentialsArn"]) == (
        "AWS_PROXY", "SQS-SendMessage", ROLE)
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    assert call(port, api_id, "/send", method="POST", json={"text": "imported"}).status_code == 200
    got = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5)["Messages"][0]
    assert got["Body"] == "imported"
