"""S3 Object Lock: buckets created with it, default retention, retention (GOVERNANCE with bypass, COMPLIANCE,
extend but not shorten), legal holds, and locked versions refused on delete, with AWS's recorded messages."""
import datetime

import pytest
from botocore.config import Config

from helpers import error_of, unique

LOCKED = ("AccessDenied", "Access Denied because object protected by object lock.", 403)
MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema"
NO_LOCK = ("NoSuchObjectLockConfiguration", "The specified object does not have a ObjectLock configuration", 404)
MISSING = ("InvalidRequest", "Bucket is missing Object Lock Configuration", 400)


def _later(**delta):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(**delta)


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture(scope="module")
def s3_unvalidated(aws_client):
    return aws_client("s3", config=Config(parameter_validation=False))


def _err(call, **kwargs):
    error, status = error_of(call, **kwargs)
    return error["Code"], error["Message"], status


@pytest.fixture
def locked_bucket(s3):
    name = unique("lock")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    yield name
    versions = s3.list_object_versions(Bucket=name)
    for v in versions.get("Versions", []) + versions.get("DeleteMarkers", []):
        try:
            s3.put_object_legal_hold(Bucket=name, Key=v["Key"], VersionId=v["VersionId"], LegalHold={"Status": "OFF"})
        except Exception:
            pass
        try:
            s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"], BypassGovernanceRetention=True)
        except Exception:
            pass  # COMPLIANCE versions stay until their date, as on AWS


@pytest.fixture
def plain_bucket(s3):
    name = unique("nolock")
    s3.create_bucket(Bucket=name)
    yield name
    for v in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=v["Key"])
    s3.delete_bucket(Bucket=name)


def test_retention_governance_bypass_and_extension(s3, locked_bucket):
    assert s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"] == {"ObjectLockEnabled": "Enabled"}
    v1 = s3.put_object(Bucket=locked_bucket, Key="k", Body=b"test")["VersionId"]
    assert _err(s3.get_object_retention, Bucket=locked_bucket, Key="k") == NO_LOCK
    until = _later(days=1).replace(microsecond=0)
    s3.put_object_retention(Bucket=locked_bucket, Key="k", Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
    assert s3.get_object_retention(Bucket=locked_bucket, Key="k")["Retention"] == {"Mode": "GOVERNANCE", "RetainUntilDate": until}
    head = s3.head_object(Bucket=locked_bucket, Key="k")
    assert head["ObjectLockMode"] == "GOVERNANCE" and head["ObjectLockRetainUntilDate"] == until
    assert _err(s3.delete_object, Bucket=locked_bucket, Key="k", VersionId=v1) == LOCKED
    # shortening needs the bypass; extending does not
    assert _err(s3.put_object_retention, Bucket=locked_bucket, Key="k",
                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": _later(hours=1)}) == LOCKED
    s3.put_object_retention(Bucket=locked_bucket, Key="k", Retention={"Mode": "GOVERNANCE", "RetainUntilDate": _later(days=2)})
    past = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    error, status = error_of(s3.put_object_retention, Bucket=locked_bucket, Key="k",
                             Retention={"Mode": "GOVERNANCE", "RetainUntilDate": past}, BypassGovernanceRetention=True)
    assert (error["Code"], error["Message"], error["ArgumentName"], status) == (
        "InvalidArgument", "The retain until date must be in the future!", "RetainUntilDate", 400)
    # a delete without a version id only adds a delete marker
    marker = s3.delete_object(Bucket=locked_bucket, Key="k")
    assert marker["DeleteMarker"] is True
    error, status = error_of(s3.put_object_retention, Bucket=locked_bucket, Key="k",
                             Retention={"Mode": "GOVERNANCE", "RetainUntilDate": _later(days=3)})
    assert (error["Code"], status) == ("NoSuchKey", 404)
    error, status = error_of(s3.get_object_retention, Bucket=locked_bucket, Key="k", VersionId=marker["VersionId"])
    assert (error["Code"], error["Method"], error["ResourceType"], status) == ("MethodNotAllowed", "GET", "DeleteMarker", 405)
    deleted = s3.delete_object(Bucket=locked_bucket, Key="k", VersionId=v1, BypassGovernanceRetention=True)
    assert deleted["VersionId"] == v1


def test_compliance_retention_cannot_be_shortened_or_bypassed(s3, locked_bucket):
    v1 = s3.put_object(Bucket=locked_bucket, Key="c", Body=b"test")["VersionId"]
    s3.put_object_retention(Bucket=locked_bucket, Key="c", Retention={"Mode": "COMPLIANCE", "RetainUntilDate": _later(seconds=5)})
    assert _err(s3.delete_object, Bucket=locked_bucket, Key="c", VersionId=v1, BypassGovernanceRetention=True) == LOCKED
    assert _err(s3.put_object_retention, Bucket=locked_bucket, Key="c", BypassGovernanceRetention=True,
                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": _later(days=1)}) == LOCKED
    assert _err(s3.put_object_retention, Bucket=locked_bucket, Key="c", BypassGovernanceRetention=True,
                Retention={"Mode": "COMPLIANCE", "RetainUntilDate": _later(seconds=1)}) == LOCKED


def test_legal_hold_and_delete_objects(s3, locked_bucket):
    v1 = s3.put_object(Bucket=locked_bucket, Key="h", Body=b"test")["VersionId"]
    assert _err(s3.get_object_legal_hold, Bucket=locked_bucket, Key="h") == NO_LOCK
    s3.put_object_legal_hold(Bucket=locked_bucket, Key="h", LegalHold={"Status": "ON"})
    assert s3.get_object_legal_hold(Bucket=locked_bucket, Key="h")["LegalHold"] == {"Status": "ON"}
    assert s3.head_object(Bucket=locked_bucket, Key="h")["ObjectLockLegalHoldStatus"] == "ON"
    assert _err(s3.delete_object, Bucket=locked_bucket, Key="h", VersionId=v1, BypassGovernanceRetention=True) == LOCKED
    result = s3.delete_objects(Bucket=locked_bucket, Delete={"Objects": [{"Key": "h", "VersionId": v1}]})
    assert result["Errors"] == [{"Key": "h", "VersionId": v1, "Code": LOCKED[0], "Message": LOCKED[1]}]
    s3.put_object_legal_hold(Bucket=locked_bucket, Key="h", LegalHold={"Status": "OFF"})
    assert s3.head_object(Bucket=locked_bucket, Key="h")["ObjectLockLegalHoldStatus"] == "OFF"
    assert s3.delete_object(Bucket=locked_bucket, Key="h", VersionId=v1)["VersionId"] == v1
    held = s3.put_object(Bucket=locked_bucket, Key="h2", Body=b"x", ObjectLockLegalHoldStatus="ON")["VersionId"]
    assert s3.head_object(Bucket=locked_bucket, Key="h2", VersionId=held)["ObjectLockLegalHoldStatus"] == "ON"


def test_default_retention_and_lock_headers(s3, s3_unvalidated, locked_bucket):
    s3.put_object_lock_configuration(Bucket=locked_bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
    config = s3.get_object_lock_configuration(Bucket=locked_bucket)["ObjectLockConfiguration"]
    assert config["Rule"]["DefaultRetention"] == {"Mode": "GOVERNANCE", "Days": 1}
    s3.put_object(Bucket=locked_bucket, Key="d", Body=b"x")
    head = s3.head_object(Bucket=locked_bucket, Key="d")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert abs((head["ObjectLockRetainUntilDate"] - _later(days=1)).total_seconds()) < 120
    error, status = error_of(s3_unvalidated.put_object, Bucket=locked_bucket, Key="e", Body=b"x", ObjectLockMode="GOVERNANCE")
    assert (error["Code"], error["ArgumentName"], status) == ("InvalidArgument", "x-amz-object-lock-retain-until-date", 400)
    assert error["Message"] == "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied"
    error, _ = error_of(s3_unvalidated.put_object, Bucket=locked_bucket, Key="e", Body=b"x", ObjectLockRetainUntilDate=_later(days=1))
    assert error["ArgumentName"] == "x-amz-object-lock-mode"
    error, _ = error_of(s3_unvalidated.put_object, Bucket=locked_bucket, Key="e", Body=b"x", ObjectLockMode="BAD-VALUE",
                        ObjectLockRetainUntilDate=_later(days=1))
    assert (error["Message"], error["ArgumentValue"]) == ("Unknown wormMode directive.", "BAD-VALUE")
    error, _ = error_of(s3_unvalidated.create_multipart_upload, Bucket=locked_bucket, Key="e", ObjectLockMode="BAD-VALUE",
                        ObjectLockRetainUntilDate=_later(days=1))
    assert error["Message"] == "Unknown wormMode directive."
    error, status = error_of(s3.put_bucket_versioning, Bucket=locked_bucket, VersioningConfiguration={"Status": "Suspended"})
    assert (error["Code"], status) == ("InvalidBucketState", 409)
    for bad in ({}, {"ObjectLockEnabled": "Enabled", "Rule": {}},
                {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {}}},
                {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE"}}},
                {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "BAD-VALUE", "Days": 1}}},
                {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}}):
        assert _err(s3_unvalidated.put_object_lock_configuration, Bucket=locked_bucket, ObjectLockConfiguration=bad) == \
            ("MalformedXML", MALFORMED, 400), bad


def test_buckets_without_object_lock(s3, plain_bucket):
    s3.put_object(Bucket=plain_bucket, Key="k", Body=b"x")
    error, status = error_of(s3.get_object_lock_configuration, Bucket=plain_bucket)
    assert (error["Code"], error["Message"], status) == (
        "ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", 404)
    assert _err(s3.put_object_retention, Bucket=plain_bucket, Key="k",
                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": _later(days=1)}) == MISSING
    assert _err(s3.get_object_retention, Bucket=plain_bucket, Key="k") == MISSING
    assert _err(s3.put_object_legal_hold, Bucket=plain_bucket, Key="k", LegalHold={"Status": "ON"}) == MISSING
    assert _err(s3.get_object_legal_hold, Bucket=plain_bucket, Key="k") == MISSING
    message = "x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets."
    for bypass in (True, False):
        error, status = error_of(s3.delete_object, Bucket=plain_bucket, Key="k", BypassGovernanceRetention=bypass)
        assert (error["Code"], error["Message"], error["ArgumentName"], status) == (
            "InvalidArgument", message, "x-amz-bypass-governance-retention", 400)
    error, _ = error_of(s3.delete_objects, Bucket=plain_bucket, Delete={"Objects": [{"Key": "k"}]}, BypassGovernanceRetention=True)
    assert error["Message"] == message
    error, status = error_of(s3.put_object_lock_configuration, Bucket=plain_bucket,
                             ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    assert (error["Code"], error["Message"], status) == (
        "InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409)
