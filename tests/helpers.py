"""Small helpers shared by the end-to-end test modules (fixtures live in conftest.py)."""
import time
import uuid

import pytest
from botocore.exceptions import ClientError


def unique(prefix):
    """A resource name no other test (or earlier run against the same server) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_of(call, *args, **kwargs):
    """Calls, expects a ClientError, and returns its (Error dict, HTTP status)."""
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    return info.value.response["Error"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def wait_for(condition, timeout=30.0, interval=0.05):
    """Polls until condition() returns a truthy value and returns it; fails after timeout seconds. A condition that
    costs the server work (a metric query, a listing) polls less often with a longer interval."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(interval)


def mock_rest_method(apigw, api_id, resource_id, response_template, method="GET", **method_kwargs):
    """A REST API method with a MOCK integration answering 200 with the given response template."""
    apigw.put_method(restApiId=api_id, resourceId=resource_id, httpMethod=method, authorizationType="NONE", **method_kwargs)
    apigw.put_integration(restApiId=api_id, resourceId=resource_id, httpMethod=method, type="MOCK",
                          requestTemplates={"application/json": '{"statusCode": 200}'})
    apigw.put_method_response(restApiId=api_id, resourceId=resource_id, httpMethod=method, statusCode="200")
    apigw.put_integration_response(restApiId=api_id, resourceId=resource_id, httpMethod=method, statusCode="200",
                                   selectionPattern="", responseTemplates={"application/json": response_template})
