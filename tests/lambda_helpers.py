"""Helpers for the Lambda end-to-end tests: function packages built in the test, and a function factory."""
import io
import zipfile

import pytest

from helpers import unique

ROLE = "arn:aws:iam::000000000000:role/lambda-role"


def zip_of(files):
    """A deployment package (zip bytes) of {path: source text}; files are executable, like a bootstrap must be."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            z.writestr(info, text)
    return buffer.getvalue()


ECHO_PY = "def handler(event, context):\n    return event\n"


class Functions:
    """Creates functions for a test module and deletes them at its end."""

    def __init__(self, client):
        self.client = client
        self.names = []

    def create(self, files=None, runtime="python3.12", handler="index.handler", prefix="fn", wait=True, **kwargs):
        name = unique(prefix)
        answer = self.client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                             Code={"ZipFile": zip_of(files or {"index.py": ECHO_PY})}, **kwargs)
        self.names.append(name)
        if wait:
            self.client.get_waiter("function_active_v2").wait(FunctionName=name,
                                                              WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        return name, answer

    def cleanup(self):
        for name in self.names:
            try:
                self.client.delete_function(FunctionName=name)
            except Exception:  # already deleted by the test
                pass


@pytest.fixture(scope="module")
def lambda_client(aws_client):
    from botocore.config import Config
    return aws_client("lambda", config=Config(retries={"max_attempts": 1}, read_timeout=120))


@pytest.fixture(scope="module")
def functions(lambda_client):
    f = Functions(lambda_client)
    yield f
    f.cleanup()
