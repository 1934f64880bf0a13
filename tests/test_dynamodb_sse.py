"""DynamoDB server-side encryption with KMS keys from the native KMS provider: the AWS managed key
alias/aws/dynamodb made on first use, customer managed keys checked (existence, state, spec) with the KMS errors
DynamoDB embeds, UpdateTable's answers while the key changes (as recorded from AWS)."""
import re

import pytest
from botocore.config import Config

from helpers import error_of, unique

NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})
SDK_TAIL = r" \(Service: AWSKMS; Status Code: 400; Error Code: {code}; Request ID: [0-9a-f-]{{36}}; Proxy: null\)"


@pytest.fixture(scope="module")
def ddb(aws_client):
    return aws_client("dynamodb", config=NO_RETRY)


@pytest.fixture(scope="module")
def kms(aws_client):
    return aws_client("kms", config=NO_RETRY)


def create(ddb, **kwargs):
    name = kwargs.pop("TableName", None) or unique("sse")
    out = ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                           AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], **kwargs)
    return name, out["TableDescription"]


def test_aws_managed_key_from_kms(ddb, kms):
    name, created = create(ddb, SSESpecification={"Enabled": True})
    sse = created["SSEDescription"]
    assert set(sse) == {"Status", "SSEType", "KMSMasterKeyArn"} and (sse["Status"], sse["SSEType"]) == ("ENABLED", "KMS")
    key = kms.describe_key(KeyId=sse["KMSMasterKeyArn"])["KeyMetadata"]
    assert (key["KeyManager"], key["KeyState"], key["Arn"]) == ("AWS", "Enabled", sse["KMSMasterKeyArn"])
    assert kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["KeyId"] == key["KeyId"]
    assert ddb.describe_table(TableName=name)["Table"]["SSEDescription"] == sse
    # An UpdateTable that leaves SSE alone keeps the description (recorded).
    ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
    assert ddb.describe_table(TableName=name)["Table"]["SSEDescription"] == sse
    # Back to the AWS owned key: the answer shows the old key UPDATING (recorded), then no description.
    out = ddb.update_table(TableName=name, SSESpecification={"Enabled": False})["TableDescription"]
    assert out["SSEDescription"] == {**sse, "Status": "UPDATING"}
    assert "SSEDescription" not in ddb.describe_table(TableName=name)["Table"]
    _, plain = create(ddb)
    assert "SSEDescription" not in plain


def test_customer_managed_key(ddb, kms):
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName=f"alias/{unique('ddb')}", TargetKeyId=key["KeyId"])
    name, created = create(ddb, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key["KeyId"]})
    assert created["SSEDescription"] == {"Status": "ENABLED", "SSEType": "KMS", "KMSMasterKeyArn": key["Arn"]}
    other = kms.create_key()["KeyMetadata"]
    out = ddb.update_table(TableName=name, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": other["Arn"]})
    assert out["TableDescription"]["SSEDescription"] == {"Status": "UPDATING", "SSEType": "KMS", "KMSMasterKeyArn": other["Arn"]}
    assert out["TableDescription"]["TableStatus"] == "ACTIVE"
    assert ddb.describe_table(TableName=name)["Table"]["SSEDescription"]["KMSMasterKeyArn"] == other["Arn"]


def test_unusable_keys_refused_and_nothing_created(ddb, kms):
    missing = "11111111-2222-3333-4444-555555555555"
    name = unique("sse")
    err, status = error_of(create, ddb, TableName=name, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": missing})
    assert (err["Code"], status) == ("ValidationException", 400)
    assert re.fullmatch(r"KMS validation error: com\.amazonaws\.services\.kms\.model\.NotFoundException: Key "
                        rf"'arn:aws:kms:us-east-1:000000000000:key/{missing}' does not exist" + SDK_TAIL.format(code="NotFoundException"),
                        err["Message"]), err["Message"]
    assert error_of(ddb.describe_table, TableName=name)[0]["Code"] == "ResourceNotFoundException"

    err, _ = error_of(create, ddb, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/not-there"})
    assert re.fullmatch(r"KMS validation error: com\.amazonaws\.services\.kms\.model\.NotFoundException: Alias "
                        r"arn:aws:kms:us-east-1:000000000000:alias/not-there is not found\." + SDK_TAIL.format(code="NotFoundException"),
                        err["Message"]), err["Message"]

    disabled = kms.create_key()["KeyMetadata"]
    kms.disable_key(KeyId=disabled["KeyId"])
    err, _ = error_of(create, ddb, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": disabled["KeyId"]})
    assert err["Code"] == "ValidationException"
    assert re.fullmatch(r"KMS key disabled error: com\.amazonaws\.services\.kms\.model\.DisabledException: "
                        + re.escape(disabled["Arn"]) + r" is disabled\." + SDK_TAIL.format(code="DisabledException"), err["Message"])

    pending = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=pending["KeyId"], PendingWindowInDays=7)
    err, _ = error_of(create, ddb, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": pending["KeyId"]})
    assert re.fullmatch(r"KMS validation error: com\.amazonaws\.services\.kms\.model\.KMSInvalidStateException: "
                        + re.escape(pending["Arn"]) + r" is pending deletion\." + SDK_TAIL.format(code="KMSInvalidStateException"),
                        err["Message"])

    # An existing table keeps its encryption when the new key is unusable.
    table, created = create(ddb, SSESpecification={"Enabled": True})
    err, _ = error_of(ddb.update_table, TableName=table, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": disabled["Arn"]})
    assert err["Code"] == "ValidationException"
    assert ddb.describe_table(TableName=table)["Table"]["SSEDescription"] == created["SSEDescription"]


def test_asymmetric_key_is_aws_internal_error(aws_client, kms):
    ddb = aws_client("dynamodb", config=NO_RETRY)
    rsa = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    err, status = error_of(create, ddb, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": rsa["KeyId"]})
    assert (err["Code"], status) == ("InternalServerError", 500)
    assert err["Message"].startswith("KMS internal error: com.amazonaws.services.kms.model.AWSKMSException: EncryptionContext is "
                                     "supported only when creating a grant for a symmetric encryption KMS key. (Service: AWSKMS; "
                                     "Status Code: 400; Error Code: ValidationException; Request ID: ")


def test_another_services_managed_key_is_access_denied(ddb, kms):
    s3_key = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert s3_key["KeyManager"] == "AWS"
    name = unique("sse")
    err, status = error_of(create, ddb, TableName=name, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": "alias/aws/s3"})
    assert (err["Code"], status) == ("ValidationException", 400)
    assert err["Message"].startswith("KMS access denied error: com.amazonaws.services.kms.model.AccessDeniedException: ")
    assert s3_key["Arn"] in err["Message"] and "kms:CreateGrant" in err["Message"]
    assert error_of(ddb.describe_table, TableName=name)[0]["Code"] == "ResourceNotFoundException"
    # DynamoDB's own managed key, named by its ARN, is accepted.
    own = kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]
    _, created = create(ddb, SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": own["Arn"]})
    assert created["SSEDescription"]["KMSMasterKeyArn"] == own["Arn"]
