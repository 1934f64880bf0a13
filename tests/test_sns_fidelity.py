"""SNS answers as AWS gives them (issue 14): idempotent CreateTopic/Subscribe, MessageStructure=json
validation and delivery to SQS, the X-Ray trace header reaching SQS subscribers, and SNS (a query-protocol
service) answering in JSON when asked. Quoted messages are AWS's, as recorded."""
import json
import time

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from helpers import error_of, unique


def queue_with_arn(sqs, name):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def one_message(sqs, url, timeout=15, **kwargs):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, **kwargs).get("Messages", [])
        if got:
            return got[0]
    raise AssertionError("no message arrived")


def test_create_topic_again_with_a_subset_of_its_tags(sns):
    name = unique("tags")
    tags = [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    arn = sns.create_topic(Name=name, Tags=tags)["TopicArn"]
    assert sns.create_topic(Name=name, Tags=tags[:1])["TopicArn"] == arn
    assert sns.create_topic(Name=name)["TopicArn"] == arn
    error, status = error_of(sns.create_topic, Name=name, Tags=[{"Key": "a", "Value": "other"}])
    assert (error["Code"], error["Message"], status) == (
        "InvalidParameter", "Invalid parameter: Tags Reason: Topic already exists with different tags", 400)


def test_subscribe_again_with_default_attributes_returns_the_same_arn(sns, sqs):
    arn = sns.create_topic(Name=unique("subs"))["TopicArn"]
    _, queue_arn = queue_with_arn(sqs, unique("subs-q"))
    first = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    again = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn,
                          Attributes={"RawMessageDelivery": "false"}, ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert again == first
    error, _ = error_of(sns.subscribe, TopicArn=arn, Protocol="sqs", Endpoint=queue_arn,
                        Attributes={"RawMessageDelivery": "true"})
    assert error["Message"] == "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
    attributes = sns.get_subscription_attributes(SubscriptionArn=first)["Attributes"]
    assert "FilterPolicy" not in attributes and "FilterPolicyScope" not in attributes


def test_message_structure_json_validation(sns):
    arn = sns.create_topic(Name=unique("structure"))["TopicArn"]
    error, _ = error_of(sns.publish, TopicArn=arn, Message=json.dumps({"sqs": "x"}), MessageStructure="json")
    assert error["Message"] == "Invalid parameter: Message Structure - No default entry in JSON message body"
    error, _ = error_of(sns.publish, TopicArn=arn, Message="not json", MessageStructure="json")
    assert error["Message"] == "Invalid parameter: Message Structure - JSON message body failed to parse"


def test_structured_message_to_sqs_uses_the_sqs_entry_else_default(sns, sqs):
    arn = sns.create_topic(Name=unique("structure"))["TopicArn"]
    url_a, queue_a = queue_with_arn(sqs, unique("structure-a"))
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_a, Attributes={"RawMessageDelivery": "true"})
    sns.publish(TopicArn=arn, Message=json.dumps({"default": "for all", "sqs": "for sqs"}), MessageStructure="json")
    assert one_message(sqs, url_a)["Body"] == "for sqs"
    sns.publish(TopicArn=arn, Message=json.dumps({"default": "for all", "http": "for http"}), MessageStructure="json")
    assert one_message(sqs, url_a)["Body"] == "for all"


def test_publish_trace_header_reaches_sqs_as_aws_trace_header(sns, sqs):
    arn = sns.create_topic(Name=unique("traced"))["TopicArn"]
    url, queue_arn = queue_with_arn(sqs, unique("traced-q"))
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    def add_header(request, **kwargs):
        request.headers["X-Amzn-Trace-Id"] = trace

    sns.meta.events.register("before-sign.sns.Publish", add_header)
    try:
        sns.publish(TopicArn=arn, Message="hello")
    finally:
        sns.meta.events.unregister("before-sign.sns.Publish", add_header)
    message = one_message(sqs, url, MessageSystemAttributeNames=["AWSTraceHeader"])
    assert message["Attributes"] == {"AWSTraceHeader": trace}


def _signed_post(endpoint_url, service, form, headers):
    request = AWSRequest(method="POST", url=endpoint_url + "/", data=form,
                         headers={"Content-Type": "application/x-www-form-urlencoded", **headers})
    SigV4Auth(Credentials("test", "test"), service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    return requests.post(prepared.url, headers=dict(prepared.headers), data=prepared.body, timeout=30)


def test_query_services_answer_in_json_when_asked(endpoint_url):
    accept = {"Accept": "application/json"}
    r = _signed_post(endpoint_url, "sts", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}, accept)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json"), r.text
    identity = r.json()["GetCallerIdentityResponse"]["GetCallerIdentityResult"]
    assert identity["Account"] == "000000000000"
    assert r.json()["GetCallerIdentityResponse"]["ResponseMetadata"]["RequestId"]

    r = _signed_post(endpoint_url, "sts", {"Action": "GetSessionToken", "Version": "2011-06-15"}, accept)
    expiration = r.json()["GetSessionTokenResponse"]["GetSessionTokenResult"]["Credentials"]["Expiration"]
    assert float(expiration) > time.time()  # a number (epoch seconds) in JSON, as AWS writes it there

    r = _signed_post(endpoint_url, "sts", {"Action": "AssumeRole", "Version": "2011-06-15"}, accept)
    assert r.status_code == 400 and r.json()["Error"]["Code"] == "ValidationError"

    r = _signed_post(endpoint_url, "sns", {"Action": "ListTopics", "Version": "2010-03-31"}, accept)
    assert r.status_code == 200 and "ListTopicsResponse" in r.json()
    r = _signed_post(endpoint_url, "sts", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}, {})
    assert r.headers["Content-Type"].startswith("text/xml") and b"<GetCallerIdentityResponse" in r.content


def test_message_attribute_data_type_needs_a_label_after_its_dot(sns):
    """AWS's prefixes, as recorded: "String." and "Stringprefixed" are no type; "String.prefixed" is one."""
    arn = sns.create_topic(Name=unique("datatype"))["TopicArn"]
    for data_type in ("String.", "Stringprefixed", "Number.", "Binary."):
        value = {"BinaryValue": b"x"} if data_type.startswith("Binary") else {"StringValue": "1"}
        error, status = error_of(sns.publish, TopicArn=arn, Message="m",
                                 MessageAttributes={"attr1": {"DataType": data_type, **value}})
        assert (error["Code"], error["Message"], status) == (
            "ParameterValueInvalid", "The message attribute 'attr1' has an invalid message attribute type, the set of "
            "supported type prefixes is Binary, Number, and String.", 400), data_type
    for data_type in ("String.prefixed", "String.  prefixed."):
        assert sns.publish(TopicArn=arn, Message="m", MessageAttributes={
            "attr1": {"DataType": data_type, "StringValue": "prefixed-1"}})["MessageId"]


def test_unsubscribe_with_an_empty_arn_names_the_parameter(sns):
    error, status = error_of(sns.unsubscribe, SubscriptionArn="")
    assert (error["Code"], error["Message"], status) == (
        "InvalidParameter", "Invalid parameter: SubscriptionArn Reason: no value for required parameter", 400)
    error, _ = error_of(sns.publish, TopicArn="", Message="m")
    assert (error["Code"], error["Message"]) == (
        "InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")


def test_platform_endpoint_messages_by_endpoint(sns, endpoint_url):
    """LocalStack's /_aws/sns/platform-endpoint-messages: what was pushed to each endpoint, narrowed by endpointArn
    (GET and DELETE); a disabled endpoint is refused as AWS refuses it."""
    app = sns.create_platform_application(Name=unique("app"), Platform="GCM",
                                          Attributes={"PlatformCredential": "key", "PlatformPrincipal": "principal"})["PlatformApplicationArn"]
    first = sns.create_platform_endpoint(PlatformApplicationArn=app, Token=unique("t1"),
                                         CustomUserData="user-1")["EndpointArn"]
    second = sns.create_platform_endpoint(PlatformApplicationArn=app, Token=unique("t2"))["EndpointArn"]
    assert sns.get_endpoint_attributes(EndpointArn=first)["Attributes"]["CustomUserData"] == "user-1"
    sns.publish(TargetArn=first, Message="to first")
    sns.publish(TargetArn=second, Message=json.dumps({"default": "plain", "GCM": "for gcm"}), MessageStructure="json")
    url = f"{endpoint_url}/_aws/sns/platform-endpoint-messages"
    sent = requests.get(url).json()
    assert [m["Message"] for m in sent["platform_endpoint_messages"][first]] == ["to first"]
    assert [m["Message"] for m in sent["platform_endpoint_messages"][second]] == ["for gcm"]
    only_first = requests.get(url, params={"endpointArn": first}).json()["platform_endpoint_messages"]
    assert list(only_first) == [first]
    assert requests.delete(url, params={"endpointArn": first}).status_code == 204
    left = requests.get(url).json()["platform_endpoint_messages"]
    assert first not in left and second in left
    sns.set_endpoint_attributes(EndpointArn=second, Attributes={"Enabled": "false"})
    error, status = error_of(sns.publish, TargetArn=second, Message="m")
    assert (error["Code"], error["Message"], status) == ("EndpointDisabled", "Endpoint is disabled", 400)
    sns.delete_platform_application(PlatformApplicationArn=app)


def test_filter_policy_limits_count_nesting_as_aws_does(sns, sqs):
    """AWS's limits, as recorded: each key's values count times its nesting depth, $or branches add up (160 > 150
    here, though the flat count is 40), and of a nested policy only the top-level keys count against 5."""
    arn = sns.create_topic(Name=unique("limits"))["TopicArn"]
    _, queue_arn = queue_with_arn(sqs, unique("limits-q"))
    nested = {"$or": [{"metricName": ["CPUUtilization", "ReadLatency", "TestValue"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}],
              "detail": {"scope": ["Service", "Test"],
                         "$or": [{"source": ["aws.cloudwatch"]}, {"type": ["Alarm", "TestValue", "TestValue2"]}]}}
    error, status = error_of(sns.subscribe, TopicArn=arn, Protocol="sqs", Endpoint=queue_arn, Attributes={
        "FilterPolicy": json.dumps(nested), "FilterPolicyScope": "MessageBody"})
    assert (error["Code"], error["Message"], status) == (
        "InvalidParameter", "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex", 400)
    wide = {"detail": {f"k{i}": [i] for i in range(6)}}
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn, ReturnSubscriptionArn=True, Attributes={
        "FilterPolicy": json.dumps(wide), "FilterPolicyScope": "MessageBody"})["SubscriptionArn"]
    assert json.loads(sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["FilterPolicy"]) == wide


def _raw_sns(endpoint_url, form):
    """A signed SNS query request sent as is: boto3 would refuse to send a required parameter left out."""
    return _signed_post(endpoint_url, "sns", {"Version": "2010-03-31", **form}, {})


def test_a_missing_required_parameter_is_invalid_parameter(endpoint_url, sns):
    """AWS (recorded for Unsubscribe): a required parameter sent not at all is InvalidParameter naming it; an
    empty required Attributes map and a nested member stay Coral's ValidationError (also recorded)."""
    import xml.etree.ElementTree as ET

    def error(form):
        r = _raw_sns(endpoint_url, form)
        assert r.status_code == 400, r.text
        root = ET.fromstring(r.content)
        ns = {"a": root.tag.split("}")[0][1:]} if root.tag.startswith("{") else {}
        find = (lambda tag: root.find(f".//a:{tag}", ns)) if ns else (lambda tag: root.find(f".//{tag}"))
        return find("Code").text, find("Message").text, find("Type").text

    reason = "Reason: no value for required parameter"
    assert error({"Action": "Unsubscribe"}) == (
        "InvalidParameter", f"Invalid parameter: SubscriptionArn {reason}", "Sender")
    topic = sns.create_topic(Name=unique("missing"))["TopicArn"]
    assert error({"Action": "Subscribe", "TopicArn": topic}) == (
        "InvalidParameter", f"Invalid parameter: Protocol {reason}", "Sender")
    assert error({"Action": "GetTopicAttributes"}) == ("InvalidParameter", f"Invalid parameter: TopicArn {reason}", "Sender")
    assert error({"Action": "CreatePlatformApplication", "Name": unique("app"), "Platform": "GCM"}) == (
        "ValidationError", "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: "
        "Member must not be null", "Sender")
    assert error({"Action": "Publish", "TopicArn": topic, "Message": "m",
                  "MessageAttributes.entry.1.Name": "attr1",
                  "MessageAttributes.entry.1.Value.StringValue": "v"}) == (
        "ValidationError", "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' "
        "failed to satisfy constraint: Member must not be null", "Sender")
    # what was stored is untouched
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["TopicArn"] == topic


def test_developer_endpoints_take_an_endpoint_arns_own_account_and_region(aws_client, endpoint_url):
    """LocalStack's /_aws/sns/platform-endpoint-messages with endpointArn reads the ARN's account and region (its
    documented parameters: accountId, region, endpointArn; phoneNumber for sms-messages), and names a recipient
    that received nothing with an empty list."""
    sns = aws_client("sns", region_name="eu-west-1")
    app = sns.create_platform_application(Name=unique("app"), Platform="GCM",
                                          Attributes={"PlatformCredential": "key", "PlatformPrincipal": "principal"})["PlatformApplicationArn"]
    endpoint = sns.create_platform_endpoint(PlatformApplicationArn=app, Token=unique("tok"))["EndpointArn"]
    url = f"{endpoint_url}/_aws/sns/platform-endpoint-messages"
    assert requests.get(url, params={"endpointArn": endpoint}).json() == {
        "platform_endpoint_messages": {endpoint: []}, "region": "eu-west-1"}
    sns.publish(TargetArn=endpoint, Message="hello")
    got = requests.get(url, params={"endpointArn": endpoint}).json()
    assert [m["Message"] for m in got["platform_endpoint_messages"][endpoint]] == ["hello"]
    assert endpoint in requests.get(url, params={"region": "eu-west-1"}).json()["platform_endpoint_messages"]
    assert endpoint not in requests.get(url).json()["platform_endpoint_messages"]  # us-east-1 by default
    assert requests.delete(url, params={"endpointArn": endpoint}).status_code == 204
    assert requests.get(url, params={"endpointArn": endpoint}).json()["platform_endpoint_messages"] == {endpoint: []}
    sms = requests.get(f"{endpoint_url}/_aws/sns/sms-messages", params={"phoneNumber": "+15550000000"}).json()
    assert sms == {"sms_messages": {"+15550000000": []}, "region": "us-east-1"}
    sns.delete_platform_application(PlatformApplicationArn=app)


def test_add_and_remove_permission_as_recorded(sns):
    arn = sns.create_topic(Name=unique("permission"))["TopicArn"]
    account = arn.split(":")[4]
    sns.add_permission(TopicArn=arn, Label="test", AWSAccountId=[account], ActionName=["Publish", "Subscribe"])
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    assert statements[0]["Sid"] == "__default_statement_ID"
    assert statements[1] == {"Sid": "test", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                             "Action": ["SNS:Publish", "SNS:Subscribe"], "Resource": arn}
    assert error_of(sns.add_permission, TopicArn=arn, Label="test", AWSAccountId=[account],
                    ActionName=["AddPermission"]) == (
        {"Type": "Sender", "Code": "InvalidParameter", "Message": "Invalid parameter: Statement already exists"}, 400)
    assert error_of(sns.add_permission, TopicArn=arn + "-not-existing", Label="test-2", AWSAccountId=[account],
                    ActionName=["AddPermission"]) == (
        {"Type": "Sender", "Code": "NotFound", "Message": "Topic does not exist"}, 404)
    assert error_of(sns.add_permission, TopicArn=arn, Label="test-2", AWSAccountId=[account],
                    ActionName=["InvalidAction"]) == (
        {"Type": "Sender", "Code": "InvalidParameter",
         "Message": "Invalid parameter: Policy statement action out of service scope!"}, 400)
    sns.remove_permission(TopicArn=arn, Label="test")
    statements = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["__default_statement_ID"]
    assert error_of(sns.remove_permission, TopicArn=arn + "-not-existing", Label="test") == (
        {"Type": "Sender", "Code": "NotFound", "Message": "Topic does not exist"}, 404)


def test_subscribe_and_listings_agree_on_pending_confirmation(sns, sqs):
    """An HTTP subscription waits for confirmation: Subscribe, both listings and its attributes say so alike; an
    SQS subscription is confirmed at once everywhere."""
    arn = sns.create_topic(Name=unique("pending"))["TopicArn"]
    pending = sns.subscribe(TopicArn=arn, Protocol="http", Endpoint="http://127.0.0.1:9/unreachable")["SubscriptionArn"]
    assert pending == "pending confirmation"
    with_arn = sns.subscribe(TopicArn=arn, Protocol="http", Endpoint="http://127.0.0.1:9/unreachable",
                             ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert with_arn.startswith(arn + ":")
    _, queue_arn = queue_with_arn(sqs, unique("pending-q"))
    confirmed = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    by_topic = {s["Protocol"]: s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]}
    assert by_topic == {"http": "PendingConfirmation", "sqs": confirmed}
    everywhere = [s for s in sns.list_subscriptions()["Subscriptions"] if s["TopicArn"] == arn]
    assert sorted(s["SubscriptionArn"] for s in everywhere) == sorted(["PendingConfirmation", confirmed])
    assert sns.get_subscription_attributes(SubscriptionArn=with_arn)["Attributes"]["PendingConfirmation"] == "true"
    assert sns.get_subscription_attributes(SubscriptionArn=confirmed)["Attributes"]["PendingConfirmation"] == "false"
