"""IAM users' other credentials (issue 17): service-specific credentials (answers and texts as recorded from AWS),
SSH public keys, signing certificates, ChangePassword against the account's password policy, the credential
report, UpdateGroup, server certificate updates and the tags of OIDC/SAML providers, server certificates and MFA
devices; state survives a restart with PERSISTENCE=1."""
import base64
import csv
import datetime
import hashlib
import io
import struct

import pytest
from botocore.config import Config

from helpers import error_of, unique

SAML_METADATA = "<EntityDescriptor xmlns='urn:oasis:names:tc:SAML:2.0:metadata' entityID='https://idp.example.com'/>"


@pytest.fixture(scope="module")
def iam(aws_client):
    return aws_client("iam", config=Config(parameter_validation=False))


def refusal(call, **kwargs):
    error, status = error_of(call, **kwargs)
    return error["Code"], error["Message"], status


def ssh_rsa_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def self_signed_certificate():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, unique("signing"))])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def test_service_specific_credential_lifecycle(iam):
    user = unique("user")
    iam.create_user(UserName=user)
    created = iam.create_service_specific_credential(UserName=user, ServiceName="codecommit.amazonaws.com")[
        "ServiceSpecificCredential"]
    assert set(created) == {"CreateDate", "ServiceName", "ServicePassword", "ServiceSpecificCredentialId",
                            "ServiceUserName", "Status", "UserName"}
    assert (created["ServiceName"], created["ServiceUserName"], created["Status"], created["UserName"]) == (
        "codecommit.amazonaws.com", f"{user}-at-000000000000", "Active", user)
    credential_id = created["ServiceSpecificCredentialId"]
    listed = iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]
    assert listed == [{k: v for k, v in created.items() if k != "ServicePassword"}]
    assert iam.list_service_specific_credentials(UserName=user, ServiceName="cassandra.amazonaws.com")[
        "ServiceSpecificCredentials"] == []
    iam.update_service_specific_credential(UserName=user, ServiceSpecificCredentialId=credential_id, Status="Inactive")
    assert iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"][0]["Status"] == "Inactive"
    reset = iam.reset_service_specific_credential(UserName=user, ServiceSpecificCredentialId=credential_id)[
        "ServiceSpecificCredential"]
    assert reset["ServicePassword"] != created["ServicePassword"] and reset["Status"] == "Inactive"
    # a user holding such a credential cannot be deleted (recorded)
    assert refusal(iam.delete_user, UserName=user) == (
        "DeleteConflict", "Cannot delete entity, must remove referenced objects first.", 409)
    iam.delete_service_specific_credential(UserName=user, ServiceSpecificCredentialId=credential_id)
    assert iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"] == []
    iam.delete_user(UserName=user)


def test_service_specific_credential_refusals_as_recorded(iam):
    user = unique("user")
    iam.create_user(UserName=user)
    for service in ("nonexistentservice.amazonaws.com", "o3on3n3onosneo", "lambda.amazonaws.com"):
        assert refusal(iam.create_service_specific_credential, UserName=user, ServiceName=service) == (
            "NoSuchEntity", f"No such service {service} is supported for Service Specific Credentials", 404)
    assert refusal(iam.list_service_specific_credentials, UserName=user, ServiceName="nonexistentservice.amazonaws.com")[0] == "NoSuchEntity"
    assert refusal(iam.create_service_specific_credential, UserName="non-existent-user",
                   ServiceName="nonexistentservice.amazonaws.com") == (
        "NoSuchEntity", "The user with name non-existent-user cannot be found.", 404)
    credential_id = iam.create_service_specific_credential(UserName=user, ServiceName="cassandra.amazonaws.com")[
        "ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    pattern = ("ValidationError", "1 validation error detected: Value at 'serviceSpecificCredentialId' failed to satisfy "
               "constraint: Member must satisfy regular expression pattern: [\\w]+", 400)
    wrong = "satisfiesregexbutstillinvalid"
    for call in (iam.reset_service_specific_credential, iam.delete_service_specific_credential):
        assert refusal(call, UserName=user, ServiceSpecificCredentialId="totally-wrong-credential-id-with-hyphens") == pattern
        assert refusal(call, UserName=user, ServiceSpecificCredentialId=wrong) == (
            "NoSuchEntity", f"No such credential {wrong} exists", 404)
        assert refusal(call, UserName="wrong-user-name", ServiceSpecificCredentialId=credential_id) == (
            "NoSuchEntity", "The user with name wrong-user-name cannot be found.", 404)
    assert refusal(iam.update_service_specific_credential, ServiceSpecificCredentialId=credential_id, Status="Invalid") == (
        "ValidationError", "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must "
        "satisfy enum value set", 400)


def test_ssh_public_keys(iam):
    user = unique("user")
    iam.create_user(UserName=user)
    body = ssh_rsa_key()
    key = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=body)["SSHPublicKey"]
    blob = base64.b64decode(body.split()[1])
    fingerprint = ":".join(f"{b:02x}" for b in hashlib.md5(blob).digest())
    assert (key["UserName"], key["SSHPublicKeyBody"], key["Fingerprint"], key["Status"]) == (user, body, fingerprint, "Active")
    assert key["SSHPublicKeyId"].startswith("APKA")
    assert refusal(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody=body)[0] == "DuplicateSSHPublicKey"
    assert refusal(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody="not a key")[0] == "UnrecognizedPublicKeyEncoding"
    assert refusal(iam.upload_ssh_public_key, UserName=user, SSHPublicKeyBody="ssh-rsa AAAAnotbase64!")[0] == "InvalidPublicKey"
    listed = iam.list_ssh_public_keys(UserName=user)["SSHPublicKeys"]
    assert [(k["SSHPublicKeyId"], k["Status"]) for k in listed] == [(key["SSHPublicKeyId"], "Active")]
    assert "SSHPublicKeyBody" not in listed[0]
    pem = iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="PEM")["SSHPublicKey"]
    from cryptography.hazmat.primitives import serialization
    assert serialization.load_pem_public_key(pem["SSHPublicKeyBody"].encode()).public_numbers() == \
        serialization.load_ssh_public_key(body.encode()).public_numbers()
    iam.update_ssh_public_key(UserName=user, SSHPublicKeyId=key["SSHPublicKeyId"], Status="Inactive")
    assert iam.get_ssh_public_key(UserName=user, SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="SSH")[
        "SSHPublicKey"]["Status"] == "Inactive"
    iam.delete_ssh_public_key(UserName=user, SSHPublicKeyId=key["SSHPublicKeyId"])
    assert refusal(iam.get_ssh_public_key, UserName=user, SSHPublicKeyId=key["SSHPublicKeyId"], Encoding="SSH")[::2] == (
        "NoSuchEntity", 404)
    iam.delete_user(UserName=user)


def test_signing_certificates(iam):
    user = unique("user")
    iam.create_user(UserName=user)
    pem = self_signed_certificate()
    cert = iam.upload_signing_certificate(UserName=user, CertificateBody=pem)["Certificate"]
    assert (cert["UserName"], cert["CertificateBody"], cert["Status"]) == (user, pem, "Active")
    assert refusal(iam.upload_signing_certificate, UserName=user, CertificateBody=pem)[0] == "DuplicateCertificate"
    assert refusal(iam.upload_signing_certificate, UserName=user, CertificateBody="-----BEGIN CERTIFICATE-----\nx\n")[0] == \
        "MalformedCertificate"
    assert [c["CertificateId"] for c in iam.list_signing_certificates(UserName=user)["Certificates"]] == [cert["CertificateId"]]
    iam.update_signing_certificate(UserName=user, CertificateId=cert["CertificateId"], Status="Inactive")
    assert iam.list_signing_certificates(UserName=user)["Certificates"][0]["Status"] == "Inactive"
    assert refusal(iam.delete_user, UserName=user)[0] == "DeleteConflict"
    iam.delete_signing_certificate(UserName=user, CertificateId=cert["CertificateId"])
    assert iam.list_signing_certificates(UserName=user)["Certificates"] == []
    iam.delete_user(UserName=user)


def test_change_password_follows_the_password_policy(iam, aws_client):
    user = unique("user")
    iam.create_user(UserName=user)
    iam.create_login_profile(UserName=user, Password="First-password-1", PasswordResetRequired=True)
    keys = iam.create_access_key(UserName=user)["AccessKey"]
    as_user = aws_client("iam", aws_access_key_id=keys["AccessKeyId"], aws_secret_access_key=keys["SecretAccessKey"])
    # the account's root cannot use it; IAM users change their own password
    assert refusal(iam.change_password, OldPassword="x", NewPassword="y")[0] == "InvalidUserType"
    assert refusal(as_user.change_password, OldPassword="wrong", NewPassword="Second-password-2")[::2] == ("AccessDenied", 403)
    iam.update_account_password_policy(MinimumPasswordLength=12, RequireNumbers=True, AllowUsersToChangePassword=True)
    try:
        assert refusal(as_user.change_password, OldPassword="First-password-1", NewPassword="short1")[0] == \
            "PasswordPolicyViolation"
        as_user.change_password(OldPassword="First-password-1", NewPassword="Second-password-2")
        assert iam.get_login_profile(UserName=user)["LoginProfile"]["PasswordResetRequired"] is False
        assert refusal(as_user.change_password, OldPassword="First-password-1", NewPassword="Third-password-3")[0] == \
            "AccessDenied"
        as_user.change_password(OldPassword="Second-password-2", NewPassword="Third-password-3")
    finally:
        iam.delete_account_password_policy()


def test_update_group_keeps_members_and_id(iam):
    group, renamed, user = unique("group"), unique("renamed"), unique("user")
    created = iam.create_group(GroupName=group)["Group"]
    iam.create_user(UserName=user)
    iam.add_user_to_group(GroupName=group, UserName=user)
    iam.update_group(GroupName=group, NewGroupName=renamed, NewPath="/moved/")
    got = iam.get_group(GroupName=renamed)
    assert got["Group"]["GroupId"] == created["GroupId"] and got["Group"]["Path"] == "/moved/"
    assert got["Group"]["Arn"] == f"arn:aws:iam::000000000000:group/moved/{renamed}"
    assert [u["UserName"] for u in got["Users"]] == [user]
    assert refusal(iam.get_group, GroupName=group)[::2] == ("NoSuchEntity", 404)
    other = unique("other")
    iam.create_group(GroupName=other)
    assert refusal(iam.update_group, GroupName=other, NewGroupName=renamed) == (
        "EntityAlreadyExists", f"Group with name {renamed} already exists.", 409)


def test_tags_of_providers_certificates_and_mfa_devices(iam):
    tags = [{"Key": "team", "Value": "a"}]
    oidc = iam.create_open_id_connect_provider(Url=f"https://{unique('idp')}.example.com", ClientIDList=["c"],
                                               ThumbprintList=["a" * 40])["OpenIDConnectProviderArn"]
    iam.tag_open_id_connect_provider(OpenIDConnectProviderArn=oidc, Tags=tags)
    assert iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=oidc)["Tags"] == tags
    iam.untag_open_id_connect_provider(OpenIDConnectProviderArn=oidc, TagKeys=["team"])
    assert iam.list_open_id_connect_provider_tags(OpenIDConnectProviderArn=oidc)["Tags"] == []
    saml = iam.create_saml_provider(Name=unique("saml"), SAMLMetadataDocument=SAML_METADATA)["SAMLProviderArn"]
    iam.tag_saml_provider(SAMLProviderArn=saml, Tags=tags)
    assert iam.list_saml_provider_tags(SAMLProviderArn=saml)["Tags"] == tags
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=unique("mfa"))["VirtualMFADevice"]["SerialNumber"]
    iam.tag_mfa_device(SerialNumber=device, Tags=tags)
    assert iam.list_mfa_device_tags(SerialNumber=device)["Tags"] == tags
    name = unique("cert")
    iam.upload_server_certificate(ServerCertificateName=name, CertificateBody=self_signed_certificate(),
                                  PrivateKey="unused", Tags=tags)
    assert iam.list_server_certificate_tags(ServerCertificateName=name)["Tags"] == tags
    renamed = unique("renamed")
    iam.update_server_certificate(ServerCertificateName=name, NewServerCertificateName=renamed, NewPath="/web/")
    meta = iam.get_server_certificate(ServerCertificateName=renamed)["ServerCertificate"]["ServerCertificateMetadata"]
    assert (meta["Path"], meta["Arn"]) == ("/web/", f"arn:aws:iam::000000000000:server-certificate/web/{renamed}")
    assert refusal(iam.get_server_certificate, ServerCertificateName=name)[::2] == ("NoSuchEntity", 404)
    iam.untag_server_certificate(ServerCertificateName=renamed, TagKeys=["team"])
    assert iam.list_server_certificate_tags(ServerCertificateName=renamed)["Tags"] == []


def test_credential_report_and_credentials_surviving_a_restart(start_server):
    """A fresh server (so that no other test made the account's report first)."""
    server = start_server({"PERSISTENCE": "1"})
    iam = server.client("iam")
    user = unique("user")
    iam.create_user(UserName=user)
    iam.create_login_profile(UserName=user, Password="Some-password-1")
    access_key = iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"]
    assert refusal(iam.get_credential_report)[::2] == ("ReportNotPresent", 410)
    first = iam.generate_credential_report()
    assert (first["State"], first["Description"]) == ("STARTED", "No report exists. Starting a new report generation task")
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    report = iam.get_credential_report()
    assert report["ReportFormat"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(report["Content"].decode())))
    assert list(rows[0])[:4] == ["user", "arn", "user_creation_time", "password_enabled"]
    assert list(rows[0])[-1] == "cert_2_last_rotated" and len(rows[0]) == 22
    assert (rows[0]["user"], rows[0]["arn"]) == ("<root_account>", "arn:aws:iam::000000000000:root")
    mine = [r for r in rows if r["user"] == user]
    assert len(mine) == 1 and mine[0]["arn"] == f"arn:aws:iam::000000000000:user/{user}"
    assert (mine[0]["password_enabled"], mine[0]["access_key_1_active"], mine[0]["access_key_2_active"]) == ("true", "true", "false")
    assert mine[0]["mfa_active"] == "false" and mine[0]["cert_1_active"] == "false"
    iam.delete_access_key(UserName=user, AccessKeyId=access_key)
    credential = iam.create_service_specific_credential(UserName=user, ServiceName="codecommit.amazonaws.com")[
        "ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    key = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=ssh_rsa_key())["SSHPublicKey"]["SSHPublicKeyId"]
    server.stop()
    server.start()
    iam = server.client("iam")
    assert [c["ServiceSpecificCredentialId"] for c in
            iam.list_service_specific_credentials(UserName=user)["ServiceSpecificCredentials"]] == [credential]
    assert [k["SSHPublicKeyId"] for k in iam.list_ssh_public_keys(UserName=user)["SSHPublicKeys"]] == [key]
