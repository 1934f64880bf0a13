"""S3 event notifications delivered to SQS and SNS (boto3 end to end), and their configuration's validation."""
import hashlib
import json
import os
import time
import uuid

import pytest
import requests
from botocore.exceptions import ClientError
from helpers import error_of


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture
def bucket(s3):
    name = f"events-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def queue(sqs):
    """(url, arn) of a new queue."""
    url = sqs.create_queue(QueueName=f"events-{uuid.uuid4().hex[:12]}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn


def receive(sqs, url, count, timeout=10):
    """Bodies (parsed JSON) of `count` messages, waiting up to `timeout` seconds; fewer if they never come."""
    bodies = []
    deadline = time.time() + timeout
    while len(bodies) < count and time.time() < deadline:
        r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for m in r.get("Messages", []):
            bodies.append(json.loads(m["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return bodies


def records(sqs, url, count, timeout=10):
    out = []
    for body in receive(sqs, url, count, timeout):
        assert "Records" in body, body
        out.extend(body["Records"])
    return out


def configure_queue(s3, sqs, bucket, queue_arn, url, events=("s3:ObjectCreated:*", "s3:ObjectRemoved:*"), **extra):
    """Puts a one-queue configuration and consumes the s3:TestEvent it causes."""
    config = {"QueueArn": queue_arn, "Events": list(events), **extra}
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [config]})
    test = receive(sqs, url, 1)
    assert test and test[0]["Event"] == "s3:TestEvent" and test[0]["Bucket"] == bucket, test


def test_test_event_and_generated_id(s3, sqs, bucket, queue):
    url, arn = queue
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
    [test] = receive(sqs, url, 1)
    assert test["Service"] == "Amazon S3" and test["Event"] == "s3:TestEvent" and test["Bucket"] == bucket
    assert test["RequestId"] and test["HostId"] and test["Time"].endswith("Z")
    stored = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    assert stored[0]["Id"] and stored[0]["QueueArn"] == arn and stored[0]["Events"] == ["s3:ObjectCreated:*"]


def test_put_copy_multipart_delete_and_tagging_events(s3, sqs, bucket, queue):
    url, arn = queue
    configure_queue(s3, sqs, bucket, arn, url, events=["s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectTagging:*"],
                    Id="my-config")
    put = s3.put_object(Bucket=bucket, Key="dir/a b@c.txt", Body=b"some data")
    s3.copy_object(Bucket=bucket, Key="copied", CopySource={"Bucket": bucket, "Key": "dir/a b@c.txt"})
    mpu = s3.create_multipart_upload(Bucket=bucket, Key="multi")
    part = s3.upload_part(Bucket=bucket, Key="multi", UploadId=mpu["UploadId"], PartNumber=1, Body=b"x" * 6144)
    done = s3.complete_multipart_upload(Bucket=bucket, Key="multi", UploadId=mpu["UploadId"],
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    s3.put_object_tagging(Bucket=bucket, Key="copied", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3.delete_object_tagging(Bucket=bucket, Key="copied")
    s3.delete_object(Bucket=bucket, Key="copied")
    s3.delete_object(Bucket=bucket, Key="never-existed")  # nothing removed: no event
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "multi"}]})
    got = records(sqs, url, 7)
    assert [r["eventName"] for r in got] == [
        "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload", "ObjectTagging:Put",
        "ObjectTagging:Delete", "ObjectRemoved:Delete", "ObjectRemoved:Delete"]
    first = got[0]
    assert first["eventVersion"] == "2.1" and first["eventSource"] == "aws:s3" and first["awsRegion"] == "us-east-1"
    assert first["eventTime"].endswith("Z") and first["userIdentity"]["principalId"]
    assert first["requestParameters"]["sourceIPAddress"]
    assert set(first["responseElements"]) == {"x-amz-request-id", "x-amz-id-2"}
    s3_part = first["s3"]
    assert s3_part["s3SchemaVersion"] == "1.0" and s3_part["configurationId"] == "my-config"
    assert s3_part["bucket"]["name"] == bucket and s3_part["bucket"]["arn"] == f"arn:aws:s3:::{bucket}"
    assert s3_part["bucket"]["ownerIdentity"]["principalId"]
    obj = s3_part["object"]
    assert obj["key"] == "dir/a+b%40c.txt"  # URL-encoded, as S3 sends keys
    assert obj["size"] == 9 and obj["eTag"] == put["ETag"].strip('"') and "versionId" not in obj
    assert got[1]["s3"]["object"]["key"] == "copied" and got[1]["s3"]["object"]["size"] == 9
    assert got[2]["s3"]["object"]["eTag"] == done["ETag"].strip('"') and got[2]["s3"]["object"]["size"] == 6144
    tagging = got[3]
    assert tagging["eventVersion"] == "2.3" and set(tagging["s3"]["object"]) == {"key", "eTag"}
    removed = got[5]["s3"]["object"]
    assert set(removed) == {"key", "sequencer"} and removed["key"] == "copied"
    sequencers = [r["s3"]["object"]["sequencer"] for r in got if "sequencer" in r["s3"]["object"]]
    assert sequencers == sorted(sequencers) and len(set(sequencers)) == len(sequencers)
    assert receive(sqs, url, 1, timeout=2) == []


def test_versioned_bucket_delete_markers_and_version_deletes(s3, sqs, bucket, queue):
    url, arn = queue
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    configure_queue(s3, sqs, bucket, arn, url)
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"one")["VersionId"]
    marker = s3.delete_object(Bucket=bucket, Key="k")["VersionId"]
    s3.delete_object(Bucket=bucket, Key="k", VersionId=v1)
    got = records(sqs, url, 3)
    assert [r["eventName"] for r in got] == ["ObjectCreated:Put", "ObjectRemoved:DeleteMarkerCreated", "ObjectRemoved:Delete"]
    assert got[0]["s3"]["object"]["versionId"] == v1
    assert got[1]["s3"]["object"]["versionId"] == marker
    assert got[1]["s3"]["object"]["eTag"] == "d41d8cd98f00b204e9800998ecf8427e"
    assert got[2]["s3"]["object"]["versionId"] == v1 and "eTag" not in got[2]["s3"]["object"]


def test_prefix_and_suffix_filters(s3, sqs, bucket, queue):
    url, arn = queue
    # rule names are case-insensitive and come back capitalized
    configure_queue(s3, sqs, bucket, arn, url, events=["s3:ObjectCreated:Put"],
                    Filter={"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"},
                                                    {"Name": "SUFFIX", "Value": ".txt"}]}})
    rules = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"][0]["Filter"]["Key"]["FilterRules"]
    assert rules == [{"Name": "Prefix", "Value": "uploads/"}, {"Name": "Suffix", "Value": ".txt"}]
    for key in ["uploads/a.txt", "uploads/b.jpg", "other/c.txt", "uploads/d.txt"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    s3.copy_object(Bucket=bucket, Key="uploads/e.txt", CopySource={"Bucket": bucket, "Key": "uploads/a.txt"})  # Put only
    got = records(sqs, url, 2)
    assert [r["s3"]["object"]["key"] for r in got] == ["uploads/a.txt", "uploads/d.txt"]
    assert receive(sqs, url, 1, timeout=2) == []


def test_browser_post_sends_object_created_post(s3, sqs, bucket, queue):
    url, arn = queue
    configure_queue(s3, sqs, bucket, arn, url, events=["s3:ObjectCreated:Post"])
    post = s3.generate_presigned_post(bucket, "posted")
    assert requests.post(post["url"], data=post["fields"], files={"file": ("f", b"form")}).status_code == 204
    s3.put_object(Bucket=bucket, Key="put-not-post", Body=b"x")
    got = records(sqs, url, 1)
    assert [(r["eventName"], r["s3"]["object"]["key"]) for r in got] == [("ObjectCreated:Post", "posted")]
    assert receive(sqs, url, 1, timeout=2) == []


def test_delivery_through_sns_topic_subscribed_by_a_queue(s3, sqs, sns, bucket, queue):
    url, queue_arn = queue
    topic = sns.create_topic(Name=f"events-{uuid.uuid4().hex[:12]}")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "TopicConfigurations": [{"Id": "to-topic", "TopicArn": topic, "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket=bucket, Key="via-sns", Body=b"hello sns")
    envelopes = receive(sqs, url, 2, timeout=30)
    assert [e["Type"] for e in envelopes] == ["Notification", "Notification"]
    assert all(e["TopicArn"] == topic and e["Subject"] == "Amazon S3 Notification" for e in envelopes)
    # SNS fans out from several workers: the two notifications may arrive in either order
    messages = [json.loads(e["Message"]) for e in envelopes]
    [test_event] = [m for m in messages if "Event" in m]
    [created] = [m for m in messages if "Records" in m]
    assert test_event["Event"] == "s3:TestEvent" and test_event["Bucket"] == bucket
    [record] = created["Records"]
    assert record["eventName"] == "ObjectCreated:Put" and record["s3"]["configurationId"] == "to-topic"
    assert record["s3"]["object"]["key"] == "via-sns" and record["s3"]["object"]["size"] == 9


def test_concurrent_writes_each_deliver_exactly_one_event(s3, sqs, bucket, queue):
    import concurrent.futures
    url, arn = queue
    configure_queue(s3, sqs, bucket, arn, url, events=["s3:ObjectCreated:*"])
    keys = [f"c/{t}/{i}" for t in range(8) for i in range(25)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=k.encode()), keys))
    got = records(sqs, url, len(keys), timeout=60)
    assert sorted(r["s3"]["object"]["key"] for r in got) == sorted(keys)
    sequencers = [r["s3"]["object"]["sequencer"] for r in got]
    assert len(set(sequencers)) == len(keys)
    assert receive(sqs, url, 1, timeout=2) == []


def test_configuration_validation(s3, sqs, bucket, queue):
    url, arn = queue
    put = lambda config, **kw: s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config, **kw)
    missing = arn.rsplit(":", 1)[0] + ":does-not-exist"
    err, status = error_of(lambda: put({"QueueConfigurations": [{"QueueArn": missing, "Events": ["s3:ObjectCreated:*"]}]}))
    assert status == 400 and err["Code"] == "InvalidArgument"
    assert err["Message"] == "Unable to validate the following destination configurations"
    assert err["ArgumentName1"] == missing and err["ArgumentValue1"] == "The destination queue does not exist"
    missing_topic = "arn:aws:sns:us-east-1:000000000000:no-such-topic"
    err, _ = error_of(lambda: put({"QueueConfigurations": [{"QueueArn": missing, "Events": ["s3:ObjectCreated:*"]}],
                                   "TopicConfigurations": [{"TopicArn": missing_topic, "Events": ["s3:ObjectRemoved:*"]}]}))
    assert err["ArgumentName2"] == missing_topic
    for skip in (False, True):
        err, status = error_of(lambda: put({"QueueConfigurations": [{"QueueArn": "invalid-queue", "Events": ["s3:ObjectCreated:*"]}]},
                                           SkipDestinationValidation=skip))
        assert (status, err["Code"], err["Message"]) == (400, "InvalidArgument", "The ARN could not be parsed")
        assert err["ArgumentName"] == "Queue" and err["ArgumentValue"] == "invalid-queue"
    put({"QueueConfigurations": [{"Id": "skip", "QueueArn": missing, "Events": ["s3:ObjectCreated:*"]}]}, SkipDestinationValidation=True)
    assert s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"][0]["QueueArn"] == missing
    err, _ = error_of(lambda: put({"QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectCreated:*"], "Filter": {
        "Key": {"FilterRules": [{"Name": "INVALID", "Value": "x"}]}}}]}))
    assert (err["Code"], err["Message"], err["ArgumentName"]) == ("InvalidArgument", "filter rule name must be either prefix or suffix",
                                                                 "FilterRule.Name")
    overlapping = {"QueueConfigurations": [
        {"QueueArn": arn, "Events": ["s3:ObjectCreated:*"], "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "a/"}]}}},
        {"QueueArn": arn, "Events": ["s3:ObjectCreated:Put"], "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "a/b"}]}}}]}
    err, _ = error_of(lambda: put(overlapping))
    assert err["Code"] == "InvalidArgument" and err["Message"].startswith("Configuration is ambiguously defined")
    disjoint = {"QueueConfigurations": [
        {"QueueArn": arn, "Events": ["s3:ObjectCreated:*"], "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "a/"}]}}},
        {"QueueArn": arn, "Events": ["s3:ObjectCreated:*"], "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "b/"}]}}},
        {"QueueArn": arn, "Events": ["s3:ObjectRemoved:*"], "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "a/"}]}}}]}
    put(disjoint)
    assert len(s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]) == 3
    err, _ = error_of(lambda: s3.put_bucket_notification_configuration(Bucket=f"no-such-{uuid.uuid4().hex[:8]}",
                                                                       NotificationConfiguration={}))
    assert err["Code"] == "NoSuchBucket"
    # an empty configuration turns notifications off
    put({})
    assert "QueueConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)


def test_eventbridge_configuration_is_stored(s3, bucket):
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={"EventBridgeConfiguration": {}})
    assert "EventBridgeConfiguration" in s3.get_bucket_notification_configuration(Bucket=bucket)


# ---------------------------------------------------------------- presigned URL expiry

def sigv4(aws_client):
    from botocore.config import Config
    return aws_client("s3", config=Config(signature_version="s3v4"))


def test_presigned_urls_expire(s3, aws_client, bucket):
    from botocore.config import Config
    s3.put_object(Bucket=bucket, Key="obj", Body=b"data")
    v4 = sigv4(aws_client).generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "obj"}, ExpiresIn=1)
    v2 = aws_client("s3", config=Config(signature_version="s3")).generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": "obj"}, ExpiresIn=1)
    put = sigv4(aws_client).generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "late"}, ExpiresIn=1)
    fresh = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "obj"}, ExpiresIn=3600)
    time.sleep(2.2)
    for url in (v4, v2):
        r = requests.get(url)
        assert r.status_code == 403, r.text
        assert "<Code>AccessDenied</Code>" in r.text and "<Message>Request has expired</Message>" in r.text
        assert "<Expires>" in r.text and "<ServerTime>" in r.text
    assert "<X-Amz-Expires>1</X-Amz-Expires>" in requests.get(v4).text
    assert requests.put(put, data=b"too late").status_code == 403
    assert requests.head(v4).status_code == 403
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="late")
    assert requests.get(fresh).content == b"data"


def test_presigned_url_expiry_over_a_week_is_refused(s3, aws_client, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"data")
    url = sigv4(aws_client).generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "obj"}, ExpiresIn=604800)
    assert requests.get(url).status_code == 200
    too_long = url.replace("X-Amz-Expires=604800", "X-Amz-Expires=604801")
    r = requests.get(too_long)
    assert r.status_code == 400 and "<Code>AuthorizationQueryParametersError</Code>" in r.text
    assert "X-Amz-Expires must be less than a week (in seconds) that is 604800" in r.text
    r = requests.get(url.replace("X-Amz-Expires=604800", "X-Amz-Expires=-1"))
    assert r.status_code == 400 and "X-Amz-Expires must be non-negative" in r.text


# ---------------------------------------------------------------- browser POST policies

def xml_error(r):
    """The fields of an S3 XML error response, unescaped."""
    import xml.etree.ElementTree as ET
    return {child.tag: child.text for child in ET.fromstring(r.content)}


def post_form(post, content, extra=None, filename="f.txt"):
    fields = dict(post["fields"])
    fields.update(extra or {})
    return requests.post(post["url"], data=fields, files={"file": (filename, content)})


def test_post_policy_expiration(s3, bucket):
    post = s3.generate_presigned_post(bucket, "late", ExpiresIn=1)
    time.sleep(2.2)
    r = post_form(post, b"too late")
    assert r.status_code == 403 and "<Code>AccessDenied</Code>" in r.text
    assert "<Message>Invalid according to Policy: Policy expired.</Message>" in r.text
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="late")


def test_post_policy_content_length_range(s3, bucket):
    post = s3.generate_presigned_post(bucket, "sized", Conditions=[["content-length-range", 5, 10]])
    r = post_form(post, b"x" * 12)
    assert r.status_code == 400 and "<Code>EntityTooLarge</Code>" in r.text
    assert "<MaxSizeAllowed>10</MaxSizeAllowed>" in r.text and "<ProposedSize>12</ProposedSize>" in r.text
    r = post_form(post, b"x")
    assert r.status_code == 400 and "<Code>EntityTooSmall</Code>" in r.text and "<MinSizeAllowed>5</MinSizeAllowed>" in r.text
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="sized")
    assert post_form(post, b"x" * 7).status_code == 204
    assert s3.get_object(Bucket=bucket, Key="sized")["Body"].read() == b"x" * 7


def test_post_policy_conditions(s3, bucket):
    redirect = "http://localhost.test/random"
    post = s3.generate_presigned_post(bucket, "uploads/${filename}", Fields={"success_action_redirect": redirect},
                                      Conditions=[["eq", "$success_action_redirect", redirect]])
    r = post_form(post, b"data", {"success_action_redirect": "HTTP://localhost.test/random"})
    assert r.status_code == 403
    assert xml_error(r)["Message"] == ('Invalid according to Policy: Policy Condition failed: '
                                       '["eq", "$success_action_redirect", "http://localhost.test/random"]')
    r = post_form(post, b"data", {"key": "elsewhere/x"})  # boto3 put ["starts-with", "$key", "uploads/"] in the policy
    assert r.status_code == 403 and '["starts-with", "$key", "uploads/"]' in xml_error(r)["Message"]
    r = post_form(post, b"data", {"x-amz-meta-extra": "1"})
    assert r.status_code == 403 and "Invalid according to Policy: Extra input fields: x-amz-meta-extra" in r.text
    r = requests.post(post["url"], data=post["fields"], files={"file": ("ok.txt", b"data")}, allow_redirects=False)
    assert r.status_code == 303 and r.headers["Location"].startswith(redirect)
    assert s3.get_object(Bucket=bucket, Key="uploads/ok.txt")["Body"].read() == b"data"
    # a policy made for another bucket does not open this one
    other = f"events-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=other)
    foreign = s3.generate_presigned_post(other, "k")
    r = requests.post(post["url"], data=foreign["fields"], files={"file": ("f", b"x")})
    assert r.status_code == 403 and f'["eq", "$bucket", "{other}"]' in xml_error(r)["Message"]


def test_post_policy_document_and_signature_fields(s3, bucket):
    import base64
    post = s3.generate_presigned_post(bucket, "k")
    fields = dict(post["fields"])
    sig_field = "signature" if "signature" in fields else "x-amz-signature"
    del fields[sig_field]
    r = requests.post(post["url"], data=fields, files={"file": ("f", b"x")})
    assert r.status_code == 400 and "<Code>InvalidArgument</Code>" in r.text and "Bucket POST must contain a field named" in r.text
    bad = {"expiration": "2099-01-01T00:00:00Z", "conditions": [{"bucket": bucket, "key": "k"}]}
    fields = dict(post["fields"])
    fields["policy"] = base64.b64encode(json.dumps(bad).encode()).decode()
    r = requests.post(post["url"], data=fields, files={"file": ("f", b"x")})
    assert r.status_code == 400 and "<Code>InvalidPolicyDocument</Code>" in r.text
    assert "Simple-Conditions must have exactly one property specified." in r.text
    fields["policy"] = "not base64 json"
    r = requests.post(post["url"], data=fields, files={"file": ("f", b"x")})
    assert r.status_code == 400 and "<Code>InvalidPolicyDocument</Code>" in r.text


def test_post_upload_streams_a_body_larger_than_the_heap(s3, bucket):
    """600 MiB through a browser POST on a server whose heap is 512 MiB (the launcher's default): only works streamed."""
    boundary = "----polystack" + uuid.uuid4().hex
    size = 600 * 1024 * 1024
    chunk = os.urandom(1024 * 1024)
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nbig\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    md5 = hashlib.md5()

    def body():
        yield head
        for _ in range(size // len(chunk)):
            md5.update(chunk)
            yield chunk
        yield tail

    url = s3.generate_presigned_post(bucket, "big")["url"]
    r = requests.post(url, data=body(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 204, r.text
    head_out = s3.head_object(Bucket=bucket, Key="big")
    assert head_out["ContentLength"] == size and head_out["ETag"].strip('"') == md5.hexdigest()
    s3.delete_object(Bucket=bucket, Key="big")
