"""HTTP API JWT authorizers verified as AWS does, against an OpenID issuer served by this test (discovery document
and JWKS): signature, expiry, issuer, audience (aud, else client_id), route scopes; the claims reach a Lambda in
requestContext.authorizer.jwt (payload 2.0)."""
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import requests

from helpers import unique
from lambda_helpers import Functions

rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def int_b64(n):
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class Issuer:
    """An RSA key, its JWKS and OpenID discovery document on a local HTTP server, and tokens signed with it."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.key.public_key().public_numbers()
        jwks = {"keys": [{"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256", "n": int_b64(numbers.n), "e": int_b64(numbers.e)}]}
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": issuer.url + "/keys.json"}
                elif self.path == "/keys.json":
                    body = jwks
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, key=None, **claims):
        now = int(time.time())
        body = {"iss": self.url, "aud": "my-app", "sub": "user-1", "iat": now, "exp": now + 600, **claims}
        body = {k: v for k, v in body.items() if v is not None}
        head = b64url(json.dumps({"alg": "RS256", "kid": "k1", "typ": "JWT"}).encode())
        signing_input = f"{head}.{b64url(json.dumps(body).encode())}".encode()
        signature = (key or self.key).sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return signing_input.decode() + "." + b64url(signature)


@pytest.fixture(scope="module")
def issuer():
    i = Issuer()
    yield i
    i.server.shutdown()


@pytest.fixture(scope="module")
def port(endpoint_url):
    return urlparse(endpoint_url).port


@pytest.fixture(scope="module")
def api(aws_client, issuer):
    apigw2 = aws_client("apigatewayv2")
    functions = Functions(aws_client("lambda"))
    _, fn = functions.create()
    api_id = apigw2.create_api(Name=unique("jwt"), ProtocolType="HTTP")["ApiId"]
    integration = apigw2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=fn["FunctionArn"],
                                            PayloadFormatVersion="2.0")["IntegrationId"]
    authorizer = apigw2.create_authorizer(ApiId=api_id, AuthorizerType="JWT", Name="jwt",
                                          IdentitySource=["$request.header.Authorization"],
                                          JwtConfiguration={"Audience": ["my-app", "other-app"], "Issuer": issuer.url})["AuthorizerId"]
    apigw2.create_route(ApiId=api_id, RouteKey="GET /me", AuthorizationType="JWT", AuthorizerId=authorizer,
                        Target=f"integrations/{integration}")
    apigw2.create_route(ApiId=api_id, RouteKey="GET /admin", AuthorizationType="JWT", AuthorizerId=authorizer,
                        AuthorizationScopes=["admin"], Target=f"integrations/{integration}")
    apigw2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    yield api_id
    functions.cleanup()


def get(port, api_id, path, token=None):
    headers = {"Host": f"{api_id}.execute-api.localhost.localstack.cloud:{port}"}
    if token is not None:
        headers["Authorization"] = token
    return requests.get(f"http://127.0.0.1:{port}{path}", headers=headers, timeout=60)


def refused(answer, description):
    assert (answer.status_code, answer.json()) == (401, {"message": "Unauthorized"})
    assert answer.headers["www-authenticate"] == f'Bearer scope="" error="invalid_token" error_description="{description}"'


def test_valid_token_reaches_the_function_with_its_claims(api, port, issuer):
    answer = get(port, api, "/me", "Bearer " + issuer.token(scope="read write", email="a@example.com"))
    assert answer.status_code == 200, answer.text
    jwt = answer.json()["requestContext"]["authorizer"]["jwt"]
    assert jwt["claims"]["sub"] == "user-1"
    assert jwt["claims"]["email"] == "a@example.com"
    assert jwt["claims"]["iss"] == issuer.url
    assert jwt["scopes"] == ["read", "write"]
    # without the Bearer prefix too
    assert get(port, api, "/me", issuer.token()).status_code == 200


def test_missing_and_malformed_tokens(api, port):
    missing = get(port, api, "/me")
    assert (missing.status_code, missing.json()) == (401, {"message": "Unauthorized"})
    refused(get(port, api, "/me", "Bearer not-a-jwt"), "the token is invalid")


def test_expired_token(api, port, issuer):
    refused(get(port, api, "/me", issuer.token(exp=int(time.time()) - 120)), "the token has expired")


def test_signature_of_another_key(api, port, issuer):
    refused(get(port, api, "/me", issuer.token(key=issuer.other)), "the token is invalid")


def test_wrong_issuer(api, port, issuer):
    refused(get(port, api, "/me", issuer.token(iss="https://elsewhere.example")), "the token has an invalid issuer")


def test_audience_then_client_id(api, port, issuer):
    refused(get(port, api, "/me", issuer.token(aud="someone-else")), "the token does not have a valid audience")
    # no aud: client_id counts (Cognito access tokens)
    assert get(port, api, "/me", issuer.token(aud=None, client_id="other-app")).status_code == 200
    # with aud, client_id is not looked at
    refused(get(port, api, "/me", issuer.token(aud="someone-else", client_id="my-app")), "the token does not have a valid audience")


def test_route_scopes(api, port, issuer):
    forbidden = get(port, api, "/admin", issuer.token(scope="read"))
    assert (forbidden.status_code, forbidden.json()) == (403, {"message": "Forbidden"})
    assert get(port, api, "/admin", issuer.token(scope="read admin")).status_code == 200
