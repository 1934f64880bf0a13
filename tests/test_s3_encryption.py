"""S3 server-side encryption as AWS enforces and reports it: SSE-C (an object written with a customer key is read,
headed and copied only with it), SSE-KMS keys checked in the KMS provider and named by their full ARN."""
import base64
import hashlib
import os

import pytest
from botocore.config import Config

from helpers import error_of, unique

ARG = "x-amz-server-side-encryption"


@pytest.fixture(scope="module")
def s3(aws_client):
    return aws_client("s3")


@pytest.fixture(scope="module")
def s3_unvalidated(aws_client):
    return aws_client("s3", config=Config(parameter_validation=False))


@pytest.fixture
def bucket(s3):
    name = unique("enc")
    s3.create_bucket(Bucket=name)
    yield name
    for v in s3.list_objects_v2(Bucket=name).get("Contents", []):
        s3.delete_object(Bucket=name, Key=v["Key"])
    s3.delete_bucket(Bucket=name)


def _key():
    raw = os.urandom(32)
    return raw, base64.b64encode(hashlib.md5(raw).digest()).decode()


def _err(call, **kwargs):
    error, status = error_of(call, **kwargs)
    return {k: v for k, v in error.items() if k not in ("RequestId", "HostId")}, status


def test_sse_c_is_enforced_on_read_head_and_copy(s3, bucket):
    key, md5 = _key()
    other, _ = _key()
    put = s3.put_object(Bucket=bucket, Key="c", Body=b"secret", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert put["SSECustomerAlgorithm"] == "AES256" and put["SSECustomerKeyMD5"] == md5
    assert "ServerSideEncryption" not in put
    got = s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert got["Body"].read() == b"secret" and got["SSECustomerKeyMD5"] == md5
    assert s3.head_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=key)["SSECustomerKeyMD5"] == md5
    missing = ({"Code": "InvalidRequest", "Message": "The object was stored using a form of Server Side Encryption. "
                "The correct parameters must be provided to retrieve the object."}, 400)
    assert _err(s3.get_object, Bucket=bucket, Key="c") == missing
    assert _err(s3.get_object, Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=other) == (
        {"Code": "AccessDenied", "Message": "Requests specifying Server Side Encryption with Customer provided keys must "
         "provide the correct secret key."}, 403)
    assert error_of(s3.head_object, Bucket=bucket, Key="c")[1] == 400
    assert error_of(s3.head_object, Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=other)[1] == 403
    # copies need the source's key; the target is the bucket default unless it brings a key of its own
    assert _err(s3.copy_object, Bucket=bucket, Key="d", CopySource={"Bucket": bucket, "Key": "c"}) == missing
    plain = s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": bucket, "Key": "c"},
                           CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=key)
    assert plain["ServerSideEncryption"] == "AES256" and "SSECustomerKeyMD5" not in plain
    assert s3.get_object(Bucket=bucket, Key="d")["Body"].read() == b"secret"
    copied = s3.copy_object(Bucket=bucket, Key="e", CopySource={"Bucket": bucket, "Key": "c"},
                            CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=key,
                            SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert copied["SSECustomerKeyMD5"] == md5
    assert _err(s3.get_object, Bucket=bucket, Key="e") == missing


def test_sse_c_validation(s3_unvalidated, bucket):
    key, md5 = _key()
    b64 = base64.b64encode(key).decode()

    def put(**kwargs):
        return _err(s3_unvalidated.put_object, Bucket=bucket, Key="v", Body=b"x", **kwargs)

    assert put(SSECustomerAlgorithm="AES256", SSECustomerKey=b64, SSECustomerKeyMD5=md5, ServerSideEncryption="AES256") == (
        {"Code": "InvalidArgument", "Message": "Server Side Encryption with Customer provided key is incompatible with the "
         "encryption method specified", "ArgumentName": ARG, "ArgumentValue": "AES256"}, 400)
    assert put(SSECustomerAlgorithm="KMS", SSECustomerKey=b64, SSECustomerKeyMD5=md5) == (
        {"Code": "InvalidEncryptionAlgorithmError", "Message": "The Encryption request you specified is not valid. Supported "
         "value: AES256.", "ArgumentName": ARG, "ArgumentValue": "KMS"}, 400)
    assert put(SSECustomerKey=b64, SSECustomerKeyMD5=md5)[0]["Message"] == \
        "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm."
    assert put(SSECustomerAlgorithm="AES256")[0]["Message"] == \
        "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key."
    short = base64.b64encode(key[:16]).decode()
    assert put(SSECustomerAlgorithm="AES256", SSECustomerKey=short, SSECustomerKeyMD5=md5)[0]["Message"] == \
        "The secret key was invalid for the specified algorithm."
    assert put(SSECustomerAlgorithm="AES256", SSECustomerKey=b64, SSECustomerKeyMD5=base64.b64encode(b"x" * 16).decode())[0][
        "Message"] == "The calculated MD5 hash of the key did not match the hash that was provided."


def test_sse_kms_keys_come_from_kms(s3, aws_client, bucket):
    kms = aws_client("kms")
    key = kms.create_key(Description="s3 test")["KeyMetadata"]
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"],
                        BucketKeyEnabled=True)
    assert put["SSEKMSKeyId"] == key["Arn"] and put["BucketKeyEnabled"] is True
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["SSEKMSKeyId"] == key["Arn"] and head["ServerSideEncryption"] == "aws:kms" and head["BucketKeyEnabled"] is True
    copied = s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "k"})
    assert copied["SSEKMSKeyId"] == key["Arn"] and copied["BucketKeyEnabled"] is True
    # an in-place copy that only changes the encryption is allowed
    in_place = s3.copy_object(Bucket=bucket, Key="k", CopySource={"Bucket": bucket, "Key": "k"}, ServerSideEncryption="AES256")
    assert in_place["ServerSideEncryption"] == "AES256" and "SSEKMSKeyId" not in in_place
    error, status = error_of(s3.put_object, Bucket=bucket, Key="bad", Body=b"x", ServerSideEncryption="aws:kms",
                             SSEKMSKeyId="fake-key-id")
    assert (error["Code"], error["Message"], status) == ("KMS.NotFoundException", "Invalid keyId 'fake-key-id'", 400)
    missing = "134f2428-cec1-4b25-a1ae-9048164dba47"
    account = key["Arn"].split(":")[4]
    error, _ = error_of(s3.put_object, Bucket=bucket, Key="bad", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=missing)
    assert error["Message"] == f"Key 'arn:aws:kms:us-east-1:{account}:key/{missing}' does not exist"
    error, _ = error_of(s3.put_object, Bucket=bucket, Key="bad", Body=b"x", ServerSideEncryption="aws:kms",
                        SSEKMSKeyId=f"arn:aws:kms:eu-west-1:{account}:key/{missing}")
    assert error["Message"] == "Invalid arn eu-west-1"
    error, _ = error_of(s3.create_multipart_upload, Bucket=bucket, Key="bad", ServerSideEncryption="aws:kms",
                        SSEKMSKeyId="fake-key-id")
    assert error["Code"] == "KMS.NotFoundException"
    error, _ = error_of(s3.copy_object, Bucket=bucket, Key="bad", CopySource={"Bucket": bucket, "Key": "copy"},
                        ServerSideEncryption="aws:kms", SSEKMSKeyId="fake-key-id")
    assert error["Code"] == "KMS.NotFoundException"
