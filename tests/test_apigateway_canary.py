"""API Gateway canary releases really split traffic: a stage's canarySettings send percentTraffic percent of the
requests to the canary deployment, with the canary's stage variable overrides and $context.isCanaryRequest, as
AWS answers (recorded); the rest go to the stage's own deployment."""
import json

import pytest
import requests

from helpers import mock_rest_method, unique

TEMPLATE = ('{"message": "%s", "isCanary": "$context.isCanaryRequest", "variable": "$stageVariables.testVar", '
            '"nonOverridden": "$stageVariables.defaultVar", "nonExistingDefault": "$stageVariables.noStageVar"}')


@pytest.fixture(scope="module")
def apigw(aws_client):
    return aws_client("apigateway")


def set_message(apigw, api_id, root, message):
    apigw.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200",
                                   selectionPattern="", responseTemplates={"application/json": TEMPLATE % message})


def test_canary_deployment_takes_its_share(apigw, endpoint_url):
    created = apigw.create_rest_api(name=unique("canary"))
    api_id, root = created["id"], created["rootResourceId"]
    mock_rest_method(apigw, api_id, root, TEMPLATE % "default deployment")
    apigw.create_deployment(restApiId=api_id, stageName="dev", variables={"testVar": "default", "defaultVar": "default"})
    url = f"{endpoint_url}/_aws/execute-api/{api_id}/dev/"

    assert requests.get(url, timeout=30).json() == {"message": "default deployment", "isCanary": "false", "variable": "default",
                                                    "nonOverridden": "default", "nonExistingDefault": ""}
    set_message(apigw, api_id, root, "canary deployment")
    apigw.create_deployment(restApiId=api_id, stageName="dev", canarySettings={
        "percentTraffic": 100, "stageVariableOverrides": {"testVar": "canary", "noStageVar": "canary"}})
    stage = apigw.get_stage(restApiId=api_id, stageName="dev")
    assert stage["canarySettings"]["percentTraffic"] == 100.0
    assert requests.get(url, timeout=30).json() == {"message": "canary deployment", "isCanary": "true", "variable": "canary",
                                                    "nonOverridden": "default", "nonExistingDefault": "canary"}

    apigw.update_stage(restApiId=api_id, stageName="dev",
                       patchOperations=[{"op": "replace", "path": "/canarySettings/percentTraffic", "value": "50"}])
    seen = {requests.get(url, timeout=30).json()["message"] for _ in range(60)}
    assert seen == {"default deployment", "canary deployment"}  # both at 50 % (a miss has probability 2^-59)

    apigw.update_stage(restApiId=api_id, stageName="dev",
                       patchOperations=[{"op": "replace", "path": "/canarySettings/percentTraffic", "value": "0"}])
    assert {requests.get(url, timeout=30).json()["isCanary"] for _ in range(20)} == {"false"}
    apigw.update_stage(restApiId=api_id, stageName="dev", patchOperations=[{"op": "remove", "path": "/canarySettings"}])
    assert requests.get(url, timeout=30).json()["message"] == "default deployment"
