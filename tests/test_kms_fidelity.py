"""KMS answers as AWS and LocalStack give them (issue 14): errors without a message where AWS sends none,
RSAES-OAEP ciphertexts made outside KMS, LocalStack's fixed-key tags (_custom_id_, _custom_key_material_),
Recipient (Nitro attestation documents) with CiphertextForRecipient, and ReplicaTags only when asked for.
Crypto on the client side uses Python's `cryptography`, the library LocalStack's own tests use."""
import base64
import os
import uuid

import struct

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from helpers import unique


@pytest.fixture(scope="module")
def kms(aws_client):
    return aws_client("kms")


def raised(call, **kwargs):
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response


# --- errors AWS sends without a message -------------------------------------------------------------------------

def test_invalid_signature_mac_and_ciphertext_carry_no_message(kms):
    signing = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    signature = kms.sign(KeyId=signing, Message=b"one", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    response = raised(kms.verify, KeyId=signing, Message=b"two", Signature=signature, SigningAlgorithm="ECDSA_SHA_256")
    assert response["Error"] == {"Code": "KMSInvalidSignatureException", "Message": ""}
    assert "message" not in response  # botocore copies a modelled error's message member here when AWS sends one

    mac_key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
    mac = kms.generate_mac(KeyId=mac_key, Message=b"one", MacAlgorithm="HMAC_SHA_256")["Mac"]
    response = raised(kms.verify_mac, KeyId=mac_key, Message=b"two", Mac=mac, MacAlgorithm="HMAC_SHA_256")
    assert response["Error"] == {"Code": "KMSInvalidMacException", "Message": ""} and "message" not in response

    key = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=b"secret", EncryptionContext={"a": "b"})["CiphertextBlob"]
    response = raised(kms.decrypt, CiphertextBlob=blob)
    assert response["Error"] == {"Code": "InvalidCiphertextException", "Message": ""} and "message" not in response

    rsa_key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    response = raised(kms.rotate_key_on_demand, KeyId=rsa_key)
    assert response["Error"] == {"Code": "UnsupportedOperationException", "Message": ""} and "message" not in response


# --- RSAES-OAEP made outside KMS ------------------------------------------------------------------------------

@pytest.mark.parametrize("algorithm,digest", [("RSAES_OAEP_SHA_1", hashes.SHA1), ("RSAES_OAEP_SHA_256", hashes.SHA256)])
def test_oaep_ciphertext_made_with_the_public_key_decrypts(kms, algorithm, digest):
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key)["PublicKey"])
    ciphertext = public.encrypt(b"made outside KMS", padding.OAEP(mgf=padding.MGF1(digest()), algorithm=digest(), label=None))
    answer = kms.decrypt(KeyId=key, CiphertextBlob=ciphertext, EncryptionAlgorithm=algorithm)
    assert answer["Plaintext"] == b"made outside KMS" and answer["EncryptionAlgorithm"] == algorithm


# --- LocalStack's fixed-key tags ---------------------------------------------------------------------------------

def test_custom_id_tag_sets_the_key_id(kms):
    custom_id = str(uuid.uuid4())
    metadata = kms.create_key(Tags=[{"TagKey": "_custom_id_", "TagValue": custom_id}])["KeyMetadata"]
    assert metadata["KeyId"] == custom_id and metadata["Arn"].endswith(f":key/{custom_id}")
    assert kms.describe_key(KeyId=custom_id)["KeyMetadata"]["KeyId"] == custom_id
    assert {"TagKey": "_custom_id_", "TagValue": custom_id} in kms.list_resource_tags(KeyId=custom_id)["Tags"]


def test_custom_symmetric_material_is_the_aes_key(kms):
    material = os.urandom(32)
    key = kms.create_key(Tags=[{"TagKey": "_custom_key_material_", "TagValue": base64.b64encode(material).decode()},
                               {"TagKey": "team", "TagValue": "a"}])["KeyMetadata"]["KeyId"]
    assert kms.list_resource_tags(KeyId=key)["Tags"] == [{"TagKey": "team", "TagValue": "a"}]  # the material tag is not kept
    blob = kms.encrypt(KeyId=key, Plaintext=b"hello")["CiphertextBlob"]
    # Polystack's envelope: version | key id (36) | material id (32) | IV (12) | AES-GCM; the header is the AAD
    header, iv, sealed = blob[:69], blob[69:81], blob[81:]
    assert AESGCM(material).decrypt(iv, sealed, header) == b"hello"


def test_custom_hmac_material(kms):
    material = b"custom test key material"
    key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC", Tags=[
        {"TagKey": "_custom_key_material_", "TagValue": base64.b64encode(material).decode()}])["KeyMetadata"]["KeyId"]
    h = hmac.HMAC(material, hashes.SHA256())
    h.update(b"some important message")
    expected = h.finalize()
    assert kms.generate_mac(KeyId=key, Message=b"some important message", MacAlgorithm="HMAC_SHA_256")["Mac"] == expected
    assert kms.verify_mac(KeyId=key, Message=b"some important message", MacAlgorithm="HMAC_SHA_256", Mac=expected)["MacValid"]


def test_custom_rsa_material(kms):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY", Tags=[
        {"TagKey": "_custom_key_material_", "TagValue": base64.b64encode(der).decode()}])["KeyMetadata"]["KeyId"]
    expected = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert kms.get_public_key(KeyId=key)["PublicKey"] == expected
    signature = private.sign(b"message", padding.PKCS1v15(), hashes.SHA256())
    assert kms.verify(KeyId=key, Message=b"message", Signature=signature,
                      SigningAlgorithm="RSASSA_PKCS1_V1_5_SHA_256")["SignatureValid"]


def test_custom_ecc_material(kms):
    private = ec.generate_private_key(ec.SECP256K1())
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    key = kms.create_key(KeySpec="ECC_SECG_P256K1", KeyUsage="SIGN_VERIFY", Tags=[
        {"TagKey": "_custom_key_material_", "TagValue": base64.b64encode(der).decode()}])["KeyMetadata"]["KeyId"]
    expected = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert kms.get_public_key(KeyId=key)["PublicKey"] == expected
    signature = private.sign(b"message", ec.ECDSA(hashes.SHA256()))
    assert kms.verify(KeyId=key, Message=b"message", Signature=signature, SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"]
    # and what KMS signs, the client's copy of the key verifies
    signed = kms.sign(KeyId=key, Message=b"back", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    private.public_key().verify(signed, b"back", ec.ECDSA(hashes.SHA256()))


def test_custom_material_that_does_not_fit_the_spec(kms):
    response = raised(kms.create_key, Tags=[{"TagKey": "_custom_key_material_",
                                             "TagValue": base64.b64encode(b"too short").decode()}])
    assert response["Error"]["Code"] == "ValidationException"


# --- Recipient: CiphertextForRecipient ------------------------------------------------------------------------------

def cbor(value):
    """Minimal CBOR (RFC 8949) for the attestation document: maps, arrays, byte and text strings, ints, null."""
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | info]) + struct.pack(fmt, n)
    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode()
        return head(3, len(data)) + data
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(value)


def der(data):
    """A DER element: (tag, content bytes, children if constructed)."""
    tag, length, offset = data[0], data[1], 2
    if length & 0x80:
        count = length & 0x7F
        length, offset = int.from_bytes(data[2:2 + count], "big"), 2 + count
    content = data[offset:offset + length]
    children = []
    if tag & 0x20:
        rest = content
        while rest:
            child = der(rest)
            children.append(child)
            rest = rest[child[3]:]
    return tag, content, children, offset + length


@pytest.fixture(scope="module")
def enclave():
    """An enclave's RSA key and a Nitro-style attestation document (COSE_Sign1) carrying its public key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    payload = cbor({"module_id": "i-test", "digest": "SHA384", "timestamp": 0, "pcrs": {},
                    "public_key": public_der, "user_data": None, "nonce": None})
    document = cbor([cbor({1: -35}), {}, payload, b"\0" * 96])
    return private, {"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": document}


def open_envelope(private, envelope):
    """Opens CMS EnvelopedData (RSAES-OAEP-SHA-256 key transport, AES-256-CBC content) with the enclave's key."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    content_info = der(envelope)
    assert content_info[2][0][1] == bytes.fromhex("2a864886f70d010703")  # id-envelopedData
    enveloped = content_info[2][1][2][0]  # [0] EXPLICIT EnvelopedData
    version, recipient_infos, encrypted_content_info = enveloped[2][:3]
    key_trans = recipient_infos[2][0]
    assert key_trans[2][2][2][0][1] == bytes.fromhex("2a864886f70d010107")  # id-RSAES-OAEP
    content_key = private.decrypt(key_trans[2][3][1],
                                  padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    algorithm = encrypted_content_info[2][1]
    assert algorithm[2][0][1] == bytes.fromhex("60864801650304012a")  # aes256-CBC (2.16.840.1.101.3.4.1.42)
    iv = algorithm[2][1][1]
    decryptor = Cipher(algorithms.AES(content_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(encrypted_content_info[2][2][1]) + decryptor.finalize()
    return padded[:-padded[-1]]


def test_recipient_gets_the_plaintext_enveloped(kms, enclave):
    private, recipient = enclave
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=b"for the enclave only")["CiphertextBlob"]
    answer = kms.decrypt(CiphertextBlob=blob, Recipient=recipient)
    assert "Plaintext" not in answer
    assert open_envelope(private, answer["CiphertextForRecipient"]) == b"for the enclave only"

    data_key = kms.generate_data_key(KeyId=key, KeySpec="AES_256", Recipient=recipient)
    assert "Plaintext" not in data_key
    plaintext_key = open_envelope(private, data_key["CiphertextForRecipient"])
    assert len(plaintext_key) == 32
    assert kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"] == plaintext_key

    random = kms.generate_random(NumberOfBytes=24, Recipient=recipient)
    assert "Plaintext" not in random and len(open_envelope(private, random["CiphertextForRecipient"])) == 24


def test_recipient_with_a_document_that_is_not_one(kms):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    response = raised(kms.decrypt, CiphertextBlob=blob,
                      Recipient={"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256", "AttestationDocument": b"not cbor"})
    assert response["Error"]["Code"] == "ValidationException"


# --- ReplicaTags only when given -------------------------------------------------------------------------------------

def test_replica_tags_only_when_given(kms, aws_client):
    primary = kms.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    answer = kms.replicate_key(KeyId=primary, ReplicaRegion="us-west-2")
    assert "ReplicaTags" not in answer
    other = kms.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    answer = kms.replicate_key(KeyId=other, ReplicaRegion="us-west-2", Tags=[{"TagKey": "k", "TagValue": "v"}])
    assert answer["ReplicaTags"] == [{"TagKey": "k", "TagValue": "v"}]


def test_aws_managed_keys_describe_what_they_protect_as_aws_does(aws_client):
    # a fresh region: the managed keys come into being on this first use
    kms = aws_client("kms", region_name="ap-southeast-2")
    s3_key = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert s3_key["Description"] == "Default key that protects my S3 objects when no other key is defined"
    assert s3_key["KeyManager"] == "AWS"
    ddb_key = kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]
    assert ddb_key["Description"] == "Default key that protects my DynamoDB data when no other key is defined"


# --- ImportKeyMaterial: wrapping algorithms, tokens, expiration and key state ----------------------------------------

def wrap(params, algorithm, material):
    """Wraps key material as AWS's import documentation describes for each wrapping algorithm."""
    from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding
    public = serialization.load_der_public_key(params["PublicKey"])
    digest = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
    oaep = padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)
    if algorithm.startswith("RSAES_OAEP"):
        return public.encrypt(material, oaep)
    aes_key = os.urandom(32)
    return public.encrypt(aes_key, oaep) + aes_key_wrap_with_padding(aes_key, material)


def external_key(kms, **kwargs):
    return kms.create_key(Origin="EXTERNAL", Description="import test", **kwargs)["KeyMetadata"]


def import_params(kms, key_id, algorithm="RSA_AES_KEY_WRAP_SHA_256", spec="RSA_2048"):
    return kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec)


@pytest.mark.parametrize("algorithm,spec", [("RSAES_OAEP_SHA_1", "RSA_2048"), ("RSAES_OAEP_SHA_256", "RSA_3072"),
                                            ("RSA_AES_KEY_WRAP_SHA_1", "RSA_4096"), ("RSA_AES_KEY_WRAP_SHA_256", "RSA_2048")])
def test_import_with_each_wrapping_algorithm(kms, algorithm, spec):
    key = external_key(kms)
    params = import_params(kms, key["KeyId"], algorithm, spec)
    assert params["KeyId"] == key["Arn"] and len(params["ImportToken"]) > 0
    public = serialization.load_der_public_key(params["PublicKey"])
    assert public.key_size == int(spec.split("_")[1])
    material = os.urandom(32)
    answer = kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                                     EncryptedKeyMaterial=wrap(params, algorithm, material),
                                     ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert answer["KeyId"] == key["Arn"] and len(answer["KeyMaterialId"]) == 64
    # the material really is ours: a ciphertext decrypts to what was encrypted, under the imported key only
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"imported")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"imported"


def test_import_tokens_and_material_are_checked(kms):
    key, other = external_key(kms), external_key(kms)
    params, other_params = import_params(kms, key["KeyId"]), import_params(kms, other["KeyId"])
    material = os.urandom(32)
    # a token issued for another key
    response = raised(kms.import_key_material, KeyId=key["KeyId"], ImportToken=other_params["ImportToken"],
                      EncryptedKeyMaterial=wrap(other_params, "RSA_AES_KEY_WRAP_SHA_256", material),
                      ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert response["Error"]["Code"] == "InvalidImportTokenException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # material wrapped under another public key cannot be unwrapped
    response = raised(kms.import_key_material, KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                      EncryptedKeyMaterial=wrap(other_params, "RSA_AES_KEY_WRAP_SHA_256", material),
                      ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert response["Error"]["Code"] == "InvalidCiphertextException"
    # an AES key must be 256 bits
    response = raised(kms.import_key_material, KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                      EncryptedKeyMaterial=wrap(params, "RSA_AES_KEY_WRAP_SHA_256", os.urandom(16)),
                      ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert response["Error"]["Code"] == "IncorrectKeyMaterialException"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"
    kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                            EncryptedKeyMaterial=wrap(params, "RSA_AES_KEY_WRAP_SHA_256", material),
                            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    # different material into the same key is refused; the same material again is accepted (reimport)
    response = raised(kms.import_key_material, KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                      EncryptedKeyMaterial=wrap(params, "RSA_AES_KEY_WRAP_SHA_256", os.urandom(32)),
                      ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert response["Error"]["Code"] == "IncorrectKeyMaterialException"
    kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                            EncryptedKeyMaterial=wrap(params, "RSA_AES_KEY_WRAP_SHA_256", material),
                            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    # a key KMS made itself takes no import (recorded text)
    native = kms.create_key()["KeyMetadata"]
    response = raised(kms.get_parameters_for_import, KeyId=native["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                      WrappingKeySpec="RSA_2048")
    assert response["Error"] == {"Code": "UnsupportedOperationException",
                                 "Message": f"{native['Arn']} origin is AWS_KMS which is not valid for this operation."}


def test_import_expiration_model_and_expiry(kms):
    import datetime
    import time
    key = external_key(kms, KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    params = import_params(kms, key["KeyId"])
    wrapped = wrap(params, "RSA_AES_KEY_WRAP_SHA_256", os.urandom(32))
    common = dict(KeyId=key["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped)
    response = raised(kms.import_key_material, ExpirationModel="KEY_MATERIAL_EXPIRES", **common)
    assert response["Error"] == {"Code": "ValidationException",
                                 "Message": "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES"}
    now = datetime.datetime.now(datetime.timezone.utc)
    response = raised(kms.import_key_material, ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE",
                      ValidTo=now + datetime.timedelta(days=1), **common)
    assert response["Error"]["Code"] == "ValidationException"
    for invalid in (now - datetime.timedelta(minutes=1), now + datetime.timedelta(days=366)):
        response = raised(kms.import_key_material, ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=invalid, **common)
        assert response["Error"]["Code"] == "ValidationException"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"

    valid_to = now + datetime.timedelta(seconds=4)
    kms.import_key_material(ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to, **common)
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Enabled" and meta["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert abs((meta["ValidTo"] - valid_to).total_seconds()) < 1
    kms.generate_mac(KeyId=key["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_256")
    # once ValidTo has passed, KMS deletes the material: the key waits for an import again
    deadline = time.monotonic() + 60
    while kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] != "PendingImport":
        assert time.monotonic() < deadline, "imported material did not expire"
        time.sleep(0.25)
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert "ExpirationModel" not in meta and "ValidTo" not in meta and meta["Enabled"] is False
    response = raised(kms.generate_mac, KeyId=key["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_256")
    assert response["Error"] == {"Code": "KMSInvalidStateException", "Message": f"{key['Arn']} is pending import."}


def test_import_refused_for_a_key_pending_deletion(kms):
    key = external_key(kms)
    params = import_params(kms, key["KeyId"])
    kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    expected = {"Code": "KMSInvalidStateException", "Message": f"{key['Arn']} is pending deletion."}
    assert raised(kms.get_parameters_for_import, KeyId=key["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                  WrappingKeySpec="RSA_2048")["Error"] == expected
    assert raised(kms.import_key_material, KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                  EncryptedKeyMaterial=wrap(params, "RSA_AES_KEY_WRAP_SHA_256", os.urandom(32)),
                  ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")["Error"] == expected
    assert raised(kms.delete_imported_key_material, KeyId=key["KeyId"])["Error"] == expected
