"""SNS and STS state survives a restart with PERSISTENCE=1: topics, subscriptions, filter policies, and the
account behind temporary credentials."""
import json
import time


def test_sns_and_sts_state_survive_restart(start_server):
    server = start_server({"PERSISTENCE": "1"})
    sns, sqs, sts = server.client("sns"), server.client("sqs"), server.client("sts")
    topic = sns.create_topic(Name="kept.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true",
                                                           "DisplayName": "Kept"})["TopicArn"]
    sns.tag_resource(ResourceArn=topic, Tags=[{"Key": "team", "Value": "a"}])
    url = sqs.create_queue(QueueName="kept.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sub = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={
        "RawMessageDelivery": "true", "FilterPolicy": json.dumps({"kind": ["keep"]})})["SubscriptionArn"]
    credentials = sts.assume_role(RoleArn="arn:aws:iam::777788889999:role/kept", RoleSessionName="kept")["Credentials"]

    server.stop()
    server.start()
    sns, sqs = server.client("sns"), server.client("sqs")
    attrs = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert attrs["DisplayName"] == "Kept" and attrs["FifoTopic"] == "true" and attrs["SubscriptionsConfirmed"] == "1"
    assert sns.list_tags_for_resource(ResourceArn=topic)["Tags"] == [{"Key": "team", "Value": "a"}]
    assert json.loads(sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["FilterPolicy"]) == {"kind": ["keep"]}

    for kind in ("drop", "keep"):
        sns.publish(TopicArn=topic, Message=kind, MessageGroupId="g",
                    MessageAttributes={"kind": {"DataType": "String", "StringValue": kind}})
    bodies = []
    deadline = time.monotonic() + 15
    while not bodies and time.monotonic() < deadline:
        bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])]
    assert bodies == ["keep"]

    identity = server.client("sts", aws_access_key_id=credentials["AccessKeyId"],
                             aws_secret_access_key=credentials["SecretAccessKey"],
                             aws_session_token=credentials["SessionToken"]).get_caller_identity()
    assert identity["Account"] == "777788889999"
    assert identity["Arn"] == "arn:aws:sts::777788889999:assumed-role/kept/kept"
