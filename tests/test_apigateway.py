"""Native API Gateway (REST APIs): the management API with AWS's recorded answers, and deployed APIs really
served on LocalStack's three URL forms (MOCK with mapping templates, HTTP_PROXY, AWS integrations to native
services, API keys, gateway responses; Lambda proxy and authorizers once Lambda runs functions natively)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import requests

from helpers import error_of, unique


@pytest.fixture(scope="module")
def apigw(aws_client):
    return aws_client("apigateway")


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


def new_api(apigw, **kwargs):
    api = apigw.create_rest_api(name=unique("api"), **kwargs)
    return api["id"], api["rootResourceId"]


def mock_method(apigw, api_id, resource_id, method="GET", request_template='{"statusCode": 200}',
                response_template=None, status="200", **method_kwargs):
    apigw.put_method(restApiId=api_id, resourceId=resource_id, httpMethod=method, authorizationType="NONE", **method_kwargs)
    apigw.put_integration(restApiId=api_id, resourceId=resource_id, httpMethod=method, type="MOCK",
                          requestTemplates={"application/json": request_template})
    apigw.put_method_response(restApiId=api_id, resourceId=resource_id, httpMethod=method, statusCode=status)
    templates = {"application/json": response_template} if response_template is not None else {}
    apigw.put_integration_response(restApiId=api_id, resourceId=resource_id, httpMethod=method, statusCode=status,
                                   selectionPattern="", responseTemplates=templates)


def urls(port, api_id, stage, path):
    """The three URL forms LocalStack serves a deployed API on."""
    return [
        f"http://{api_id}.execute-api.localhost.localstack.cloud:{port}/{stage}{path}",
        f"http://127.0.0.1:{port}/_aws/execute-api/{api_id}/{stage}{path}",
        f"http://127.0.0.1:{port}/restapis/{api_id}/{stage}/_user_request_{path}",
    ]


def get(url, **kwargs):
    """GET through the host form without DNS: connect to loopback, send the execute-api Host header."""
    parsed = urlparse(url)
    headers = dict(kwargs.pop("headers", {}))
    if ".execute-api." in parsed.hostname:
        headers["Host"] = parsed.netloc
        url = url.replace(parsed.hostname, "127.0.0.1", 1)
    method = kwargs.pop("method", "GET")
    return requests.request(method, url, headers=headers, timeout=30, **kwargs)


# ---- management API ----

def test_create_rest_api_shape_and_validation(apigw):
    api = apigw.create_rest_api(name=unique("api"), description="this is my api")
    assert api["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert api["apiKeySource"] == "HEADER"
    assert api["disableExecuteApiEndpoint"] is False
    assert api["endpointConfiguration"] == {"types": ["EDGE"], "ipAddressType": "ipv4"}
    assert len(api["id"]) == 10 and api["rootResourceId"]
    assert "binaryMediaTypes" not in api and "tags" not in api

    err, status = error_of(apigw.create_rest_api, name=unique("api"), description="")
    assert (err["Code"], err["Message"], status) == ("BadRequestException", "Description cannot be an empty string", 400)
    err, status = error_of(apigw.create_rest_api, name=unique("api"), minimumCompressionSize=10485761)
    assert err["Message"] == "Invalid minimum compression size, must be between 0 and 10485760"
    err, _ = error_of(apigw.create_rest_api, name=unique("api"), endpointConfiguration={"types": ["EDGE", "REGIONAL"]})
    assert err["Message"] == "Cannot create an api with multiple Endpoint Types."
    err, _ = error_of(apigw.create_rest_api, name=unique("api"), endpointConfiguration={"types": ["wrong"], "ipAddressType": "wrong"})
    assert err["Code"] == "ValidationException"
    assert err["Message"].startswith("2 validation errors detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types'")

    err, status = error_of(apigw.get_rest_api, restApiId="api_id")
    assert (err["Code"], err["Message"], status) == ("NotFoundException", "Invalid API identifier specified 000000000000:api_id", 404)


def test_update_rest_api_patch_operations(apigw):
    api_id, _ = new_api(apigw, description="this is my api")
    updated = apigw.update_rest_api(restApiId=api_id, patchOperations=[
        {"op": "add", "path": "/binaryMediaTypes/image~1png"}, {"op": "add", "path": "/binaryMediaTypes/image~1jpeg"}])
    assert updated["binaryMediaTypes"] == ["image/png", "image/jpeg"]
    assert updated["tags"] == {}
    updated = apigw.update_rest_api(restApiId=api_id, patchOperations=[
        {"op": "remove", "path": "/binaryMediaTypes/image~1png"}, {"op": "remove", "path": "/description"}])
    assert updated["binaryMediaTypes"] == ["image/jpeg"] and "description" not in updated
    err, _ = error_of(apigw.update_rest_api, restApiId=api_id, patchOperations=[{"op": "add", "path": "/binaryMediaTypes", "value": "-"}])
    assert err["Message"] == "Invalid patch path /binaryMediaTypes"
    err, _ = error_of(apigw.update_rest_api, restApiId=api_id, patchOperations=[{"op": "wrong", "path": "/name", "value": "x"}])
    assert err["Message"] == ("1 validation error detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' "
                              "failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]")


def test_resource_tree_rules(apigw):
    api_id, root = new_api(apigw)
    pets = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="pets")
    assert (pets["path"], pets["pathPart"], pets["parentId"], pets["ResponseMetadata"]["HTTPStatusCode"]) == ("/pets", "pets", root, 201)
    sub = apigw.create_resource(restApiId=api_id, parentId=pets["id"], pathPart="subpets")
    assert sub["path"] == "/pets/subpets"
    items = apigw.get_resources(restApiId=api_id)["items"]
    assert [i["path"] for i in items] == ["/", "/pets", "/pets/subpets"]
    assert items[0] == {"id": root, "path": "/"}

    err, status = error_of(apigw.create_resource, restApiId=api_id, parentId=root, pathPart="pets")
    assert (err["Code"], err["Message"], status) == ("ConflictException", "Another resource with the same parent already has this name: pets", 409)
    err, status = error_of(apigw.create_resource, restApiId=api_id, parentId="nope", pathPart="x")
    assert (err["Message"], status) == ("Invalid Resource identifier specified", 404)
    proxy = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")
    err, _ = error_of(apigw.create_resource, restApiId=api_id, parentId=root, pathPart="{id}")
    assert err["Message"] == "A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed"
    err, _ = error_of(apigw.create_resource, restApiId=api_id, parentId=proxy["id"], pathPart="child")
    assert err["Message"] == "Cannot create a child of a resource with a greedy path variable: {proxy+}"

    err, _ = error_of(apigw.update_resource, restApiId=api_id, resourceId=pets["id"],
                      patchOperations=[{"op": "replace", "path": "/parentId", "value": sub["id"]}])
    assert err["Message"] == "Resources cannot be cyclical."
    err, _ = error_of(apigw.update_resource, restApiId=api_id, resourceId=pets["id"],
                      patchOperations=[{"op": "replace", "path": "/invalid", "value": "x"}])
    assert err["Message"] == "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]"
    renamed = apigw.update_resource(restApiId=api_id, resourceId=pets["id"], patchOperations=[{"op": "replace", "path": "/pathPart", "value": "dogs"}])
    assert renamed["path"] == "/dogs"
    assert apigw.get_resource(restApiId=api_id, resourceId=sub["id"])["path"] == "/dogs/subpets"
    assert apigw.delete_resource(restApiId=api_id, resourceId=pets["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert [i["path"] for i in apigw.get_resources(restApiId=api_id)["items"]] == ["/", "/{proxy+}"]


def test_method_integration_and_responses(apigw):
    api_id, root = new_api(apigw)
    err, status = error_of(apigw.put_method, restApiId="wrong", resourceId=root, httpMethod="GET", authorizationType="NONE")
    assert (err["Message"], status) == ("Invalid Resource identifier specified", 404)
    err, _ = error_of(apigw.put_method, restApiId=api_id, resourceId=root, httpMethod="WRONG", authorizationType="NONE")
    assert err["Message"] == "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY"
    err, _ = error_of(apigw.put_method, restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="CUSTOM")
    assert err["Message"].startswith("Invalid authorizer ID specified.")
    err, _ = error_of(apigw.put_method, restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE",
                      requestModels={"application/json": "petModel"})
    assert err["Message"] == "Invalid model identifier specified: petModel"

    method = apigw.put_method(restApiId=api_id, resourceId=root, httpMethod="ANY", authorizationType="NONE")
    assert {k: v for k, v in method.items() if k != "ResponseMetadata"} == {"httpMethod": "ANY", "authorizationType": "NONE", "apiKeyRequired": False}
    err, _ = error_of(apigw.put_integration, restApiId=api_id, resourceId=root, httpMethod="ANY", type="HTTPS_PROXY")
    assert err["Message"] == ("1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy "
                              "constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]")
    err, _ = error_of(apigw.put_integration, restApiId=api_id, resourceId=root, httpMethod="ANY", type="HTTP", uri="http://example.com")
    assert err["Message"] == "Enumeration value for HttpMethod must be non-empty"
    err, _ = error_of(apigw.put_integration, restApiId=api_id, resourceId=root, httpMethod="ANY", type="AWS_PROXY",
                      integrationHttpMethod="POST", uri="arn:aws:apigateway:us-east-1:sqs:path/000000000000/q")
    assert err["Message"] == "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations."
    integration = apigw.put_integration(restApiId=api_id, resourceId=root, httpMethod="ANY", type="MOCK",
                                        requestTemplates={"application/json": '{"statusCode": 200}'})
    assert integration["passthroughBehavior"] == "WHEN_NO_MATCH" and integration["timeoutInMillis"] == 29000
    assert integration["cacheNamespace"] == root and integration["cacheKeyParameters"] == []

    response = apigw.put_method_response(restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="200",
                                         responseModels={}, responseParameters={})
    assert {k: v for k, v in response.items() if k != "ResponseMetadata"} == {"responseModels": {}, "responseParameters": {}, "statusCode": "200"}
    err, _ = error_of(apigw.put_method_response, restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="wrong")
    assert err["Message"] == ("1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: "
                              "Member must satisfy regular expression pattern: [1-5]\\d\\d")
    ir = apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="ANY", statusCode="200",
                                        selectionPattern="", responseTemplates={"application/json": '"created"'})
    assert ir["selectionPattern"] == "" and ir["ResponseMetadata"]["HTTPStatusCode"] == 201
    full = apigw.get_method(restApiId=api_id, resourceId=root, httpMethod="ANY")
    assert full["methodIntegration"]["integrationResponses"]["200"]["responseTemplates"] == {"application/json": '"created"'}
    assert full["methodResponses"]["200"]["statusCode"] == "200"
    assert apigw.delete_method(restApiId=api_id, resourceId=root, httpMethod="ANY")["ResponseMetadata"]["HTTPStatusCode"] == 204
    err, status = error_of(apigw.get_method, restApiId=api_id, resourceId=root, httpMethod="ANY")
    assert (err["Message"], status) == ("Invalid Method identifier specified", 404)


def test_models_validators_and_gateway_responses(apigw):
    api_id, _ = new_api(apigw)
    names = [m["name"] for m in apigw.get_models(restApiId=api_id)["items"]]
    assert names == ["Empty", "Error"]
    err, _ = error_of(apigw.create_model, restApiId=api_id, name="", schema="{}", contentType="application/json")
    assert err["Message"] == "Model name must be non-empty"
    err, _ = error_of(apigw.create_model, restApiId=api_id, name="Pet", schema="{}", contentType="application/json")
    assert err["Message"] == "Model schema must have at least 1 property or array items defined"
    apigw.create_model(restApiId=api_id, name="Pet", contentType="application/json",
                       schema=json.dumps({"type": "object", "properties": {"a": {"type": "number"}}}))
    err, status = error_of(apigw.create_model, restApiId=api_id, name="Pet", contentType="application/json",
                           schema=json.dumps({"type": "object", "properties": {"a": {"type": "number"}}}))
    assert (err["Code"], err["Message"], status) == ("ConflictException", "Model name already exists for this REST API", 409)
    err, _ = error_of(apigw.get_model, restApiId=api_id, modelName="MySchema")
    assert err["Message"] == "Invalid model name specified: MySchema"

    err, status = error_of(apigw.create_request_validator, restApiId="test-fake-rest-id", name="v")
    assert (err["Code"], err["Message"], status) == ("BadRequestException", "Invalid REST API identifier specified", 400)
    v = apigw.create_request_validator(restApiId=api_id, name="v")
    assert (v["validateRequestBody"], v["validateRequestParameters"]) == (False, False)
    v = apigw.update_request_validator(restApiId=api_id, requestValidatorId=v["id"],
                                       patchOperations=[{"op": "replace", "path": "/validateRequestBody", "value": "true"}])
    assert v["validateRequestBody"] is True
    err, _ = error_of(apigw.update_request_validator, restApiId=api_id, requestValidatorId=v["id"],
                      patchOperations=[{"op": "add", "path": "/validateRequestBody", "value": "true"}])
    assert err["Message"] == "Invalid patch path  '/validateRequestBody' specified for op 'add'. Please choose supported operations"

    default = apigw.get_gateway_response(restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN")
    assert (default["defaultResponse"], default["statusCode"]) == (True, "403")
    assert default["responseTemplates"] == {"application/json": '{"message":$context.error.messageString}'}
    err, _ = error_of(apigw.get_gateway_response, restApiId=api_id, responseType="FAKE_RESPONSE_TYPE")
    assert err["Code"] == "ValidationException"
    assert len(apigw.get_gateway_responses(restApiId=api_id)["items"]) == 21


def test_deployments_and_stages(apigw):
    api_id, root = new_api(apigw)
    err, _ = error_of(apigw.create_deployment, restApiId=api_id)
    assert err["Message"] == "The REST API doesn't contain any methods"
    mock_method(apigw, api_id, root)
    deployment = apigw.create_deployment(restApiId=api_id)
    assert set(deployment) - {"ResponseMetadata"} == {"id", "createdDate"}
    stage = apigw.create_stage(restApiId=api_id, stageName="s1", deploymentId=deployment["id"], description="my stage",
                               variables={"a": "1"})
    assert stage["cacheClusterStatus"] == "NOT_AVAILABLE" and stage["methodSettings"] == {} and stage["tracingEnabled"] is False
    stage = apigw.update_stage(restApiId=api_id, stageName="s1", patchOperations=[
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "123"},
        {"op": "replace", "path": "/variables/b", "value": "2"},
        {"op": "replace", "path": "/tracingEnabled", "value": "true"}])
    assert stage["methodSettings"]["*/*"]["throttlingBurstLimit"] == 123
    assert stage["variables"] == {"a": "1", "b": "2"} and stage["tracingEnabled"] is True
    err, _ = error_of(apigw.update_stage, restApiId=api_id, stageName="s1",
                      patchOperations=[{"op": "replace", "path": "/accessLogSettings/wrong", "value": "x"}])
    assert err["Message"] == "Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]"
    err, _ = error_of(apigw.delete_deployment, restApiId=api_id, deploymentId=deployment["id"])
    assert err["Message"] == "Active stages pointing to this deployment must be moved or deleted"
    assert [s["stageName"] for s in apigw.get_stages(restApiId=api_id)["item"]] == ["s1"]
    apigw.delete_stage(restApiId=api_id, stageName="s1")
    apigw.delete_deployment(restApiId=api_id, deploymentId=deployment["id"])
    err, status = error_of(apigw.get_stage, restApiId=api_id, stageName="s1")
    assert (err["Message"], status) == ("Invalid Stage identifier specified", 404)


def test_api_keys_usage_plans_and_tags(apigw):
    err, _ = error_of(apigw.create_api_key, name="k", value="short")
    assert err["Message"] == "API Key value should be at least 20 characters"
    key = apigw.create_api_key(name=unique("key"))
    assert key["enabled"] is False and key["stageKeys"] == [] and len(key["value"]) >= 20
    err, _ = error_of(apigw.update_api_key, apiKey=key["id"], patchOperations=[{"op": "replace", "path": "/id", "value": "x"}])
    assert err["Message"] == "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]"
    api_id, root = new_api(apigw, tags={"MY_TAG1": "MY_VALUE1"})
    assert apigw.get_rest_api(restApiId=api_id)["tags"] == {"MY_TAG1": "MY_VALUE1"}
    arn = f"arn:aws:apigateway:us-east-1::/restapis/{api_id}"
    apigw.tag_resource(resourceArn=arn, tags={"b": "2"})
    apigw.untag_resource(resourceArn=arn, tagKeys=["MY_TAG1"])
    assert apigw.get_tags(resourceArn=arn)["tags"] == {"b": "2"}
    err, status = error_of(apigw.create_usage_plan, name="p", apiStages=[{"apiId": api_id, "stage": "fakestagename"}])
    assert status == 404 and err["Message"].startswith(f"Invalid API Stage {{api: {api_id}, stage: fakestagename}} specified for usageplan ")


# ---- serving deployed APIs ----

def test_mock_integration_served_on_every_url_form(apigw, port):
    api_id, root = new_api(apigw)
    pets = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="pets")
    pet = apigw.create_resource(restApiId=api_id, parentId=pets["id"], pathPart="{petId}")
    mock_method(apigw, api_id, pet["id"], response_template=(
        '{"id": "$input.params(\'petId\')", "q": "$input.params(\'q\')", "stage": "$context.stage", '
        '"var": "$stageVariables.color", "method": "$context.httpMethod", "resource": "$context.resourcePath"}'))
    apigw.create_deployment(restApiId=api_id, stageName="dev", variables={"color": "blue"})
    for url in urls(port, api_id, "dev", "/pets/42?q=x"):
        response = get(url)
        assert response.status_code == 200, (url, response.text)
        assert response.json() == {"id": "42", "q": "x", "stage": "dev", "var": "blue", "method": "GET", "resource": "/pets/{petId}"}
        assert response.headers["x-amzn-RequestId"]

    missing = get(urls(port, api_id, "dev", "/nothing/here")[1])
    assert (missing.status_code, missing.json()) == (403, {"message": "Missing Authentication Token"})
    post = get(urls(port, api_id, "dev", "/pets/42")[1], method="POST")
    assert post.status_code == 403
    no_stage = get(urls(port, api_id, "nostage", "/pets/42")[1])
    assert (no_stage.status_code, no_stage.json()) == (403, {"message": "Forbidden"})


def test_deployment_is_a_snapshot_and_status_selection(apigw, port):
    api_id, root = new_api(apigw)
    apigw.put_method(restApiId=api_id, resourceId=root, httpMethod="POST", authorizationType="NONE")
    apigw.put_integration(restApiId=api_id, resourceId=root, httpMethod="POST", type="MOCK",
                          requestTemplates={"application/json": '{"statusCode": $input.json(\'$.code\')}'})
    for status, pattern in (("200", ""), ("404", "4\\d\\d")):
        apigw.put_method_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode=status)
        apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode=status,
                                       selectionPattern=pattern,
                                       responseTemplates={"application/json": '{"selected": "%s"}' % status})
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    url = urls(port, api_id, "prod", "/")[1]
    ok = get(url, method="POST", json={"code": 200})
    assert (ok.status_code, ok.json()) == (200, {"selected": "200"})
    not_found = get(url, method="POST", json={"code": 404})
    assert (not_found.status_code, not_found.json()) == (404, {"selected": "404"})
    # A change after the deployment is not served until the next deployment.
    apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="200",
                                   selectionPattern="", responseTemplates={"application/json": '{"selected": "changed"}'})
    assert get(url, method="POST", json={"code": 200}).json() == {"selected": "200"}
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    assert get(url, method="POST", json={"code": 200}).json() == {"selected": "changed"}


def test_greedy_proxy_path_and_custom_gateway_response(apigw, port):
    api_id, root = new_api(apigw)
    proxy = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")
    fixed = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="fixed")
    mock_method(apigw, api_id, proxy["id"], method="ANY", response_template='{"proxy": "$input.params(\'proxy\')"}')
    mock_method(apigw, api_id, fixed["id"], response_template='{"fixed": true}')
    apigw.put_gateway_response(restApiId=api_id, responseType="MISSING_AUTHENTICATION_TOKEN", statusCode="404",
                               responseTemplates={"application/json": '{"error": $context.error.messageString, "type": "$context.error.responseType"}'},
                               responseParameters={"gatewayresponse.header.x-custom": "'yes'"})
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    base = urls(port, api_id, "dev", "")[1]
    assert get(base + "/a/b/c").json() == {"proxy": "a/b/c"}
    assert get(base + "/fixed").json() == {"fixed": True}
    root_call = get(base + "/")
    assert root_call.status_code == 404
    assert root_call.json() == {"error": "Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN"}
    assert root_call.headers["x-custom"] == "yes"


def test_api_key_required(apigw, port):
    api_id, root = new_api(apigw)
    mock_method(apigw, api_id, root, response_template='{"ok": true}', apiKeyRequired=True)
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    url = urls(port, api_id, "dev", "/")[1]
    assert (get(url).status_code, get(url).json()) == (403, {"message": "Forbidden"})
    key = apigw.create_api_key(name=unique("key"), enabled=True)
    plan = apigw.create_usage_plan(name=unique("plan"), apiStages=[{"apiId": api_id, "stage": "dev"}])
    apigw.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    assert get(url, headers={"x-api-key": key["value"]}).json() == {"ok": True}
    assert get(url, headers={"x-api-key": "not-the-key-at-all-123"}).status_code == 403


@pytest.fixture
def http_backend():
    """A local HTTP server that echoes what it received."""
    class Echo(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            payload = json.dumps({"method": self.command, "path": self.path, "body": body,
                                  "header": self.headers.get("x-forwarded-thing")}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Backend", "echo")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_http_proxy_and_http_integrations(apigw, port, http_backend):
    api_id, root = new_api(apigw)
    proxy = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")
    apigw.put_method(restApiId=api_id, resourceId=proxy["id"], httpMethod="ANY", authorizationType="NONE",
                     requestParameters={"method.request.path.proxy": True})
    apigw.put_integration(restApiId=api_id, resourceId=proxy["id"], httpMethod="ANY", type="HTTP_PROXY",
                          integrationHttpMethod="ANY", uri=http_backend + "/backend/{proxy}",
                          requestParameters={"integration.request.path.proxy": "method.request.path.proxy"})
    typed = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="typed")
    apigw.put_method(restApiId=api_id, resourceId=typed["id"], httpMethod="POST", authorizationType="NONE")
    apigw.put_integration(restApiId=api_id, resourceId=typed["id"], httpMethod="POST", type="HTTP",
                          integrationHttpMethod="PUT", uri=http_backend + "/typed",
                          requestParameters={"integration.request.header.x-forwarded-thing": "'static-value'"},
                          requestTemplates={"application/json": '{"wrapped": $input.json(\'$\')}'})
    apigw.put_method_response(restApiId=api_id, resourceId=typed["id"], httpMethod="POST", statusCode="200")
    apigw.put_integration_response(restApiId=api_id, resourceId=typed["id"], httpMethod="POST", statusCode="200",
                                   selectionPattern="", responseParameters={"method.response.header.X-From": "integration.response.header.X-Backend"},
                                   responseTemplates={"application/json": '{"backend_saw": $input.json(\'$.body\'), "method": "$input.path(\'$.method\')"}'})
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    base = urls(port, api_id, "dev", "")[1]

    proxied = get(base + "/a/b?x=1", method="POST", data="hello")
    assert proxied.status_code == 201
    assert proxied.json() == {"method": "POST", "path": "/backend/a/b?x=1", "body": "hello", "header": None}
    assert proxied.headers["X-Backend"] == "echo"

    typed_answer = get(base + "/typed", method="POST", json={"n": 1})
    assert typed_answer.status_code == 200
    assert typed_answer.json() == {"backend_saw": '{"wrapped": {"n":1}}', "method": "PUT"}
    assert typed_answer.headers["X-From"] == "echo"


def test_aws_integration_sends_to_native_sqs(apigw, aws_client, port):
    sqs = aws_client("sqs")
    queue_url = sqs.create_queue(QueueName=unique("apigw"))["QueueUrl"]
    queue_name = queue_url.rsplit("/", 1)[1]
    api_id, root = new_api(apigw)
    apigw.put_method(restApiId=api_id, resourceId=root, httpMethod="POST", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api_id, resourceId=root, httpMethod="POST", type="AWS", integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:us-east-1:sqs:path/000000000000/{queue_name}",
        credentials="arn:aws:iam::000000000000:role/apigw",
        requestParameters={"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"},
        requestTemplates={"application/json": "Action=SendMessage&MessageBody=$util.urlEncode($input.body)"})
    apigw.put_method_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="200")
    apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="POST", statusCode="200", selectionPattern="",
                                   responseTemplates={"application/json": '{"sent": true}'})
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    answer = get(urls(port, api_id, "dev", "/")[1], method="POST", json={"order": 7})
    assert (answer.status_code, answer.json()) == (200, {"sent": True})
    messages = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5)["Messages"]
    assert json.loads(messages[0]["Body"]) == {"order": 7}


def test_state_survives_restart(start_server):
    server = start_server({"PERSISTENCE": "1"})
    apigw = server.client("apigateway")
    api_id, root = new_api(apigw)
    mock_method(apigw, api_id, root, response_template='{"persisted": true}')
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    server.stop()
    server.start()
    apigw = server.client("apigateway")
    assert apigw.get_rest_api(restApiId=api_id)["id"] == api_id
    port = urlparse(server.endpoint_url).port
    assert get(urls(port, api_id, "dev", "/")[1]).json() == {"persisted": True}


PETSTORE_YAML = """
openapi: 3.0.1
info:
  title: PetStore
  version: "1.0"
  description: Imported pets
servers:
  - url: https://example.com/{base}
    variables:
      base:
        default: v1
x-amazon-apigateway-binary-media-types: ["image/png"]
paths:
  /pets/{petId}:
    get:
      operationId: GetPet
      parameters:
        - name: petId
          in: path
          required: true
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet"
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "200"
            responseTemplates:
              application/json: '{"pet": "$input.params(''petId'')"}'
components:
  schemas:
    Pet:
      type: object
      properties:
        id:
          type: integer
"""


def test_import_and_put_rest_api_from_openapi(apigw, port):
    err, status = error_of(apigw.import_rest_api, body=b"not: [valid")
    assert (err["Code"], err["Message"], status) == ("BadRequestException", "Invalid OpenAPI input.", 400)
    api = apigw.import_rest_api(body=PETSTORE_YAML.encode())
    assert (api["name"], api["version"], api["description"], api["binaryMediaTypes"]) == ("PetStore", "1.0", "Imported pets", ["image/png"])
    resources = {r["path"]: r for r in apigw.get_resources(restApiId=api["id"])["items"]}
    assert set(resources) == {"/", "/pets", "/pets/{petId}"}
    pet = resources["/pets/{petId}"]
    method = apigw.get_method(restApiId=api["id"], resourceId=pet["id"], httpMethod="GET")
    assert method["operationName"] == "GetPet"
    assert method["requestParameters"] == {"method.request.path.petId": True}
    assert method["methodResponses"]["200"]["responseModels"] == {"application/json": "Pet"}
    assert method["methodIntegration"]["type"] == "MOCK" and method["methodIntegration"]["passthroughBehavior"] == "WHEN_NO_MATCH"
    assert "selectionPattern" not in method["methodIntegration"]["integrationResponses"]["200"]
    assert [m["name"] for m in apigw.get_models(restApiId=api["id"])["items"]] == ["Pet"]
    apigw.create_deployment(restApiId=api["id"], stageName="dev")
    assert get(urls(port, api["id"], "dev", "/pets/5")[1]).json() == {"pet": "5"}

    # basepath=prepend puts the server's base path in front of every path; overwrite replaces the API's resources.
    apigw.put_rest_api(restApiId=api["id"], mode="overwrite", parameters={"basepath": "prepend"}, body=PETSTORE_YAML.encode())
    paths = {r["path"] for r in apigw.get_resources(restApiId=api["id"])["items"]}
    assert paths == {"/", "/v1", "/v1/pets", "/v1/pets/{petId}"}
