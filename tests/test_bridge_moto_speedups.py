"""The bridge's moto speed-ups (python-services/polystack_bridge/moto_speedups.py) answer as moto's originals.

They run under GraalPy in the gateway; here they are checked under CPython against the functions they
replace, on moto's own SQS models (no server needed).
"""
import datetime
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("moto")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python-services"))

import moto.core.utils as moto_utils  # noqa: E402
from moto.sqs import models as sqs_models  # noqa: E402

ORIGINAL_UNIX_TIME = moto_utils.unix_time
ORIGINAL_RETENTION_CHECK = sqs_models.SQSBackend.is_message_valid_based_on_retention_period

from polystack_bridge import moto_speedups  # noqa: E402

moto_speedups.apply("sqs")


def test_unix_time_of_now_matches_moto_and_dates_are_unchanged():
    assert moto_utils.unix_time is not ORIGINAL_UNIX_TIME
    assert sqs_models.unix_time is moto_utils.unix_time  # the name moto's SQS imported is rebound too
    assert abs(moto_utils.unix_time() - ORIGINAL_UNIX_TIME()) < 0.05
    assert abs(sqs_models.unix_time_millis() - ORIGINAL_UNIX_TIME() * 1000) < 50
    day = datetime.datetime(2020, 1, 2, 3, 4, 5, 600000)
    assert moto_utils.unix_time(day) == ORIGINAL_UNIX_TIME(day) == 1577934245.6
    assert moto_utils.unix_time_millis(day) == 1577934245600.0


def test_retention_check_agrees_with_moto_for_fresh_and_expired_messages():
    backend = sqs_models.SQSBackend("us-east-1", "123456789012")
    backend.create_queue("short", MessageRetentionPeriod="60")
    fresh = backend.send_message("short", "fresh")
    expired = backend.send_message("short", "old")
    expired.sent_timestamp = int((time.time() - 61) * 1000)
    for message, valid in ((fresh, True), (expired, False)):
        assert backend.is_message_valid_based_on_retention_period("short", message) is valid
        assert ORIGINAL_RETENTION_CHECK(backend, "short", message) is valid
    got = backend.receive_message("short", 10, 0, 30)
    assert [m.body for m in got] == ["fresh"]
