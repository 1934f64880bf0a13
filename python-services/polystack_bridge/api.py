"""The slice of LocalStack's provider API that providers need, for use without localstack-core.

Mirrors ``localstack.aws.api``: providers are classes with one snake_case method per operation,
called as ``method(context, **params)``; errors are ``ServiceException`` subclasses carrying
``code``, ``message``, ``status_code`` and ``sender_fault``. When localstack-core is importable its
own classes are used instead; the bridge only relies on these attribute names.
"""


class ServiceException(Exception):
    code: str = "InternalError"
    status_code: int = 400
    sender_fault: bool = False
    message: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args)
        if args:
            self.message = args[0]
        for key, value in kwargs.items():
            setattr(self, key, value)


class CommonServiceException(ServiceException):
    """An error not modelled in the service specification, named by its code."""

    def __init__(self, code, message, status_code=400, sender_fault=False):
        super().__init__(message)
        self.code = code
        self.status_code = status_code
        self.sender_fault = sender_fault


class Request:
    """The HTTP request behind an operation (LocalStack exposes a werkzeug Request here)."""

    def __init__(self, method, path, query, headers, data):
        self.method = method
        self.path = path
        self.query_string = query
        self.headers = headers
        self.data = data

    def get_data(self):
        return self.data


class RequestContext:
    """What LocalStack's handlers get as ``context``."""

    def __init__(self, account_id, region, partition, service_name, operation_name, request_id, request):
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self.service_name = service_name
        self.operation_name = operation_name
        self.request_id = request_id
        self.request = request

    # LocalStack's context exposes .service and .operation as botocore models; their .name suffices
    # for most providers.
    @property
    def service(self):
        return _Named(self.service_name)

    @property
    def operation(self):
        return _Named(self.operation_name)


class _Named:
    def __init__(self, name):
        self.name = name
        self.service_name = name

    def __repr__(self):
        return self.name


def handler(operation=None, context=True, expand=True):
    """LocalStack's ``@handler("OperationName")``: binds a method to an operation explicitly."""

    def decorate(fn):
        fn.operation = operation
        fn.expand_parameters = expand
        fn.pass_context = context
        return fn

    return decorate
