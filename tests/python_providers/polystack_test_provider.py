"""A small LocalStack-convention provider used by the bridge's tests (kind ``python``).

It serves a few SQS operations in memory, written the way LocalStack's providers are: one
snake_case method per operation taking ``(context, **params)``, botocore-shaped parameters and
results, errors as ``ServiceException`` subclasses. Queue names steer the failure paths:
``crash-*`` raises a plain Python error (→ InternalError), ``teapot-*`` a modelled error with a
custom status.
"""
import hashlib
import uuid

try:  # LocalStack's own API when localstack-core is installed, else the bridge's stand-in
    from localstack.aws.api import CommonServiceException, ServiceException, handler
except ImportError:
    from polystack_bridge.api import CommonServiceException, ServiceException, handler


class QueueDoesNotExist(ServiceException):
    code = "QueueDoesNotExist"
    sender_fault = True
    status_code = 400


class TinySqsProvider:
    def __init__(self):
        self.queues = {}  # (account, region, name) -> list of messages

    def _url(self, context, name):
        return f"http://sqs.{context.region}.localhost.localstack.cloud:4566/{context.account_id}/{name}"

    def _queue(self, context, url):
        name = url.rstrip("/").rsplit("/", 1)[-1]
        key = (context.account_id, context.region, name)
        if key not in self.queues:
            raise QueueDoesNotExist("The specified queue does not exist.")
        return self.queues[key]

    def create_queue(self, context, QueueName, Attributes=None, tags=None, **kwargs):
        if QueueName.startswith("crash-"):
            return {"QueueUrl": 1 / 0}
        if QueueName.startswith("teapot-"):
            raise CommonServiceException("Teapot", f"{QueueName} is a teapot", status_code=418, sender_fault=True)
        self.queues.setdefault((context.account_id, context.region, QueueName), [])
        return {"QueueUrl": self._url(context, QueueName)}

    @handler("GetQueueUrl")
    def lookup_queue_url(self, context, QueueName, QueueOwnerAWSAccountId=None, **kwargs):
        key = (context.account_id, context.region, QueueName)
        if key not in self.queues:
            raise QueueDoesNotExist("The specified queue does not exist.")
        return {"QueueUrl": self._url(context, QueueName)}

    def list_queues(self, context, QueueNamePrefix="", **kwargs):
        urls = [self._url(context, name) for (account, region, name) in self.queues
                if account == context.account_id and region == context.region and name.startswith(QueueNamePrefix)]
        return {"QueueUrls": urls} if urls else {}

    def send_message(self, context, QueueUrl, MessageBody, MessageAttributes=None, **kwargs):
        queue = self._queue(context, QueueUrl)
        message = {
            "MessageId": str(uuid.uuid4()),
            "ReceiptHandle": str(uuid.uuid4()),
            "MD5OfBody": hashlib.md5(MessageBody.encode()).hexdigest(),
            "Body": MessageBody,
        }
        if MessageAttributes:
            message["MessageAttributes"] = MessageAttributes
        queue.append(message)
        return {"MessageId": message["MessageId"], "MD5OfMessageBody": message["MD5OfBody"]}

    def receive_message(self, context, QueueUrl, MaxNumberOfMessages=1, **kwargs):
        queue = self._queue(context, QueueUrl)
        taken, queue[:] = queue[:MaxNumberOfMessages], queue[MaxNumberOfMessages:]
        return {"Messages": taken} if taken else {}

    def delete_queue(self, context, QueueUrl, **kwargs):
        self._queue(context, QueueUrl)
        name = QueueUrl.rstrip("/").rsplit("/", 1)[-1]
        del self.queues[(context.account_id, context.region, name)]
        return {}

    def tag_queue(self, context, QueueUrl, Tags, **kwargs):
        raise NotImplementedError
