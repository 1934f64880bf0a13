"""PERSISTENCE=1: every native service's state survives a clean restart and a kill -9 after a save;
a corrupt snapshot is moved aside and only that service starts empty."""
import base64
import glob
import os
import time

import pytest
import requests

PERSIST = {"PERSISTENCE": "1"}


def _populate(srv):
    """Creates resources in every native service; returns what to look for after a restart."""
    sqs = srv.client("sqs")
    q = sqs.create_queue(QueueName="persisted-q")["QueueUrl"]
    fifo = sqs.create_queue(QueueName="persisted.fifo", Attributes={"FifoQueue": "true",
                                                                    "ContentBasedDeduplication": "true"})["QueueUrl"]
    for i in range(5):
        sqs.send_message(QueueUrl=q, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=fifo, MessageBody="f0", MessageGroupId="g")
    sqs.send_message(QueueUrl=q, MessageBody="delayed", DelaySeconds=2)

    s3 = srv.client("s3")
    s3.create_bucket(Bucket="persisted-bucket")
    s3.put_object(Bucket="persisted-bucket", Key="dir/a.txt", Body=b"alpha", Metadata={"k": "v"})
    s3.put_object(Bucket="persisted-bucket", Key="b.bin", Body=os.urandom(70_000))
    # versions (and a delete marker) and bucket configurations
    s3.create_bucket(Bucket="persisted-versions")
    s3.put_bucket_versioning(Bucket="persisted-versions", VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket="persisted-versions", Key="v", Body=b"first")["VersionId"]
    s3.put_object(Bucket="persisted-versions", Key="v", Body=b"second")
    s3.delete_object(Bucket="persisted-versions", Key="v")
    s3.put_bucket_tagging(Bucket="persisted-versions", Tagging={"TagSet": [{"Key": "team", "Value": "p"}]})
    s3.put_bucket_cors(Bucket="persisted-versions", CORSConfiguration={"CORSRules": [
        {"AllowedMethods": ["GET"], "AllowedOrigins": ["https://example.com"]}]})
    s3.put_bucket_lifecycle_configuration(Bucket="persisted-versions", LifecycleConfiguration={"Rules": [
        {"ID": "old", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 3}}]})

    sns = srv.client("sns")
    topic = sns.create_topic(Name="persisted-topic", Tags=[{"Key": "t", "Value": "1"}])["TopicArn"]
    qarn = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)

    kms = srv.client("kms")
    key = kms.create_key(Description="persisted key")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/persisted", TargetKeyId=key)
    blob = kms.encrypt(KeyId=key, Plaintext=b"secret", EncryptionContext={"a": "b"})["CiphertextBlob"]

    creds = srv.client("sts").assume_role(RoleArn="arn:aws:iam::111111111111:role/r",
                                          RoleSessionName="persisted-session")["Credentials"]
    return {"queue": q, "fifo": fifo, "topic": topic, "key": key, "blob": blob, "creds": creds, "v1": v1}


def _verify(srv, made, expect_messages=True):
    sqs = srv.client("sqs")
    urls = sqs.list_queues().get("QueueUrls", [])
    assert made["queue"] in urls and made["fifo"] in urls
    if expect_messages:
        bodies = set()
        for _ in range(10):
            for m in sqs.receive_message(QueueUrl=made["queue"], MaxNumberOfMessages=10,
                                         WaitTimeSeconds=1).get("Messages", []):
                bodies.add(m["Body"])
            if len(bodies) >= 6:
                break
        assert bodies == {"m0", "m1", "m2", "m3", "m4", "delayed"}
        f = sqs.receive_message(QueueUrl=made["fifo"], WaitTimeSeconds=1)["Messages"]
        assert [m["Body"] for m in f] == ["f0"]

    s3 = srv.client("s3")
    obj = s3.get_object(Bucket="persisted-bucket", Key="dir/a.txt")
    assert obj["Body"].read() == b"alpha" and obj["Metadata"] == {"k": "v"}
    assert s3.head_object(Bucket="persisted-bucket", Key="b.bin")["ContentLength"] == 70_000
    versions = s3.list_object_versions(Bucket="persisted-versions")
    assert [v["IsLatest"] for v in versions["Versions"]] == [False, False]
    assert [m["IsLatest"] for m in versions["DeleteMarkers"]] == [True]
    assert s3.get_object(Bucket="persisted-versions", Key="v", VersionId=made["v1"])["Body"].read() == b"first"
    assert s3.get_bucket_versioning(Bucket="persisted-versions")["Status"] == "Enabled"
    assert s3.get_bucket_tagging(Bucket="persisted-versions")["TagSet"] == [{"Key": "team", "Value": "p"}]
    assert s3.get_bucket_cors(Bucket="persisted-versions")["CORSRules"][0]["AllowedOrigins"] == ["https://example.com"]
    assert s3.get_bucket_lifecycle_configuration(Bucket="persisted-versions")["Rules"][0]["ID"] == "old"

    sns = srv.client("sns")
    assert made["topic"] in [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    assert len(sns.list_subscriptions_by_topic(TopicArn=made["topic"])["Subscriptions"]) == 1

    kms = srv.client("kms")
    assert kms.describe_key(KeyId="alias/persisted")["KeyMetadata"]["KeyId"] == made["key"]
    assert kms.decrypt(CiphertextBlob=made["blob"], EncryptionContext={"a": "b"})["Plaintext"] == b"secret"

    c = made["creds"]
    ident = srv.client("sts", aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                       aws_session_token=c["SessionToken"]).get_caller_identity()
    assert ident["Account"] == "111111111111"


def test_state_survives_sigterm_restart(start_server):
    srv = start_server(PERSIST)
    made = _populate(srv)
    srv.stop()
    srv.start()
    _verify(srv, made)


def test_saved_state_survives_kill_9(start_server):
    srv = start_server(dict(PERSIST, SNAPSHOT_SAVE_STRATEGY="MANUAL"))
    made = _populate(srv)
    r = requests.post(srv.endpoint_url + "/_localstack/state/save", timeout=30)
    assert r.status_code == 200
    assert set(r.json()["saved"]) >= {"sqs", "s3", "sns", "kms", "sts"}
    srv.client("sqs").create_queue(QueueName="not-saved")
    srv.kill()
    srv.start()
    _verify(srv, made)
    assert not any(u.endswith("/not-saved") for u in srv.client("sqs").list_queues().get("QueueUrls", []))


def test_corrupt_snapshot_starts_that_service_empty_and_keeps_the_others(start_server):
    srv = start_server(PERSIST)
    made = _populate(srv)
    srv.stop()
    snapshot = os.path.join(srv.data_dir, "state", "sqs.snapshot")
    assert os.path.exists(snapshot)
    with open(snapshot, "r+b") as f:
        f.seek(-10, os.SEEK_END)
        f.write(b"\x00garbage!\x00")
    srv.start()
    assert srv.client("sqs").list_queues().get("QueueUrls", []) == []
    aside = glob.glob(snapshot + ".corrupt-*")
    assert aside
    # one clear log line: which service, that it was moved aside (and where), that it starts empty
    assert any("snapshot of sqs is unreadable" in line and aside[0] in line and "started sqs empty" in line
               for line in srv.log_tail(200).splitlines()), srv.log_tail()
    assert "persisted-bucket" in [b["Name"] for b in srv.client("s3").list_buckets()["Buckets"]]
    assert srv.client("kms").describe_key(KeyId="alias/persisted")["KeyMetadata"]["KeyId"] == made["key"]
    health = requests.get(srv.endpoint_url + "/_localstack/health", timeout=10).json()
    assert health["persistence"]["enabled"] is True


def test_reset_endpoint_clears_one_service_or_all(start_server):
    srv = start_server(PERSIST)
    _populate(srv)
    assert requests.post(srv.endpoint_url + "/_localstack/state/sqs/reset", timeout=10).status_code == 200
    assert srv.client("sqs").list_queues().get("QueueUrls", []) == []
    assert srv.client("sns").list_topics()["Topics"]
    assert requests.post(srv.endpoint_url + "/_localstack/state/reset", timeout=10).status_code == 200
    assert srv.client("sns").list_topics()["Topics"] == []
    srv.stop()
    srv.start()
    assert srv.client("sns").list_topics()["Topics"] == []
    assert srv.client("s3").list_buckets()["Buckets"] == []


def test_without_persistence_nothing_is_kept(start_server):
    srv = start_server({})
    srv.client("sqs").create_queue(QueueName="ephemeral")
    srv.stop()
    srv.start()
    assert srv.client("sqs").list_queues().get("QueueUrls", []) == []


def _wait_until_saved(srv, services, newer_than=None, timeout=15):
    """Polls health until each service was saved (after `newer_than`'s save times) with nothing left unsaved."""
    deadline = time.monotonic() + timeout
    while True:
        health = requests.get(srv.endpoint_url + "/_localstack/health", timeout=10).json()["persistence"]
        states = health.get("services", {})
        if all(states.get(s, {}).get("unsaved_changes") is False and "last_saved" in states.get(s, {})
               and states[s]["last_saved"] != (newer_than or {}).get(s, {}).get("last_saved") for s in services):
            return health
        if time.monotonic() > deadline:
            return health
        time.sleep(0.2)


def test_default_strategy_saves_every_service_soon_after_a_change(start_server):
    """ON_REQUEST (the default): changes reach the disk within moments, without a save call or a clean stop."""
    srv = start_server(PERSIST)
    made = _populate(srv)
    natives = ("sqs", "s3", "sns", "kms", "sts")
    health = _wait_until_saved(srv, natives)
    assert health["save_strategy"] == "ON_REQUEST", health
    assert all(health["services"][s]["unsaved_changes"] is False for s in natives), health
    # A browser POST upload is answered by S3 over raw HTTP, outside botocore's operations: saved all the same.
    post = srv.client("s3").generate_presigned_post("persisted-bucket", "posted.txt")
    assert requests.post(post["url"], data=post["fields"], files={"file": b"posted"}, timeout=10).status_code == 204
    health = _wait_until_saved(srv, ["s3"], newer_than=health["services"])
    # A message SNS delivers to SQS changes SQS in process, without a request to SQS: saved all the same.
    sqs, sns = srv.client("sqs"), srv.client("sns")
    fanout_q = sqs.create_queue(QueueName="fanout-q")["QueueUrl"]
    fanout_arn = sqs.get_queue_attributes(QueueUrl=fanout_q, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    fanout_topic = sns.create_topic(Name="fanout-topic")["TopicArn"]
    sns.subscribe(TopicArn=fanout_topic, Protocol="sqs", Endpoint=fanout_arn, Attributes={"RawMessageDelivery": "true"})
    health = _wait_until_saved(srv, ["sqs", "sns"], newer_than=health["services"])
    sns.publish(TopicArn=fanout_topic, Message="delivered")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sqs.get_queue_attributes(
            QueueUrl=fanout_q, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"] == "0":
        time.sleep(0.1)
    _wait_until_saved(srv, ["sqs"], newer_than=health["services"])
    srv.kill()
    srv.start()
    _verify(srv, made)
    assert srv.client("s3").get_object(Bucket="persisted-bucket", Key="posted.txt")["Body"].read() == b"posted"
    got = srv.client("sqs").receive_message(QueueUrl=fanout_q, WaitTimeSeconds=2).get("Messages", [])
    assert [m["Body"] for m in got] == ["delivered"]
