"""API Gateway custom domain names: v1 DomainName and base path mappings, v2 DomainName and API mappings (one store,
as on AWS), and invocation through the custom domain as LocalStack documents it: a request to port 4566 whose Host is
the domain is served by the mapped API and stage, with the base path stripped."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import requests

from helpers import error_of, unique

CERT = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def apigw(aws_client):
    return aws_client("apigateway")


@pytest.fixture(scope="module")
def apigw2(aws_client):
    return aws_client("apigatewayv2")


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


def domain_name():
    return f"{unique('api')}.example.com".lower()


def on_domain(port, domain, path, method="GET", **kwargs):
    """A request to the custom domain without DNS: connect to port 4566, name the domain in Host."""
    headers = dict(kwargs.pop("headers", {}))
    headers["Host"] = domain
    return requests.request(method, f"http://127.0.0.1:{port}{path}", headers=headers, timeout=30, **kwargs)


def mock_api(apigw, answer, stage="prod"):
    """A REST API answering {"api": answer, "path": <resource path>} on / and /{proxy+} through MOCK, deployed."""
    api = apigw.create_rest_api(name=unique("domain-api"))
    api_id, root = api["id"], api["rootResourceId"]
    proxy = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")["id"]
    for resource in (root, proxy):
        apigw.put_method(restApiId=api_id, resourceId=resource, httpMethod="GET", authorizationType="NONE")
        apigw.put_integration(restApiId=api_id, resourceId=resource, httpMethod="GET", type="MOCK",
                              requestTemplates={"application/json": '{"statusCode": 200}'})
        apigw.put_method_response(restApiId=api_id, resourceId=resource, httpMethod="GET", statusCode="200")
        apigw.put_integration_response(
            restApiId=api_id, resourceId=resource, httpMethod="GET", statusCode="200", selectionPattern="",
            responseTemplates={"application/json": '{"api": "%s", "path": "$context.resourcePath", '
                                                   '"proxy": "$input.params(\'proxy\')"}' % answer})
    apigw.create_deployment(restApiId=api_id, stageName=stage)
    return api_id


def test_v1_domain_name_shapes_and_errors(apigw):
    regional = domain_name()
    created = apigw.create_domain_name(domainName=regional, regionalCertificateArn=CERT,
                                       endpointConfiguration={"types": ["REGIONAL"]}, tags={"team": "a"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["domainName"] == regional
    assert created["domainNameArn"] == f"arn:aws:apigateway:us-east-1::/domainnames/{regional}"
    assert created["endpointConfiguration"] == {"types": ["REGIONAL"]}
    assert created["regionalCertificateArn"] == CERT
    assert created["regionalDomainName"].startswith("d-")
    assert created["regionalDomainName"].endswith(".execute-api.us-east-1.amazonaws.com")
    assert created["regionalHostedZoneId"] and created["domainNameStatus"] == "AVAILABLE"
    assert created["securityPolicy"] == "TLS_1_2" and created["tags"] == {"team": "a"}
    assert "distributionDomainName" not in created

    edge = domain_name()
    created = apigw.create_domain_name(domainName=edge, certificateArn=CERT)
    assert created["endpointConfiguration"] == {"types": ["EDGE"]}
    assert created["distributionDomainName"].endswith(".cloudfront.net")
    assert created["distributionHostedZoneId"] == "Z2FDTNDATAQYW2"
    assert created["certificateArn"] == CERT and "certificateUploadDate" in created
    assert "regionalDomainName" not in created

    err, status = error_of(apigw.create_domain_name, domainName=edge, certificateArn=CERT)
    assert (err["Code"], err["Message"], status) == ("ConflictException", "The domain name you provided already exists.", 409)
    err, status = error_of(apigw.get_domain_name, domainName="missing.example.com")
    assert (err["Code"], err["Message"], status) == ("NotFoundException", "Invalid domain name identifier specified", 404)

    names = [d["domainName"] for d in apigw.get_domain_names(limit=500)["items"]]
    assert regional in names and edge in names
    assert apigw.get_domain_name(domainName=regional)["regionalCertificateArn"] == CERT

    other = CERT.replace("5555", "6666")
    updated = apigw.update_domain_name(domainName=regional, patchOperations=[
        {"op": "replace", "path": "/regionalCertificateArn", "value": other}])
    assert updated["regionalCertificateArn"] == other
    err, _ = error_of(apigw.update_domain_name, domainName=regional,
                      patchOperations=[{"op": "replace", "path": "/domainName", "value": "x.example.com"}])
    assert err["Code"] == "BadRequestException"

    apigw.delete_domain_name(domainName=regional)
    err, _ = error_of(apigw.get_domain_name, domainName=regional)
    assert err["Code"] == "NotFoundException"
    err, _ = error_of(apigw.delete_domain_name, domainName=regional)
    assert err["Code"] == "NotFoundException"
    apigw.delete_domain_name(domainName=edge)


def test_v1_base_path_mappings_and_errors(apigw):
    domain = domain_name()
    apigw.create_domain_name(domainName=domain, regionalCertificateArn=CERT, endpointConfiguration={"types": ["REGIONAL"]})
    api_id = mock_api(apigw, "one")

    created = apigw.create_base_path_mapping(domainName=domain, basePath="v1", restApiId=api_id, stage="prod")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert {k: created[k] for k in ("basePath", "restApiId", "stage")} == {"basePath": "v1", "restApiId": api_id, "stage": "prod"}
    none = apigw.create_base_path_mapping(domainName=domain, restApiId=api_id, stage="prod")
    assert none["basePath"] == "(none)"

    err, status = error_of(apigw.create_base_path_mapping, domainName=domain, basePath="v1", restApiId=api_id, stage="prod")
    assert (err["Code"], status) == ("ConflictException", 409)
    err, status = error_of(apigw.create_base_path_mapping, domainName="missing.example.com", restApiId=api_id)
    assert (err["Code"], err["Message"], status) == ("NotFoundException", "Invalid domain name identifier specified", 404)
    err, status = error_of(apigw.create_base_path_mapping, domainName=domain, basePath="x", restApiId="nosuchapi1")
    assert (err["Code"], err["Message"], status) == ("BadRequestException", "Invalid REST API identifier specified", 400)
    err, status = error_of(apigw.create_base_path_mapping, domainName=domain, basePath="x", restApiId=api_id, stage="nope")
    assert (err["Code"], err["Message"], status) == ("BadRequestException", "Invalid stage identifier specified", 400)

    assert apigw.get_base_path_mapping(domainName=domain, basePath="v1")["restApiId"] == api_id
    assert apigw.get_base_path_mapping(domainName=domain, basePath="(none)")["basePath"] == "(none)"
    listed = apigw.get_base_path_mappings(domainName=domain)["items"]
    assert sorted(m["basePath"] for m in listed) == ["(none)", "v1"]
    err, status = error_of(apigw.get_base_path_mapping, domainName=domain, basePath="v9")
    assert (err["Code"], err["Message"], status) == ("NotFoundException", "Invalid base path mapping identifier specified", 404)

    moved = apigw.update_base_path_mapping(domainName=domain, basePath="v1",
                                           patchOperations=[{"op": "replace", "path": "/basePath", "value": "v2"}])
    assert moved["basePath"] == "v2"
    assert error_of(apigw.get_base_path_mapping, domainName=domain, basePath="v1")[0]["Code"] == "NotFoundException"
    err, _ = error_of(apigw.update_base_path_mapping, domainName=domain, basePath="v2",
                      patchOperations=[{"op": "replace", "path": "/stage", "value": "nope"}])
    assert err["Message"] == "Invalid stage identifier specified"
    assert apigw.get_base_path_mapping(domainName=domain, basePath="v2")["stage"] == "prod", "a refused update changes nothing"

    apigw.delete_base_path_mapping(domainName=domain, basePath="v2")
    assert [m["basePath"] for m in apigw.get_base_path_mappings(domainName=domain)["items"]] == ["(none)"]
    apigw.delete_domain_name(domainName=domain)


def test_rest_apis_are_served_through_the_custom_domain_by_base_path(apigw, port):
    domain = domain_name()
    apigw.create_domain_name(domainName=domain, regionalCertificateArn=CERT, endpointConfiguration={"types": ["REGIONAL"]})
    orders = mock_api(apigw, "orders")
    shop = mock_api(apigw, "shop", stage="live")
    apigw.create_base_path_mapping(domainName=domain, basePath="orders", restApiId=orders, stage="prod")

    answer = on_domain(port, domain, "/orders/items/42")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"api": "orders", "path": "/{proxy+}", "proxy": "items/42"}
    assert on_domain(port, domain, "/orders").json()["path"] == "/"
    # The Host header's port and case do not matter.
    assert on_domain(port, domain.upper() + f":{port}", "/orders/a").json()["api"] == "orders"
    # No mapping for this base path, and none without one: AWS's 403.
    missing = on_domain(port, domain, "/elsewhere/x")
    assert (missing.status_code, missing.json()) == (403, {"message": "Forbidden"})

    apigw.create_base_path_mapping(domainName=domain, restApiId=shop, stage="live")
    assert on_domain(port, domain, "/elsewhere/x").json() == {"api": "shop", "path": "/{proxy+}", "proxy": "elsewhere/x"}
    assert on_domain(port, domain, "/orders/x").json()["api"] == "orders", "the longest base path wins"

    # Deleted, the domain is no longer API Gateway's: the request falls through to the usual routing (S3 here).
    apigw.delete_domain_name(domainName=domain)
    gone = on_domain(port, domain, "/orders/items/42")
    assert gone.status_code != 200 and b'"api"' not in gone.content


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


def test_v2_domain_and_api_mappings_share_the_store_with_v1_and_serve_http_apis(apigw, apigw2, port, backend):
    domain = domain_name()
    created = apigw2.create_domain_name(DomainName=domain, DomainNameConfigurations=[
        {"CertificateArn": CERT, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}], Tags={"k": "v"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["ApiMappingSelectionExpression"] == "$request.basepath"
    config = created["DomainNameConfigurations"][0]
    assert config["ApiGatewayDomainName"].startswith("d-") and config["EndpointType"] == "REGIONAL"
    assert (config["CertificateArn"], config["DomainNameStatus"], config["SecurityPolicy"]) == (CERT, "AVAILABLE", "TLS_1_2")
    assert created["Tags"] == {"k": "v"}
    # One store: v1 sees the domain v2 created.
    assert apigw.get_domain_name(domainName=domain)["regionalDomainName"] == config["ApiGatewayDomainName"]
    assert domain in [d["DomainName"] for d in apigw2.get_domain_names()["Items"]]
    err, status = error_of(apigw2.create_domain_name, DomainName=domain)
    assert (err["Code"], status) == ("ConflictException", 409)
    err, status = error_of(apigw2.get_domain_name, DomainName="missing.example.com")
    assert (err["Code"], status) == ("NotFoundException", 404)

    api_id = apigw2.create_api(Name=unique("domain-http"), ProtocolType="HTTP")["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="HTTP_PROXY", IntegrationMethod="GET",
                                            IntegrationUri=backend + "/echo/{proxy}", PayloadFormatVersion="1.0")
    apigw2.create_route(ApiId=api_id, RouteKey="GET /{proxy+}", Target=f"integrations/{integration['IntegrationId']}")
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)

    err, status = error_of(apigw2.create_api_mapping, DomainName=domain, ApiId="nosuchapi", Stage="$default")
    assert (err["Code"], status) == ("NotFoundException", 404)
    err, status = error_of(apigw2.create_api_mapping, DomainName=domain, ApiId=api_id, Stage="nope")
    assert (err["Code"], status) == ("NotFoundException", 404)
    mapping = apigw2.create_api_mapping(DomainName=domain, ApiId=api_id, Stage="$default", ApiMappingKey="shop")
    assert mapping["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (mapping["ApiId"], mapping["ApiMappingKey"], mapping["Stage"]) == (api_id, "shop", "$default")
    err, status = error_of(apigw2.create_api_mapping, DomainName=domain, ApiId=api_id, Stage="$default", ApiMappingKey="shop")
    assert (err["Code"], status) == ("ConflictException", 409)
    assert apigw2.get_api_mapping(DomainName=domain, ApiMappingId=mapping["ApiMappingId"])["ApiMappingKey"] == "shop"
    assert [m["ApiMappingId"] for m in apigw2.get_api_mappings(DomainName=domain)["Items"]] == [mapping["ApiMappingId"]]
    # v1 shows the same mapping as a base path mapping.
    assert apigw.get_base_path_mapping(domainName=domain, basePath="shop")["restApiId"] == api_id

    answer = on_domain(port, domain, "/shop/cart/1")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"path": "/echo/cart/1"}

    apigw2.update_api_mapping(DomainName=domain, ApiMappingId=mapping["ApiMappingId"], ApiId=api_id, ApiMappingKey="store")
    assert on_domain(port, domain, "/store/cart/2").json() == {"path": "/echo/cart/2"}
    assert on_domain(port, domain, "/shop/cart/2").status_code == 403

    # A v2 mapping may serve a REST API too.
    rest = mock_api(apigw, "rest")
    apigw2.create_api_mapping(DomainName=domain, ApiId=rest, Stage="prod", ApiMappingKey="legacy")
    assert on_domain(port, domain, "/legacy/a/b").json()["proxy"] == "a/b"

    apigw2.delete_api_mapping(DomainName=domain, ApiMappingId=mapping["ApiMappingId"])
    err, _ = error_of(apigw2.get_api_mapping, DomainName=domain, ApiMappingId=mapping["ApiMappingId"])
    assert err["Code"] == "NotFoundException"
    apigw2.delete_domain_name(DomainName=domain)
    assert error_of(apigw.get_domain_name, domainName=domain)[0]["Code"] == "NotFoundException"
