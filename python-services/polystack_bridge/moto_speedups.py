"""Cheaper equivalents of a few moto internals that are hot under GraalPy's interpreter.

What moto answers does not change; only how much work it does per request. Measured cause (see the
bridge notes): moto's SQS does work proportional to the queue's length for every message it sends or
receives (``Queue.attributes`` counts visible, delayed and in-flight messages on each access, and a
receive checks the retention period through ``get_queue_attributes``), and each message in those
counts asks ``unix_time()`` twice, which goes through ``datetime`` arithmetic. GraalPy runs
``datetime`` as pure Python in its interpreter, so one ``unix_time()`` costs about a millisecond of
CPU there (microseconds in CPython): with 150 messages queued, one ReceiveMessage of 10 took seconds
of CPU while every other request of the service waited for the interpreter.
"""
import os
import sys
import time
import warnings

_applied = set()


def apply(service):
    """Applies the speed-ups that concern ``service`` (once each); moto's models must be imported.
    ``POLYSTACK_MOTO_SPEEDUPS=0`` leaves moto as it is (to measure the difference, or if a moto release
    changes the internals patched here)."""
    if os.environ.get("POLYSTACK_MOTO_SPEEDUPS", "1") == "0":
        return
    _once("core", _core)
    if service == "sqs":
        _once("sqs", _sqs)


def _once(name, patch):
    if name in _applied:
        return
    _applied.add(name)
    try:
        patch()
    except (ImportError, AttributeError) as missing:  # another moto version: run it unpatched, just slower
        warnings.warn(f"moto speed-up '{name}' not applied: {missing!r}", RuntimeWarning)


def _core():
    """``unix_time()`` of now is ``time.time()``: same value (seconds since the epoch, UTC), no datetime."""
    import moto.core.utils as utils

    original = utils.unix_time

    def unix_time(dt=None):
        return time.time() if dt is None else original(dt)

    def unix_time_millis(dt=None):
        return unix_time(dt) * 1000.0

    _replace(utils, "unix_time", unix_time)
    _replace(utils, "unix_time_millis", unix_time_millis)


def _replace(module, name, replacement):
    """Rebinds ``module.name`` and every ``from module import name`` already done in moto."""
    original = getattr(module, name)
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith("moto") and getattr(loaded, name, None) is original:
            setattr(loaded, name, replacement)


def _sqs():
    """The retention check of each received message reads the queue's setting, not all its attributes
    (moto's version builds the full attribute map, three passes over the queue's messages, per message)."""
    from moto.sqs.models import SQSBackend

    original = SQSBackend.is_message_valid_based_on_retention_period

    def is_message_valid_based_on_retention_period(self, queue_name, message):
        retention_period = getattr(self.get_queue(queue_name), "message_retention_period", None)
        if retention_period is None:
            return original(self, queue_name, message)
        return int(retention_period) + message.sent_timestamp / 1000 > time.time()

    SQSBackend.is_message_valid_based_on_retention_period = is_message_valid_based_on_retention_period
