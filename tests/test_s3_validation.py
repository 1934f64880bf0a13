"""Validation S3 does, with AWS's recorded codes, messages and statuses: ACLs, request payment, lifecycle and
replication configurations, deletes of versions that do not exist, and version ids on delete markers."""
import datetime

import pytest
from botocore.config import Config

from helpers import error_of, unique

MALFORMED = "The XML you provided was not well-formed or did not validate against our published schema"


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture(scope="module")
def s3_unvalidated(aws_client):
    return aws_client("s3", config=Config(parameter_validation=False))


def _cleanup(s3, name):
    versions = s3.list_object_versions(Bucket=name)
    for v in versions.get("Versions", []) + versions.get("DeleteMarkers", []):
        s3.delete_object(Bucket=name, Key=v["Key"], VersionId=v["VersionId"])
    s3.delete_bucket(Bucket=name)


@pytest.fixture
def bucket(s3):
    name = unique("val")
    s3.create_bucket(Bucket=name)
    yield name
    _cleanup(s3, name)


@pytest.fixture
def versioned(s3):
    name = unique("valv")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    yield name
    _cleanup(s3, name)


def _err(call, **kwargs):
    error, status = error_of(call, **kwargs)
    return {k: v for k, v in error.items() if k not in ("RequestId", "HostId")}, status


def test_acl_validation(s3, bucket):
    owner = s3.list_buckets()["Owner"]
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    for call, extra in ((s3.put_bucket_acl, {}), (s3.put_object_acl, {"Key": "k"})):
        assert _err(call, Bucket=bucket, GrantWrite='id="wrong-id"', **extra) == (
            {"Code": "InvalidArgument", "Message": "Invalid id", "ArgumentName": "id", "ArgumentValue": "wrong-id"}, 400)
        assert _err(call, Bucket=bucket, GrantWrite='uri="http://acs.amazonaws.com/groups/s3/FakeGroup"', **extra)[0]["ArgumentName"] == "uri"
        grant = {"Grantee": {"URI": "http://acs.amazonaws.com/groups/s3/LogDelivery", "Type": "Group"}, "Permission": "WRITE"}
        assert _err(call, Bucket=bucket, AccessControlPolicy={"Grants": [grant]}, **extra) == (
            {"Code": "MalformedACLError", "Message": MALFORMED}, 400)  # no Owner
        bad_permission = dict(grant, Permission="WRONG-PERMISSION")
        assert _err(call, Bucket=bucket, AccessControlPolicy={"Owner": owner, "Grants": [bad_permission]}, **extra)[0]["Code"] == \
            "MalformedACLError"
        assert _err(call, Bucket=bucket, AccessControlPolicy={"Owner": {"ID": "wrong-id"}, "Grants": [grant]}, **extra) == (
            {"Code": "InvalidArgument", "Message": "Invalid id", "ArgumentName": "CanonicalUser/ID", "ArgumentValue": "wrong-id"}, 400)
        fake = {"Grantee": {"URI": "http://acs.amazonaws.com/groups/s3/FakeGroup", "Type": "Group"}, "Permission": "WRITE"}
        assert _err(call, Bucket=bucket, AccessControlPolicy={"Owner": owner, "Grants": [fake]}, **extra)[0]["ArgumentName"] == \
            "Group/URI"
        user = {"Grantee": {"ID": "wrong-id", "Type": "CanonicalUser"}, "Permission": "WRITE"}
        assert _err(call, Bucket=bucket, AccessControlPolicy={"Owner": owner, "Grants": [user]}, **extra)[0]["ArgumentName"] == \
            "CanonicalUser/ID"
        valid = {"Owner": owner, "Grants": [{"Grantee": {"ID": owner["ID"], "Type": "CanonicalUser"}, "Permission": "FULL_CONTROL"}]}
        assert _err(call, Bucket=bucket, ACL="private", AccessControlPolicy=valid, **extra) == (
            {"Code": "UnexpectedContent", "Message": "This request does not support content"}, 400)
        assert _err(call, Bucket=bucket, ACL="private", GrantRead='uri="http://acs.amazonaws.com/groups/s3/LogDelivery"', **extra) == (
            {"Code": "InvalidRequest", "Message": "Specifying both Canned ACLs and Header Grants is not allowed"}, 400)
        call(Bucket=bucket, AccessControlPolicy=valid, **extra)


def test_request_payment_payer(s3_unvalidated, bucket):
    assert _err(s3_unvalidated.put_bucket_request_payment, Bucket=bucket,
                RequestPaymentConfiguration={"Payer": "Random"}) == ({"Code": "MalformedXML", "Message": MALFORMED}, 400)
    s3_unvalidated.put_bucket_request_payment(Bucket=bucket, RequestPaymentConfiguration={"Payer": "Requester"})
    assert s3_unvalidated.get_bucket_request_payment(Bucket=bucket)["Payer"] == "Requester"


def test_lifecycle_validation(s3, bucket):
    def put(rule):
        return _err(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={"Rules": [rule]})

    malformed = ({"Code": "MalformedXML", "Message": MALFORMED}, 400)
    assert put({"Expiration": {"Days": 7}, "Status": "Enabled"}) == malformed  # neither Filter nor Prefix
    assert put({"Expiration": {"Days": 7}, "ID": "r", "Status": "Enabled"}) == malformed
    assert put({"Expiration": {"Days": 7}, "Filter": {}, "ID": "r", "Status": "Enabled", "NoncurrentVersionExpiration": {}}) == malformed
    assert put({"Expiration": {"Days": 7}, "Filter": {"And": {"Prefix": "t"}, "Prefix": ""}, "ID": "r", "Status": "Enabled"}) == malformed
    assert put({"Expiration": {"Days": 7}, "Filter": {"ObjectSizeGreaterThan": 500, "Prefix": ""}, "ID": "r",
                "Status": "Enabled"}) == malformed
    assert put({"Expiration": {"Days": 1, "ExpiredObjectDeleteMarker": True}, "Filter": {}, "ID": "r", "Status": "Enabled"}) == malformed
    error, status = put({"Expiration": {"Date": datetime.datetime(2023, 1, 1, 2, 2)}, "ID": "d", "Filter": {}, "Status": "Enabled"})
    assert (error["Code"], error["Message"], error["ArgumentName"], status) == (
        "InvalidArgument", "'Date' must be at midnight GMT", "Date", 400)
    tags = [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    assert put({"ID": "t", "Filter": {"And": {"Tags": tags}}, "Status": "Enabled", "Expiration": {"Days": 1}}) == (
        {"Code": "InvalidRequest", "Message": "Duplicate Tag Keys are not allowed."}, 400)
    error, _ = put({"ID": "tr", "Filter": {}, "Status": "Enabled", "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}]})
    assert error["Message"] == "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'"
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "ok", "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 7},
         "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}]}]})
    s3.delete_bucket_lifecycle(Bucket=bucket)


def test_replication_validation(s3, bucket, versioned):
    rule = {"ID": "id", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "Tax"},
            "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": f"arn:aws:s3:::{bucket}"}}
    assert _err(s3.put_bucket_replication, Bucket=bucket, ReplicationConfiguration={"Role": "role", "Rules": [rule]}) == (
        {"Code": "InvalidRequest", "Message": "Versioning must be 'Enabled' on the bucket to apply a replication configuration"}, 400)
    assert _err(s3.put_bucket_replication, Bucket=versioned, ReplicationConfiguration={"Role": "role", "Rules": [rule]}) == (
        {"Code": "InvalidRequest", "Message": "Destination bucket must have versioning enabled."}, 400)
    missing = dict(rule, Destination={"Bucket": f"arn:aws:s3:::{unique('nobucket')}"})
    assert _err(s3.put_bucket_replication, Bucket=versioned, ReplicationConfiguration={"Role": "role", "Rules": [missing]})[0][
        "Message"] == "Destination bucket must have versioning enabled."
    assert _err(s3.put_bucket_replication, Bucket=versioned, ReplicationConfiguration={"Role": "role", "Rules": []}) == (
        {"Code": "MalformedXML", "Message": MALFORMED}, 400)
    to_self = dict(rule, Destination={"Bucket": f"arn:aws:s3:::{versioned}"})
    s3.put_bucket_replication(Bucket=versioned, ReplicationConfiguration={"Role": "role", "Rules": [to_self]})
    assert s3.get_bucket_replication(Bucket=versioned)["ReplicationConfiguration"]["Rules"][0]["ID"] == "id"
    s3.delete_bucket_replication(Bucket=versioned)


def test_deletes_of_versions_that_do_not_exist(s3, bucket, versioned):
    unknown = "HPniJFCxqTsMuIH9KX8K8wEjNUgmABCD"
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert _err(s3.delete_object, Bucket=bucket, Key="k", VersionId=unknown) == (
        {"Code": "InvalidArgument", "Message": "Invalid version id specified", "ArgumentName": "versionId",
         "ArgumentValue": unknown}, 400)
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k", "VersionId": unknown}]})
    assert result["Errors"] == [{"Key": "k", "VersionId": unknown, "Code": "NoSuchVersion",
                                 "Message": "The specified version does not exist."}]
    assert "Deleted" not in result
    v1 = s3.put_object(Bucket=versioned, Key="k", Body=b"x")["VersionId"]
    result = s3.delete_objects(Bucket=versioned, Delete={"Objects": [{"Key": "k", "VersionId": unknown},
                                                                     {"Key": "other", "VersionId": unknown}]})
    assert [(e["Key"], e["Code"]) for e in result["Errors"]] == [("k", "NoSuchVersion"), ("other", "NoSuchVersion")]
    assert _err(s3.delete_object, Bucket=versioned, Key="k", VersionId="bad")[0]["Message"] == "Invalid version id specified"
    assert s3.delete_objects(Bucket=versioned, Delete={"Objects": [{"Key": "k", "VersionId": v1}]})["Deleted"] == [
        {"Key": "k", "VersionId": v1}]


def test_operations_on_a_delete_marker(s3, versioned, endpoint_url):
    import requests
    s3.put_object(Bucket=versioned, Key="k", Body=b"x")
    marker = s3.delete_object(Bucket=versioned, Key="k")["VersionId"]
    error, status = error_of(s3.put_object_acl, Bucket=versioned, Key="k", ACL="private")
    assert (error["Code"], error["Method"], error["ResourceType"], status) == ("MethodNotAllowed", "PUT", "DeleteMarker", 405)
    error, status = error_of(s3.get_object_acl, Bucket=versioned, Key="k")
    assert (error["Code"], status) == ("NoSuchKey", 404)
    error, status = error_of(s3.get_object_acl, Bucket=versioned, Key="k", VersionId=marker)
    assert (error["Code"], error["Method"], status) == ("MethodNotAllowed", "GET", 405)
    response = requests.get(f"{endpoint_url}/{versioned}/k?versionId={marker}")
    assert response.status_code == 405
    assert response.headers["x-amz-delete-marker"] == "true" and response.headers["x-amz-version-id"] == marker
    assert "Last-Modified" in response.headers
    response = requests.get(f"{endpoint_url}/{versioned}/k")
    assert response.status_code == 404 and response.headers["x-amz-delete-marker"] == "true"
    assert response.headers["x-amz-version-id"] == marker


def test_upload_part_checksum_must_match_the_body(s3, bucket):
    import base64
    import zlib
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    try:
        wrong = base64.b64encode(zlib.crc32(b"other").to_bytes(4, "big")).decode()
        error, status = error_of(s3.upload_part, Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"data",
                                 ChecksumCRC32=wrong)
        assert (error["Code"], error["Message"], status) == (
            "BadDigest", "The CRC32 you specified did not match the calculated checksum.", 400)
        error, status = error_of(s3.upload_part, Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"data",
                                 ChecksumCRC32="not-base64")
        assert (error["Code"], error["Message"], status) == ("InvalidRequest", "Value for x-amz-checksum-crc32 header is invalid.", 400)
        right = base64.b64encode(zlib.crc32(b"data").to_bytes(4, "big")).decode()
        assert s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"data", ChecksumCRC32=right)["ETag"]
        assert [p["PartNumber"] for p in s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload)["Parts"]] == [1]
    finally:
        s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload)


def test_object_tagging_on_a_delete_marker_is_405_even_as_latest(s3, versioned):
    s3.put_object(Bucket=versioned, Key="t", Body=b"x", Tagging="a=b")
    marker = s3.delete_object(Bucket=versioned, Key="t")["VersionId"]
    for version in ({}, {"VersionId": marker}):  # AWS answers the latest delete marker as it answers it by id
        for call, method in ((s3.get_object_tagging, "GET"), (s3.delete_object_tagging, "DELETE")):
            error, status = error_of(call, Bucket=versioned, Key="t", **version)
            assert (error["Code"], error["Method"], error["ResourceType"], status) == (
                "MethodNotAllowed", method, "DeleteMarker", 405)
        error, status = error_of(s3.put_object_tagging, Bucket=versioned, Key="t", Tagging={"TagSet": []}, **version)
        assert (error["Code"], error["Method"], status) == ("MethodNotAllowed", "PUT", 405)
    # the version under the marker keeps its tags
    versions = s3.list_object_versions(Bucket=versioned, Prefix="t")["Versions"]
    tags = s3.get_object_tagging(Bucket=versioned, Key="t", VersionId=versions[0]["VersionId"])["TagSet"]
    assert tags == [{"Key": "a", "Value": "b"}]


def test_listing_tokens_and_start_after(s3, bucket):
    for i in range(12):
        s3.put_object(Bucket=bucket, Key=f"test_{i}", Body=b"x")
    first = s3.list_objects_v2(Bucket=bucket, MaxKeys=5)
    token = first["NextContinuationToken"]
    # StartAfter is echoed only when no continuation token supersedes it
    page = s3.list_objects_v2(Bucket=bucket, StartAfter="test_7", MaxKeys=2)
    assert page["StartAfter"] == "test_7" and [c["Key"] for c in page["Contents"]] == ["test_8", "test_9"]
    page = s3.list_objects_v2(Bucket=bucket, StartAfter="test_7", ContinuationToken=token)
    assert "StartAfter" not in page and page["ContinuationToken"] == token and page["KeyCount"] == 7
    error, status = _err(s3.list_objects_v2, Bucket=bucket, ContinuationToken="")
    assert (error, status) == ({"Code": "InvalidArgument", "Message": "The continuation token provided is incorrect",
                                "ArgumentName": "continuation-token"}, 400)
    # ListBuckets takes an empty token as none
    listed = s3.list_buckets(ContinuationToken="", MaxBuckets=1)
    assert len(listed["Buckets"]) == 1


def test_empty_numeric_query_parameters_are_ignored(s3_unvalidated, bucket):
    s3 = s3_unvalidated
    upload = s3.create_multipart_upload(Bucket=bucket, Key="e")["UploadId"]
    try:
        s3.upload_part(Bucket=bucket, Key="e", UploadId=upload, PartNumber=1, Body=b"data")
        for params in ({"PartNumberMarker": ""}, {"MaxParts": ""}):
            parts = s3.list_parts(Bucket=bucket, Key="e", UploadId=upload, **params)
            assert (parts["PartNumberMarker"], parts["MaxParts"], len(parts["Parts"])) == (0, 1000, 1)
    finally:
        s3.abort_multipart_upload(Bucket=bucket, Key="e", UploadId=upload)
