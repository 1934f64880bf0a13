"""The ready line and memory limits, through real clients against a real server.

- `Ready.` (what Testcontainers and scripts wait for) is printed only once the listener answers and the
  ready.d init hooks have run, so whatever they create exists when a client sees it.
- When state outgrows the heap, requests that add state get an AWS-shaped 503 ServiceUnavailable and the log
  says why; reads, receives and deletes still work, and once memory is freed writes are accepted again. The
  server never dies of OutOfMemoryError.
"""
import os
import stat
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import make_client
from helpers import unique


def _wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_ready_line_comes_after_the_ready_hooks_ran(start_server, tmp_path):
    out = tmp_path / "hook-done"
    ready_d = tmp_path / "init" / "ready.d"
    ready_d.mkdir(parents=True)
    hook = ready_d / "make-it.sh"
    # The hook needs the server answering (it calls it) and takes a while: the ready line must wait for both.
    hook.write_text(f'#!/bin/sh\ncurl -fs "$AWS_ENDPOINT_URL/_localstack/health" >/dev/null || exit 1\n'
                    f'sleep 1\necho done > {out}\n')
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    server = start_server({"POLYSTACK_INIT_DIR": str(tmp_path / "init")})
    ready = _wait_for(lambda: "Ready." in server.log_tail(), 60, "the ready line")
    assert ready
    assert out.read_text().strip() == "done", "Ready. was printed before the ready.d hook finished"
    line = next(l for l in server.log_tail().splitlines() if l.endswith("Ready."))
    assert server.endpoint_url in line


def test_state_outgrowing_the_heap_gets_503_not_a_dead_server(start_server):
    # A small heap that a few hundred 200 KiB messages fill.
    server = start_server({"POLYSTACK_XMX": "96m"})
    sqs = make_client(server.endpoint_url, "sqs", config=Config(retries={"max_attempts": 1}))
    queue = sqs.create_queue(QueueName=unique("full"))["QueueUrl"]
    body = "x" * (200 * 1024)
    refused = None
    for _ in range(2000):
        try:
            sqs.send_message(QueueUrl=queue, MessageBody=body)
        except ClientError as e:
            refused = e.response
            break
    assert refused is not None, "2000 messages of 200 KiB fit in a 96 MB heap?"
    assert refused["Error"]["Code"] == "ServiceUnavailable", refused
    assert refused["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert "POLYSTACK_XMX" in refused["Error"]["Message"]
    assert "running out of memory" in server.log_tail(200) or "ran out of memory" in server.log_tail(200)
    assert server.running

    # Reading and deleting still work, so a client can free memory; then writes are accepted again.
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1)["Messages"]
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=got[0]["ReceiptHandle"])
    sqs.delete_queue(QueueUrl=queue)

    def accepted_again():
        try:
            other = sqs.create_queue(QueueName=unique("after"))["QueueUrl"]
            sqs.send_message(QueueUrl=other, MessageBody="small")
            return True
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ServiceUnavailable", e.response
            return False
    _wait_for(accepted_again, 60, "writes accepted again after the queue was deleted")
    assert "memory again" in server.log_tail(200)
