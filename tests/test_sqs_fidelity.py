"""SQS answers as AWS and LocalStack give them (issue 14), in both of SQS's protocols where both apply:
boto3's JSON client and a boto3 client speaking the query protocol (botocore's SQS specification merged with
the query traits Polystack ships), plus signed raw HTTP for the query API on queue URLs and LocalStack's
developer endpoint /_aws/sqs/messages. Quoted messages are AWS's (or, for the developer endpoint and the
override headers, LocalStack's) wording."""
import copy
import json
import time
from pathlib import Path

import boto3
import botocore.session
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from helpers import unique

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "protocol/src/main/resources/dev/polystack/protocol/overlays/sqs.json"
NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"


# --- clients -----------------------------------------------------------------------------------------------

def _merge(base, overlay):
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)


@pytest.fixture(scope="module")
def query_model_dir(tmp_path_factory):
    """botocore's SQS specification with the query protocol's traits: what a query-protocol SDK sends."""
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model("sqs", "service-2")
    overlay = json.loads(OVERLAY.read_text())
    overlay.pop("_comment", None)
    _merge(model, overlay)
    model["metadata"]["protocol"] = "query"
    model["metadata"]["protocols"] = ["query"]
    folder = tmp_path_factory.mktemp("sqs-query-model")
    target = folder / "sqs" / model["metadata"]["apiVersion"]
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(model))
    return folder


def _client(endpoint_url, protocol, query_model_dir, region="us-east-1", **kwargs):
    session = botocore.session.get_session()
    if protocol == "query":
        session = botocore.session.Session()
        session.get_component("data_loader").search_paths.insert(0, str(query_model_dir))
    return boto3.Session(botocore_session=session).client(
        "sqs", endpoint_url=endpoint_url, region_name=region, aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}), **kwargs)


@pytest.fixture(scope="module", params=["json", "query"])
def client(request, endpoint_url, query_model_dir):
    """An SQS client in each protocol."""
    c = _client(endpoint_url, request.param, query_model_dir)
    c.protocol = request.param
    return c


@pytest.fixture
def make_queue(client):
    created = []

    def make(attributes=None, fifo=False):
        attributes = dict(attributes or {})
        qname = unique("fid") + (".fifo" if fifo else "")
        if fifo:
            attributes["FifoQueue"] = "true"
        url = client.create_queue(QueueName=qname, Attributes=attributes)["QueueUrl"]
        created.append(url)
        return url

    yield make
    for url in created:
        try:
            client.delete_queue(QueueUrl=url)
        except ClientError:
            pass


def signed(method, url, service="sqs", params=None, data=None, headers=None, region="us-east-1"):
    """A SigV4-signed raw request (what LocalStack's tests call an HTTP client for the query API)."""
    headers = dict(headers or {})
    if data is not None:
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    request = AWSRequest(method=method, url=url, params=params, data=data, headers=headers)
    SigV4Auth(Credentials("test", "test"), service, region).add_auth(request)
    prepared = request.prepare()
    return requests.request(method, prepared.url, headers=dict(prepared.headers), data=prepared.body, timeout=60)


def on_server(endpoint_url, queue_url):
    """The queue URL's path on the test server (queue URLs name localhost.localstack.cloud)."""
    return endpoint_url + "/" + queue_url.split("/", 3)[3]


def error_of(call, **kwargs):
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def body_of(message):
    return message["Body"]


# --- /_aws/sqs/messages ------------------------------------------------------------------------------------

@pytest.mark.moto_deviation("the developer endpoint /_aws/sqs/messages is the native provider's")
def test_developer_endpoint_as_endpoint_url_returns_every_message_without_side_effects(
        client, make_queue, endpoint_url, query_model_dir):
    url = make_queue()
    for body in ("message-1", "message-2", "message-3"):
        client.send_message(QueueUrl=url, MessageBody=body)
    peek = _client(endpoint_url + "/_aws/sqs/messages", client.protocol, query_model_dir)
    got = peek.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    assert [m["Body"] for m in got] == ["message-1", "message-2", "message-3"]
    assert {m["Attributes"]["ApproximateReceiveCount"] for m in got} == {"0"}
    assert {m["ReceiptHandle"] for m in got} == {"SQS/BACKDOOR/ACCESS"}
    # nothing was received: all three are still there for a real consumer
    received = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    assert len(received) == 3
    # in flight now: hidden unless asked for
    assert "Messages" not in peek.receive_message(QueueUrl=url)


@pytest.mark.moto_deviation("the developer endpoint /_aws/sqs/messages is the native provider's")
def test_developer_endpoint_refuses_other_actions(client, make_queue, endpoint_url, query_model_dir):
    url = make_queue()
    peek = _client(endpoint_url + "/_aws/sqs/messages", client.protocol, query_model_dir)
    error, status = error_of(peek.send_message, QueueUrl=url, MessageBody="x")
    assert (error["Code"], error["Message"], status) == (
        "InvalidRequest", "This endpoint only accepts ReceiveMessage calls", 400)
    assert "Messages" not in client.receive_message(QueueUrl=url)


@pytest.mark.moto_deviation("the developer endpoint /_aws/sqs/messages is the native provider's")
def test_developer_endpoint_fifo_lists_every_group(client, make_queue, endpoint_url, query_model_dir):
    url = make_queue({"ContentBasedDeduplication": "true"}, fifo=True)
    for body, group in (("message-1", "1"), ("message-2", "1"), ("message-3", "2")):
        client.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)
    peek = _client(endpoint_url + "/_aws/sqs/messages", client.protocol, query_model_dir)
    got = peek.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"]
    assert [(m["Body"], m["Attributes"]["MessageGroupId"]) for m in got] == [
        ("message-1", "1"), ("message-2", "1"), ("message-3", "2")]


@pytest.mark.moto_deviation("the developer endpoint /_aws/sqs/messages is the native provider's")
def test_developer_endpoint_show_invisible_and_delayed_as_json(sqs, queue_url_factory, endpoint_url):
    url = queue_url_factory()
    sqs.send_message(QueueUrl=url, MessageBody="message-1")
    sqs.send_message(QueueUrl=url, MessageBody="message-2")
    sqs.send_message(QueueUrl=url, MessageBody="message-3", DelaySeconds=60)
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    accept = {"Accept": "application/json"}

    def listed(**params):
        r = requests.get(endpoint_url + "/_aws/sqs/messages", params={"QueueUrl": url, **params},
                         headers=accept, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json"), r.text
        result = r.json()["ReceiveMessageResponse"]["ReceiveMessageResult"]
        messages = result["Message"]
        return messages if isinstance(messages, list) else [messages]

    only_visible = listed()
    assert [m["Body"] for m in only_visible] == ["message-2"]  # a single message is an object, as xmltodict writes it
    assert {a["Name"] for a in only_visible[0]["Attribute"]} >= {"SenderId", "SentTimestamp", "ApproximateReceiveCount"}

    everything = listed(ShowInvisible="true", ShowDelayed="true")
    flags = {m["Body"]: {a["Name"]: a["Value"] for a in m["Attribute"]} for m in everything}
    assert (flags["message-1"]["IsVisible"], flags["message-1"]["IsDelayed"]) == ("false", "false")
    assert (flags["message-2"]["IsVisible"], flags["message-2"]["IsDelayed"]) == ("true", "false")
    assert (flags["message-3"]["IsVisible"], flags["message-3"]["IsDelayed"]) == ("false", "true")

    # the same as XML, and by path instead of QueueUrl
    account, qname = url.split("/")[-2:]
    r = requests.get(f"{endpoint_url}/_aws/sqs/messages/us-east-1/{account}/{qname}", timeout=30)
    assert r.status_code == 200 and "<ReceiveMessageResponse" in r.text and "message-2" in r.text, r.text
    assert "message-1" not in r.text


@pytest.mark.parametrize("strategy_url", [
    "http://sqs.us-east-1.localhost.localstack.cloud:4566/{account}/{name}",
    "http://queue.localhost.localstack.cloud:4566/{account}/{name}",
    "http://localhost.localstack.cloud:4566/queue/us-east-1/{account}/{name}",
])
@pytest.mark.moto_deviation("the developer endpoint /_aws/sqs/messages is the native provider's")
def test_developer_endpoint_takes_every_url_strategy(sqs, queue_url_factory, endpoint_url, strategy_url):
    url = queue_url_factory()
    sqs.send_message(QueueUrl=url, MessageBody="hello")
    account, qname = url.split("/")[-2:]
    given = strategy_url.format(account=account, name=qname)
    r = requests.get(endpoint_url + "/_aws/sqs/messages", params={"QueueUrl": given}, timeout=30)
    assert r.status_code == 200 and "<Body>hello</Body>" in r.text, r.text


@pytest.mark.moto_deviation("the developer endpoint /_aws/sqs/messages is the native provider's")
def test_developer_endpoint_errors(sqs, queue_url_factory, endpoint_url):
    accept = {"Accept": "application/json"}
    base = endpoint_url + "/_aws/sqs/messages"
    r = requests.get(base, headers=accept, timeout=30)
    assert r.status_code == 400
    assert r.json()["ErrorResponse"]["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    r = requests.get(base, params={"QueueUrl": "http://localhost:4566/nonsense"}, headers=accept, timeout=30)
    assert r.status_code == 404 and r.json()["ErrorResponse"]["Error"]["Code"] == "InvalidAddress"
    r = requests.get(base, params={"QueueUrl": "http://localhost:4566/000000000000/hopefully-not-there"},
                     headers=accept, timeout=30)
    assert r.status_code == 400
    assert r.json()["ErrorResponse"]["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    # the right name in another region is another queue
    url = queue_url_factory()
    account, qname = url.split("/")[-2:]
    r = requests.get(f"{base}/us-east-2/{account}/{qname}", headers=accept, timeout=30)
    assert r.status_code == 400
    assert r.json()["ErrorResponse"]["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    r = requests.get(f"{base}/us-east-2/{account}/{qname}", timeout=30)
    assert r.status_code == 400 and "<Code>AWS.SimpleQueueService.NonExistentQueue</Code>" in r.text


@pytest.fixture
def queue_url_factory(sqs):
    created = []

    def make(attributes=None):
        url = sqs.create_queue(QueueName=unique("fid"), Attributes=attributes or {})["QueueUrl"]
        created.append(url)
        return url

    yield make
    for url in created:
        try:
            sqs.delete_queue(QueueUrl=url)
        except ClientError:
            pass


# --- the query API over GET on queue URLs, and query answers in JSON -----------------------------------------

@pytest.mark.moto_deviation("moto answers a GET without Action differently")
def test_get_on_a_queue_url_without_action_is_unknown_operation_in_xml(client, make_queue, endpoint_url):
    url = on_server(endpoint_url, make_queue())
    for headers in ({}, {"Accept": "application/json"}):
        r = signed("GET", url, headers=headers)
        assert r.status_code == 404 and "<UnknownOperationException" in r.text, r.text


@pytest.mark.moto_deviation("moto accepts CreateQueue/ListQueues by GET on a queue URL")
def test_queue_level_actions_only_at_a_queue_url(client, make_queue, endpoint_url):
    url = on_server(endpoint_url, make_queue())
    for action, extra in (("ListQueues", {}), ("CreateQueue", {"QueueName": unique("other")})):
        r = signed("GET", url, params={"Action": action, **extra})
        assert r.status_code == 400, r.text
        assert "<Code>InvalidAction</Code>" in r.text
        assert f"<Message>The action {action} is not valid for this endpoint.</Message>" in r.text
    r = signed("GET", url, params={"Action": "SendMessage", "MessageBody": "by GET"})
    assert r.status_code == 200 and "<SendMessageResponse" in r.text, r.text
    r = signed("GET", url, params={"Action": "ReceiveMessage", "VisibilityTimeout": "0"})
    assert "by GET" in r.text


@pytest.mark.moto_deviation("moto writes an empty receive differently")
def test_empty_receive_is_written_as_aws_writes_it(client, make_queue, endpoint_url):
    url = on_server(endpoint_url, make_queue())
    r = signed("GET", url, params={"Action": "ReceiveMessage"})
    assert r.status_code == 200 and "<ReceiveMessageResult/>" in r.text, r.text


@pytest.mark.moto_deviation("moto answers query requests in XML whatever Accept says")
def test_query_answers_in_json_when_asked(client, make_queue, endpoint_url):
    url = make_queue()
    r = signed("GET", endpoint_url + "/", params={"Action": "ListQueues", "Version": "2012-11-05"},
               headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json"), r.text
    urls = r.json()["ListQueuesResponse"]["ListQueuesResult"]["QueueUrl"]
    assert url in (urls if isinstance(urls, list) else [urls])
    # the default stays XML
    r = signed("GET", endpoint_url + "/", params={"Action": "ListQueues", "Version": "2012-11-05"})
    assert b"<ListQueuesResponse" in r.content
    # errors too, as AWS writes them in JSON (no ErrorResponse wrapper)
    r = signed("POST", endpoint_url + "/", data={"Action": "GetQueueUrl", "QueueName": unique("missing")},
               headers={"Accept": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"


def test_query_authenticated_get(client, make_queue, endpoint_url):
    """A presigned-style GET: the credentials in the query string (X-Amz-Algorithm ...), no Authorization header."""
    url = make_queue()
    request = AWSRequest(method="GET", url=endpoint_url + "/",
                         params={"Action": "ListQueues", "Version": "2012-11-05"})
    from botocore.auth import SigV4QueryAuth
    SigV4QueryAuth(Credentials("test", "test"), "sqs", "us-east-1", expires=300).add_auth(request)
    prepared = request.prepare()
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in prepared.url
    r = requests.get(prepared.url, timeout=30)
    assert r.status_code == 200 and url in r.text, r.text


@pytest.mark.moto_deviation("moto accepts a batch without entries")
def test_empty_batches_in_both_protocols(client, make_queue, endpoint_url):
    url = make_queue()
    for call in (client.send_message_batch, client.delete_message_batch, client.change_message_visibility_batch):
        error, status = error_of(call, QueueUrl=url, Entries=[])
        assert (error["Code"], status) == ("AWS.SimpleQueueService.EmptyBatchRequest", 400)
    # a raw query request naming no entries at all
    r = signed("POST", endpoint_url + "/", data={"Action": "SendMessageBatch", "QueueUrl": url})
    assert r.status_code == 400 and "<Code>AWS.SimpleQueueService.EmptyBatchRequest</Code>" in r.text, r.text
    assert "There should be at least one SendMessageBatchRequestEntry in the request." in r.text


@pytest.mark.moto_deviation("moto writes an empty Failed list")
def test_batch_answers_leave_out_an_empty_failed_list(client, make_queue, endpoint_url):
    url = make_queue()
    answer = client.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "one"}])
    assert "Failed" not in answer and len(answer["Successful"]) == 1
    r = signed("POST", endpoint_url + "/", data={"Action": "SendMessageBatch", "QueueUrl": url,
                                                  "SendMessageBatchRequestEntry.1.Id": "b",
                                                  "SendMessageBatchRequestEntry.1.MessageBody": "two"})
    assert r.status_code == 200 and "BatchResultErrorEntry" not in r.text


# --- bare queue names ------------------------------------------------------------------------------------------

def test_a_bare_queue_name_is_accepted_as_queue_url(client, make_queue):
    url = make_queue()
    bare = url.rsplit("/", 1)[1]
    client.send_message(QueueUrl=bare, MessageBody="by name")
    arn = client.get_queue_attributes(QueueUrl=bare, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    assert arn.endswith(":" + bare)
    client.tag_queue(QueueUrl=bare, Tags={"k": "v"})
    assert client.list_queue_tags(QueueUrl=bare)["Tags"] == {"k": "v"}
    message = client.receive_message(QueueUrl=bare, VisibilityTimeout=0)["Messages"][0]
    assert message["Body"] == "by name"
    client.change_message_visibility(QueueUrl=bare, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=5)
    client.delete_message(QueueUrl=bare, ReceiptHandle=message["ReceiptHandle"])
    client.purge_queue(QueueUrl=bare)
    error, _ = error_of(client.send_message, QueueUrl=unique("no-such-queue"), MessageBody="x")
    assert error["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    client.delete_queue(QueueUrl=bare)
    error, _ = error_of(client.get_queue_attributes, QueueUrl=url)
    assert error["Code"] == "AWS.SimpleQueueService.NonExistentQueue"


# --- message state ----------------------------------------------------------------------------------------------

def test_change_visibility_with_an_earlier_receipt_handle(client, make_queue):
    url = make_queue()
    client.send_message(QueueUrl=url, MessageBody="test")
    first = client.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"][0]["ReceiptHandle"]
    assert len(client.receive_message(QueueUrl=url, VisibilityTimeout=30)["Messages"]) == 1
    client.change_message_visibility(QueueUrl=url, ReceiptHandle=first, VisibilityTimeout=0)
    assert len(client.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]) == 1


def test_purge_clears_the_fifo_deduplication_cache(client, make_queue):
    url = make_queue(fifo=True)
    send = dict(QueueUrl=url, MessageBody="once", MessageGroupId="g", MessageDeduplicationId="dedup")
    client.send_message(**send)
    client.purge_queue(QueueUrl=url)
    client.send_message(**send)
    got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["once"]


def test_a_message_back_from_flight_comes_before_newer_ones(client, make_queue):
    url = make_queue()
    client.send_message(QueueUrl=url, MessageBody="first")
    client.receive_message(QueueUrl=url, VisibilityTimeout=1)
    client.send_message(QueueUrl=url, MessageBody="second")
    client.send_message(QueueUrl=url, MessageBody="third")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # wait until "first" is visible again (ApproximateNumberOfMessages 3)
        count = client.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
        if count["Attributes"]["ApproximateNumberOfMessages"] == "3":
            break
        time.sleep(0.2)
    got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["first", "second", "third"]


@pytest.mark.moto_deviation("moto applies a changed DeduplicationScope to messages already deduplicated")
def test_deduplication_scope_is_fixed_at_creation(client, make_queue):
    """Recorded on AWS: SetQueueAttributes may switch DeduplicationScope/FifoThroughputLimit and GetQueueAttributes
    shows it, but deduplication keeps the scope the queue was created with."""
    url = make_queue({"DeduplicationScope": "queue"}, fifo=True)
    client.send_message(QueueUrl=url, MessageBody="Test1", MessageGroupId="group1", MessageDeduplicationId="same")
    client.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "messageGroup",
                                                          "FifoThroughputLimit": "perMessageGroupId"})
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attributes["DeduplicationScope"], attributes["FifoThroughputLimit"]) == ("messageGroup", "perMessageGroupId")
    client.send_message(QueueUrl=url, MessageBody="Test2", MessageGroupId="group2", MessageDeduplicationId="same")
    got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["Test1"]

    url = make_queue({"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}, fifo=True)
    client.send_message(QueueUrl=url, MessageBody="Test1", MessageGroupId="group1", MessageDeduplicationId="same")
    client.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"})
    client.send_message(QueueUrl=url, MessageBody="Test2", MessageGroupId="group2", MessageDeduplicationId="same")
    got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in got) == ["Test1", "Test2"]


@pytest.mark.moto_deviation("moto refuses FifoQueue=true on an existing FIFO queue")
def test_fifo_queue_true_may_be_restated(client, make_queue):
    url = make_queue(fifo=True)
    client.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})
    error, status = error_of(client.set_queue_attributes, QueueUrl=url, Attributes={"FifoQueue": "false"})
    assert error["Code"] == "InvalidAttributeValue" and status == 400


# --- validation and attributes -----------------------------------------------------------------------------------

@pytest.mark.moto_deviation("moto accepts attribute values with characters outside SQS's allowed set")
def test_attribute_values_with_characters_sqs_does_not_allow(client, make_queue):
    url = make_queue()
    client.send_message(QueueUrl=url, MessageBody="ok",
                        MessageAttributes={"attr.1øßä": {"StringValue": "Valida", "DataType": "String"}})
    for value in (f"Invalid-{chr(8)}", f"Invalid-{chr(11)}"):
        error, status = error_of(client.send_message, QueueUrl=url, MessageBody="x",
                                 MessageAttributes={"attr1": {"StringValue": value, "DataType": "String"}})
        assert (error["Code"], status) == ("InvalidParameterValue", 400)
        assert error["Message"].startswith(f"Invalid binary character '#x{ord(value[-1]):X}' was found")


@pytest.mark.moto_deviation("moto does not expand MessageAttributeNames wildcards as SQS does")
def test_message_attribute_name_wildcards(client, make_queue):
    url = make_queue()
    attributes = {name: {"StringValue": name, "DataType": "String"} for name in ("foo.a", "foo.b", "bar", "food")}
    client.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attributes)

    def names(selection):
        m = client.receive_message(QueueUrl=url, VisibilityTimeout=0, MessageAttributeNames=selection)["Messages"][0]
        return sorted(m.get("MessageAttributes", {}))

    assert names([".*"]) == ["bar", "foo.a", "foo.b", "food"]
    assert names(["foo.*"]) == ["foo.a", "foo.b"]
    assert names(["bar"]) == ["bar"]
    assert names(["All"]) == ["bar", "foo.a", "foo.b", "food"]


@pytest.mark.moto_deviation("moto does not keep X-Amzn-Trace-Id as AWSTraceHeader")
def test_trace_header_becomes_aws_trace_header(client, make_queue):
    url = make_queue()
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    def add_header(request, **kwargs):
        request.headers["X-Amzn-Trace-Id"] = trace

    client.meta.events.register("before-sign.sqs.SendMessage", add_header)
    try:
        sent = client.send_message(QueueUrl=url, MessageBody="traced")
    finally:
        client.meta.events.unregister("before-sign.sqs.SendMessage", add_header)
    assert "MD5OfMessageSystemAttributes" not in sent  # only attributes sent count towards it
    got = client.receive_message(QueueUrl=url, MessageSystemAttributeNames=["AWSTraceHeader"])["Messages"][0]
    assert got["Attributes"] == {"AWSTraceHeader": trace}


@pytest.mark.moto_deviation("moto keeps listing an attribute reset to its default")
def test_kms_reuse_period_reset_to_default_is_not_listed(client, make_queue):
    url = make_queue()
    client.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": "testKeyId",
                                                          "KmsDataKeyReusePeriodSeconds": "6000"})
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert (attributes["KmsMasterKeyId"], attributes["KmsDataKeyReusePeriodSeconds"]) == ("testKeyId", "6000")
    client.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": "", "KmsDataKeyReusePeriodSeconds": "300"})
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert "KmsMasterKeyId" not in attributes and "KmsDataKeyReusePeriodSeconds" not in attributes
    assert attributes["SqsManagedSseEnabled"] == "false"


# --- LocalStack's override headers --------------------------------------------------------------------------------

def _with_header(client, operation, name, value):
    def add(request, **kwargs):
        request.headers[name] = value
    client.meta.events.register(f"before-sign.sqs.{operation}", add)
    return lambda: client.meta.events.unregister(f"before-sign.sqs.{operation}", add)


@pytest.mark.moto_deviation("LocalStack's x-localstack-sqs-override-* headers are the native provider's")
def test_override_message_count(client, make_queue):
    url = make_queue()
    for start in range(0, 20, 10):
        client.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f"m{start + i}"} for i in range(10)])
    done = _with_header(client, "ReceiveMessage", "x-localstack-sqs-override-message-count", "20")
    try:
        got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    finally:
        done()
    assert len(got) == 20


@pytest.mark.moto_deviation("LocalStack's x-localstack-sqs-override-* headers are the native provider's")
def test_override_wait_time_gathers_until_the_count(client, make_queue):
    url = make_queue()
    client.send_message(QueueUrl=url, MessageBody="early")
    done_wait = _with_header(client, "ReceiveMessage", "x-localstack-sqs-override-wait-time-seconds", "30")
    done_count = _with_header(client, "ReceiveMessage", "x-localstack-sqs-override-message-count", "2")
    import threading
    later = threading.Timer(2, lambda: client.send_message(QueueUrl=url, MessageBody="late"))
    later.start()
    try:
        started = time.monotonic()
        got = client.receive_message(QueueUrl=url, MaxNumberOfMessages=2, WaitTimeSeconds=20)["Messages"]
        took = time.monotonic() - started
    finally:
        done_wait()
        done_count()
        later.join()
    assert sorted(m["Body"] for m in got) == ["early", "late"]
    assert 1.5 <= took < 20
