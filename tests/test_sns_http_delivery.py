"""SNS HTTP/S delivery policies end to end: AWS's stored and effective forms, validation answers, retries that
follow the policy's phases (counts and order of attempts against a local HTTP server), subscription overrides,
throttling, 4xx counted as delivered, and the RedrivePolicy queue after the last retry.

Timing checks are lower bounds only (a retry can't come sooner than its policy allows); no upper bounds."""
import http.server
import json
import threading
import time

import pytest
import requests
from helpers import error_of, unique


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """Records every POST as (monotonic time, path, headers, body); answers statuses[path] (default 200) to
    notifications and 200 to confirmations."""
    log = []
    statuses = {}

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.log.append((time.monotonic(), self.path, dict(self.headers), body))
        notification = self.headers.get("x-amz-sns-message-type") == "Notification"
        self.send_response(self.statuses.get(self.path, 200) if notification else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    _Endpoint.log = []
    _Endpoint.statuses = {}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Endpoint
    server.shutdown()
    server.server_close()


def notifications(log, path):
    return [entry for entry in log if entry[1] == path and entry[2].get("x-amz-sns-message-type") == "Notification"]


def wait_until(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def confirmed_subscription(sns, endpoint_url, topic, url, **attributes):
    """Subscribes an HTTP endpoint and confirms it with the token LocalStack's inspection endpoint hands out."""
    sub = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=url, Attributes=attributes,
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    token = requests.get(f"{endpoint_url}/_aws/sns/subscription-tokens/{sub}").json()["subscription_token"]
    sns.confirm_subscription(TopicArn=topic, Token=token)
    return sub


def test_delivery_policy_stored_and_effective_forms(sns, endpoint):
    base, _ = endpoint
    topic = sns.create_topic(Name=unique("dp"), Attributes={"DeliveryPolicy": json.dumps(
        {"http": {"defaultRequestPolicy": {"headerContentType": "application/json"}}})})["TopicArn"]
    attrs = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert json.loads(attrs["DeliveryPolicy"]) == {
        "http": {"disableSubscriptionOverrides": False, "defaultRequestPolicy": {"headerContentType": "application/json"}}}
    assert json.loads(attrs["EffectiveDeliveryPolicy"])["http"] == {
        "defaultHealthyRetryPolicy": {"minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0,
                                      "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"},
        "disableSubscriptionOverrides": False, "defaultRequestPolicy": {"headerContentType": "application/json"}}
    # creating it again with the same (un-normalised) policy is idempotent
    assert sns.create_topic(Name=topic.rsplit(":", 1)[1], Attributes={"DeliveryPolicy": json.dumps(
        {"http": {"defaultRequestPolicy": {"headerContentType": "application/json"}}})})["TopicArn"] == topic

    sns.set_topic_attributes(TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
        {"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 5, "maxDelayTarget": 6, "numRetries": 1}}}))
    attrs = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert json.loads(attrs["DeliveryPolicy"]) == {"http": {
        "defaultHealthyRetryPolicy": {"minDelayTarget": 5, "maxDelayTarget": 6, "numRetries": 1},
        "disableSubscriptionOverrides": False}}
    effective = json.loads(attrs["EffectiveDeliveryPolicy"])["http"]
    assert effective["defaultHealthyRetryPolicy"]["numRetries"] == 1
    assert effective["defaultHealthyRetryPolicy"]["backoffFunction"] == "linear"
    assert effective["defaultRequestPolicy"] == {"headerContentType": "text/plain; charset=UTF-8"}
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DeliveryPolicy",
                             AttributeValue=json.dumps({"http": {"defaultHealthyRetryPolicy": None}}))
    assert json.loads(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DeliveryPolicy"]) == {
        "http": {"disableSubscriptionOverrides": False}}
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue="")
    assert "DeliveryPolicy" not in sns.get_topic_attributes(TopicArn=topic)["Attributes"]

    sub = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=base + "/forms",
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
        {"http": {"defaultRequestPolicy": {"headerContentType": "application/json"}}}))
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
        {"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 2, "numRetries": 4}}))
    attrs = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert json.loads(attrs["DeliveryPolicy"]) == {
        "healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 2, "numRetries": 4},
        "sicklyRetryPolicy": None, "throttlePolicy": None, "requestPolicy": None, "guaranteed": False}
    assert json.loads(attrs["EffectiveDeliveryPolicy"]) == {
        "healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 2, "numRetries": 4, "numMaxDelayRetries": 0,
                               "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear"},
        "sicklyRetryPolicy": None, "throttlePolicy": None,
        "requestPolicy": {"headerContentType": "application/json"}, "guaranteed": False}
    # a new subscription policy replaces the old one whole
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
        {"requestPolicy": {"headerContentType": "text/csv"}}))
    attrs = sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
    assert json.loads(attrs["DeliveryPolicy"])["healthyRetryPolicy"] is None
    effective = json.loads(attrs["EffectiveDeliveryPolicy"])
    assert effective["healthyRetryPolicy"]["numRetries"] == 3 and effective["requestPolicy"] == {"headerContentType": "text/csv"}


@pytest.mark.parametrize("policy, reason", [
    ({"healthyRetryPolicy": {"minDelayTarget": 0, "maxDelayTarget": 0, "numRetries": 0}},
     "healthyRetryPolicy.minDelayTarget must be greater than or equal to 1"),
    ({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 2, "numRetries": 101}},
     "healthyRetryPolicy.numRetries must be less than or equal to 100"),
    ({"healthyRetryPolicy": {"minDelayTarget": 5, "maxDelayTarget": 2, "numRetries": 1}},
     "healthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget"),
    ({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 2, "numRetries": 1, "backoffFunction": "cubic"}},
     "healthyRetryPolicy.backoffFunction must be one of: linear, arithmetic, geometric, exponential"),
    ({"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 2, "numRetries": 2, "numNoDelayRetries": 2,
                             "numMaxDelayRetries": 1}},
     "healthyRetryPolicy: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must be less than or equal to numRetries"),
    ({"healthyRetryPolicy": {"minDelayTarget": 3599, "maxDelayTarget": 3600, "numRetries": 3}},
     "healthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds"),
    ({"throttlePolicy": {"maxReceivesPerSecond": 0}}, "throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1"),
])
def test_invalid_subscription_delivery_policy(sns, endpoint, policy, reason):
    base, _ = endpoint
    topic = sns.create_topic(Name=unique("dp-bad"))["TopicArn"]
    err, status = error_of(sns.subscribe, TopicArn=topic, Protocol="http", Endpoint=base + "/bad",
                           Attributes={"DeliveryPolicy": json.dumps(policy)})
    assert (err["Code"], err["Message"], status) == (
        "InvalidParameter", "Invalid parameter: Attributes Reason: DeliveryPolicy: " + reason, 400)
    sub = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=base + "/bad", ReturnSubscriptionArn=True)["SubscriptionArn"]
    err, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="DeliveryPolicy",
                      AttributeValue=json.dumps(policy))
    assert err["Message"] == "Invalid parameter: DeliveryPolicy: " + reason
    assert "DeliveryPolicy" not in sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]


def test_invalid_topic_delivery_policy(sns):
    total = {"http": {"defaultHealthyRetryPolicy": {"minDelayTarget": 3599, "maxDelayTarget": 3600, "numRetries": 3}}}
    err, status = error_of(sns.create_topic, Name=unique("dp-topic"), Attributes={"DeliveryPolicy": json.dumps(total)})
    assert (err["Code"], err["Message"], status) == ("InvalidParameter", "Invalid parameter: Attributes Reason: DeliveryPolicy: "
                                                     "http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds", 400)
    topic = sns.create_topic(Name=unique("dp-topic"))["TopicArn"]
    err, _ = error_of(sns.set_topic_attributes, TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(total))
    assert err["Message"] == ("Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy: "
                              "Total policy retry time cannot be greater than 3600 seconds")
    err, _ = error_of(sns.set_topic_attributes, TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue="{oops")
    assert err["Message"].startswith("Invalid parameter: DeliveryPolicy: failed to parse JSON.")
    err, _ = error_of(sns.set_topic_attributes, TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
        {"http": {"defaultThrottlePolicy": {"maxReceivesPerSecond": -1}}}))
    assert err["Message"] == ("Invalid parameter: DeliveryPolicy: http.defaultThrottlePolicy.maxReceivesPerSecond "
                              "must be greater than or equal to 1")


def test_retries_follow_policy_phases_then_dead_letter_queue(sns, sqs, endpoint_url, endpoint):
    base, server = endpoint
    server.statuses["/down"] = 503
    dlq = sqs.create_queue(QueueName=unique("dp-dlq"))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = sns.create_topic(Name=unique("dp-retry"))["TopicArn"]
    # 3 retries: one at once, one after minDelayTarget (1 s), none left for backoff, one after maxDelayTarget (2 s)
    policy = {"healthyRetryPolicy": {"numRetries": 3, "numNoDelayRetries": 1, "numMinDelayRetries": 1,
                                     "numMaxDelayRetries": 1, "minDelayTarget": 1, "maxDelayTarget": 2}}
    confirmed_subscription(sns, endpoint_url, topic, base + "/down", DeliveryPolicy=json.dumps(policy),
                           RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    message_id = sns.publish(TopicArn=topic, Message="retry me")["MessageId"]

    out = sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=20)
    assert len(out.get("Messages", [])) == 1
    dead = json.loads(out["Messages"][0]["Body"])
    assert dead["MessageId"] == message_id and dead["Message"] == "retry me"
    attempts = notifications(server.log, "/down")
    # the first attempt and three retries, all of the same message, and the DLQ only after the last of them
    assert len(attempts) == 4
    assert {json.loads(a[3])["MessageId"] for a in attempts} == {message_id}
    times = [a[0] for a in attempts]
    assert times == sorted(times)
    assert times[2] - times[1] >= 0.95 and times[3] - times[2] >= 1.95   # min delay, then max delay
    time.sleep(1.5)
    assert len(notifications(server.log, "/down")) == 4   # no attempt after the policy ran out


def test_topic_policy_subscription_override_and_disabled_overrides(sns, endpoint_url, endpoint):
    base, server = endpoint
    server.statuses.update({"/topic-policy": 500, "/own-policy": 500})
    topic = sns.create_topic(Name=unique("dp-over"), Attributes={"DeliveryPolicy": json.dumps({"http": {
        "defaultHealthyRetryPolicy": {"numRetries": 2, "minDelayTarget": 1, "maxDelayTarget": 1},
        "defaultRequestPolicy": {"headerContentType": "application/json"}}})})["TopicArn"]
    confirmed_subscription(sns, endpoint_url, topic, base + "/topic-policy")
    own = confirmed_subscription(sns, endpoint_url, topic, base + "/own-policy", DeliveryPolicy=json.dumps(
        {"healthyRetryPolicy": {"numRetries": 0, "minDelayTarget": 1, "maxDelayTarget": 1},
         "requestPolicy": {"headerContentType": "text/csv"}}))
    sns.publish(TopicArn=topic, Message="first")
    assert wait_until(lambda: len(notifications(server.log, "/topic-policy")) >= 3)
    time.sleep(1.5)
    assert len(notifications(server.log, "/topic-policy")) == 3   # topic policy: 1 + 2 retries
    assert len(notifications(server.log, "/own-policy")) == 1     # subscription's own: no retry
    assert notifications(server.log, "/topic-policy")[0][2]["Content-Type"] == "application/json"
    assert notifications(server.log, "/own-policy")[0][2]["Content-Type"] == "text/csv"

    # with disableSubscriptionOverrides, the topic's policy wins over the subscription's
    sns.set_topic_attributes(TopicArn=topic, AttributeName="DeliveryPolicy", AttributeValue=json.dumps({"http": {
        "defaultHealthyRetryPolicy": {"numRetries": 1, "minDelayTarget": 1, "maxDelayTarget": 1},
        "disableSubscriptionOverrides": True}}))
    effective = json.loads(sns.get_subscription_attributes(SubscriptionArn=own)["Attributes"]["EffectiveDeliveryPolicy"])
    assert effective["healthyRetryPolicy"]["numRetries"] == 1
    sns.publish(TopicArn=topic, Message="second")
    assert wait_until(lambda: len(notifications(server.log, "/own-policy")) >= 3)
    time.sleep(1.5)
    assert len(notifications(server.log, "/own-policy")) == 3   # 1 before + 1 attempt and 1 retry now
    assert notifications(server.log, "/own-policy")[-1][2]["Content-Type"] == "text/plain; charset=UTF-8"


def test_client_errors_count_as_delivered(sns, sqs, endpoint_url, endpoint):
    base, server = endpoint
    server.statuses["/gone"] = 404
    dlq = sqs.create_queue(QueueName=unique("dp-4xx"))["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    topic = sns.create_topic(Name=unique("dp-4xx"))["TopicArn"]
    confirmed_subscription(sns, endpoint_url, topic, base + "/gone",
                           DeliveryPolicy=json.dumps({"healthyRetryPolicy": {"numRetries": 2, "minDelayTarget": 1, "maxDelayTarget": 1}}),
                           RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    sns.publish(TopicArn=topic, Message="not found")
    assert wait_until(lambda: len(notifications(server.log, "/gone")) >= 1)
    time.sleep(2.5)
    assert len(notifications(server.log, "/gone")) == 1
    assert sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=1).get("Messages", []) == []


def test_throttle_policy_spaces_deliveries(sns, endpoint_url, endpoint):
    base, server = endpoint
    topic = sns.create_topic(Name=unique("dp-throttle"))["TopicArn"]
    confirmed_subscription(sns, endpoint_url, topic, base + "/slow",
                           DeliveryPolicy=json.dumps({"throttlePolicy": {"maxReceivesPerSecond": 2}}))
    for i in range(4):
        sns.publish(TopicArn=topic, Message=f"m{i}")
    assert wait_until(lambda: len(notifications(server.log, "/slow")) >= 4)
    times = sorted(a[0] for a in notifications(server.log, "/slow"))
    assert sorted(json.loads(a[3])["Message"] for a in notifications(server.log, "/slow")) == ["m0", "m1", "m2", "m3"]
    assert times[3] - times[0] >= 1.4   # 4 deliveries at 2 per second span at least 1.5 s


def test_http_1_0_subscriber_gets_each_notification_on_its_first_attempt(sns, endpoint_url, endpoint):
    # _Endpoint answers HTTP/1.0 and closes every connection (Python's default). Java's HTTP client used to send
    # the next notification on such a connection as it closed now and then, and that attempt failed and waited
    # out the default 20 s retry delay; here every notification must arrive at once, exactly once.
    base, server = endpoint
    topic = sns.create_topic(Name=unique("dp-http10"))["TopicArn"]
    confirmed_subscription(sns, endpoint_url, topic, base + "/http10")
    count = 400
    for i in range(count):
        sns.publish(TopicArn=topic, Message=f"n{i}")
    assert wait_until(lambda: len(notifications(server.log, "/http10")) >= count, timeout=15), \
        len(notifications(server.log, "/http10"))
    bodies = sorted(json.loads(a[3])["Message"] for a in notifications(server.log, "/http10"))
    assert bodies == sorted(f"n{i}" for i in range(count))
