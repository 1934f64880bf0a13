"""API Gateway access logs: a stage's accessLogSettings write one line per request, its $context variables filled in
('-' where a variable has no value), into the CloudWatch Logs group the destinationArn names (native Logs)."""
import json

import requests

from helpers import mock_rest_method, unique, wait_for

FORMAT = ('{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","method":"$context.httpMethod",'
          '"resourcePath":"$context.resourcePath","status":"$context.status","length":"$context.responseLength",'
          '"stage":"$context.stage","caller":"$context.identity.caller"}')


def test_access_log_lines_reach_cloudwatch_logs(aws_client, endpoint_url):
    apigw, logs = aws_client("apigateway"), aws_client("logs")
    group = f"/apigateway/{unique('access')}"
    logs.create_log_group(logGroupName=group)
    group_arn = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["arn"]
    created = apigw.create_rest_api(name=unique("logged"))
    api_id, root = created["id"], created["rootResourceId"]
    mock_rest_method(apigw, api_id, root, '{"ok": true}')
    apigw.create_deployment(restApiId=api_id, stageName="prod")
    url = f"{endpoint_url}/_aws/execute-api/{api_id}/prod"
    assert requests.get(url + "/", timeout=30).status_code == 200  # not logged yet: no settings
    apigw.update_stage(restApiId=api_id, stageName="prod", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": group_arn},
        {"op": "replace", "path": "/accessLogSettings/format", "value": FORMAT}])

    ok = requests.get(url + "/", timeout=30)
    missing = requests.get(url + "/nowhere", timeout=30)
    assert (ok.status_code, missing.status_code) == (200, 403)

    def lines():
        events = logs.filter_log_events(logGroupName=group)["events"]
        return [json.loads(e["message"]) for e in events] if len(events) >= 2 else None

    first, second = wait_for(lines)
    assert first["requestId"] == ok.headers["x-amzn-RequestId"]
    assert (first["method"], first["resourcePath"], first["status"], first["length"], first["stage"]) == (
        "GET", "/", "200", str(len(ok.content)), "prod")
    assert first["ip"] == "127.0.0.1" and first["caller"] == "-"
    assert (second["status"], second["resourcePath"]) == ("403", "-")
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert [s["logStreamName"] for s in streams] == [f"{api_id}_prod"]

    apigw.update_stage(restApiId=api_id, stageName="prod", patchOperations=[{"op": "remove", "path": "/accessLogSettings"}])
    requests.get(url + "/", timeout=30)
    assert len(logs.filter_log_events(logGroupName=group)["events"]) == 2
