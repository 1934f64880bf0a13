"""Polystack's Lambda runtime client for Python: loads the handler named by _HANDLER from LAMBDA_TASK_ROOT and
serves invocations through the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API, as AWS's runtime interface client does."""
import http.client
import importlib
import json
import os
import sys
import time
import traceback

END_MARKER = "\x1ePOLYSTACK_END "
API = os.environ["AWS_LAMBDA_RUNTIME_API"]
PREFIX = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())


class Connection:
    """One keep-alive HTTP connection to the Runtime API, reopened when it drops."""

    def __init__(self):
        host, _, port = API.partition(":")
        self.host, self.port = host, int(port or 80)
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port)
            try:
                self.conn.request(method, PREFIX + path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response, response.read()
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise


class LambdaContext:
    def __init__(self, request_id, deadline_ms, invoked_arn, client_context):
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = client_context
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def error_object(exc, error_type=None):
    return {
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:]),
    }


def load_handler():
    """The handler function, or (error object, error type) as AWS's Python runtime reports loading failures."""
    spec = os.environ.get("_HANDLER", "")
    module_path, _, function_name = spec.rpartition(".")
    if not module_path:
        return None, ({"errorMessage": f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)",
                       "errorType": "Runtime.MalformedHandlerName", "requestId": "", "stackTrace": []},
                      "Runtime.MalformedHandlerName")
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        return None, ({"errorMessage": f"Unable to import module '{module_name}': {e}",
                       "errorType": "Runtime.ImportModuleError", "requestId": "", "stackTrace": []},
                      "Runtime.ImportModuleError")
    except SyntaxError as e:
        return None, ({"errorMessage": f"Syntax error in module '{module_name}': {e}",
                       "errorType": "Runtime.UserCodeSyntaxError", "requestId": "",
                       "stackTrace": traceback.format_exception_only(type(e), e)},
                      "Runtime.UserCodeSyntaxError")
    except Exception as e:
        error = error_object(e)
        return None, (error, "Runtime.Unknown")
    handler = getattr(module, function_name, None)
    if handler is None:
        return None, ({"errorMessage": f"Handler '{function_name}' missing on module '{module_name}'",
                       "errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": []},
                      "Runtime.HandlerNotFound")
    return handler, None


def end_of_output(request_id):
    sys.stdout.flush()
    sys.stderr.flush()
    os.write(1, (END_MARKER + request_id + "\n").encode())


def main():
    sys.path[0:0] = [TASK_ROOT]
    api = Connection()
    handler, failure = load_handler()
    if failure is not None:
        error, error_type = failure
        sys.stdout.write(f"[ERROR] {error_type}: {error['errorMessage']}\n")
        sys.stdout.flush()
        api.request("POST", "/init/error", json.dumps(error).encode(),
                    {"Lambda-Runtime-Function-Error-Type": error_type, "Content-Type": "application/json"})
        sys.exit(1)
    while True:
        response, body = api.request("GET", "/invocation/next")
        request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
        deadline = int(response.getheader("Lambda-Runtime-Deadline-Ms", "0"))
        client_context = response.getheader("Lambda-Runtime-Client-Context")
        if client_context:
            try:
                client_context = json.loads(client_context)
            except ValueError:
                pass
        context = LambdaContext(request_id, deadline, response.getheader("Lambda-Runtime-Invoked-Function-Arn"),
                                client_context)
        os.environ["_X_AMZN_TRACE_ID"] = response.getheader("Lambda-Runtime-Trace-Id", "")
        try:
            event = json.loads(body) if body else {}
            result = handler(event, context)
            answer = json.dumps(result).encode()
        except Exception as e:
            error = error_object(e)
            error["requestId"] = request_id
            sys.stdout.write(f"[ERROR] {error['errorType']}: {error['errorMessage']}\n"
                             + "".join(["Traceback (most recent call last):\n"] + error["stackTrace"]))
            end_of_output(request_id)
            api.request("POST", f"/invocation/{request_id}/error", json.dumps(error).encode(),
                        {"Lambda-Runtime-Function-Error-Type": error["errorType"], "Content-Type": "application/json"})
            continue
        end_of_output(request_id)
        api.request("POST", f"/invocation/{request_id}/response", answer, {"Content-Type": "application/json"})


if __name__ == "__main__":
    main()
