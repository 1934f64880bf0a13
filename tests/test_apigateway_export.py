"""API Gateway GetExport: a deployed stage as OpenAPI 3.0.1 and Swagger 2.0 (JSON and YAML), with and without the
x-amazon-apigateway extensions, in the shape AWS answers (as recorded); and the round trip, an export imported
back into a new API that serves the same requests and exports the same document."""
import json

import pytest
import requests
import yaml

from helpers import error_of, unique

PETS_SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1.0.0"},
    "x-amazon-apigateway-binary-media-types": ["image/png"],
    "paths": {
        "/pets": {
            "get": {
                "produces": ["application/json"],
                "parameters": [{"name": "type", "in": "query", "required": False, "type": "string"}],
                "responses": {"200": {"description": "200 response", "schema": {"$ref": "#/definitions/Pets"},
                                      "headers": {"Access-Control-Allow-Origin": {"type": "string"}}}},
                "x-amazon-apigateway-integration": {
                    "type": "mock",
                    "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
                    "responses": {"default": {"statusCode": "200",
                                              "responseParameters": {"method.response.header.Access-Control-Allow-Origin": "'*'"},
                                              "responseTemplates": {"application/json": "[{\"id\": 1}]"}}},
                    "passthroughBehavior": "when_no_match",
                },
            },
            "post": {
                "operationId": "CreatePet",
                "consumes": ["application/json"],
                "parameters": [{"in": "body", "name": "Pet", "required": True, "schema": {"$ref": "#/definitions/Pet"}}],
                "responses": {"200": {"description": "200 response"}},
                "x-amazon-apigateway-integration": {
                    "type": "http", "httpMethod": "POST", "uri": "http://example.invalid/pets",
                    "responses": {"default": {"statusCode": "200"}}, "passthroughBehavior": "when_no_match",
                },
            },
        },
        "/pets/{petId}": {
            "get": {
                "parameters": [{"name": "petId", "in": "path", "required": True, "type": "string"}],
                "responses": {"200": {"description": "200 response"}},
                "x-amazon-apigateway-integration": {
                    "type": "http", "httpMethod": "GET", "uri": "http://example.invalid/pets/{id}",
                    "requestParameters": {"integration.request.path.id": "method.request.path.petId"},
                    "responses": {"default": {"statusCode": "200"}}, "passthroughBehavior": "when_no_match",
                },
            },
        },
    },
    "definitions": {
        "Pet": {"type": "object", "properties": {"id": {"type": "integer"}, "type": {"type": "string"}}},
        "Pets": {"type": "array", "items": {"$ref": "#/definitions/Pet"}},
    },
}


@pytest.fixture(scope="module")
def apigw(aws_client):
    return aws_client("apigateway")


@pytest.fixture(scope="module")
def deployed(apigw):
    spec = dict(PETS_SWAGGER, info={"title": unique("pets"), "version": "1.0.0"})
    api = apigw.import_rest_api(body=json.dumps(spec).encode())
    apigw.create_deployment(restApiId=api["id"], stageName="local")
    return api, spec


def export(apigw, api_id, export_type, extensions=None, accepts=None):
    kwargs = {"parameters": {"extensions": extensions}} if extensions else {}
    if accepts:
        kwargs["accepts"] = accepts
    out = apigw.get_export(restApiId=api_id, stageName="local", exportType=export_type, **kwargs)
    body = out["body"].read()
    return out, (yaml.safe_load(body) if accepts == "application/yaml" else json.loads(body))


def test_oas30_export_as_recorded(apigw, deployed):
    api, spec = deployed
    out, doc = export(apigw, api["id"], "oas30")
    assert out["contentType"] == "application/octet-stream"
    assert out["contentDisposition"] == 'attachment; filename="oas30_1.0.0.json"'
    assert doc["openapi"] == "3.0.1" and doc["info"] == {"title": spec["info"]["title"], "version": "1.0.0"}
    assert doc["servers"] == [{"url": f"https://{api['id']}.execute-api.us-east-1.amazonaws.com/{{basePath}}",
                               "variables": {"basePath": {"default": "local"}}}]
    assert doc["paths"]["/pets/{petId}"] == {"get": {
        "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "200 response", "content": {}}}}}
    get_pets = doc["paths"]["/pets"]["get"]
    assert get_pets["parameters"] == [{"name": "type", "in": "query", "schema": {"type": "string"}}]
    assert get_pets["responses"]["200"] == {
        "description": "200 response", "headers": {"Access-Control-Allow-Origin": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pets"}}}}
    assert doc["paths"]["/pets"]["post"]["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": True}
    assert doc["paths"]["/pets"]["post"]["operationId"] == "CreatePet"
    assert doc["components"]["schemas"]["Pets"] == {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
    assert not any("x-amazon-apigateway-integration" in op for p in doc["paths"].values() for op in p.values())
    assert "x-amazon-apigateway-binary-media-types" not in doc


def test_swagger_export_with_extensions_as_recorded(apigw, deployed):
    api, _ = deployed
    out, doc = export(apigw, api["id"], "swagger", extensions="integrations")
    assert out["contentDisposition"] == 'attachment; filename="swagger_1.0.0.json"'
    assert (doc["swagger"], doc["host"], doc["basePath"], doc["schemes"]) == (
        "2.0", f"{api['id']}.execute-api.us-east-1.amazonaws.com", "/local", ["https"])
    assert doc["x-amazon-apigateway-binary-media-types"] == ["image/png"]
    get_pet = doc["paths"]["/pets/{petId}"]["get"]
    assert get_pet["parameters"] == [{"name": "petId", "in": "path", "required": True, "type": "string"}]
    assert get_pet["x-amazon-apigateway-integration"] == {
        "type": "http", "httpMethod": "GET", "uri": "http://example.invalid/pets/{id}",
        "responses": {"default": {"statusCode": "200"}},
        "requestParameters": {"integration.request.path.id": "method.request.path.petId"},
        "passthroughBehavior": "when_no_match"}
    get_pets = doc["paths"]["/pets"]["get"]
    assert get_pets["produces"] == ["application/json"]
    assert get_pets["parameters"] == [{"name": "type", "in": "query", "required": False, "type": "string"}]
    assert get_pets["responses"]["200"] == {"description": "200 response", "schema": {"$ref": "#/definitions/Pets"},
                                           "headers": {"Access-Control-Allow-Origin": {"type": "string"}}}
    assert get_pets["x-amazon-apigateway-integration"]["type"] == "mock"
    post = doc["paths"]["/pets"]["post"]
    assert post["consumes"] == ["application/json"]
    assert post["parameters"] == [{"in": "body", "name": "Pet", "required": True, "schema": {"$ref": "#/definitions/Pet"}}]
    assert doc["definitions"]["Pets"] == {"type": "array", "items": {"$ref": "#/definitions/Pet"}}


def test_yaml_export(apigw, deployed):
    api, spec = deployed
    out, doc = export(apigw, api["id"], "oas30", accepts="application/yaml")
    assert out["contentDisposition"] == 'attachment; filename="oas30_1.0.0.yaml"'
    assert doc["openapi"] == "3.0.1" and doc["info"]["title"] == spec["info"]["title"]


@pytest.mark.parametrize("export_type", ["oas30", "swagger"])
def test_export_imports_back_and_serves_the_same(apigw, deployed, endpoint_url, export_type):
    api, _ = deployed
    _, first = export(apigw, api["id"], export_type, extensions="integrations")
    copy = apigw.import_rest_api(body=json.dumps(first).encode())
    apigw.create_deployment(restApiId=copy["id"], stageName="local")
    _, second = export(apigw, copy["id"], export_type, extensions="integrations")
    for doc in (first, second):  # only the host names the API
        doc.pop("servers", None)
        doc.pop("host", None)
    assert second == first
    # the imported copy serves the MOCK method with its templates and response headers, as the original does
    for api_id in (api["id"], copy["id"]):
        r = requests.get(f"{endpoint_url}/_aws/execute-api/{api_id}/local/pets", timeout=30)
        assert (r.status_code, r.json(), r.headers["Access-Control-Allow-Origin"]) == (200, [{"id": 1}], "*")


def test_export_errors(apigw, deployed):
    api, _ = deployed
    err, status = error_of(apigw.get_export, restApiId=api["id"], stageName="nope", exportType="oas30")
    assert (err["Code"], status) == ("NotFoundException", 404)
    err, status = error_of(apigw.get_export, restApiId="missing1", stageName="local", exportType="oas30")
    assert (err["Code"], status) == ("NotFoundException", 404)
    err, status = error_of(apigw.get_export, restApiId=api["id"], stageName="local", exportType="raml")
    assert (err["Code"], status) == ("BadRequestException", 400)
