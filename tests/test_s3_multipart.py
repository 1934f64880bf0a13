"""S3 multipart uploads as AWS answers them (recorded): ListMultipartUploads markers, prefixes and delimiters,
CompleteMultipartUpload with If-Match / If-None-Match, SSE-C on UploadPart, and UploadPartCopy's encryption and ranges."""
import base64
import hashlib
import os

import pytest

from helpers import error_of, unique

RANGE_FORM = ("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the "
              "zero-based offsets of the first and last bytes to copy")
CONFLICT = "The conditional request cannot succeed due to a conflicting operation against this resource."


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture
def bucket(s3):
    name = unique("mpu")
    s3.create_bucket(Bucket=name)
    yield name
    for u in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=u["Key"], UploadId=u["UploadId"])
    for o in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=o["Key"])
    s3.delete_bucket(Bucket=name)


def _markers(page):
    return {k: page.get(k) for k in ("KeyMarker", "UploadIdMarker", "NextKeyMarker", "NextUploadIdMarker", "IsTruncated")}


def test_list_multipart_uploads_markers(s3, bucket):
    empty = s3.list_multipart_uploads(Bucket=bucket)
    assert _markers(empty) == {"KeyMarker": "", "UploadIdMarker": "", "NextKeyMarker": "", "NextUploadIdMarker": "",
                               "IsTruncated": False}
    assert "Prefix" not in empty and "Uploads" not in empty
    ids = {}
    for key in ("key-3", "key-2", "key-1", "key-1", "key-1"):
        ids.setdefault(key, []).append(s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"])
    order = ids["key-1"] + ids["key-2"] + ids["key-3"]  # by key, then initiation
    everything = s3.list_multipart_uploads(Bucket=bucket)
    assert [u["UploadId"] for u in everything["Uploads"]] == order
    # the last upload listed is named even when nothing is truncated
    assert (everything["NextKeyMarker"], everything["NextUploadIdMarker"], everything["IsTruncated"]) == ("key-3", order[-1], False)
    first = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1)
    assert _markers(first) == {"KeyMarker": "", "UploadIdMarker": "", "NextKeyMarker": "key-1",
                               "NextUploadIdMarker": order[0], "IsTruncated": True}
    # a key marker alone skips every upload of that key
    after_key = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1, KeyMarker="key-1")
    assert [u["UploadId"] for u in after_key["Uploads"]] == [order[3]]
    both = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1, KeyMarker="key-1", UploadIdMarker=order[0])
    assert [u["UploadId"] for u in both["Uploads"]] == [order[1]] and both["NextUploadIdMarker"] == order[1]
    last = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1, KeyMarker="key-2", UploadIdMarker=order[3])
    assert [u["UploadId"] for u in last["Uploads"]] == [order[4]] and last["IsTruncated"] is False
    nothing = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1, KeyMarker="key-3")
    assert "Uploads" not in nothing and (nothing["NextKeyMarker"], nothing["NextUploadIdMarker"]) == ("", "")
    error, status = error_of(s3.list_multipart_uploads, Bucket=bucket, KeyMarker="key-1", UploadIdMarker=order[3])
    assert (error["Code"], error["Message"], error["ArgumentName"], status) == (
        "InvalidArgument", "Invalid uploadId marker", "upload-id-marker", 400)


def test_list_multipart_uploads_prefix_delimiter_and_marker(s3, bucket):
    for key in ("folder/aSubfolder/subFile1", "folder/aSubfolder/subFile2", "folder/file1", "folder/file2"):
        s3.create_multipart_upload(Bucket=bucket, Key=key)
    start = s3.list_multipart_uploads(Bucket=bucket, Prefix="folder/", Delimiter="/", MaxUploads=1)
    assert start["CommonPrefixes"] == [{"Prefix": "folder/aSubfolder/"}] and "Uploads" not in start
    # a page of common prefixes only gives no marker to go on from (as AWS answers)
    assert (start["IsTruncated"], start["NextKeyMarker"], start["NextUploadIdMarker"]) == (True, "", "")
    for marker in ("folder/aSubfolder/", "folder/aSubfolder/subFile1"):
        page = s3.list_multipart_uploads(Bucket=bucket, Prefix="folder/", Delimiter="/", MaxUploads=1, KeyMarker=marker)
        # the common prefix at or before the marker is not listed again
        assert "CommonPrefixes" not in page and [u["Key"] for u in page["Uploads"]] == ["folder/file1"]
        assert (page["KeyMarker"], page["NextKeyMarker"], page["IsTruncated"]) == (marker, "folder/file1", True)
    nested = s3.list_multipart_uploads(Bucket=bucket, Prefix="folder/aSubfolder", Delimiter="/", EncodingType="url")
    assert nested["CommonPrefixes"] == [{"Prefix": "folder/aSubfolder/"}] and nested["Prefix"] == "folder/aSubfolder"


def _upload(s3, bucket, key):
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=1, Body=b"test")
    return upload, [{"ETag": part["ETag"], "PartNumber": 1}]


def _complete(s3, bucket, key, upload, parts, **conditions):
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts}, **conditions)


def test_complete_if_none_match(s3, bucket):
    key = "precondition"
    s3.put_object(Bucket=bucket, Key=key, Body=b"")
    upload, parts = _upload(s3, bucket, key)
    error, status = error_of(_complete, s3, bucket, key, upload, parts, IfNoneMatch="*")
    assert (error["Code"], error["Condition"], status) == ("PreconditionFailed", "If-None-Match", 412)
    # the key changed (deleted) after the upload began: a conflict, though the condition now holds
    s3.delete_object(Bucket=bucket, Key=key)
    error, status = error_of(_complete, s3, bucket, key, upload, parts, IfNoneMatch="*")
    assert (error["Code"], error["Message"], error["Condition"], error["Key"], status) == (
        "ConditionalRequestConflict", CONFLICT, "If-None-Match", key, 409)
    upload, parts = _upload(s3, bucket, key)
    done = _complete(s3, bucket, key, upload, parts, IfNoneMatch="*")
    assert done["ETag"] == '"60cd54a928cbbcbb6e7b5595bab46a9e-1"' and done["ChecksumCRC64NVME"] == "+bu+zv66sUM="


def test_complete_if_match(s3, bucket):
    key = "precondition"
    first = s3.put_object(Bucket=bucket, Key=key, Body=b"test")["ETag"]
    upload, parts = _upload(s3, bucket, key)
    done = _complete(s3, bucket, key, upload, parts, IfMatch=first)
    assert done["ETag"] != first
    upload, parts = _upload(s3, bucket, key)
    error, status = error_of(_complete, s3, bucket, key, upload, parts, IfMatch=first)
    assert (error["Code"], error["Condition"], status) == ("PreconditionFailed", "If-Match", 412)
    # written again (same bytes) after the upload began: a conflict even with the current ETag
    again = s3.put_object(Bucket=bucket, Key=key, Body=b"test")["ETag"]
    error, status = error_of(_complete, s3, bucket, key, upload, parts, IfMatch=again)
    assert (error["Code"], error["Condition"], error["Key"], status) == ("ConditionalRequestConflict", "If-Match", key, 409)
    s3.delete_object(Bucket=bucket, Key=key)
    error, status = error_of(_complete, s3, bucket, key, upload, parts, IfMatch=again)
    assert (error["Code"], error["Key"], status) == ("NoSuchKey", key, 404)
    # the failed completions kept the upload: a fresh one over the current object succeeds
    assert s3.list_parts(Bucket=bucket, Key=key, UploadId=upload)["Parts"]
    current = s3.put_object(Bucket=bucket, Key=key, Body=b"test")["ETag"]
    upload, parts = _upload(s3, bucket, key)
    assert _complete(s3, bucket, key, upload, parts, IfMatch=current)["ETag"] == '"60cd54a928cbbcbb6e7b5595bab46a9e-1"'


def _customer_key():
    raw = os.urandom(32)
    return {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": base64.b64encode(raw).decode(),
            "SSECustomerKeyMD5": base64.b64encode(hashlib.md5(raw).digest()).decode()}


def test_sse_c_upload_parts(s3, bucket):
    key, other = _customer_key(), _customer_key()
    created = s3.create_multipart_upload(Bucket=bucket, Key="c", **key)
    assert created["SSECustomerKeyMD5"] == key["SSECustomerKeyMD5"] and "ServerSideEncryption" not in created
    upload = created["UploadId"]
    error, status = error_of(s3.upload_part, Bucket=bucket, Key="c", UploadId=upload, PartNumber=1, Body=b"abc")
    assert (error["Code"], error["Message"], status) == ("InvalidRequest", "The multipart upload initiate requested encryption. "
                                                         "Subsequent part requests must include the appropriate encryption parameters.", 400)
    error, _ = error_of(s3.upload_part, Bucket=bucket, Key="c", UploadId=upload, PartNumber=1, Body=b"abc", **other)
    assert error["Message"] == "The provided encryption parameters did not match the ones used originally."
    parts = [s3.upload_part(Bucket=bucket, Key="c", UploadId=upload, PartNumber=n, Body=b"a" * (5 * 1024 * 1024), **key)
             for n in (1, 2)]
    assert parts[0]["SSECustomerKeyMD5"] == key["SSECustomerKeyMD5"]
    # S3 does not reveal the MD5 of customer-encrypted bytes: the same bytes get different, non-MD5 ETags
    plain_md5 = '"' + hashlib.md5(b"a" * (5 * 1024 * 1024)).hexdigest() + '"'
    assert parts[0]["ETag"] != parts[1]["ETag"] and plain_md5 not in (parts[0]["ETag"], parts[1]["ETag"])
    done = s3.complete_multipart_upload(Bucket=bucket, Key="c", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": n, "ETag": p["ETag"]} for n, p in enumerate(parts, 1)]})
    # no default checksum for an SSE-C upload, and no encryption echoed by the completion (recorded)
    assert not [k for k in done if k.startswith("Checksum") or k.startswith("SSE") or k == "ServerSideEncryption"]
    error, status = error_of(s3.get_object, Bucket=bucket, Key="c")
    assert (error["Code"], status) == ("InvalidRequest", 400)
    got = s3.get_object(Bucket=bucket, Key="c", **key)
    assert got["ContentLength"] == 10 * 1024 * 1024 and got["SSECustomerKeyMD5"] == key["SSECustomerKeyMD5"]
    # an upload created without a customer key refuses parts that bring one
    plain = s3.create_multipart_upload(Bucket=bucket, Key="p")["UploadId"]
    error, _ = error_of(s3.upload_part, Bucket=bucket, Key="p", UploadId=plain, PartNumber=1, Body=b"abc", **key)
    assert error["Message"].startswith("The multipart upload initiate requested encryption.")


def test_upload_part_copy_encryption_and_ranges(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"0123456789")
    created = s3.create_multipart_upload(Bucket=bucket, Key="kms", ServerSideEncryption="aws:kms", BucketKeyEnabled=True)
    # the AWS managed aws/s3 key, named by its key ARN (not the alias)
    assert ":key/" in created["SSEKMSKeyId"]
    upload = created["UploadId"]
    copied = s3.upload_part_copy(Bucket=bucket, Key="kms", UploadId=upload, PartNumber=1,
                                 CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=0-8")
    assert (copied["ServerSideEncryption"], copied["SSEKMSKeyId"], copied["BucketKeyEnabled"]) == (
        "aws:kms", created["SSEKMSKeyId"], True)
    assert copied["CopyPartResult"]["ETag"] == '"22975d8a5ed1b91445f6c55ac121505b"'
    for bad in ("0-8", "bytes=1-0", "bytes=-1-", "bytes=0-1,3-4", "bytes=1-"):
        error, status = error_of(s3.upload_part_copy, Bucket=bucket, Key="kms", UploadId=upload, PartNumber=1,
                                 CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=bad)
        assert (error["Code"], error["Message"], error["ArgumentValue"], status) == ("InvalidArgument", RANGE_FORM, bad, 400)
    error, _ = error_of(s3.upload_part_copy, Bucket=bucket, Key="kms", UploadId=upload, PartNumber=1,
                        CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=0-100")
    assert (error["Code"], error["Message"]) == ("InvalidArgument", "Range specified is not valid for source object of size: 10")
    error, _ = error_of(s3.upload_part_copy, Bucket=bucket, Key="kms", UploadId=upload, PartNumber=1,
                        CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange="bytes=100-200")
    assert (error["Code"], error["Message"]) == ("InvalidRequest", "The specified copy range is invalid for the source object size")
    put = s3.put_object(Bucket=bucket, Key="kms-put", Body=b"x", ServerSideEncryption="aws:kms")
    assert put["SSEKMSKeyId"] == created["SSEKMSKeyId"]  # one aws/s3 key per account and region
