"""A kill -9 at any moment leaves the last complete snapshot loadable (PERSISTENCE=1).

Over several rounds, client threads keep changing SQS, S3, KMS and SNS while the server is killed with
SIGKILL: at a random moment, or the instant a snapshot file starts changing on disk (a save in progress).
Before each kill a manual save confirms what was written so far. After each restart: the server starts,
no snapshot was found damaged, health reports persistence, every service answers, and everything
confirmed in this or an earlier round is there with its bytes.
"""
import glob
import hashlib
import os
import random
import threading
import time

import pytest
import requests
from botocore.config import Config

# One attempt, short timeouts: a writer whose server was just killed gives up at once.
ONE_SHOT = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=20)
HOT_KEYS = 3
HOT_SIZE = 32 * 1024


class Ledger:
    """What the writers were told succeeded, with when (monotonic); a save confirms what came before it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []  # (acknowledged at, kind, value)

    def add(self, kind, value):
        with self.lock:
            self.entries.append((time.monotonic(), kind, value))

    def before(self, moment):
        with self.lock:
            return [(kind, value) for at, kind, value in self.entries if at < moment]


def _writers(srv, round_no, ledger, stop):
    sqs, s3, kms, sns = (srv.client(s, config=ONE_SHOT) for s in ("sqs", "s3", "kms", "sns"))
    queue = sqs.create_queue(QueueName=f"crash-msgs-r{round_no}")["QueueUrl"]
    ledger.add("queue", queue)

    def run(step):
        n = 0
        while not stop.is_set():
            try:
                step(n)
            except Exception:  # the server was killed under us
                return
            n += 1

    def sqs_step(n):
        bodies = [f"r{round_no}-m{n}-{i}-" + "x" * 200 for i in range(10)]
        sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies)])
        for b in bodies:
            ledger.add("message", (round_no, b))
        if n % 10 == 0:
            ledger.add("queue", sqs.create_queue(QueueName=f"crash-q-r{round_no}-{n}")["QueueUrl"])

    def s3_step(n):
        key = f"r{round_no}/o{n}"
        body = os.urandom(2048)
        s3.put_object(Bucket="crash", Key=key, Body=body)
        ledger.add("object", (key, hashlib.md5(body).hexdigest()))
        hot = f"hot-{n % HOT_KEYS}"
        seq = round_no * 1_000_000 + n
        s3.put_object(Bucket="crash", Key=hot, Body=f"{seq:012d}".encode() + os.urandom(HOT_SIZE - 12))
        ledger.add("hot", (hot, seq))

    def kms_sns_step(n):
        if n % 2:
            ledger.add("key", kms.create_key(Description=f"crash r{round_no} {n}")["KeyMetadata"]["KeyId"])
        else:
            ledger.add("topic", sns.create_topic(Name=f"crash-r{round_no}-{n}")["TopicArn"])

    return [threading.Thread(target=run, args=(step,), daemon=True) for step in (sqs_step, s3_step, kms_sns_step)]


def _state_files(state_dir):
    out = {}
    for path in glob.glob(os.path.join(state_dir, "*")):
        try:
            st = os.stat(path)
            out[path] = (st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            pass
    return out


def _kill_when_a_save_starts(srv, state_dir, limit):
    """Kills the server the instant a file under state/ appears or changes (a save in progress), or after `limit` s."""
    before = _state_files(state_dir)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if _state_files(state_dir) != before:
            break
    srv.kill()


def _list_all(call, key, **kwargs):
    out = []
    while True:
        page = call(**kwargs)
        out += page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return out
        kwargs["NextToken"] = token


def _verify(srv, confirmed, fresh_round, ciphertext):
    """Everything confirmed is there; `fresh_round`'s messages (not yet checked) are received one by one."""
    state_dir = os.path.join(srv.data_dir, "state")
    assert not glob.glob(os.path.join(state_dir, "*.corrupt-*")), srv.log_tail()
    health = requests.get(srv.endpoint_url + "/_localstack/health", timeout=10).json()
    assert health["persistence"]["enabled"] is True

    sqs, s3, kms, sns, sts = (srv.client(s) for s in ("sqs", "s3", "kms", "sns", "sts"))
    assert sts.get_caller_identity()["Account"] == "000000000000"
    queues = set(_list_all(sqs.list_queues, "QueueUrls", MaxResults=1000))
    assert {v for k, v in confirmed if k == "queue"} <= queues

    messages = {}
    for kind, (round_no, body) in ((k, v) for k, v in confirmed if k == "message"):
        messages.setdefault(round_no, set()).add(body)
    for round_no, bodies in messages.items():
        url = sqs.get_queue_url(QueueName=f"crash-msgs-r{round_no}")["QueueUrl"]
        if round_no == fresh_round:
            received = set()
            while True:
                got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=900).get("Messages", [])
                if not got:
                    break
                received.update(m["Body"] for m in got)
            assert bodies <= received, f"{len(bodies - received)} confirmed messages of round {round_no} lost"
        else:  # received (in flight) at an earlier check: still counted
            attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
            assert int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"]) \
                >= len(bodies)

    listed = {o["Key"]: o["ETag"].strip('"') for o in
              _list_all_s3(s3, Bucket="crash")}
    for key, md5 in (v for k, v in confirmed if k == "object"):
        assert listed.get(key) == md5, key
        if key.startswith(f"r{fresh_round}/"):
            assert hashlib.md5(s3.get_object(Bucket="crash", Key=key)["Body"].read()).hexdigest() == md5
    newest_hot = {}
    for key, seq in (v for k, v in confirmed if k == "hot"):
        newest_hot[key] = max(seq, newest_hot.get(key, -1))
    for key, seq in newest_hot.items():
        obj = s3.get_object(Bucket="crash", Key=key)
        body = obj["Body"].read()
        assert len(body) == HOT_SIZE and hashlib.md5(body).hexdigest() == obj["ETag"].strip('"')
        assert int(body[:12]) >= seq, f"{key}: found write {int(body[:12])}, older than the confirmed {seq}"

    for key_id in (v for k, v in confirmed if k == "key"):
        assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
    assert kms.decrypt(CiphertextBlob=ciphertext)["Plaintext"] == b"before the crashes"
    topics = {t["TopicArn"] for t in _list_all(sns.list_topics, "Topics")}
    assert {v for k, v in confirmed if k == "topic"} <= topics
    # Every service has loaded its snapshot by now (they load on first use): none was found damaged.
    assert not glob.glob(os.path.join(state_dir, "*.corrupt-*")), srv.log_tail()


def _list_all_s3(s3, **kwargs):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(**kwargs):
        out += page.get("Contents", [])
    return out


@pytest.mark.parametrize("strategy,rounds", [("ON_REQUEST", 4), ("SCHEDULED", 3)])
def test_kill_9_during_writes_keeps_the_last_saved_state(start_server, strategy, rounds):
    env = {"PERSISTENCE": "1", "SNAPSHOT_SAVE_STRATEGY": strategy, "SNAPSHOT_FLUSH_INTERVAL": "1"}
    if strategy == "ON_REQUEST":
        env.pop("SNAPSHOT_SAVE_STRATEGY")  # the default
    srv = start_server(env)
    rng = random.Random(8)
    state_dir = os.path.join(srv.data_dir, "state")

    # Ballast: a few MB of SQS state, so that every save spends a while writing its file.
    sqs = srv.client("sqs")
    ballast = sqs.create_queue(QueueName="ballast")["QueueUrl"]
    for n in range(200):
        sqs.send_message_batch(QueueUrl=ballast, Entries=[{"Id": str(i), "MessageBody": f"{n}-{i}-" + "b" * 1000}
                                                          for i in range(10)])
    srv.client("s3").create_bucket(Bucket="crash")
    kms = srv.client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    ciphertext = kms.encrypt(KeyId=key, Plaintext=b"before the crashes")["CiphertextBlob"]
    confirmed = [("key", key), ("queue", ballast)]

    for round_no in range(rounds):
        ledger = Ledger()  # what this round's writers were told; only what a save confirmed outlives the round
        stop = threading.Event()
        threads = _writers(srv, round_no, ledger, stop)
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 1.0))
        moment = time.monotonic()
        r = requests.post(srv.endpoint_url + "/_localstack/state/save", timeout=30)
        assert r.status_code == 200 and {"sqs", "s3", "kms", "sns"} <= set(r.json()["saved"])
        confirmed += ledger.before(moment)
        if round_no % 2:
            time.sleep(rng.uniform(0.05, 1.5))  # a random moment
            srv.kill()
        else:
            _kill_when_a_save_starts(srv, state_dir, limit=3)
        stop.set()
        for t in threads:
            t.join(30)
        stale_temporaries = glob.glob(os.path.join(state_dir, "*.tmp"))

        # shown when the test fails: which kind of kill, and whether it caught a save half-written
        print(f"round {round_no}: {'random kill' if round_no % 2 else 'kill as a save started'}, "
              f"unfinished snapshot files: {stale_temporaries}")
        srv.start()
        _verify(srv, confirmed, round_no, ciphertext)
        assert not any(os.path.exists(p) for p in stale_temporaries), "temporary files of the killed save left behind"
