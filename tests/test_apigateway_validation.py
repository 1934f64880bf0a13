"""REST API request validators applied on invocation, with AWS's recorded answers: required request parameters
(header, path, query string) and bodies checked against the method's model (JSON Schema draft 4)."""
import json
from urllib.parse import urlparse

import pytest
import requests

from helpers import mock_rest_method, unique

SCHEMA = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["name"],
          "properties": {"name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0}}}


@pytest.fixture(scope="module")
def api(aws_client):
    apigw = aws_client("apigateway")
    created = apigw.create_rest_api(name=unique("validate"))
    api_id, root = created["id"], created["rootResourceId"]
    apigw.create_model(restApiId=api_id, name="Person", contentType="application/json", schema=json.dumps(SCHEMA))
    both = apigw.create_request_validator(restApiId=api_id, name="both", validateRequestBody=True,
                                          validateRequestParameters=True)["id"]
    params_only = apigw.create_request_validator(restApiId=api_id, name="params", validateRequestParameters=True)["id"]
    issuer = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{issuer}")["id"]
    for method, validator in (("POST", both), ("PUT", params_only)):
        apigw.put_method(restApiId=api_id, resourceId=issuer, httpMethod=method, authorizationType="NONE",
                         requestValidatorId=validator, requestModels={"application/json": "Person"},
                         requestParameters={"method.request.header.x-header-param": True,
                                            "method.request.path.issuer": True,
                                            "method.request.querystring.qs1": True,
                                            "method.request.querystring.optional": False})
        apigw.put_integration(restApiId=api_id, resourceId=issuer, httpMethod=method, type="MOCK",
                              requestTemplates={"application/json": '{"statusCode": 200}'})
        apigw.put_method_response(restApiId=api_id, resourceId=issuer, httpMethod=method, statusCode="200")
        apigw.put_integration_response(restApiId=api_id, resourceId=issuer, httpMethod=method, statusCode="200",
                                       selectionPattern="", responseTemplates={"application/json": '{"ok": true}'})
    apigw.create_deployment(restApiId=api_id, stageName="test")
    return api_id


def call(endpoint_url, api_id, method, path, headers=None, body=None):
    port = urlparse(endpoint_url).port
    return requests.request(method, f"http://127.0.0.1:{port}/restapis/{api_id}/test/_user_request_{path}",
                            headers={"Content-Type": "application/json", **(headers or {})}, data=body, timeout=30)


def test_missing_required_parameters(api, endpoint_url):
    answer = call(endpoint_url, api, "POST", "/abc", body=json.dumps({"name": "x"}))
    assert (answer.status_code, answer.json()) == (400, {"message": "Missing required request parameters: [x-header-param, qs1]"})
    answer = call(endpoint_url, api, "POST", "/abc?qs1=1", body=json.dumps({"name": "x"}))
    assert answer.json() == {"message": "Missing required request parameters: [x-header-param]"}
    answer = call(endpoint_url, api, "PUT", "/abc?qs1=1", headers={"x-header-param": "v"}, body="not even json")
    assert (answer.status_code, answer.json()) == (200, {"ok": True}), "a parameters-only validator ignores the body"


def test_body_against_the_model(api, endpoint_url):
    good = {"headers": {"x-header-param": "v"}}
    assert call(endpoint_url, api, "POST", "/abc?qs1=1", body=json.dumps({"name": "x", "age": 3}), **good).json() == {"ok": True}
    for body in (json.dumps({"age": 3}), json.dumps({"name": "x", "age": -1}), json.dumps({"name": 5}), "not json", ""):
        answer = call(endpoint_url, api, "POST", "/abc?qs1=1", body=body, **good)
        assert (answer.status_code, answer.json()) == (400, {"message": "Invalid request body"}), body


def test_gateway_response_for_bad_body(aws_client, api, endpoint_url):
    apigw = aws_client("apigateway")
    apigw.put_gateway_response(restApiId=api, responseType="BAD_REQUEST_BODY", statusCode="422",
                               responseTemplates={"application/json": '{"error": $context.error.messageString}'})
    apigw.create_deployment(restApiId=api, stageName="test")
    answer = call(endpoint_url, api, "POST", "/abc?qs1=1", headers={"x-header-param": "v"}, body="{}")
    assert (answer.status_code, answer.json()) == (422, {"error": "Invalid request body"})


def test_models_referring_to_other_models(aws_client, endpoint_url):
    apigw = aws_client("apigateway")
    created = apigw.create_rest_api(name=unique("refs"))
    api_id, root = created["id"], created["rootResourceId"]
    url = f"https://apigateway.amazonaws.com/restapis/{api_id}/models"
    apigw.create_model(restApiId=api_id, name="Address", contentType="application/json",
                       schema=json.dumps({"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}}))
    # a model that refers to another, and to itself (a tree of people)
    apigw.create_model(restApiId=api_id, name="Person", contentType="application/json", schema=json.dumps({
        "type": "object", "required": ["name", "address"],
        "properties": {"name": {"type": "string"}, "address": {"$ref": f"{url}/Address"},
                       "children": {"type": "array", "items": {"$ref": f"{url}/Person"}}}}))
    validator = apigw.create_request_validator(restApiId=api_id, name="body", validateRequestBody=True)["id"]
    mock_rest_method(apigw, api_id, root, '{"ok": true}', method="POST",
                     requestValidatorId=validator, requestModels={"application/json": "Person"})
    apigw.create_deployment(restApiId=api_id, stageName="test")
    good = {"name": "a", "address": {"city": "x"}, "children": [{"name": "b", "address": {"city": "y"}}]}
    assert call(endpoint_url, api_id, "POST", "/", body=json.dumps(good)).json() == {"ok": True}
    for bad in ({"name": "a", "address": {}},  # the referenced model's required field
                {"name": "a", "address": {"city": "x"}, "children": [{"name": "b", "address": {"city": 1}}]}):  # nested, recursive
        answer = call(endpoint_url, api_id, "POST", "/", body=json.dumps(bad))
        assert (answer.status_code, answer.json()) == (400, {"message": "Invalid request body"}), bad
