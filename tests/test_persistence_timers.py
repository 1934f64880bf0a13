"""PERSISTENCE=1 keeps timers and work in progress across a restart: an SQS message in flight becomes visible
again when its visibility timeout ends, a delayed message only when its delay ends (even when the server
restarts inside the delay), and an S3 multipart upload started before a restart can be completed after it."""
import hashlib
import os
import time

import requests

PERSIST = {"PERSISTENCE": "1"}
TIMER = 10  # seconds: longer than a restart on a quiet box, short enough to wait for


def timer_outlasting(restart_seconds):
    """A timer (s) long enough to span a stop and start that takes about as long as the one just measured: on a
    busy 2-core machine a start takes several seconds, and the timers must still be running after the restart."""
    return max(TIMER, int(2 * restart_seconds) + 6)


def _receive_within(sqs, url, seconds):
    """Polls until a message arrives or `seconds` pass; returns (message or None, monotonic time it arrived)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        wait = max(0, min(1, int(deadline - time.monotonic())))
        msgs = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=wait, VisibilityTimeout=60,
                                   AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
        if msgs:
            return msgs[0], time.monotonic()
    return None, None


def test_sqs_visibility_timeout_and_delay_resume_after_restart(start_server):
    started = time.monotonic()
    srv = start_server(PERSIST)
    timer = timer_outlasting(time.monotonic() - started)
    sqs = srv.client("sqs")
    inflight_q = sqs.create_queue(QueueName="timer-inflight")["QueueUrl"]
    delayed_q = sqs.create_queue(QueueName="timer-delayed")["QueueUrl"]

    sqs.send_message(QueueUrl=inflight_q, MessageBody="in flight")
    got = sqs.receive_message(QueueUrl=inflight_q, VisibilityTimeout=timer)["Messages"]
    hidden_since = time.monotonic()
    receipt = got[0]["ReceiptHandle"]
    sqs.send_message(QueueUrl=delayed_q, MessageBody="delayed", DelaySeconds=timer)
    delayed_since = time.monotonic()

    srv.stop()
    srv.start()
    sqs = srv.client("sqs")
    assert time.monotonic() - hidden_since < timer - 2, "restart too slow to observe the timers"

    # Both still hidden right after the restart...
    for url in (inflight_q, delayed_q):
        assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    attrs = sqs.get_queue_attributes(QueueUrl=inflight_q, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "1"
    attrs = sqs.get_queue_attributes(QueueUrl=delayed_q, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "1"
    # ...the receipt handle from before the restart still works...
    sqs.change_message_visibility(QueueUrl=inflight_q, ReceiptHandle=receipt, VisibilityTimeout=timer)
    hidden_since = time.monotonic()

    # ...and each shows up when its timer ends, not before (0.5 s for clock granularity).
    msg, at = _receive_within(sqs, inflight_q, timer + 10)
    assert msg is not None and msg["Body"] == "in flight"
    assert at - hidden_since >= timer - 0.5
    assert msg["Attributes"]["ApproximateReceiveCount"] == "2"
    msg, at = _receive_within(sqs, delayed_q, timer + 10)
    assert msg is not None and msg["Body"] == "delayed"
    assert at - delayed_since >= timer - 0.5


def test_sqs_in_flight_message_returns_after_kill_9(start_server):
    """The visibility deadline is a wall-clock time in the snapshot: it keeps running while the server is down."""
    srv = start_server(dict(PERSIST, SNAPSHOT_SAVE_STRATEGY="MANUAL"))
    sqs = srv.client("sqs")
    url = sqs.create_queue(QueueName="timer-kill")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="survivor")
    sqs.receive_message(QueueUrl=url, VisibilityTimeout=4)
    hidden_since = time.monotonic()
    assert "sqs" in requests.post(srv.endpoint_url + "/_localstack/state/save", timeout=30).json()["saved"]
    srv.kill()
    time.sleep(max(0.0, 5 - (time.monotonic() - hidden_since)))  # the timeout ends while the server is down
    srv.start()
    msg, _ = _receive_within(srv.client("sqs"), url, 5)
    assert msg is not None and msg["Body"] == "survivor"
    assert msg["Attributes"]["ApproximateReceiveCount"] == "2"


def test_s3_multipart_upload_completes_after_restarts(start_server):
    srv = start_server(PERSIST)
    s3 = srv.client("s3")
    s3.create_bucket(Bucket="mpu-persist")
    parts = [os.urandom(5 * 1024 * 1024), os.urandom(5 * 1024 * 1024 + 17), b"tail" * 1000]
    upload = s3.create_multipart_upload(Bucket="mpu-persist", Key="big.bin", ContentType="application/x-test",
                                        Metadata={"m": "1"})["UploadId"]
    etags = [s3.upload_part(Bucket="mpu-persist", Key="big.bin", UploadId=upload, PartNumber=1,
                            Body=parts[0])["ETag"]]
    # Part 2 is uploaded twice: the replaced part's bytes must not come back after the restarts.
    s3.upload_part(Bucket="mpu-persist", Key="big.bin", UploadId=upload, PartNumber=2, Body=os.urandom(5 * 1024 * 1024))
    etags.append(s3.upload_part(Bucket="mpu-persist", Key="big.bin", UploadId=upload, PartNumber=2,
                                Body=parts[1])["ETag"])

    srv.stop()  # clean stop: saved at shutdown
    srv.start()
    s3 = srv.client("s3")
    listed = s3.list_parts(Bucket="mpu-persist", Key="big.bin", UploadId=upload)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in listed] == \
        [(1, etags[0], len(parts[0])), (2, etags[1], len(parts[1]))]
    etags.append(s3.upload_part(Bucket="mpu-persist", Key="big.bin", UploadId=upload, PartNumber=3,
                                Body=parts[2])["ETag"])

    assert "s3" in requests.post(srv.endpoint_url + "/_localstack/state/save", timeout=30).json()["saved"]
    srv.kill()  # crash after a save: the third part, uploaded after the first restart, is in that save
    srv.start()
    s3 = srv.client("s3")
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket="mpu-persist").get("Uploads", [])] == [upload]
    done = s3.complete_multipart_upload(
        Bucket="mpu-persist", Key="big.bin", UploadId=upload,
        MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
    expected = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest() + "-3"
    assert done["ETag"] == f'"{expected}"'
    obj = s3.get_object(Bucket="mpu-persist", Key="big.bin")
    assert obj["ETag"] == f'"{expected}"'
    assert obj["ContentType"] == "application/x-test" and obj["Metadata"] == {"m": "1"}
    body = obj["Body"].read()
    assert hashlib.sha256(body).digest() == hashlib.sha256(b"".join(parts)).digest()
    assert s3.list_multipart_uploads(Bucket="mpu-persist").get("Uploads", []) == []


def test_fifo_group_lock_and_deduplication_window_survive_a_restart(start_server):
    srv = start_server(PERSIST)
    sqs = srv.client("sqs")
    url = sqs.create_queue(QueueName="timer.fifo", Attributes={"FifoQueue": "true",
                                                               "ContentBasedDeduplication": "true"})["QueueUrl"]
    ids = {body: sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group)["MessageId"]
           for body, group in (("a", "g"), ("b", "g"), ("c", "h"))}
    assert [m["Body"] for m in sqs.receive_message(QueueUrl=url, VisibilityTimeout=60)["Messages"]] == ["a"]
    srv.stop()
    srv.start()
    sqs = srv.client("sqs")
    # "a" is within its 5-minute deduplication window: accepted and dropped, with the same message id
    assert sqs.send_message(QueueUrl=url, MessageBody="a", MessageGroupId="g")["MessageId"] == ids["a"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60).get("Messages", [])
    assert [m["Body"] for m in got] == ["c"]  # group g stays locked while "a" is in flight
