"""SQS end to end: boto3 (the JSON protocol), raw query-protocol form posts (XML), the AWS CLI and
LocalStack's internal endpoint, against a real server. Time-based behaviour uses 1-2 s timeouts.

Messages quoted in assertions are AWS's own wording for these errors."""
import base64
import hashlib
import json
import os
import re
import struct
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from botocore.exceptions import ClientError

ACCOUNT = "000000000000"
VERSION = "2012-11-05"


# --- helpers ---------------------------------------------------------------------------------------------

def name(prefix="q"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def queue(sqs):
    """A fresh standard queue; deleted afterwards."""
    created = []

    def make(attributes=None, fifo=False, **kwargs):
        attributes = dict(attributes or {})
        qname = name() + (".fifo" if fifo else "")
        if fifo:
            attributes["FifoQueue"] = "true"
        url = sqs.create_queue(QueueName=qname, Attributes=attributes, **kwargs)["QueueUrl"]
        created.append(url)
        return url

    yield make
    for url in created:
        try:
            sqs.delete_queue(QueueUrl=url)
        except ClientError:
            pass


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as e:
        call(*args, **kwargs)
    return e.value.response


def arn_of(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def strip_ns(element):
    for e in element.iter():
        if "}" in e.tag:
            e.tag = e.tag.split("}", 1)[1]
    return element


def query(endpoint_url, action, path="/", **params):
    """A raw query-protocol form post; returns (status, XML root without namespaces)."""
    form = {"Action": action, "Version": VERSION, **params}
    r = requests.post(endpoint_url + path, data=form, timeout=30)
    assert r.headers.get("Content-Type", "").startswith("text/xml"), r.text
    return r.status_code, strip_ns(ET.fromstring(r.content))


def path_of(url):
    return "/" + url.split("/", 3)[3]


def md5_of_attributes(attributes):
    """AWS's MD5 of message attributes, computed independently of the server."""
    out = b""
    for key in sorted(attributes):
        value = attributes[key]
        data_type = value["DataType"]
        out += struct.pack(">I", len(key.encode())) + key.encode()
        out += struct.pack(">I", len(data_type.encode())) + data_type.encode()
        if data_type.startswith("Binary"):
            out += b"\x02" + struct.pack(">I", len(value["BinaryValue"])) + value["BinaryValue"]
        else:
            raw = value["StringValue"].encode()
            out += b"\x01" + struct.pack(">I", len(raw)) + raw
    return hashlib.md5(out).hexdigest()


# --- queues ----------------------------------------------------------------------------------------------

def test_queue_lifecycle_and_standard_url(sqs):
    qname = name()
    url = sqs.create_queue(QueueName=qname)["QueueUrl"]
    assert re.fullmatch(rf"http://sqs\.us-east-1\.[^/]+/{ACCOUNT}/{qname}", url)
    assert sqs.get_queue_url(QueueName=qname)["QueueUrl"] == url
    assert url in sqs.list_queues(QueueNamePrefix=qname)["QueueUrls"]
    sqs.delete_queue(QueueUrl=url)
    err = error_of(sqs.get_queue_url, QueueName=qname)
    assert err["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert err["Error"]["QueryErrorCode"] == "QueueDoesNotExist"
    assert err["Error"]["Message"] == "The specified queue does not exist."
    assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix=qname)


def test_modeled_exception_class_matches(sqs):
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_attributes(QueueUrl=f"http://localhost:4566/{ACCOUNT}/{name('missing')}")


@pytest.mark.moto_deviation("moto's message for a name clash with other attributes is the generic 'The specified queue already exists.'")
def test_create_existing_queue_same_and_different_attributes(sqs, queue):
    url = queue({"DelaySeconds": "1"})
    qname = url.rsplit("/", 1)[1]
    assert sqs.create_queue(QueueName=qname, Attributes={"DelaySeconds": "1"})["QueueUrl"] == url
    err = error_of(sqs.create_queue, QueueName=qname, Attributes={"DelaySeconds": "2"})
    assert err["Error"]["Code"] == "QueueAlreadyExists"
    assert err["Error"]["QueryErrorCode"] == "QueueNameExists"
    assert err["Error"]["Message"] == \
        "A queue already exists with the same name and a different value for attribute DelaySeconds"


def test_invalid_queue_names(sqs):
    assert error_of(sqs.create_queue, QueueName="bad name")["Error"]["Code"] == "InvalidParameterValue"
    assert error_of(sqs.create_queue, QueueName="x" * 81)["Error"]["Code"] == "InvalidParameterValue"
    err = error_of(sqs.create_queue, QueueName="plain", Attributes={"FifoQueue": "true"})
    assert err["Error"]["Code"] == "InvalidParameterValue"


@pytest.mark.moto_deviation("moto ignores MaxResults/NextToken in ListQueues")
def test_list_queues_prefix_and_pagination(sqs, queue):
    prefix = name("page")
    urls = sorted(sqs.create_queue(QueueName=f"{prefix}-{i}")["QueueUrl"] for i in range(5))
    try:
        assert sorted(sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]) == urls
        first = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
        assert len(first["QueueUrls"]) == 2 and "NextToken" in first
        seen = list(first["QueueUrls"])
        token = first["NextToken"]
        while token:
            page = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=token)
            seen += page["QueueUrls"]
            token = page.get("NextToken")
        assert seen == urls
        paginated = [u for p in sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix,
                                                                         PaginationConfig={"PageSize": 3})
                     for u in p.get("QueueUrls", [])]
        assert paginated == urls
    finally:
        for u in urls:
            sqs.delete_queue(QueueUrl=u)


@pytest.mark.moto_deviation("moto returns CreatedTimestamp with a fractional part")
def test_queue_attributes_defaults_and_updates(sqs, queue):
    url = queue({"VisibilityTimeout": "20", "ReceiveMessageWaitTimeSeconds": "10"})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["VisibilityTimeout"] == "20"
    assert attrs["ReceiveMessageWaitTimeSeconds"] == "10"
    assert attrs["MaximumMessageSize"] == "1048576"
    assert attrs["MessageRetentionPeriod"] == "345600"
    assert attrs["DelaySeconds"] == "0"
    assert attrs["SqsManagedSseEnabled"] == "true"
    assert attrs["QueueArn"] == f"arn:aws:sqs:us-east-1:{ACCOUNT}:{url.rsplit('/', 1)[1]}"
    for computed in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                     "ApproximateNumberOfMessagesDelayed"):
        assert attrs[computed] == "0"
    assert abs(int(attrs["CreatedTimestamp"]) - time.time()) < 120
    assert "FifoQueue" not in attrs and "Policy" not in attrs

    sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "420", "MaximumMessageSize": "2048",
                                                       "VisibilityTimeout": "69"})
    updated = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds", "MaximumMessageSize",
                                                                     "VisibilityTimeout"])["Attributes"]
    assert updated == {"DelaySeconds": "420", "MaximumMessageSize": "2048", "VisibilityTimeout": "69"}

    err = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"VisibilityTimeout": "43201"})
    assert err["Error"]["Code"] == "InvalidAttributeValue"
    err = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"FifoQueue": "true"})
    assert err["Error"] == {"Code": "InvalidAttributeName", "Message": "Unknown Attribute FifoQueue.",
                            "QueryErrorCode": "InvalidAttributeName", "Type": "Sender"}


@pytest.mark.moto_deviation("moto reports SqsManagedSseEnabled=true by default")
def test_encryption_attributes(sqs, queue):
    url = queue()
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"KmsMasterKeyId": "testKeyId",
                                                       "KmsDataKeyReusePeriodSeconds": "6000"})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["KmsMasterKeyId"] == "testKeyId"
    assert attrs["KmsDataKeyReusePeriodSeconds"] == "6000"
    assert attrs["SqsManagedSseEnabled"] == "false"
    err = error_of(sqs.set_queue_attributes, QueueUrl=url,
                   Attributes={"KmsMasterKeyId": "k", "SqsManagedSseEnabled": "true"})
    assert err["Error"]["Message"] == ("You can use one type of server-side encryption (SSE) at one time. "
                                       "You can either enable KMS SSE or SQS SSE.")


@pytest.mark.moto_deviation("moto accepts FIFO-only attributes on standard queues")
def test_standard_queue_rejects_fifo_attributes(sqs):
    err = error_of(sqs.create_queue, QueueName=name(), Attributes={"ContentBasedDeduplication": "true"})
    assert err["Error"]["Message"] == "Unknown Attribute ContentBasedDeduplication."
    err = error_of(sqs.create_queue, QueueName=name(), Attributes={"FifoThroughputLimit": "perQueue"})
    assert err["Error"]["Message"] == "You can specify the FifoThroughputLimit only when FifoQueue is set to true."


def test_queue_url_in_every_form_is_accepted(sqs, queue, endpoint_url):
    url = queue()
    qname = url.rsplit("/", 1)[1]
    for form in (url, f"{endpoint_url}/{ACCOUNT}/{qname}", f"{endpoint_url}/queue/us-east-1/{ACCOUNT}/{qname}",
                 f"http://queue.localhost.localstack.cloud:4566/{ACCOUNT}/{qname}",
                 f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{qname}"):
        sqs.send_message(QueueUrl=form, MessageBody=form)
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"]["ApproximateNumberOfMessages"] == "5"


@pytest.mark.moto_deviation("moto ignores QueueOwnerAWSAccountId in GetQueueUrl")
def test_accounts_and_regions_are_isolated(aws_client):
    qname = name("iso")
    east = aws_client("sqs")
    west = aws_client("sqs", region_name="eu-west-1")
    other = aws_client("sqs", aws_access_key_id="111111111111", aws_secret_access_key="test")
    url_east = east.create_queue(QueueName=qname)["QueueUrl"]
    try:
        assert error_of(west.get_queue_url, QueueName=qname)["Error"]["QueryErrorCode"] == "QueueDoesNotExist"
        assert error_of(other.get_queue_url, QueueName=qname)["Error"]["QueryErrorCode"] == "QueueDoesNotExist"
        url_other = other.create_queue(QueueName=qname)["QueueUrl"]
        assert "/111111111111/" in url_other and url_other != url_east
        url_west = west.create_queue(QueueName=qname)["QueueUrl"]
        assert ".eu-west-1." in url_west
        other.send_message(QueueUrl=url_other, MessageBody="other account")
        assert "Messages" not in east.receive_message(QueueUrl=url_east)
        # another account's queue by owner id
        assert east.get_queue_url(QueueName=qname, QueueOwnerAWSAccountId="111111111111")["QueueUrl"] == url_other
        other.delete_queue(QueueUrl=url_other)
        west.delete_queue(QueueUrl=url_west)
    finally:
        east.delete_queue(QueueUrl=url_east)


# --- messages --------------------------------------------------------------------------------------------

def test_send_receive_delete_with_md5s(sqs, queue):
    url = queue()
    attributes = {"General": {"DataType": "String", "StringValue": "Kenobi"},
                  "Count": {"DataType": "Number", "StringValue": "42"},
                  "Blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe"},
                  "Custom": {"DataType": "String.custom", "StringValue": "x"}}
    sent = sqs.send_message(QueueUrl=url, MessageBody="héllo ✓", MessageAttributes=attributes)
    assert sent["MD5OfMessageBody"] == hashlib.md5("héllo ✓".encode()).hexdigest()
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"])["Messages"]
    assert len(got) == 1
    m = got[0]
    assert m["MessageId"] == sent["MessageId"]
    assert m["Body"] == "héllo ✓"
    assert m["MessageAttributes"] == attributes
    assert m["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0" and attrs["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_message_attribute_name_filters(sqs, queue):
    url = queue()
    attributes = {name_: {"DataType": "String", "StringValue": v}
                  for name_, v in (("General", "Kenobi"), ("Hello", "There"), ("Help.Me", "Me"))}
    sqs.send_message(QueueUrl=url, MessageBody="msg", MessageAttributes=attributes)

    def receive(names):
        m = sqs.receive_message(QueueUrl=url, MessageAttributeNames=names, VisibilityTimeout=0)["Messages"][0]
        return m.get("MessageAttributes", {}), m.get("MD5OfMessageAttributes")

    assert receive([]) == ({}, None)
    for everything in (["All"], [".*"]):
        got, md5 = receive(everything)
        assert got == attributes and md5 == md5_of_attributes(attributes)
    got, md5 = receive(["Hello", "General", "Nope"])
    assert set(got) == {"Hello", "General"} and md5 == md5_of_attributes(got)
    got, _ = receive(["Help.*"])
    assert set(got) == {"Help.Me"}
    assert receive(["Nope"]) == ({}, None)


@pytest.mark.moto_deviation("moto does not return MD5OfMessageSystemAttributes")
def test_system_attributes_and_trace_header(sqs, queue):
    url = queue()
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    sent = sqs.send_message(QueueUrl=url, MessageBody="traced", MessageSystemAttributes={
        "AWSTraceHeader": {"DataType": "String", "StringValue": trace}})
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_attributes(
        {"AWSTraceHeader": {"DataType": "String", "StringValue": trace}})
    m = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"], VisibilityTimeout=0)["Messages"][0]
    a = m["Attributes"]
    assert a["AWSTraceHeader"] == trace
    assert a["ApproximateReceiveCount"] == "1"
    assert a["SenderId"] and abs(int(a["SentTimestamp"]) / 1000 - time.time()) < 120
    assert int(a["ApproximateFirstReceiveTimestamp"]) >= int(a["SentTimestamp"])
    m = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert m["Attributes"] == {"ApproximateReceiveCount": "2"}


@pytest.mark.moto_deviation("moto accepts empty and oversized bodies")
def test_message_size_and_content_limits(sqs, queue):
    url = queue({"MaximumMessageSize": "1024"})
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="x" * 1025)
    assert err["Error"]["Code"] == "InvalidParameterValue"
    assert err["Error"]["Message"] == "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes."
    sqs.send_message(QueueUrl=url, MessageBody="x" * 1024)
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="")
    assert err["Error"] == {"Code": "MissingParameter", "Message": "The request must contain the parameter MessageBody.",
                            "QueryErrorCode": "MissingRequiredParameterException", "Type": "Sender"}
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="bad \x01 char")
    assert err["Error"]["Code"] == "InvalidMessageContents"
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="x", MessageAttributes={
        "ErrorDetails": {"DataType": "String", "StringValue": ""}})
    assert err["Error"]["Message"] == "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'."
    too_many = {f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}
    assert error_of(sqs.send_message, QueueUrl=url, MessageBody="x",
                    MessageAttributes=too_many)["Error"]["Code"] == "InvalidParameterValue"


def test_default_maximum_size_is_one_mebibyte(sqs, queue):
    url = queue()
    sqs.send_message(QueueUrl=url, MessageBody="x" * 1_048_576)
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="x" * 1_048_577)
    assert err["Error"]["Message"] == \
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."


@pytest.mark.moto_deviation("moto's validation message differs (prefix, case)")
def test_receive_parameter_validation(sqs, queue):
    url = queue()
    err = error_of(sqs.receive_message, QueueUrl=url, MaxNumberOfMessages=11)
    assert err["Error"]["Message"] == \
        "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."
    err = error_of(sqs.receive_message, QueueUrl=url, WaitTimeSeconds=21)
    assert err["Error"]["Message"] == \
        "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."


def test_visibility_timeout_receipt_handles_and_change_visibility(sqs, queue):
    url = queue({"VisibilityTimeout": "1"})
    sqs.send_message(QueueUrl=url, MessageBody="again and again")
    first = sqs.receive_message(QueueUrl=url)["Messages"][0]
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    time.sleep(1.1)
    second = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert second["ReceiptHandle"] != first["ReceiptHandle"]
    assert second["Attributes"]["ApproximateReceiveCount"] == "2"
    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"], VisibilityTimeout=0)
    third = sqs.receive_message(QueueUrl=url, VisibilityTimeout=30)["Messages"][0]
    assert third["MessageId"] == first["MessageId"]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesNotVisible"])[
        "Attributes"]["ApproximateNumberOfMessagesNotVisible"] == "1"
    err = error_of(sqs.delete_message, QueueUrl=url, ReceiptHandle="not-a-receipt-handle")
    assert err["Error"]["QueryErrorCode"] == "ReceiptHandleIsInvalid"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=third["ReceiptHandle"])
    # deleting twice is fine
    sqs.delete_message(QueueUrl=url, ReceiptHandle=third["ReceiptHandle"])


def test_delay_queue_and_per_message_delay(sqs, queue):
    # 8 s, not 1: under load (or with moto under GraalPy) a second can pass between the send and the first receive
    url = queue({"DelaySeconds": "8"})
    sqs.send_message(QueueUrl=url, MessageBody="queue delay")
    sqs.send_message(QueueUrl=url, MessageBody="no delay", DelaySeconds=0)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["no delay"]
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])[
        "Attributes"]["ApproximateNumberOfMessagesDelayed"] == "1"
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)["Messages"]
    assert [m["Body"] for m in got] == ["queue delay"]


def test_long_poll_returns_when_a_message_arrives(sqs, queue, aws_client):
    url = queue()
    sender = aws_client("sqs")
    timer = threading.Timer(0.5, lambda: sender.send_message(QueueUrl=url, MessageBody="wake"))
    timer.start()
    started = time.monotonic()
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])
    timer.join()
    assert [m["Body"] for m in got] == ["wake"]
    assert time.monotonic() - started < 15  # woken by the send, not by the 20 s wait ending


def test_long_poll_uses_queue_default_wait(sqs, queue):
    url = queue({"ReceiveMessageWaitTimeSeconds": "1"})
    started = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    assert time.monotonic() - started >= 0.9


@pytest.mark.moto_deviation("moto does not validate MessageRetentionPeriod bounds")
def test_retention_period(sqs, queue):
    url = queue({"MessageRetentionPeriod": "60"})
    err = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"MessageRetentionPeriod": "59"})
    assert err["Error"]["Code"] == "InvalidAttributeValue"


@pytest.mark.moto_deviation("moto applies MaximumMessageSize differently to batch entries")
def test_batch_operations(sqs, queue):
    url = queue({"MaximumMessageSize": "1024"})
    result = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "MessageBody": "one"},
        {"Id": "b", "MessageBody": "x" * 2000},
        {"Id": "c", "MessageBody": "three", "DelaySeconds": 0,
         "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}}])
    assert sorted(e["Id"] for e in result["Successful"]) == ["a", "c"]
    assert result["Failed"] == [{"Id": "b", "SenderFault": True, "Code": "InvalidParameterValue",
                                 "Message": "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes."}]
    c = next(e for e in result["Successful"] if e["Id"] == "c")
    assert c["MD5OfMessageBody"] == hashlib.md5(b"three").hexdigest()
    assert c["MD5OfMessageAttributes"] == md5_of_attributes({"k": {"DataType": "String", "StringValue": "v"}})

    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in got) == ["one", "three"]
    changed = sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": f"v{i}", "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 60} for i, m in enumerate(got)])
    assert len(changed["Successful"]) == 2 and "Failed" not in changed
    deleted = sqs.delete_message_batch(QueueUrl=url, Entries=[
        *({"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)),
        {"Id": "bad", "ReceiptHandle": "garbage"}])
    assert sorted(e["Id"] for e in deleted["Successful"]) == ["d0", "d1"]
    assert deleted["Failed"][0]["Id"] == "bad" and deleted["Failed"][0]["Code"] == "ReceiptHandleIsInvalid"


@pytest.mark.moto_deviation("moto does not validate batch entry ids")
def test_batch_request_errors(sqs, queue):
    url = queue()
    err = error_of(sqs.send_message_batch, QueueUrl=url,
                   Entries=[{"Id": f"e{i}", "MessageBody": "m"} for i in range(20)])
    assert err["Error"] == {"Code": "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                            "Message": "Maximum number of entries per request are 10. You have sent 20.",
                            "QueryErrorCode": "TooManyEntriesInBatchRequest", "Type": "Sender"}
    err = error_of(sqs.delete_message_batch, QueueUrl=url, Entries=[])
    assert err["Error"]["QueryErrorCode"] == "EmptyBatchRequest"
    err = error_of(sqs.send_message_batch, QueueUrl=url,
                   Entries=[{"Id": "same", "MessageBody": "1"}, {"Id": "same", "MessageBody": "2"}])
    assert err["Error"]["QueryErrorCode"] == "BatchEntryIdsNotDistinct"
    err = error_of(sqs.delete_message_batch, QueueUrl=url, Entries=[{"Id": "invalid:id", "ReceiptHandle": "x"}])
    assert err["Error"]["Code"] == "AWS.SimpleQueueService.InvalidBatchEntryId"
    assert err["Error"]["Message"] == ("A batch entry id can only contain alphanumeric characters, hyphens and "
                                       "underscores. It can be at most 80 letters long.")
    err = error_of(sqs.send_message_batch, QueueUrl=url,
                   Entries=[{"Id": f"e{i}", "MessageBody": "x" * 262_144} for i in range(4)] +
                           [{"Id": "last", "MessageBody": "y"}])
    assert err["Error"]["Code"] == "AWS.SimpleQueueService.BatchRequestTooLong"
    assert err["Error"]["Message"] == "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes."


@pytest.mark.moto_deviation("moto has no PurgeQueueInProgress")
def test_purge_queue_and_purge_in_progress(sqs, queue):
    url = queue()
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    sqs.purge_queue(QueueUrl=url)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    err = error_of(sqs.purge_queue, QueueUrl=url)
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert err["Error"]["Code"] == "AWS.SimpleQueueService.PurgeQueueInProgress"
    assert err["Error"]["Message"] == \
        f"Only one PurgeQueue operation on {url.rsplit('/', 1)[1]} is allowed every 60 seconds."


@pytest.mark.moto_deviation("moto does not set DeadLetterQueueSourceArn")
def test_dead_letter_queue_redrive(sqs, queue):
    dlq = queue()
    dlq_arn = arn_of(sqs, dlq)
    source = queue({"VisibilityTimeout": "1",
                    "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})
    sqs.send_message(QueueUrl=source, MessageBody="poison",
                     MessageAttributes={"MyAttribute": {"DataType": "String", "StringValue": "foobar"}})
    first = sqs.receive_message(QueueUrl=source)["Messages"][0]
    time.sleep(1.1)
    assert "Messages" not in sqs.receive_message(QueueUrl=source)
    dead = sqs.receive_message(QueueUrl=dlq, MessageSystemAttributeNames=["All"],
                               MessageAttributeNames=["All"])["Messages"][0]
    assert dead["MessageId"] == first["MessageId"]
    assert dead["Attributes"]["ApproximateReceiveCount"] == "2"
    assert dead["Attributes"]["DeadLetterQueueSourceArn"] == arn_of(sqs, source)
    assert dead["MessageAttributes"]["MyAttribute"]["StringValue"] == "foobar"
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [source]
    policy = json.loads(sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["RedrivePolicy"])[
        "Attributes"]["RedrivePolicy"])
    assert policy == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}
    sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": ""})
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == []


@pytest.mark.moto_deviation("moto reports a missing dead-letter target as NonExistentQueue")
def test_redrive_policy_validation(sqs, queue):
    url = queue()
    missing = f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name('nope')}"
    err = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": missing, "maxReceiveCount": 1})})
    assert err["Error"]["Code"] == "InvalidParameterValue"
    fifo_dlq = queue(fifo=True)
    err = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn_of(sqs, fifo_dlq), "maxReceiveCount": 1})})
    assert err["Error"]["Code"] == "InvalidParameterValue"


@pytest.mark.moto_deviation("moto returns an empty Tags map for untagged queues")
def test_tags(sqs):
    url = sqs.create_queue(QueueName=name(), tags={"team": "a"})["QueueUrl"]
    try:
        sqs.tag_queue(QueueUrl=url, Tags={"env": "dev", "team": "b"})
        assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"env": "dev", "team": "b"}
        sqs.untag_queue(QueueUrl=url, TagKeys=["env", "team"])
        assert "Tags" not in sqs.list_queue_tags(QueueUrl=url)
    finally:
        sqs.delete_queue(QueueUrl=url)


@pytest.mark.moto_deviation("moto writes policies with Version 2012-10-17")
def test_permissions(sqs, queue):
    url = queue()
    arn = arn_of(sqs, url)
    sqs.add_permission(QueueUrl=url, Label="crossaccountpermission", AWSAccountIds=["668614515564", ACCOUNT],
                       Actions=["ReceiveMessage"])
    policy = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]["Policy"])
    assert policy["Version"] == "2008-10-17"
    assert policy["Statement"] == [{"Sid": "crossaccountpermission", "Effect": "Allow",
                                    "Principal": {"AWS": ["arn:aws:iam::668614515564:root", f"arn:aws:iam::{ACCOUNT}:root"]},
                                    "Action": "SQS:ReceiveMessage", "Resource": arn}]
    err = error_of(sqs.add_permission, QueueUrl=url, Label="crossaccountpermission", AWSAccountIds=[ACCOUNT],
                   Actions=["SendMessage"])
    assert err["Error"]["Message"] == \
        "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists."
    sqs.remove_permission(QueueUrl=url, Label="crossaccountpermission")
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
    err = error_of(sqs.remove_permission, QueueUrl=url, Label="crossaccountpermission")
    assert err["Error"]["Message"] == \
        "Value crossaccountpermission for parameter Label is invalid. Reason: can't find label."


# --- FIFO ------------------------------------------------------------------------------------------------

@pytest.mark.moto_deviation("moto's FIFO sequence numbers are not increasing")
def test_fifo_order_group_locking_and_sequence_numbers(sqs, queue):
    url = queue({"VisibilityTimeout": "30"}, fifo=True)
    sequence = []
    for group, count in (("A", 3), ("B", 2)):
        for i in range(count):
            r = sqs.send_message(QueueUrl=url, MessageBody=f"{group}{i}", MessageGroupId=group,
                                 MessageDeduplicationId=f"{group}{i}")
            sequence.append(int(r["SequenceNumber"]))
    assert sequence == sorted(sequence) and len(set(sequence)) == 5
    first = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, AttributeNames=["All"])["Messages"]
    assert [m["Body"] for m in first] == ["A0", "A1"]
    assert first[0]["Attributes"]["MessageGroupId"] == "A"
    assert first[0]["Attributes"]["MessageDeduplicationId"] == "A0"
    assert int(first[0]["Attributes"]["SequenceNumber"]) == sequence[0]
    # group A is in flight: another consumer gets group B only
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["B0", "B1"]
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    for m in first:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]] == ["A2"]


@pytest.mark.moto_deviation("moto returns a new MessageId for a deduplicated send")
def test_fifo_deduplication_by_id_and_content(sqs, queue):
    url = queue(fifo=True)
    a = sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g", MessageDeduplicationId="d")
    b = sqs.send_message(QueueUrl=url, MessageBody="two", MessageGroupId="g", MessageDeduplicationId="d")
    assert a["MessageId"] == b["MessageId"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in got] == ["one"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    sqs.send_message(QueueUrl=url, MessageBody="one", MessageGroupId="g", MessageDeduplicationId="d")
    assert "Messages" not in sqs.receive_message(QueueUrl=url), "still deduplicated after the delete"

    content = queue({"ContentBasedDeduplication": "true"}, fifo=True)
    sqs.send_message(QueueUrl=content, MessageBody="same", MessageGroupId="g1")
    sqs.send_message(QueueUrl=content, MessageBody="same", MessageGroupId="g2")
    assert len(sqs.receive_message(QueueUrl=content, MaxNumberOfMessages=10)["Messages"]) == 1

    per_group = queue({"ContentBasedDeduplication": "true", "DeduplicationScope": "messageGroup",
                       "FifoThroughputLimit": "perMessageGroupId"}, fifo=True)
    sqs.send_message(QueueUrl=per_group, MessageBody="same", MessageGroupId="g1")
    sqs.send_message(QueueUrl=per_group, MessageBody="same", MessageGroupId="g2")
    assert len(sqs.receive_message(QueueUrl=per_group, MaxNumberOfMessages=10)["Messages"]) == 2
    attrs = sqs.get_queue_attributes(QueueUrl=per_group, AttributeNames=["All"])["Attributes"]
    assert attrs["FifoQueue"] == "true"
    assert attrs["DeduplicationScope"] == "messageGroup" and attrs["FifoThroughputLimit"] == "perMessageGroupId"


@pytest.mark.moto_deviation("moto does not validate MessageGroupId characters")
def test_fifo_requirements(sqs, queue):
    url = queue(fifo=True)
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")
    assert err["Error"] == {"Code": "MissingParameter", "Message": "The request must contain the parameter MessageGroupId.",
                            "QueryErrorCode": "MissingRequiredParameterException", "Type": "Sender"}
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="g")
    assert err["Error"]["Message"] == ("The queue should either have ContentBasedDeduplication enabled or "
                                       "MessageDeduplicationId provided explicitly")
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d",
                   DelaySeconds=2)
    assert err["Error"]["Message"] == ("Value 2 for parameter DelaySeconds is invalid. Reason: The request include "
                                       "parameter that is not valid for this queue type.")
    err = error_of(sqs.send_message_batch, QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "x"}])
    assert err["Error"]["Message"] == "The request must contain the parameter MessageGroupId."
    err = error_of(sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="group 123",
                   MessageDeduplicationId="d")
    assert err["Error"]["Message"] == ("Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId "
                                       "can only include alphanumeric and punctuation characters. 1 to 128 in length.")
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})  # restating the type is accepted
    err = error_of(sqs.set_queue_attributes, QueueUrl=url, Attributes={"FifoQueue": "false"})
    assert err["Error"]["Message"] == "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported."


@pytest.mark.moto_deviation("moto accepts expired FIFO receipt handles")
def test_fifo_expired_receipt_handle(sqs, queue):
    url = queue({"VisibilityTimeout": "1", "ContentBasedDeduplication": "true"}, fifo=True)
    sqs.send_message(QueueUrl=url, MessageBody="foobar", MessageGroupId="g")
    handle = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    time.sleep(1.1)
    err = error_of(sqs.delete_message, QueueUrl=url, ReceiptHandle=handle)
    assert err["Error"]["Code"] == "InvalidParameterValue"
    assert err["Error"]["Message"] == f"Value {handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired."


@pytest.mark.moto_deviation("moto ignores ReceiveRequestAttemptId")
def test_fifo_receive_request_attempt_id(sqs, queue):
    url = queue({"ContentBasedDeduplication": "true"}, fifo=True)
    sqs.send_message(QueueUrl=url, MessageBody="once", MessageGroupId="g")
    a = sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="attempt-1")["Messages"]
    b = sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="attempt-1")["Messages"]
    assert a[0]["ReceiptHandle"] == b[0]["ReceiptHandle"]


# --- message move tasks ----------------------------------------------------------------------------------

def _dlq_with_messages(sqs, queue, count):
    dlq = queue()
    source = queue({"VisibilityTimeout": "0", "RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": 1})})
    for i in range(count):
        sqs.send_message(QueueUrl=source, MessageBody=f"m{i}")
    moved = 0
    for _ in range(50):
        sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10)
        moved = int(sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])[
            "Attributes"]["ApproximateNumberOfMessages"])
        if moved == count:
            break
    assert moved == count
    return dlq, source


def _wait_for_status(sqs, source_arn, status, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        results = sqs.list_message_move_tasks(SourceArn=source_arn)["Results"]
        if results and results[0]["Status"] == status:
            return results[0]
        time.sleep(0.1)
    raise AssertionError(f"no {status} task: {results}")


@pytest.mark.moto_deviation("moto does not implement message move tasks (501 NotImplemented)")
def test_message_move_task_back_to_the_source(sqs, queue):
    dlq, source = _dlq_with_messages(sqs, queue, 3)
    dlq_arn = arn_of(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
    assert handle
    task = _wait_for_status(sqs, dlq_arn, "COMPLETED")
    assert task["ApproximateNumberOfMessagesMoved"] == 3 and task["ApproximateNumberOfMessagesToMove"] == 3
    assert "TaskHandle" not in task
    got = sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=30)["Messages"]
    assert sorted(m["Body"] for m in got) == ["m0", "m1", "m2"]


@pytest.mark.moto_deviation("moto does not implement message move tasks (501 NotImplemented)")
def test_message_move_task_errors_and_cancel(sqs, queue):
    dlq, source = _dlq_with_messages(sqs, queue, 4)
    dlq_arn = arn_of(sqs, dlq)
    err = error_of(sqs.start_message_move_task, SourceArn=arn_of(sqs, source))
    assert err["Error"]["Message"] == "Source queue must be configured as a Dead Letter Queue."
    err = error_of(sqs.start_message_move_task, SourceArn=dlq_arn, DestinationArn=f"arn:aws:sqs:us-east-1:{ACCOUNT}:nope")
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert err["Error"]["Message"] == "The resource that you specified for the DestinationArn parameter doesn't exist."
    target = queue()
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, target),
                                         MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    err = error_of(sqs.start_message_move_task, SourceArn=dlq_arn)
    assert err["Error"]["Message"] == ("There is already a task running. Only one active task is allowed for a "
                                       "source queue arn at a given time.")
    running = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
    assert running["Status"] == "RUNNING" and running["TaskHandle"] == handle
    assert running["MaxNumberOfMessagesPerSecond"] == 1
    cancelled = sqs.cancel_message_move_task(TaskHandle=handle)
    assert cancelled["ApproximateNumberOfMessagesMoved"] < 4
    assert sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]["Status"] == "CANCELLED"
    err = error_of(sqs.cancel_message_move_task, TaskHandle="not-a-handle")
    assert err["Error"]["Message"] == "Value for parameter TaskHandle is invalid."


# --- the internal endpoint -------------------------------------------------------------------------------

@pytest.mark.moto_deviation("/_aws/sqs/messages is LocalStack's own endpoint, not moto's")
def test_internal_messages_endpoint_peeks_without_side_effects(sqs, queue, endpoint_url):
    url = queue()
    sqs.send_message(QueueUrl=url, MessageBody="one")
    sqs.send_message(QueueUrl=url, MessageBody="two", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
    r = requests.get(endpoint_url + "/_aws/sqs/messages", params={"QueueUrl": url},
                     headers={"Accept": "application/json"}, timeout=10)
    assert r.status_code == 200
    messages = json_messages(r)
    assert sorted(m["Body"] for m in messages) == ["one", "two"]
    two = next(m for m in messages if m["Body"] == "two")
    assert two["MessageAttribute"]["Name"] == "k" and two["MessageAttribute"]["Value"]["StringValue"] == "v"
    assert {a["Name"]: a["Value"] for a in two["Attribute"]}["ApproximateReceiveCount"] == "0"
    xml = requests.get(endpoint_url + "/_aws/sqs/messages/us-east-1/" + ACCOUNT + "/" + url.rsplit("/", 1)[1],
                       timeout=10)
    root = strip_ns(ET.fromstring(xml.content))
    assert sorted(b.text for b in root.iter("Body")) == ["one", "two"]
    # peeking changed nothing: both are still visible with receive count 1 on the first real receive
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["ApproximateReceiveCount"])["Messages"]
    assert len(got) == 2 and all(m["Attributes"]["ApproximateReceiveCount"] == "1" for m in got)
    r = requests.get(endpoint_url + "/_aws/sqs/messages", params={"QueueUrl": url},
                     headers={"Accept": "application/json"}, timeout=10)
    assert json_messages(r) == []
    r = requests.get(endpoint_url + "/_aws/sqs/messages", params={"QueueUrl": url, "ShowInvisible": "true"},
                     headers={"Accept": "application/json"}, timeout=10)
    assert len(json_messages(r)) == 2


def json_messages(response):
    """The messages of the endpoint's JSON answer (the XML document's JSON form, as LocalStack writes it)."""
    result = response.json()["ReceiveMessageResponse"]["ReceiveMessageResult"]
    messages = (result or {}).get("Message", [])
    return messages if isinstance(messages, list) else [messages]


# --- the query protocol ----------------------------------------------------------------------------------

def test_query_protocol_round_trip(endpoint_url):
    qname = name("query")
    status, root = query(endpoint_url, "CreateQueue", QueueName=qname,
                         **{"Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "7"})
    assert status == 200
    url = root.find("CreateQueueResult/QueueUrl").text
    assert url.endswith(f"/{ACCOUNT}/{qname}")
    assert root.find("ResponseMetadata/RequestId").text
    try:
        # posted to the queue's URL path, without QueueUrl
        status, sent = query(endpoint_url, "SendMessage", path=path_of(url), MessageBody="via query",
                             **{"MessageAttribute.1.Name": "color", "MessageAttribute.1.Value.DataType": "String",
                                "MessageAttribute.1.Value.StringValue": "blue"})
        assert status == 200
        assert sent.find("SendMessageResult/MD5OfMessageBody").text == hashlib.md5(b"via query").hexdigest()
        assert sent.find("SendMessageResult/MD5OfMessageAttributes").text == md5_of_attributes(
            {"color": {"DataType": "String", "StringValue": "blue"}})
        status, got = query(endpoint_url, "ReceiveMessage", QueueUrl=url, **{
            "AttributeName.1": "All", "MessageAttributeName.1": "All", "MaxNumberOfMessages": "10"})
        message = got.find("ReceiveMessageResult/Message")
        assert message.find("Body").text == "via query"
        attributes = {a.find("Name").text: a.find("Value").text for a in message.findall("Attribute")}
        assert attributes["ApproximateReceiveCount"] == "1" and "SentTimestamp" in attributes
        attr = message.find("MessageAttribute")
        assert attr.find("Name").text == "color"
        assert attr.find("Value/StringValue").text == "blue" and attr.find("Value/DataType").text == "String"
        status, _ = query(endpoint_url, "DeleteMessage", QueueUrl=url, ReceiptHandle=message.find("ReceiptHandle").text)
        assert status == 200
        status, attrs = query(endpoint_url, "GetQueueAttributes", path=path_of(url), **{"AttributeName.1": "All"})
        values = {a.find("Name").text: a.find("Value").text for a in attrs.findall("GetQueueAttributesResult/Attribute")}
        assert values["VisibilityTimeout"] == "7" and values["ApproximateNumberOfMessagesNotVisible"] == "0"
        status, listed = query(endpoint_url, "ListQueues", QueueNamePrefix=qname)
        assert [u.text for u in listed.findall("ListQueuesResult/QueueUrl")] == [url]
    finally:
        query(endpoint_url, "DeleteQueue", QueueUrl=url)


def test_query_protocol_batches_and_tags(endpoint_url):
    qname = name("qbatch")
    _, root = query(endpoint_url, "CreateQueue", QueueName=qname)
    url = root.find("CreateQueueResult/QueueUrl").text
    try:
        status, result = query(endpoint_url, "SendMessageBatch", QueueUrl=url, **{
            "SendMessageBatchRequestEntry.1.Id": "a", "SendMessageBatchRequestEntry.1.MessageBody": "first",
            "SendMessageBatchRequestEntry.2.Id": "b", "SendMessageBatchRequestEntry.2.MessageBody": "second"})
        assert status == 200
        ids = sorted(e.find("Id").text for e in result.findall("SendMessageBatchResult/SendMessageBatchResultEntry"))
        assert ids == ["a", "b"]
        status, tagged = query(endpoint_url, "TagQueue", QueueUrl=url, **{"Tag.1.Key": "env", "Tag.1.Value": "dev"})
        assert status == 200
        _, tags = query(endpoint_url, "ListQueueTags", QueueUrl=url)
        assert {t.find("Key").text: t.find("Value").text for t in tags.findall("ListQueueTagsResult/Tag")} == {"env": "dev"}
        status, err = query(endpoint_url, "SendMessageBatch", QueueUrl=url, **{
            f"SendMessageBatchRequestEntry.{i}.{k}": v for i in range(1, 21)
            for k, v in (("Id", f"e{i}"), ("MessageBody", "x"))})
        assert status == 400
        assert err.find("Error/Code").text == "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"
        assert err.find("Error/Message").text == "Maximum number of entries per request are 10. You have sent 20."
    finally:
        query(endpoint_url, "DeleteQueue", QueueUrl=url)


@pytest.mark.moto_deviation("moto's validation message differs (prefix, case)")
def test_query_protocol_errors(endpoint_url):
    status, err = query(endpoint_url, "GetQueueUrl", QueueName=name("missing"))
    assert status == 400
    assert err.find("Error/Type").text == "Sender"
    assert err.find("Error/Code").text == "AWS.SimpleQueueService.NonExistentQueue"
    assert err.find("Error/Message").text == "The specified queue does not exist for this wsdl version."
    qname = name("qerr")
    _, root = query(endpoint_url, "CreateQueue", QueueName=qname)
    url = root.find("CreateQueueResult/QueueUrl").text
    try:
        status, err = query(endpoint_url, "ReceiveMessage", QueueUrl=url, MaxNumberOfMessages="11")
        assert status == 400
        assert err.find("Error/Code").text == "InvalidParameterValue"
        assert err.find("Error/Message").text == \
            "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."
        status, err = query(endpoint_url, "SendMessage", QueueUrl=url)
        assert (status, err.find("Error/Code").text) == (400, "MissingParameter")
        status, err = query(endpoint_url, "CreateQueue", QueueName=qname, **{
            "Attribute.1.Name": "DelaySeconds", "Attribute.1.Value": "9"})
        assert err.find("Error/Code").text == "QueueAlreadyExists"
        status, err = query(endpoint_url, "PurgeQueue", QueueUrl=url)
        status, err = query(endpoint_url, "PurgeQueue", QueueUrl=url)
        assert (status, err.find("Error/Code").text) == (403, "AWS.SimpleQueueService.PurgeQueueInProgress")
    finally:
        query(endpoint_url, "DeleteQueue", QueueUrl=url)


@pytest.mark.moto_deviation("moto's query responses lack SequenceNumber")
def test_query_protocol_fifo(endpoint_url):
    qname = name("qfifo") + ".fifo"
    _, root = query(endpoint_url, "CreateQueue", QueueName=qname, **{
        "Attribute.1.Name": "FifoQueue", "Attribute.1.Value": "true",
        "Attribute.2.Name": "ContentBasedDeduplication", "Attribute.2.Value": "true"})
    url = root.find("CreateQueueResult/QueueUrl").text
    try:
        for body in ("1", "2", "3"):
            status, sent = query(endpoint_url, "SendMessage", QueueUrl=url, MessageBody=body, MessageGroupId="g")
            assert sent.find("SendMessageResult/SequenceNumber").text.isdigit()
        _, got = query(endpoint_url, "ReceiveMessage", QueueUrl=url, MaxNumberOfMessages="10",
                       **{"MessageSystemAttributeName.1": "MessageGroupId"})
        messages = got.findall("ReceiveMessageResult/Message")
        assert [m.find("Body").text for m in messages] == ["1", "2", "3"]
        assert messages[0].find("Attribute/Name").text == "MessageGroupId"
        status, err = query(endpoint_url, "SendMessage", QueueUrl=url, MessageBody="x")
        assert err.find("Error/Code").text == "MissingParameter"
    finally:
        query(endpoint_url, "DeleteQueue", QueueUrl=url)


def test_json_errors_carry_the_query_error_header(endpoint_url):
    r = requests.post(endpoint_url + "/", data=json.dumps({"QueueName": name("missing")}), timeout=10, headers={
        "X-Amz-Target": "AmazonSQS.GetQueueUrl", "Content-Type": "application/x-amz-json-1.0"})
    assert r.status_code == 400
    assert r.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"
    assert r.json()["__type"].endswith("QueueDoesNotExist")


def test_json_protocol_posted_to_the_queue_url(sqs, queue, endpoint_url):
    url = queue()
    r = requests.post(endpoint_url + path_of(url), data=json.dumps({"QueueUrl": url, "MessageBody": "json on path"}),
                      timeout=10, headers={"X-Amz-Target": "AmazonSQS.SendMessage",
                                           "Content-Type": "application/x-amz-json-1.0"})
    assert r.status_code == 200, r.text
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "json on path"


def test_aws_cli(aws_cli):
    qname = name("cli")
    url = aws_cli("sqs", "create-queue", "--queue-name", qname)["QueueUrl"]
    try:
        aws_cli("sqs", "send-message", "--queue-url", url, "--message-body", "from the cli")
        got = aws_cli("sqs", "receive-message", "--queue-url", url)
        assert got["Messages"][0]["Body"] == "from the cli"
    finally:
        aws_cli("sqs", "delete-queue", "--queue-url", url)


# --- concurrency -----------------------------------------------------------------------------------------

@pytest.mark.moto_deviation("moto's receive checks that a message is visible and marks it received without a lock, so two "
                             "concurrent receives can both take the same message (seen under GraalPy at load 20)")
def test_concurrent_producers_and_consumers_standard(aws_client, queue):
    url = queue({"VisibilityTimeout": "30"})
    producers, per_producer = 4, 40
    total = producers * per_producer
    received, duplicates, lock = set(), [], threading.Lock()

    def produce(p):
        client = aws_client("sqs")
        for start in range(0, per_producer, 10):
            client.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "MessageBody": f"{p}-{i}"} for i in range(start, start + 10)])

    def consume():
        client = aws_client("sqs")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if len(received) >= total:
                    return
            for m in client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                with lock:
                    if m["Body"] in received:
                        duplicates.append(m["Body"])
                    received.add(m["Body"])
                client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(produce, p) for p in range(producers)] + [pool.submit(consume) for _ in range(4)]
        for f in futures:
            f.result()
    assert len(received) == total
    assert duplicates == []


@pytest.mark.moto_deviation("moto's FIFO receive takes a copy of the locked message groups when it starts and keeps it through a "
                             "long poll, with no lock between receivers: a poller that wakes up can hand out a group another "
                             "consumer holds, so order within a group breaks now and then")
def test_concurrent_consumers_fifo_keep_group_order(aws_client, queue):
    url = queue({"VisibilityTimeout": "30", "ContentBasedDeduplication": "true"}, fifo=True)
    groups, per_group = 4, 30
    total = groups * per_group
    order, lock = {}, threading.Lock()

    def produce(g):
        client = aws_client("sqs")
        for start in range(0, per_group, 10):
            client.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "MessageBody": f"g{g}:{i}", "MessageGroupId": f"g{g}"} for i in range(start, start + 10)])

    def consume():
        client = aws_client("sqs")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with lock:
                if sum(len(v) for v in order.values()) >= total:
                    return
            for m in client.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                group, seq = m["Body"].split(":")
                with lock:
                    order.setdefault(group, []).append(int(seq))
                # delete after recording: the group stays locked until then
                client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(produce, g) for g in range(groups)] + [pool.submit(consume) for _ in range(4)]
        for f in futures:
            f.result()
    assert sorted(order) == [f"g{g}" for g in range(groups)]
    for group, seqs in order.items():
        assert seqs == list(range(per_group)), group


# --- settings and persistence (own server) ---------------------------------------------------------------

def _jvm_threads(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(next(line.split()[1] for line in f if line.startswith("Threads:")))


def test_endpoint_strategy_path_long_polls_and_persistence(start_server):
    server = start_server({"SQS_ENDPOINT_STRATEGY": "path", "PERSISTENCE": "1"})
    client = server.client("sqs")
    url = client.create_queue(QueueName="persisted", Attributes={"VisibilityTimeout": "300"})["QueueUrl"]
    assert re.fullmatch(rf"http://[^/]+/queue/us-east-1/{ACCOUNT}/persisted", url)

    # 120 long polls waiting at once hold no platform thread each (they wait on virtual threads)
    polls = 120
    waiting = client.create_queue(QueueName="waiting")["QueueUrl"]
    results = []

    def poll():
        r = requests.post(server.endpoint_url + path_of(waiting), timeout=30,
                          data={"Action": "ReceiveMessage", "Version": VERSION, "WaitTimeSeconds": "4"})
        results.append(r.status_code)

    threads = [threading.Thread(target=poll) for _ in range(polls)]
    for t in threads:
        t.start()
    time.sleep(2)
    pid = server.process.pid
    if os.path.exists(f"/proc/{pid}/comm") and open(f"/proc/{pid}/comm").read().strip() == "java":
        assert _jvm_threads(pid) < polls / 2
    for t in threads:
        t.join()
    assert results == [200] * polls
    client.send_message(QueueUrl=url, MessageBody="survives")
    client.send_message(QueueUrl=url, MessageBody="in flight")
    in_flight = client.receive_message(QueueUrl=url)["Messages"][0]
    client.tag_queue(QueueUrl=url, Tags={"k": "v"})
    server.stop()
    server.start()
    client = server.client("sqs")
    assert client.get_queue_url(QueueName="persisted")["QueueUrl"] == url
    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"k": "v"}
    attrs = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "1" and attrs["ApproximateNumberOfMessagesNotVisible"] == "1"
    # the in-flight message's receipt handle is still valid after the restart
    client.delete_message(QueueUrl=url, ReceiptHandle=in_flight["ReceiptHandle"])
    left = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in left] == [next(b for b in ("survives", "in flight") if b != in_flight["Body"])]
