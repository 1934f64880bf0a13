"""SNS end to end: topics, subscriptions, publishing, fan-out to SQS (envelope, raw, FIFO), filter
policies, an HTTP endpoint subscriber, and AWS's error answers."""
import base64
import http.server
import json
import threading
import time
import uuid

import pytest
import requests
from botocore.exceptions import ClientError
from helpers import error_of, unique


def make_queue(sqs, name, **attributes):
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def receive(sqs, url, count, timeout=15, **kwargs):
    """Polls until `count` messages arrived (deleting them) or the timeout passed."""
    messages = []
    deadline = time.monotonic() + timeout
    while len(messages) < count and time.monotonic() < deadline:
        out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs)
        for m in out.get("Messages", []):
            messages.append(m)
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return messages


def test_topic_crud_and_errors(sns):
    name = unique("topic")
    arn = sns.create_topic(Name=name, Attributes={"DisplayName": "Orders"}, Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
    assert arn == f"arn:aws:sns:us-east-1:000000000000:{name}"
    assert sns.create_topic(Name=name)["TopicArn"] == arn
    attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attrs["DisplayName"] == "Orders"
    assert attrs["Owner"] == "000000000000"
    assert json.loads(attrs["Policy"])["Statement"][0]["Resource"] == arn
    assert "FifoTopic" not in attrs
    assert arn in [t["TopicArn"] for t in sns.get_paginator("list_topics").paginate().build_full_result()["Topics"]]
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}]

    err, status = error_of(sns.create_topic, Name=name, Attributes={"DisplayName": "Other"})
    assert (err["Code"], err["Message"], status) == (
        "InvalidParameter", "Invalid parameter: Attributes Reason: Topic already exists with different attributes", 400)
    err, status = error_of(sns.get_topic_attributes, TopicArn="randomstring")
    assert (err["Code"], err["Message"]) == (
        "InvalidParameter", "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1")
    err, status = error_of(sns.create_topic, Name="bad name!")
    assert err["Message"] == "Invalid parameter: Topic Name"

    sns.delete_topic(TopicArn=arn)
    sns.delete_topic(TopicArn=arn)
    err, status = error_of(sns.get_topic_attributes, TopicArn=arn)
    assert (err["Code"], err["Message"], status) == ("NotFound", "Topic does not exist", 404)


def test_list_subscriptions_by_topic_paginates(sns):
    arn = sns.create_topic(Name=unique("many"))["TopicArn"]
    for i in range(105):
        sns.subscribe(TopicArn=arn, Protocol="sms", Endpoint=f"+1555000{i:04d}")
    first = sns.list_subscriptions_by_topic(TopicArn=arn)
    assert len(first["Subscriptions"]) == 100
    second = sns.list_subscriptions_by_topic(TopicArn=arn, NextToken=first["NextToken"])
    assert len(second["Subscriptions"]) == 5 and "NextToken" not in second
    sns.delete_topic(TopicArn=arn)


def test_fan_out_to_sqs_with_envelope_and_raw_delivery(sns, sqs):
    topic = sns.create_topic(Name=unique("fanout"))["TopicArn"]
    queues = [make_queue(sqs, unique("q")) for _ in range(3)]
    subs = [sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"] for _, arn in queues[:2]]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queues[2][1], Attributes={"RawMessageDelivery": "true"})
    published = sns.publish(TopicArn=topic, Message="hello", Subject="greeting",
                            MessageAttributes={"attr1": {"DataType": "Number", "StringValue": "99.12"},
                                               "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})

    for (url, _), sub in zip(queues[:2], subs):
        [message] = receive(sqs, url, 1)
        body = json.loads(message["Body"])
        assert body["Type"] == "Notification"
        assert body["MessageId"] == published["MessageId"]
        assert body["TopicArn"] == topic
        assert body["Subject"] == "greeting"
        assert body["Message"] == "hello"
        assert body["SignatureVersion"] == "1" and body["Signature"]
        assert "/_aws/sns/SimpleNotificationService-" in body["SigningCertURL"]
        assert body["UnsubscribeURL"].endswith(f"?Action=Unsubscribe&SubscriptionArn={sub}")
        assert body["MessageAttributes"] == {"attr1": {"Type": "Number", "Value": "99.12"},
                                             "bin": {"Type": "Binary", "Value": "AAE="}}
        assert list(body)[:5] == ["Type", "MessageId", "TopicArn", "Subject", "Message"]

    [raw] = receive(sqs, queues[2][0], 1, MessageAttributeNames=["All"])
    assert raw["Body"] == "hello"
    assert raw["MessageAttributes"]["attr1"] == {"DataType": "Number", "StringValue": "99.12"}
    assert raw["MessageAttributes"]["bin"]["BinaryValue"] == b"\x00\x01"


def test_publish_batch_and_message_structure(sns, sqs):
    topic = sns.create_topic(Name=unique("batch"))["TopicArn"]
    url, arn = make_queue(sqs, unique("bq"))
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    out = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "1", "Message": "one"},
        {"Id": "2", "Message": json.dumps({"default": "d", "sqs": "for sqs"}), "MessageStructure": "json"},
    ])
    assert [s["Id"] for s in out["Successful"]] == ["1", "2"] and out["Failed"] == []
    assert sorted(m["Body"] for m in receive(sqs, url, 2)) == ["for sqs", "one"]

    err, _ = error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "1", "Message": "a"}, {"Id": "1", "Message": "b"}])
    assert (err["Code"], err["Message"]) == ("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.")
    err, _ = error_of(sns.publish_batch, TopicArn=topic,
                      PublishBatchRequestEntries=[{"Id": f"i{i}", "Message": "m"} for i in range(11)])
    assert err["Code"] == "TooManyEntriesInBatchRequest"
    err, _ = error_of(sns.publish, TopicArn=topic, Message=json.dumps({"sqs": "x"}), MessageStructure="json")
    assert err["Message"] == "Invalid parameter: Message Structure - No default entry in JSON message body"
    err, _ = error_of(sns.publish, TopicArn=topic, Message="m",
                      MessageAttributes={"attr1": {"DataType": "String", "StringValue": ""}})
    assert (err["Code"], err["Message"]) == ("ParameterValueInvalid",
                                             "The message attribute 'attr1' must contain non-empty message attribute value for message attribute type 'String'.")


def test_fifo_topic_to_fifo_queue_keeps_group_dedup_and_order(sns, sqs):
    topic = sns.create_topic(Name=unique("orders") + ".fifo",
                             Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    url, arn = make_queue(sqs, unique("orders") + ".fifo", FifoQueue="true")
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    sequence = [sns.publish(TopicArn=topic, Message=f"m{i}", MessageGroupId="g1")["SequenceNumber"] for i in range(5)]
    assert sequence == sorted(sequence) and len(set(sequence)) == 5
    duplicate = sns.publish(TopicArn=topic, Message="m0", MessageGroupId="g1")
    assert duplicate["SequenceNumber"] == sequence[0]
    messages = receive(sqs, url, 5, AttributeNames=["All"])
    assert [m["Body"] for m in messages] == [f"m{i}" for i in range(5)]
    assert all(m["Attributes"]["MessageGroupId"] == "g1" for m in messages)
    assert len(messages[0]["Attributes"]["MessageDeduplicationId"]) == 64
    assert receive(sqs, url, 1, timeout=2) == []

    err, _ = error_of(sns.publish, TopicArn=topic, Message="m")
    assert err["Message"] == "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
    standard = sns.create_topic(Name=unique("std"))["TopicArn"]
    err, _ = error_of(sns.subscribe, TopicArn=standard, Protocol="sqs", Endpoint=arn)
    assert err["Message"] == ("Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
                              "subscribed to standard SNS topics")


def test_filter_policies_on_attributes_and_body(sns, sqs):
    topic = sns.create_topic(Name=unique("filter"))["TopicArn"]
    attr_url, attr_arn = make_queue(sqs, unique("fa"))
    body_url, body_arn = make_queue(sqs, unique("fb"))
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=attr_arn, Attributes={
        "RawMessageDelivery": "true",
        "FilterPolicy": json.dumps({"price": [{"numeric": [">", 0, "<=", 100]}], "store": [{"prefix": "ex"}]})})
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=body_arn, ReturnSubscriptionArn=True, Attributes={
        "RawMessageDelivery": "true", "FilterPolicyScope": "MessageBody",
        "FilterPolicy": json.dumps({"detail": {"$or": [{"kind": ["a"]}, {"size": [{"numeric": [">=", 10]}]}]}})})["SubscriptionArn"]

    def publish(body, price, store):
        sns.publish(TopicArn=topic, Message=json.dumps(body), MessageAttributes={
            "price": {"DataType": "Number", "StringValue": str(price)},
            "store": {"DataType": "String", "StringValue": store}})

    publish({"detail": {"kind": "a"}}, 50, "example")      # both match
    publish({"detail": {"kind": "b", "size": 3}}, 150, "example")  # neither
    publish({"detail": {"size": 12}}, 10, "other")         # body only
    assert [json.loads(m["Body"]) for m in receive(sqs, attr_url, 1)] == [{"detail": {"kind": "a"}}]
    assert sorted(m["Body"] for m in receive(sqs, body_url, 2)) == sorted(
        [json.dumps({"detail": {"kind": "a"}}), json.dumps({"detail": {"size": 12}})])
    assert receive(sqs, attr_url, 1, timeout=2) == [] and receive(sqs, body_url, 1, timeout=1) == []

    attrs = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert attrs["FilterPolicyScope"] == "MessageBody"
    err, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="FilterPolicy",
                      AttributeValue='{"key":[{"numeric":[">",3,"<",1]}]}')
    assert err["Message"] == ('Invalid parameter: FilterPolicy: Bottom must be less than top\n at [Source: (String)'
                              '"{"key":[{"numeric":[">",3,"<",1]}]}"; line: 1, column: 33]')
    err, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=attr_arn,
                      Attributes={"FilterPolicy": '{"key":[{"wrong-operator":true}]}'})
    assert err["Message"].startswith("Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong-operator")


class _Recorder(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_endpoint():
    _Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", _Recorder.received
    server.shutdown()
    server.server_close()


def wait_for(received, count, timeout=15):
    deadline = time.monotonic() + timeout
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return received


def verify_signature(message, pem):
    """Checks an SNS signature the way subscribers do: with the served certificate and Python's own crypto."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    fields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    canonical = "".join(f"{k}\n{message[k]}\n" for k in fields if k in message)
    digest = hashes.SHA256() if message["SignatureVersion"] == "2" else hashes.SHA1()
    x509.load_pem_x509_certificate(pem).public_key().verify(
        base64.b64decode(message["Signature"]), canonical.encode(), padding.PKCS1v15(), digest)


def test_http_endpoint_confirmation_and_notification(sns, endpoint_url, http_endpoint):
    url, received = http_endpoint
    topic = sns.create_topic(Name=unique("web"))["TopicArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=url)["SubscriptionArn"] == "pending confirmation"
    headers, confirmation = wait_for(received, 1)[0]
    assert confirmation["Type"] == "SubscriptionConfirmation"
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert headers["User-Agent"] == "Amazon Simple Notification Service Agent"
    assert confirmation["TopicArn"] == topic and confirmation["Token"] in confirmation["SubscribeURL"]
    [pending] = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert pending["SubscriptionArn"] == "PendingConfirmation"

    err, _ = error_of(sns.confirm_subscription, TopicArn=topic, Token="ab" * 32)
    assert (err["Code"], err["Message"]) == ("InvalidParameter", "Invalid parameter: Token")
    # the SubscribeURL is a plain link: visiting it confirms (its host is LOCALSTACK_HOST's; point it at the test server)
    visit = requests.get(on_server(confirmation["SubscribeURL"], endpoint_url))
    assert visit.status_code == 200 and "<SubscriptionArn>" in visit.text
    sub = sns.confirm_subscription(TopicArn=topic, Token=confirmation["Token"])["SubscriptionArn"]
    assert sub.startswith(topic + ":") and sub in visit.text
    # LocalStack's endpoint hands out the same token
    token = requests.get(f"{endpoint_url}/_aws/sns/subscription-tokens/{sub}").json()
    assert token == {"subscription_token": confirmation["Token"], "subscription_arn": sub}
    assert requests.get(f"{endpoint_url}/_aws/sns/subscription-tokens/{topic}:00000000-0000-0000-0000-000000000000").status_code == 404

    sns.publish(TopicArn=topic, Message="to the web")
    headers, note = wait_for(received, 2)[1]
    assert note["Type"] == "Notification" and note["Message"] == "to the web"
    assert headers["x-amz-sns-subscription-arn"] == sub
    assert headers["Content-Type"].startswith("text/plain")
    cert = requests.get(endpoint_url + "/_aws/sns/" + note["SigningCertURL"].rsplit("/", 1)[1])
    assert cert.status_code == 200 and cert.text.startswith("-----BEGIN CERTIFICATE-----")
    verify_signature(note, cert.content)

    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true")
    sns.publish(TopicArn=topic, Message=json.dumps({"raw": True}))
    headers, raw = wait_for(received, 3)[2]
    assert raw == {"raw": True} and headers["x-amz-sns-rawdelivery"] == "true"

    assert requests.get(on_server(note["UnsubscribeURL"], endpoint_url)).status_code == 200
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    headers, goodbye = wait_for(received, 4)[3]
    assert goodbye["Type"] == "UnsubscribeConfirmation" and goodbye["TopicArn"] == topic


def on_server(link, endpoint_url):
    return endpoint_url + link[link.index("/", len("https://")):]


def test_subscription_errors(sns, sqs):
    topic = sns.create_topic(Name=unique("subs"))["TopicArn"]
    _, arn = make_queue(sqs, unique("sq"))
    err, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="test-protocol", Endpoint=arn)
    assert err["Message"] == "Invalid parameter: Amazon SNS does not support this protocol string: test-protocol"
    err, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=arn,
                      Attributes={"RawMessageDelivery": "wrongvalue"})
    assert err["Message"] == "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false."
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)["SubscriptionArn"]
    err, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="Fake", AttributeValue="x")
    assert err["Message"] == "Invalid parameter: AttributeName"
    sns.unsubscribe(SubscriptionArn=sub)
    sns.unsubscribe(SubscriptionArn=sub)
    err, status = error_of(sns.get_subscription_attributes, SubscriptionArn=sub)
    assert (err["Code"], err["Message"], status) == ("NotFound", "Subscription does not exist", 404)
    err, _ = error_of(sns.publish, TopicArn=topic, Message="")
    assert err["Message"] == "Invalid parameter: Empty message"
    err, _ = error_of(sns.publish, TopicArn=topic.replace("us-east-1", "eu-west-1"), Message="m")
    assert err["Message"] == "Invalid parameter: TopicArn"


def test_sms_messages_inspection_endpoint(sns, endpoint_url):
    direct, subscribed = "+1555" + str(uuid.uuid4().int)[:7], "+1556" + str(uuid.uuid4().int)[:7]
    sns.publish(PhoneNumber=direct, Message="hello sms")
    topic = sns.create_topic(Name=unique("sms"))["TopicArn"]
    sub = sns.subscribe(TopicArn=topic, Protocol="sms", Endpoint=subscribed)["SubscriptionArn"]
    sns.publish(TopicArn=topic, Message="to subscribers")
    url = f"{endpoint_url}/_aws/sns/sms-messages?accountId=000000000000&region=us-east-1"
    wait_for_condition = time.monotonic() + 15
    while subscribed not in requests.get(url).json()["sms_messages"] and time.monotonic() < wait_for_condition:
        time.sleep(0.05)
    sent = requests.get(url).json()
    assert sent["region"] == "us-east-1"
    assert [m["Message"] for m in sent["sms_messages"][direct]] == ["hello sms"]
    [m] = sent["sms_messages"][subscribed]
    assert (m["Message"], m["SubscriptionArn"], m["TopicArn"]) == ("to subscribers", sub, topic)
    assert requests.delete(url).status_code == 204
    assert direct not in requests.get(url).json()["sms_messages"]


def test_sms_attributes_and_phone_numbers(sns, aws_client):
    err, status = error_of(sns.set_sms_attributes, attributes={"InvalidAttribute": "x"})
    assert (err["Code"], err["Message"], status) == ("InvalidParameter", "InvalidAttribute is not a valid attribute", 400)
    err, _ = error_of(sns.set_sms_attributes, attributes={"DefaultSMSType": "Invalid"})
    assert err["Message"] == "DefaultSMSType is invalid"
    sns.set_sms_attributes(attributes={"DefaultSMSType": "Promotional", "DefaultSenderID": "PSTest"})
    assert sns.get_sms_attributes(attributes=["DefaultSMSType", "DefaultSenderID"])["attributes"] == {
        "DefaultSMSType": "Promotional", "DefaultSenderID": "PSTest"}
    assert sns.get_sms_attributes()["attributes"]["MonthlySpendLimit"] == "1"
    err, _ = error_of(sns.opt_in_phone_number, phoneNumber="+1a234")
    assert (err["Code"], err["Message"]) == ("InvalidParameter", "Invalid parameter: PhoneNumber Reason: input incorrectly formatted")
    sns.opt_in_phone_number(phoneNumber="+15551234567")
    # a region where nothing was set still reports the account's spend limit
    assert aws_client("sns", region_name="ap-south-2").get_sms_attributes()["attributes"] == {"MonthlySpendLimit": "1"}


def test_email_subscription_delivers_through_ses(sns, aws_client, endpoint_url):
    """email subscriptions: the confirmation and each notification are sent with SES (moto-hosted here, called
    in process), from AWS's SNS sender address."""
    ses = aws_client("ses")

    def sent():
        deadline = time.monotonic() + 300   # the first SES call may wait for its Python provider to start
        while True:
            try:
                return ses.get_send_quota()["SentLast24Hours"]
            except ClientError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    before = sent()
    topic = sns.create_topic(Name=unique("mail"))["TopicArn"]
    sub = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="someone@example.com",
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["PendingConfirmation"] == "true"
    deadline = time.monotonic() + 60
    while sent() < before + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sent() == before + 1   # the confirmation email
    token = requests.get(f"{endpoint_url}/_aws/sns/subscription-tokens/{sub}").json()["subscription_token"]
    sns.confirm_subscription(TopicArn=topic, Token=token)
    sns.publish(TopicArn=topic, Message="by mail", Subject="Hello")
    deadline = time.monotonic() + 60
    while sent() < before + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sent() == before + 2
    assert "no-reply@sns.amazonaws.com" in ses.list_identities()["Identities"]
