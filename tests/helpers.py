"""Small helpers shared by the end-to-end test modules (fixtures live in conftest.py)."""
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
