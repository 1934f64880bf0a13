"""End-to-end KMS tests: boto3 against a real Polystack server (native KMS provider).

Signatures, MACs and RSA ciphertexts are checked with Python's own crypto (the `cryptography`
package, and hmac/hashlib) from the public key returned by GetPublicKey.
"""
import base64
import hashlib
import hmac
import uuid

import pytest
from botocore.exceptions import ClientError

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
    from cryptography.exceptions import InvalidSignature
    HAVE_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover - the JUnit suite covers verification with the JCA then
    HAVE_CRYPTOGRAPHY = False

needs_cryptography = pytest.mark.skipif(not HAVE_CRYPTOGRAPHY, reason="python 'cryptography' not installed")


@pytest.fixture(scope="module")
def kms(aws_client):
    return aws_client("kms")


def error_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"].get("Message")


def new_key(kms, **kwargs):
    return kms.create_key(**kwargs)["KeyMetadata"]


# ----------------------------------------------------------------------------- keys and metadata

def test_create_and_describe_symmetric_key(kms):
    meta = new_key(kms, Description="test key 123")
    assert meta["KeySpec"] == meta["CustomerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert meta["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert meta["KeyState"] == "Enabled" and meta["Enabled"] is True
    assert meta["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]
    assert meta["Origin"] == "AWS_KMS" and meta["KeyManager"] == "CUSTOMER" and meta["MultiRegion"] is False
    assert meta["Arn"] == f"arn:aws:kms:us-east-1:000000000000:key/{meta['KeyId']}"
    assert len(meta["CurrentKeyMaterialId"]) == 64
    described = kms.describe_key(KeyId=meta["Arn"])["KeyMetadata"]
    assert described["KeyId"] == meta["KeyId"]
    assert described["Description"] == "test key 123"
    assert described["CreationDate"] == meta["CreationDate"]


@pytest.mark.parametrize("spec,usage,field,expected", [
    ("RSA_2048", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]),
    ("RSA_3072", "SIGN_VERIFY", "SigningAlgorithms", ["RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
                                                       "RSASSA_PKCS1_V1_5_SHA_512", "RSASSA_PSS_SHA_256",
                                                       "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"]),
    ("ECC_NIST_P256", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_256"]),
    ("ECC_NIST_P384", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_384"]),
    ("ECC_NIST_P521", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_512"]),
    ("ECC_SECG_P256K1", "SIGN_VERIFY", "SigningAlgorithms", ["ECDSA_SHA_256"]),
    ("ECC_NIST_P256", "KEY_AGREEMENT", "KeyAgreementAlgorithms", ["ECDH"]),
    ("HMAC_224", "GENERATE_VERIFY_MAC", "MacAlgorithms", ["HMAC_SHA_224"]),
    ("HMAC_512", "GENERATE_VERIFY_MAC", "MacAlgorithms", ["HMAC_SHA_512"]),
])
def test_key_specs_and_their_algorithms(kms, spec, usage, field, expected):
    meta = new_key(kms, KeySpec=spec, KeyUsage=usage)
    assert meta["KeySpec"] == spec and meta["KeyUsage"] == usage
    assert meta[field] == expected
    assert "CurrentKeyMaterialId" not in meta
    assert kms.describe_key(KeyId=meta["KeyId"])["KeyMetadata"][field] == expected


def test_create_key_validation_errors(kms):
    with pytest.raises(ClientError) as e:
        kms.create_key(KeySpec="HMAC_256")
    assert error_of(e) == ("ValidationException",
                           "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
    with pytest.raises(ClientError) as e:
        kms.create_key(KeySpec="HMAC_random", KeyUsage="GENERATE_VERIFY_MAC")
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: "
                           "Member must satisfy enum value set: [RSA_2048, ECC_NIST_P384, ECC_NIST_P256, ECC_NIST_P521, "
                           "HMAC_384, RSA_3072, ECC_SECG_P256K1, RSA_4096, SYMMETRIC_DEFAULT, HMAC_256, HMAC_224, HMAC_512]")
    with pytest.raises(ClientError) as e:
        kms.create_key(KeySpec="RSA_2048", KeyUsage="KEY_AGREEMENT")
    assert error_of(e) == ("ValidationException", "KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048")
    with pytest.raises(ClientError) as e:
        kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="ENCRYPT_DECRYPT")
    assert error_of(e)[0] == "ValidationException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_key_lookup_errors(kms, aws_client):
    with pytest.raises(ClientError) as e:
        kms.describe_key(KeyId="fake-key-id")
    assert error_of(e) == ("NotFoundException", "Invalid keyId 'fake-key-id'")
    missing = str(uuid.uuid4())
    with pytest.raises(ClientError) as e:
        kms.describe_key(KeyId=missing)
    assert error_of(e) == ("NotFoundException", f"Key 'arn:aws:kms:us-east-1:000000000000:key/{missing}' does not exist")
    key_id = new_key(kms)["KeyId"]
    other_region = aws_client("kms", region_name="eu-west-1")
    with pytest.raises(ClientError) as e:
        other_region.describe_key(KeyId=key_id)
    assert error_of(e) == ("NotFoundException", f"Key 'arn:aws:kms:eu-west-1:000000000000:key/{key_id}' does not exist")
    with pytest.raises(ClientError) as e:
        other_region.describe_key(KeyId=f"arn:aws:kms:us-east-1:000000000000:key/{key_id}")
    assert error_of(e) == ("NotFoundException", "Invalid arn us-east-1")


def test_accounts_are_isolated(kms, aws_client):
    key_id = new_key(kms)["KeyId"]
    other = aws_client("kms", aws_access_key_id="222222222222", aws_secret_access_key="test")
    with pytest.raises(ClientError) as e:
        other.describe_key(KeyId=key_id)
    assert error_of(e)[0] == "NotFoundException"
    created = other.create_key()["KeyMetadata"]
    assert created["AWSAccountId"] == "222222222222"
    assert created["Arn"].startswith("arn:aws:kms:us-east-1:222222222222:key/")


def test_list_keys_paginates(kms):
    created = {new_key(kms)["KeyId"] for _ in range(4)}
    page = kms.list_keys(Limit=2)
    assert page["Truncated"] is True and len(page["Keys"]) == 2
    seen = set()
    for p in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 3}):
        for k in p["Keys"]:
            assert k["KeyArn"].endswith(k["KeyId"])
            seen.add(k["KeyId"])
    assert created <= seen


# ----------------------------------------------------------------------------- aliases

def test_aliases(kms):
    meta = new_key(kms)
    name = f"alias/test-{uuid.uuid4().hex[:8]}"
    with pytest.raises(ClientError) as e:
        kms.create_alias(AliasName="no-prefix", TargetKeyId=meta["KeyId"])
    assert error_of(e) == ("ValidationException", 'Alias must start with the prefix "alias/". Please see '
                                                  'https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html')
    with pytest.raises(ClientError) as e:
        kms.create_alias(AliasName="alias/aws/mine", TargetKeyId=meta["KeyId"])
    assert error_of(e)[0] == "NotAuthorizedException"
    kms.create_alias(AliasName=name, TargetKeyId=meta["KeyId"])
    with pytest.raises(ClientError) as e:
        kms.create_alias(AliasName=name, TargetKeyId=meta["KeyId"])
    assert error_of(e)[0] == "AlreadyExistsException"
    alias_arn = f"arn:aws:kms:us-east-1:000000000000:{name}"
    for ref in (name, alias_arn, meta["Arn"], meta["KeyId"]):
        assert kms.describe_key(KeyId=ref)["KeyMetadata"]["KeyId"] == meta["KeyId"]
    listed = kms.list_aliases(KeyId=meta["KeyId"])["Aliases"]
    assert [(a["AliasName"], a["AliasArn"], a["TargetKeyId"]) for a in listed] == [(name, alias_arn, meta["KeyId"])]
    other = new_key(kms)["KeyId"]
    kms.update_alias(AliasName=name, TargetKeyId=other)
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == other
    kms.delete_alias(AliasName=name)
    with pytest.raises(ClientError) as e:
        kms.describe_key(KeyId=name)
    assert error_of(e) == ("NotFoundException", f"Alias {alias_arn} is not found.")


# ----------------------------------------------------------------------------- encryption

def test_encrypt_decrypt_with_encryption_context(kms):
    key = new_key(kms)
    context = {"purpose": "test", "tenant": "a"}
    enc = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"plaintext", EncryptionContext=context)
    assert enc["KeyId"] == key["Arn"] and enc["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    blob = enc["CiphertextBlob"]
    dec = kms.decrypt(CiphertextBlob=blob, EncryptionContext=dict(reversed(list(context.items()))))
    assert dec["Plaintext"] == b"plaintext"
    assert dec["KeyId"] == key["Arn"]
    assert dec["KeyMaterialId"] == key["CurrentKeyMaterialId"]
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=blob)
    assert error_of(e)[0] == "InvalidCiphertextException"
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"purpose": "other", "tenant": "a"})
    assert error_of(e)[0] == "InvalidCiphertextException"
    for position in (0, 10, 50, len(blob) // 2, len(blob) - 1):
        altered = bytearray(blob)
        altered[position] ^= 0x40
        with pytest.raises(ClientError) as e:
            kms.decrypt(CiphertextBlob=bytes(altered), EncryptionContext=context)
        assert error_of(e)[0] == "InvalidCiphertextException", position


def test_decrypt_with_another_key_is_incorrect_key(kms):
    blob = kms.encrypt(KeyId=new_key(kms)["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=blob, KeyId=new_key(kms)["KeyId"])
    assert error_of(e) == ("IncorrectKeyException",
                           "The key ID in the request does not identify a CMK that can perform this operation.")


def test_plaintext_size_limit(kms):
    key_id = new_key(kms)["KeyId"]
    with pytest.raises(ClientError) as e:
        kms.encrypt(KeyId=key_id, Plaintext=b"a" * 4097)
    assert error_of(e) == ("ValidationException", "1 validation error detected: Value at 'plaintext' failed to satisfy "
                                                  "constraint: Member must have length less than or equal to 4096")


def test_re_encrypt(kms):
    source, destination = new_key(kms), new_key(kms)
    blob = kms.encrypt(KeyId=source["KeyId"], Plaintext=b"move", EncryptionContext={"a": "1"})["CiphertextBlob"]
    re = kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"a": "1"}, DestinationKeyId=destination["KeyId"])
    assert re["SourceKeyId"] == source["Arn"] and re["KeyId"] == destination["Arn"]
    assert re["SourceEncryptionAlgorithm"] == re["DestinationEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert kms.decrypt(CiphertextBlob=re["CiphertextBlob"])["Plaintext"] == b"move"
    with pytest.raises(ClientError) as e:
        kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"a": "1"}, SourceKeyId=destination["KeyId"],
                       DestinationKeyId=destination["KeyId"])
    assert error_of(e)[0] == "IncorrectKeyException"


@pytest.mark.parametrize("spec,algorithm,limit", [
    ("RSA_2048", "RSAES_OAEP_SHA_1", 214), ("RSA_2048", "RSAES_OAEP_SHA_256", 190), ("RSA_3072", "RSAES_OAEP_SHA_256", 318),
])
def test_rsa_encryption(kms, spec, algorithm, limit):
    key_id = new_key(kms, KeySpec=spec, KeyUsage="ENCRYPT_DECRYPT")["KeyId"]
    with pytest.raises(ClientError) as e:
        kms.encrypt(KeyId=key_id, Plaintext=b"a" * (limit + 1), EncryptionAlgorithm=algorithm)
    assert error_of(e) == ("ValidationException",
                           f"Algorithm {algorithm} and key spec {spec} cannot encrypt data larger than {limit} bytes.")
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"a" * limit, EncryptionAlgorithm=algorithm)["CiphertextBlob"]
    assert kms.decrypt(KeyId=key_id, CiphertextBlob=blob, EncryptionAlgorithm=algorithm)["Plaintext"] == b"a" * limit
    if HAVE_CRYPTOGRAPHY:  # encrypted by Python from the public key, decrypted by the server
        public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
        h = hashes.SHA1() if algorithm.endswith("SHA_1") else hashes.SHA256()
        outside = public.encrypt(b"from python", padding.OAEP(mgf=padding.MGF1(h), algorithm=h, label=None))
        assert kms.decrypt(KeyId=key_id, CiphertextBlob=outside, EncryptionAlgorithm=algorithm)["Plaintext"] == b"from python"


def test_data_keys(kms):
    key = new_key(kms)
    dk = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256", EncryptionContext={"k": "v"})
    assert len(dk["Plaintext"]) == 32 and dk["KeyId"] == key["Arn"]
    assert kms.decrypt(CiphertextBlob=dk["CiphertextBlob"], EncryptionContext={"k": "v"})["Plaintext"] == dk["Plaintext"]
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])
    assert error_of(e)[0] == "InvalidCiphertextException"
    short = kms.generate_data_key_without_plaintext(KeyId=key["KeyId"], NumberOfBytes=12)
    assert "Plaintext" not in short
    assert len(kms.decrypt(CiphertextBlob=short["CiphertextBlob"])["Plaintext"]) == 12


@pytest.mark.parametrize("pair_spec", ["RSA_2048", "ECC_NIST_P256", "ECC_SECG_P256K1"])
def test_data_key_pairs(kms, pair_spec):
    key = new_key(kms)
    pair = kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec=pair_spec)
    assert pair["KeyPairSpec"] == pair_spec and pair["KeyId"] == key["Arn"]
    assert kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])["Plaintext"] == pair["PrivateKeyPlaintext"]
    if HAVE_CRYPTOGRAPHY:
        private = serialization.load_der_private_key(pair["PrivateKeyPlaintext"], password=None)
        public = serialization.load_der_public_key(pair["PublicKey"])
        assert private.public_key().public_numbers() == public.public_numbers()
    without = kms.generate_data_key_pair_without_plaintext(KeyId=key["KeyId"], KeyPairSpec=pair_spec)
    assert "PrivateKeyPlaintext" not in without
    with pytest.raises(ClientError) as e:
        kms.generate_data_key_pair(KeyId=key["KeyId"], KeyPairSpec=pair_spec, DryRun=True)
    assert error_of(e) == ("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.")


def test_generate_random(kms):
    assert len(kms.generate_random(NumberOfBytes=91)["Plaintext"]) == 91
    with pytest.raises(ClientError) as e:
        kms.generate_random(NumberOfBytes=1025)
    assert error_of(e) == ("ValidationException", "1 validation error detected: Value '1025' at 'numberOfBytes' failed "
                                                  "to satisfy constraint: Member must have value less than or equal to 1024")
    with pytest.raises(ClientError) as e:
        kms.generate_random()
    assert error_of(e) == ("ValidationException", "NumberOfBytes is required.")


# ----------------------------------------------------------------------------- signatures and MACs

SIGNING_CASES = [
    ("RSA_2048", "RSASSA_PSS_SHA_256"), ("RSA_2048", "RSASSA_PSS_SHA_384"), ("RSA_2048", "RSASSA_PSS_SHA_512"),
    ("RSA_3072", "RSASSA_PKCS1_V1_5_SHA_256"), ("RSA_4096", "RSASSA_PKCS1_V1_5_SHA_384"),
    ("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_512"),
    ("ECC_NIST_P256", "ECDSA_SHA_256"), ("ECC_NIST_P384", "ECDSA_SHA_384"), ("ECC_NIST_P521", "ECDSA_SHA_512"),
    ("ECC_SECG_P256K1", "ECDSA_SHA_256"),
]
HASHES = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}


def python_verify(public_der, algorithm, message, signature):
    """Verifies with the `cryptography` package; raises InvalidSignature when invalid."""
    public = serialization.load_der_public_key(public_der)
    h = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[algorithm[-3:]]
    if algorithm.startswith("ECDSA"):
        public.verify(signature, message, ec.ECDSA(h))  # DER-encoded (r, s), as AWS returns it
    elif algorithm.startswith("RSASSA_PSS"):
        public.verify(signature, message, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
    else:
        public.verify(signature, message, padding.PKCS1v15(), h)


@pytest.mark.parametrize("spec,algorithm", SIGNING_CASES)
def test_sign_verify(kms, spec, algorithm):
    key = new_key(kms, KeySpec=spec, KeyUsage="SIGN_VERIFY")
    message = b"some important message"
    digest = HASHES[algorithm[-3:]](message).digest()
    public_der = kms.get_public_key(KeyId=key["KeyId"])["PublicKey"]
    for message_type, data in (("RAW", message), ("DIGEST", digest)):
        signed = kms.sign(KeyId=key["KeyId"], Message=data, MessageType=message_type, SigningAlgorithm=algorithm)
        assert signed["KeyId"] == key["Arn"] and signed["SigningAlgorithm"] == algorithm
        verified = kms.verify(KeyId=key["KeyId"], Message=data, MessageType=message_type,
                              Signature=signed["Signature"], SigningAlgorithm=algorithm)
        assert verified["SignatureValid"] is True
        if HAVE_CRYPTOGRAPHY:
            python_verify(public_der, algorithm, message, signed["Signature"])
        with pytest.raises(ClientError) as e:
            kms.verify(KeyId=key["KeyId"], Message=data + b"x" if message_type == "RAW" else bytes(len(data)),
                       MessageType=message_type, Signature=signed["Signature"], SigningAlgorithm=algorithm)
        assert error_of(e)[0] == "KMSInvalidSignatureException"
    with pytest.raises(ClientError) as e:
        kms.sign(KeyId=key["KeyId"], Message=b"short", MessageType="DIGEST", SigningAlgorithm=algorithm)
    assert error_of(e) == ("ValidationException", f"Digest is invalid length for algorithm {algorithm}.")


@needs_cryptography
def test_ecdsa_signature_is_der_and_bound_to_the_message(kms):
    """GetPublicKey returns a P-256 SubjectPublicKeyInfo; Sign returns a DER (r, s) pair that Python rejects for another message."""
    key = new_key(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key["KeyId"])["PublicKey"])
    assert isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name == "secp256r1"
    signature = kms.sign(KeyId=key["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    r, s = utils.decode_dss_signature(signature)
    assert r > 0 and s > 0
    with pytest.raises(InvalidSignature):
        public.verify(signature, b"other message", ec.ECDSA(hashes.SHA256()))


@needs_cryptography
def test_ed25519_signature_verifies_with_python(kms):
    key = new_key(kms, KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")
    assert key["SigningAlgorithms"] == ["ED25519_SHA_512", "ED25519_PH_SHA_512"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key["KeyId"])["PublicKey"])
    signature = kms.sign(KeyId=key["KeyId"], Message=b"edwards", SigningAlgorithm="ED25519_SHA_512")["Signature"]
    public.verify(signature, b"edwards")  # pure Ed25519 over the message
    with pytest.raises(InvalidSignature):
        public.verify(signature, b"other")


def test_signing_errors(kms):
    key = new_key(kms, KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    with pytest.raises(ClientError) as e:
        kms.sign(KeyId=key["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_384")
    assert error_of(e) == ("InvalidKeyUsageException", "Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.")
    symmetric = new_key(kms)
    with pytest.raises(ClientError) as e:
        kms.sign(KeyId=symmetric["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
    assert error_of(e) == ("InvalidKeyUsageException",
                           f"{symmetric['Arn']} key usage is ENCRYPT_DECRYPT which is not valid for Sign.")
    with pytest.raises(ClientError) as e:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"m")
    assert error_of(e) == ("InvalidKeyUsageException", f"{key['Arn']} key usage is SIGN_VERIFY which is not valid for Encrypt.")


@pytest.mark.parametrize("spec,algorithm", [("HMAC_224", "HMAC_SHA_224"), ("HMAC_256", "HMAC_SHA_256"),
                                            ("HMAC_384", "HMAC_SHA_384"), ("HMAC_512", "HMAC_SHA_512")])
def test_generate_and_verify_mac(kms, spec, algorithm):
    key = new_key(kms, KeySpec=spec, KeyUsage="GENERATE_VERIFY_MAC")
    mac = kms.generate_mac(KeyId=key["KeyId"], Message=b"some important message", MacAlgorithm=algorithm)
    assert mac["MacAlgorithm"] == algorithm and mac["KeyId"] == key["Arn"]
    assert len(mac["Mac"]) == getattr(hashlib, "sha" + algorithm[-3:])().digest_size
    ok = kms.verify_mac(KeyId=key["KeyId"], Message=b"some important message", MacAlgorithm=algorithm, Mac=mac["Mac"])
    assert ok["MacValid"] is True
    with pytest.raises(ClientError) as e:
        kms.verify_mac(KeyId=key["KeyId"], Message=b"some different important message", MacAlgorithm=algorithm, Mac=mac["Mac"])
    assert error_of(e)[0] == "KMSInvalidMacException"
    with pytest.raises(ClientError) as e:
        kms.generate_mac(KeyId="key_id", Message=b"m", MacAlgorithm=algorithm)
    assert error_of(e) == ("NotFoundException", "Invalid keyId 'key_id'")
    with pytest.raises(ClientError) as e:
        kms.generate_mac(KeyId=key["KeyId"], Message=b"m", MacAlgorithm="INVALID")
    assert error_of(e) == ("ValidationException", "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed "
                                                  "to satisfy constraint: Member must satisfy enum value set: "
                                                  "[HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]")


def test_mac_is_standard_hmac(kms):
    """GenerateMac is plain HMAC: two keys give different MACs, and one key is deterministic."""
    a = new_key(kms, KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyId"]
    b = new_key(kms, KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyId"]
    mac = lambda k: kms.generate_mac(KeyId=k, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"]
    assert mac(a) == mac(a)
    assert not hmac.compare_digest(mac(a), mac(b))


@needs_cryptography
def test_derive_shared_secret_matches_python_ecdh(kms):
    key_id = new_key(kms, KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyId"]
    peer = ec.generate_private_key(ec.SECP256R1())
    peer_public = peer.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    result = kms.derive_shared_secret(KeyId=key_id, KeyAgreementAlgorithm="ECDH", PublicKey=peer_public)
    ours = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    assert result["SharedSecret"] == peer.exchange(ec.ECDH(), ours)


# ----------------------------------------------------------------------------- lifecycle

def test_disable_enable(kms):
    key = new_key(kms)
    kms.disable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    with pytest.raises(ClientError) as e:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert error_of(e) == ("DisabledException", f"{key['Arn']} is disabled.")
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["KeyId"] == key["Arn"]


def test_schedule_and_cancel_deletion(kms):
    key = new_key(kms)
    with pytest.raises(ClientError) as e:
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=31)
    assert error_of(e) == ("ValidationException", "1 validation error detected: Value '31' at 'pendingWindowInDays' "
                                                  "failed to satisfy constraint: Member must have value less than or equal to 30")
    scheduled = kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    assert scheduled["KeyState"] == "PendingDeletion" and scheduled["PendingWindowInDays"] == 7
    assert scheduled["KeyId"] == key["Arn"]
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "PendingDeletion" and meta["Enabled"] is False and "DeletionDate" in meta
    with pytest.raises(ClientError) as e:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert error_of(e) == ("KMSInvalidStateException", f"{key['Arn']} is pending deletion.")
    assert kms.cancel_key_deletion(KeyId=key["KeyId"])["KeyId"] == key["Arn"]
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_key_rotation(kms):
    key = new_key(kms)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"before rotation")["CiphertextBlob"]
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is False
    kms.enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=180)
    status = kms.get_key_rotation_status(KeyId=key["KeyId"])
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 180 and "NextRotationDate" in status
    assert kms.rotate_key_on_demand(KeyId=key["KeyId"])["KeyId"] == key["Arn"]
    after = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["CurrentKeyMaterialId"]
    assert after != key["CurrentKeyMaterialId"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"before rotation"
    rotations = kms.list_key_rotations(KeyId=key["KeyId"])["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["ON_DEMAND"]
    kms.disable_key_rotation(KeyId=key["KeyId"])
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is False
    asymmetric = new_key(kms, KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    with pytest.raises(ClientError) as e:
        kms.rotate_key_on_demand(KeyId=asymmetric["KeyId"])
    assert error_of(e)[0] == "UnsupportedOperationException"
    kms.disable_key(KeyId=key["KeyId"])
    with pytest.raises(ClientError) as e:
        kms.rotate_key_on_demand(KeyId=key["KeyId"])
    assert error_of(e) == ("DisabledException", f"{key['Arn']} is disabled.")


# ----------------------------------------------------------------------------- tags, grants, policies

def test_tags(kms):
    key_id = new_key(kms, Tags=[{"TagKey": "tag1", "TagValue": "value1"}])["KeyId"]
    kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "tag2", "TagValue": "value2"}])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == [{"TagKey": "tag1", "TagValue": "value1"},
                                                            {"TagKey": "tag2", "TagValue": "value2"}]
    kms.untag_resource(KeyId=key_id, TagKeys=["tag1", "tag2"])
    assert kms.list_resource_tags(KeyId=key_id)["Tags"] == []
    with pytest.raises(ClientError) as e:
        kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "aws:reserved", "TagValue": "v"}])
    assert error_of(e) == ("TagException", "Tags beginning with aws: are reserved")
    with pytest.raises(ClientError) as e:
        kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}])
    assert error_of(e) == ("TagException", "Duplicate tag keys")
    with pytest.raises(ClientError) as e:
        kms.create_key(Tags=[{"TagKey": f"k{i}", "TagValue": "v"} for i in range(51)])
    assert error_of(e) == ("TagException", "Too many tags")


def test_grants(kms):
    key_id = new_key(kms)["KeyId"]
    grantee = "arn:aws:iam::000000000000:role/grantee"
    retiring = "arn:aws:iam::000000000000:role/retiring"
    grant = kms.create_grant(KeyId=key_id, GranteePrincipal=grantee, RetiringPrincipal=retiring,
                             Operations=["Encrypt", "Decrypt"], Name="my-grant")
    listed = kms.list_grants(KeyId=key_id)["Grants"]
    assert [(g["GrantId"], g["GranteePrincipal"], g["Name"], sorted(g["Operations"])) for g in listed] == \
           [(grant["GrantId"], grantee, "my-grant", ["Decrypt", "Encrypt"])]
    assert listed[0]["IssuingAccount"] == "arn:aws:iam::000000000000:root"
    assert [g["GrantId"] for g in kms.list_retirable_grants(RetiringPrincipal=retiring)["Grants"]] == [grant["GrantId"]]
    kms.retire_grant(GrantToken=grant["GrantToken"])
    assert kms.list_grants(KeyId=key_id)["Grants"] == []
    second = kms.create_grant(KeyId=key_id, GranteePrincipal=grantee, Operations=["GenerateDataKey"])
    kms.revoke_grant(KeyId=key_id, GrantId=second["GrantId"])
    with pytest.raises(ClientError) as e:
        kms.revoke_grant(KeyId=key_id, GrantId=second["GrantId"])
    assert error_of(e)[0] == "NotFoundException"


def test_key_policies(kms):
    key_id = new_key(kms)["KeyId"]
    default = kms.get_key_policy(KeyId=key_id, PolicyName="default")
    assert default["PolicyName"] == "default"
    assert '"arn:aws:iam::000000000000:root"' in default["Policy"]
    assert kms.list_key_policies(KeyId=key_id)["PolicyNames"] == ["default"]
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}]}'
    kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy=policy)
    assert kms.get_key_policy(KeyId=key_id)["Policy"] == policy
    with pytest.raises(ClientError) as e:
        kms.put_key_policy(KeyId=key_id, PolicyName="default", Policy="{not json")
    assert error_of(e)[0] == "MalformedPolicyDocumentException"


def test_aws_cli_roundtrip(aws_cli, tmp_path):
    """Blobs go in through fileb:// (same meaning in CLI v1 and v2) and come back base64-encoded."""
    key = aws_cli("kms", "create-key", "--description", "from the cli")["KeyMetadata"]
    (tmp_path / "plain").write_bytes(b"cli secret")
    enc = aws_cli("kms", "encrypt", "--key-id", key["KeyId"], "--plaintext", f"fileb://{tmp_path / 'plain'}")
    (tmp_path / "cipher").write_bytes(base64.b64decode(enc["CiphertextBlob"]))
    dec = aws_cli("kms", "decrypt", "--ciphertext-blob", f"fileb://{tmp_path / 'cipher'}")
    assert base64.b64decode(dec["Plaintext"]) == b"cli secret"
    assert dec["KeyId"] == key["Arn"]


# ----------------------------------------------------------------------------- imported key material

def wrap_rsa_aes(public_der, material):
    """RSA_AES_KEY_WRAP_SHA_256: OAEP-SHA256(ephemeral AES key) || AES-KWP(material), done by Python."""
    from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding
    import os
    aes_key = os.urandom(32)
    public = serialization.load_der_public_key(public_der)
    h = hashes.SHA256()
    return public.encrypt(aes_key, padding.OAEP(mgf=padding.MGF1(h), algorithm=h, label=None)) + \
        aes_key_wrap_with_padding(aes_key, material)


@needs_cryptography
def test_import_symmetric_key_material(kms):
    key = new_key(kms, Origin="EXTERNAL", Description="imported")
    assert key["KeyState"] == "PendingImport" and key["Enabled"] is False
    with pytest.raises(ClientError) as e:
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert error_of(e) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")
    with pytest.raises(ClientError) as e:
        kms.get_parameters_for_import(KeyId=new_key(kms)["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256",
                                      WrappingKeySpec="RSA_2048")
    assert error_of(e)[0] == "UnsupportedOperationException"
    params = kms.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm="RSA_AES_KEY_WRAP_SHA_256",
                                           WrappingKeySpec="RSA_2048")
    assert params["KeyId"] == key["Arn"]
    material = bytes(range(32))
    wrapped = wrap_rsa_aes(params["PublicKey"], material)
    with pytest.raises(ClientError) as e:
        kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped,
                                ExpirationModel="KEY_MATERIAL_EXPIRES")
    assert error_of(e) == ("ValidationException", "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES")
    kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped,
                            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert meta["KeyState"] == "Enabled" and meta["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"under imported material")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"under imported material"
    kms.delete_imported_key_material(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"
    with pytest.raises(ClientError) as e:
        kms.decrypt(CiphertextBlob=blob)
    assert error_of(e) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")


@needs_cryptography
def test_on_demand_rotation_of_imported_material(kms):
    key = new_key(kms, Origin="EXTERNAL")
    with pytest.raises(ClientError) as e:
        kms.rotate_key_on_demand(KeyId=key["KeyId"])
    assert error_of(e) == ("KMSInvalidStateException", f"{key['Arn']} is pending import.")
    with pytest.raises(ClientError) as e:
        kms.get_parameters_for_import(KeyId=new_key(kms)["Arn"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
    assert error_of(e)[1].endswith(" origin is AWS_KMS which is not valid for this operation.")

    def import_material(material, **kwargs):
        params = kms.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm="RSA_AES_KEY_WRAP_SHA_256",
                                               WrappingKeySpec="RSA_2048")
        return kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                                       EncryptedKeyMaterial=wrap_rsa_aes(params["PublicKey"], material),
                                       ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE", **kwargs)["KeyMaterialId"]

    first = import_material(bytes(32))
    with pytest.raises(ClientError) as e:
        kms.rotate_key_on_demand(KeyId=key["KeyId"])
    assert error_of(e) == ("KMSInvalidStateException", f"No available key material pending rotation for the key: {key['Arn']}.")
    old_blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"before")["CiphertextBlob"]
    pending = import_material(bytes([1]) * 32, ImportType="NEW_KEY_MATERIAL")
    with pytest.raises(ClientError) as e:
        import_material(bytes([2]) * 32, ImportType="NEW_KEY_MATERIAL")
    code, message = error_of(e)
    assert code == "KMSInvalidStateException"
    assert message.startswith("New key material (id: ") and message.endswith(
        f") cannot be imported into KMS key {key['KeyId']}, because another key material (id: {pending}) is pending rotation.")
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["CurrentKeyMaterialId"] == first
    kms.rotate_key_on_demand(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["CurrentKeyMaterialId"] == pending
    assert kms.decrypt(CiphertextBlob=old_blob)["KeyMaterialId"] == first


def test_a_replica_cannot_be_replicated(kms, aws_client):
    primary = new_key(kms, MultiRegion=True)
    replica = kms.replicate_key(KeyId=primary["KeyId"], ReplicaRegion="eu-west-1")["ReplicaKeyMetadata"]
    assert replica["Arn"] == primary["Arn"].replace("us-east-1", "eu-west-1")
    with pytest.raises(ClientError) as e:
        aws_client("kms", region_name="eu-west-1").replicate_key(KeyId=replica["Arn"], ReplicaRegion="us-west-2")
    assert error_of(e) == ("UnsupportedOperationException", f"{replica['Arn']} is not a multi-region primary key.")


@needs_cryptography
def test_import_ecc_private_key_signs_like_the_original(kms):
    key = new_key(kms, Origin="EXTERNAL", KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")
    private = ec.generate_private_key(ec.SECP256R1())
    pkcs8 = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption())
    params = kms.get_parameters_for_import(KeyId=key["KeyId"], WrappingAlgorithm="RSA_AES_KEY_WRAP_SHA_256",
                                           WrappingKeySpec="RSA_3072")
    kms.import_key_material(KeyId=key["KeyId"], ImportToken=params["ImportToken"],
                            EncryptedKeyMaterial=wrap_rsa_aes(params["PublicKey"], pkcs8),
                            ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    signature = kms.sign(KeyId=key["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    private.public_key().verify(signature, b"m", ec.ECDSA(hashes.SHA256()))


# ----------------------------------------------------------------------------- persistence

def test_keys_survive_restart_with_persistence(start_server):
    server = start_server({"PERSISTENCE": "1"})
    kms = server.client("kms")
    key = kms.create_key(Description="persisted")["KeyMetadata"]
    kms.create_alias(AliasName="alias/persisted", TargetKeyId=key["KeyId"])
    blob = kms.encrypt(KeyId="alias/persisted", Plaintext=b"survives", EncryptionContext={"a": "b"})["CiphertextBlob"]
    signer = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    signature = kms.sign(KeyId=signer["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    server.stop()
    server.start()
    kms = server.client("kms")
    assert kms.describe_key(KeyId="alias/persisted")["KeyMetadata"]["Description"] == "persisted"
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})["Plaintext"] == b"survives"
    assert kms.verify(KeyId=signer["KeyId"], Message=b"m", Signature=signature,
                      SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"] is True
