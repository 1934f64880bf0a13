"""EventBridge connections and API destinations end to end: their lifecycle with AWS's answers (states, fields,
validation texts, not-found messages), a rule targeting an API destination that calls a local HTTP server with the
connection's authorization (Basic, API key, OAuth client credentials) and parameters plus the target's
HttpParameters, and a retry pending at a clean shutdown that runs after the restart under PERSISTENCE=1."""
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import error_of, unique, wait_for

ACCOUNT = "000000000000"


class Endpoint:
    """A local HTTP server that records every request; `status` is what it answers (an OAuth token at /token)."""

    def __init__(self):
        self.requests = []
        self.status = 200
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                endpoint.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body,
                                          "at": time.monotonic()})
                if self.path.startswith("/token"):
                    answer, status = json.dumps({"access_token": "tok-123", "token_type": "Bearer"}).encode(), 200
                else:
                    answer, status = b"{}", endpoint.status
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_PUT = do_GET = do_any

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def calls(self, prefix):
        return [r for r in self.requests if r["path"].startswith(prefix)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    e = Endpoint()
    yield e
    e.close()


@pytest.fixture(scope="module")
def events(aws_client):
    return aws_client("events")


def test_connection_and_api_destination_lifecycle(events):
    name = unique("conn")
    made = events.create_connection(Name=name, AuthorizationType="API_KEY",
                                    AuthParameters={"ApiKeyAuthParameters": {"ApiKeyName": "ApiKey", "ApiKeyValue": "secret"},
                                                    "InvocationHttpParameters": {}})
    assert made["ConnectionState"] == "AUTHORIZED"
    assert made["ConnectionArn"].startswith(f"arn:aws:events:us-east-1:{ACCOUNT}:connection/{name}/")
    described = events.describe_connection(Name=name)
    assert described["AuthParameters"] == {"ApiKeyAuthParameters": {"ApiKeyName": "ApiKey"}, "InvocationHttpParameters": {}}
    assert (described["AuthorizationType"], described["ConnectionState"], described["Name"]) == ("API_KEY", "AUTHORIZED", name)
    assert described["SecretArn"].startswith(f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:events!connection/{name}/")
    assert {"CreationTime", "LastModifiedTime", "LastAuthorizedTime"} <= described.keys()
    assert "ApiKeyValue" not in json.dumps(described, default=str), "secrets are never returned"
    [listed] = events.list_connections(NamePrefix=name)["Connections"]
    assert (listed["Name"], listed["AuthorizationType"]) == (name, "API_KEY") and "AuthParameters" not in listed

    oauth = events.create_connection(Name=unique("oauth"), AuthorizationType="OAUTH_CLIENT_CREDENTIALS", AuthParameters={
        "OAuthParameters": {"AuthorizationEndpoint": "https://example.com/oauth", "HttpMethod": "POST",
                            "ClientParameters": {"ClientID": "client_id", "ClientSecret": "s"}}})
    assert oauth["ConnectionState"] == "AUTHORIZING"

    err, status = error_of(events.create_connection, Name="Invalid Name With Spaces!", AuthorizationType="BASIC",
                           AuthParameters={"BasicAuthParameters": {"Username": "u", "Password": "p"}})
    assert (err["Code"], status) == ("ValidationException", 400)
    assert err["Message"] == ("1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy "
                              "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")

    dest = unique("dest")
    created = events.create_api_destination(Name=dest, ConnectionArn=made["ConnectionArn"], InvocationEndpoint="https://example.com/api",
                                            HttpMethod="POST", Description="Test API destination")
    assert created["ApiDestinationState"] == "ACTIVE"
    d = events.describe_api_destination(Name=dest)
    assert (d["InvocationRateLimitPerSecond"], d["HttpMethod"], d["ConnectionArn"], d["Description"]) == (
        300, "POST", made["ConnectionArn"], "Test API destination")
    events.update_api_destination(Name=dest, HttpMethod="PUT", InvocationEndpoint="https://example.com/api/v2",
                                  InvocationRateLimitPerSecond=10)
    d = events.describe_api_destination(Name=dest)
    assert (d["HttpMethod"], d["InvocationEndpoint"], d["InvocationRateLimitPerSecond"]) == ("PUT", "https://example.com/api/v2", 10)
    assert [x["Name"] for x in events.list_api_destinations(NamePrefix=dest)["ApiDestinations"]] == [dest]
    err, _ = error_of(events.create_api_destination, Name=unique("bad"), ConnectionArn="invalid-connection-arn",
                      InvocationEndpoint="https://example.com", HttpMethod="INVALID_METHOD")
    assert err["Message"].startswith("2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn'")
    events.delete_api_destination(Name=dest)
    err, status = error_of(events.describe_api_destination, Name=dest)
    assert (err["Code"], status, err["Message"]) == (
        "ResourceNotFoundException", 400, f"Failed to describe the api-destination(s). An api-destination '{dest}' does not exist.")

    assert events.delete_connection(Name=name)["ConnectionState"] == "DELETING"
    err, _ = error_of(events.describe_connection, Name=name)
    assert (err["Code"], err["Message"]) == (
        "ResourceNotFoundException", f"Failed to describe the connection(s). Connection '{name}' does not exist.")


def rule_to_destination(events, destination_arn, **target):
    rule = unique("rule")
    source = unique("app")
    events.put_rule(Name=rule, EventPattern=json.dumps({"source": [source]}))
    events.put_targets(Rule=rule, Targets=[{"Id": "api", "Arn": destination_arn,
                                            "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/events", **target}])
    return source


@pytest.mark.parametrize("auth", ["BASIC", "API_KEY", "OAUTH_CLIENT_CREDENTIALS"])
def test_api_destination_target_calls_the_endpoint_with_its_authorization(events, endpoint, auth):
    params = {"HeaderParameters": [{"Key": "X-Conn", "Value": "from-connection", "IsValueSecret": False}],
              "QueryStringParameters": [{"Key": "q", "Value": "1", "IsValueSecret": False}],
              "BodyParameters": [{"Key": "extra", "Value": "added", "IsValueSecret": False}]}
    auth_parameters = {
        "BASIC": {"BasicAuthParameters": {"Username": "user", "Password": "pass"}},
        "API_KEY": {"ApiKeyAuthParameters": {"ApiKeyName": "X-Api-Key", "ApiKeyValue": "key-value"}},
        "OAUTH_CLIENT_CREDENTIALS": {"OAuthParameters": {"AuthorizationEndpoint": endpoint.url + "/token", "HttpMethod": "POST",
                                                         "ClientParameters": {"ClientID": "cid", "ClientSecret": "csecret"}}},
    }[auth]
    connection = events.create_connection(Name=unique("conn"), AuthorizationType=auth,
                                          AuthParameters={**auth_parameters, "InvocationHttpParameters": params})["ConnectionArn"]
    destination = events.create_api_destination(Name=unique("dest"), ConnectionArn=connection, HttpMethod="POST",
                                                InvocationEndpoint=endpoint.url + "/orders/*")["ApiDestinationArn"]
    source = rule_to_destination(events, destination, HttpParameters={
        "PathParameterValues": ["o-42"], "HeaderParameters": {"X-Target": "from-target"}, "QueryStringParameters": {"t": "2"}})
    out = events.put_events(Entries=[{"Source": source, "DetailType": "order", "Detail": json.dumps({"id": 42})}])
    assert out["FailedEntryCount"] == 0

    [call] = wait_for(lambda: endpoint.calls("/orders/"), timeout=30)
    assert call["method"] == "POST"
    path, _, query = call["path"].partition("?")
    assert path == "/orders/o-42" and sorted(query.split("&")) == ["q=1", "t=2"]
    headers = {k.lower(): v for k, v in call["headers"].items()}
    assert headers["x-conn"] == "from-connection" and headers["x-target"] == "from-target"
    assert headers["content-type"].startswith("application/json")
    if auth == "BASIC":
        assert headers["authorization"] == "Basic " + base64.b64encode(b"user:pass").decode()
    elif auth == "API_KEY":
        assert headers["x-api-key"] == "key-value"
    else:
        [token] = endpoint.calls("/token")
        assert token["headers"]["Authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
        assert "grant_type=client_credentials" in token["body"]
        assert headers["authorization"] == "Bearer tok-123"
    event = json.loads(call["body"])
    assert (event["source"], event["detail"], event["account"], event["extra"]) == (source, {"id": 42}, ACCOUNT, "added")


def test_invocations_over_the_rate_limit_are_delayed_not_dropped(events, endpoint):
    connection = events.create_connection(Name=unique("conn"), AuthorizationType="API_KEY", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "X-Api-Key", "ApiKeyValue": "k"}})["ConnectionArn"]
    destination = events.create_api_destination(Name=unique("dest"), ConnectionArn=connection, HttpMethod="POST",
                                                InvocationEndpoint=endpoint.url + "/paced",
                                                InvocationRateLimitPerSecond=1)["ApiDestinationArn"]
    source = rule_to_destination(events, destination)
    started = time.monotonic()
    out = events.put_events(Entries=[{"Source": source, "DetailType": "tick", "Detail": json.dumps({"n": n})} for n in range(5)])
    assert out["FailedEntryCount"] == 0

    calls = wait_for(lambda: (lambda c: c if len(c) >= 5 else None)(endpoint.calls("/paced")), timeout=90, interval=0.2)
    assert sorted(json.loads(c["body"])["detail"]["n"] for c in calls) == list(range(5)), "every event arrives, once"
    # At 1 per second (a bucket of one second's worth) the k-th call cannot start before k-1 seconds after the puts:
    # a busy box only delays calls further, so this bound holds under any load.
    for k, at in enumerate(sorted(c["at"] for c in calls)):
        assert at - started >= k - 0.1, f"call {k} came {at - started:.2f} s after the puts"


def test_a_pending_retry_survives_a_clean_restart(start_server, endpoint):
    """The endpoint fails (HTTP 500, retryable) until the server has stopped; the retry pending at shutdown is in the
    snapshot and, after the restart, reaches the endpoint, which then answers 200."""
    srv = start_server({"PERSISTENCE": "1"})
    events = srv.client("events")
    connection = events.create_connection(Name=unique("conn"), AuthorizationType="API_KEY", AuthParameters={
        "ApiKeyAuthParameters": {"ApiKeyName": "X-Api-Key", "ApiKeyValue": "k"}})["ConnectionArn"]
    destination = events.create_api_destination(Name=unique("dest"), ConnectionArn=connection, HttpMethod="POST",
                                                InvocationEndpoint=endpoint.url + "/hook")["ApiDestinationArn"]
    source = rule_to_destination(events, destination)
    endpoint.status = 500
    event_id = events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": "{}"}])["Entries"][0]["EventId"]
    wait_for(lambda: endpoint.calls("/hook"), timeout=30)   # the first attempt failed: a retry is pending

    srv.stop()
    failed_before_restart = len(endpoint.calls("/hook"))
    endpoint.status = 200
    srv.start()
    delivered = wait_for(lambda: len(endpoint.calls("/hook")) > failed_before_restart and endpoint.calls("/hook"), timeout=90)
    assert json.loads(delivered[-1]["body"])["id"] == event_id
