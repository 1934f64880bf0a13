"""REST API Cognito user pool authorizers (COGNITO_USER_POOLS) end to end. Cognito is not native in Polystack, so
the user pool's issuer is served by this test (OpenID discovery and JWKS under /<pool id>, as Cognito lays them
out); the authorizer accepts tokens of the pools in its providerARNs, verifies signature and expiry, checks the
method's authorization scopes, and hands the claims to the integration as $context.authorizer.claims."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
import requests

from helpers import unique

rsa = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.rsa")
from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding  # noqa: E402

from test_apigateway_jwt import b64url, int_b64  # noqa: E402

POOL = "us-east-1_TestPool1"
POOL_ARN = f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{POOL}"


class UserPool:
    """A user pool's signing key, served as Cognito does (<issuer>/.well-known/openid-configuration and jwks.json)."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        numbers = self.key.public_key().public_numbers()
        jwks = {"keys": [{"kty": "RSA", "kid": "pool-key", "use": "sig", "alg": "RS256",
                          "n": int_b64(numbers.n), "e": int_b64(numbers.e)}]}
        pool = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                pool_id = self.path.split("/")[1]
                issuer = f"{pool.base}/{pool_id}"
                if self.path.endswith("/.well-known/openid-configuration"):
                    body = {"issuer": issuer, "jwks_uri": issuer + "/.well-known/jwks.json"}
                elif self.path.endswith("/.well-known/jwks.json"):
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
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, pool=POOL, key=None, **claims):
        now = int(time.time())
        body = {"iss": f"{self.base}/{pool}", "sub": "user-1", "aud": "client-1", "token_use": "id",
                "email": "ada@example.com", "iat": now, "exp": now + 600, **claims}
        body = {k: v for k, v in body.items() if v is not None}
        head = b64url(json.dumps({"alg": "RS256", "kid": "pool-key", "typ": "JWT"}).encode())
        signing_input = f"{head}.{b64url(json.dumps(body).encode())}".encode()
        signature = (key or self.key).sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return signing_input.decode() + "." + b64url(signature)


@pytest.fixture(scope="module")
def pool():
    p = UserPool()
    yield p
    p.server.shutdown()


@pytest.fixture(scope="module")
def api(aws_client):
    apigw = aws_client("apigateway")
    rest = apigw.create_rest_api(name=unique("cognito"))
    api_id, root = rest["id"], rest["rootResourceId"]
    authorizer = apigw.create_authorizer(restApiId=api_id, name="pool", type="COGNITO_USER_POOLS", providerARNs=[POOL_ARN],
                                         identitySource="method.request.header.Authorization")
    assert authorizer["providerARNs"] == [POOL_ARN]
    for part, scopes in (("me", None), ("admin", ["admin"])):
        resource = apigw.create_resource(restApiId=api_id, parentId=root, pathPart=part)["id"]
        extra = {"authorizationScopes": scopes} if scopes else {}
        apigw.put_method(restApiId=api_id, resourceId=resource, httpMethod="GET", authorizationType="COGNITO_USER_POOLS",
                         authorizerId=authorizer["id"], **extra)
        apigw.put_integration(restApiId=api_id, resourceId=resource, httpMethod="GET", type="MOCK",
                              requestTemplates={"application/json": '{"statusCode": 200}'})
        apigw.put_method_response(restApiId=api_id, resourceId=resource, httpMethod="GET", statusCode="200")
        apigw.put_integration_response(
            restApiId=api_id, resourceId=resource, httpMethod="GET", statusCode="200", selectionPattern="",
            responseTemplates={"application/json": '{"sub": "$context.authorizer.claims.sub", '
                                                   '"email": "$context.authorizer.claims.email"}'})
    apigw.create_deployment(restApiId=api_id, stageName="dev")
    return api_id


def get(endpoint_url, api_id, path, token=None):
    port = urlparse(endpoint_url).port
    headers = {"Host": f"{api_id}.execute-api.localhost.localstack.cloud:{port}"}
    if token is not None:
        headers["Authorization"] = token
    return requests.get(f"http://127.0.0.1:{port}/dev{path}", headers=headers, timeout=60)


def test_a_pool_token_passes_and_its_claims_reach_the_integration(endpoint_url, api, pool):
    answer = get(endpoint_url, api, "/me", pool.token())
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"sub": "user-1", "email": "ada@example.com"}


def test_missing_expired_forged_and_foreign_tokens_are_401(endpoint_url, api, pool):
    unauthorized = (401, {"message": "Unauthorized"})
    for token in (None, "", "not-a-jwt", pool.token(exp=int(time.time()) - 60),
                  pool.token(key=rsa.generate_private_key(public_exponent=65537, key_size=2048)),
                  pool.token(pool="us-east-1_OtherPool")):
        answer = get(endpoint_url, api, "/me", token)
        assert (answer.status_code, answer.json()) == unauthorized, token


def test_authorization_scopes_need_an_access_token_with_one_of_them(endpoint_url, api, pool):
    assert get(endpoint_url, api, "/admin", pool.token()).status_code == 401
    assert get(endpoint_url, api, "/admin", pool.token(token_use="access", scope="openid read")).status_code == 401
    answer = get(endpoint_url, api, "/admin", pool.token(token_use="access", scope="openid admin", aud=None, client_id="client-1"))
    assert answer.status_code == 200, answer.text
