"""SNS platform applications and endpoints answered field by field as AWS answers them (issue 14): the attribute
sets returned, the texts of every refusal, the order AWS checks in (an ARN before a missing Attributes map),
CustomUserData given twice, idempotent CreatePlatformEndpoint, endpoints of a deleted application, and a
disabled endpoint. Expected values are the answers recorded from AWS."""
import json

import pytest
from botocore.config import Config

from helpers import error_of, unique

CREDENTIALS = {"PlatformPrincipal": "dummy", "PlatformCredential": "dummy"}


@pytest.fixture(scope="module")
def sns(aws_client):
    # boto3 would refuse an empty required map on its own; AWS's answer to it is what is tested here
    return aws_client("sns", config=Config(parameter_validation=False))


@pytest.fixture
def app(sns):
    arn = sns.create_platform_application(Name=unique("platform-application"), Platform="ADM",
                                          Attributes=CREDENTIALS)["PlatformApplicationArn"]
    yield arn
    sns.delete_platform_application(PlatformApplicationArn=arn)


def refusal(call, **kwargs):
    error, status = error_of(call, **kwargs)
    return error["Code"], error["Message"], error.get("Type"), status


def test_application_attributes_as_aws_lists_them(sns, app):
    assert sns.get_platform_application_attributes(PlatformApplicationArn=app)["Attributes"] == {"Enabled": "true"}
    listed = [a for a in sns.list_platform_applications()["PlatformApplications"] if a["PlatformApplicationArn"] == app]
    assert listed == [{"PlatformApplicationArn": app, "Attributes": {"Enabled": "true"}}]
    sns.set_platform_application_attributes(PlatformApplicationArn=app, Attributes={"SuccessFeedbackSampleRate": "50"})
    assert sns.get_platform_application_attributes(PlatformApplicationArn=app)["Attributes"] == {
        "Enabled": "true", "SuccessFeedbackSampleRate": "50"}


def test_application_refusals(sns, app):
    name = unique("app")
    missing = ("ValidationError", "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: "
               "Member must not be null", "Sender", 400)
    assert refusal(sns.create_platform_application, Name=name, Platform="ADM", Attributes={}) == missing
    assert refusal(sns.create_platform_application, Name=name, Platform="ADM", Attributes={"PlatformPrincipal": "x"}) == (
        "InvalidParameter", "Invalid parameter: Attributes Reason: PlatformPrincipal attribute provided without "
        "PlatformCredential", "Sender", 400)
    assert refusal(sns.create_platform_application, Name=name, Platform="ADM", Attributes={"PlatformCredential": "x"}) == (
        "InvalidParameter", "Invalid parameter: Attributes Reason: PlatformCredential attribute provided without "
        "PlatformPrincipal", "Sender", 400)
    assert refusal(sns.create_platform_application, Name="a" * 257, Platform="ADM", Attributes=CREDENTIALS)[1] == (
        "Invalid parameter: " + "a" * 257 + " Reason: must be at most 256 characters long")
    assert refusal(sns.create_platform_application, Name="", Platform="ADM", Attributes=CREDENTIALS)[:2] == (
        "InvalidParameter", "Invalid parameter:  Reason: cannot be empty")
    assert refusal(sns.create_platform_application, Name="@name", Platform="ADM", Attributes=CREDENTIALS)[1] == (
        "Invalid parameter: @name Reason: must contain only characters 'a'-'z', 'A'-'Z', '0'-'9', '_', '-', and '.'")
    assert refusal(sns.create_platform_application, Name=name, Platform="AAA", Attributes=CREDENTIALS)[:2] == (
        "InvalidParameter", "Invalid parameter: Platform Reason: AAA is not supported")
    bad_arn = ("InvalidParameter", "Invalid parameter: PlatformApplicationArn Reason: An ARN must have at least 6 "
               "elements, not 1", "Sender", 400)
    assert refusal(sns.get_platform_application_attributes, PlatformApplicationArn="invalid-arn") == bad_arn
    # the ARN is checked before the missing Attributes map
    assert refusal(sns.set_platform_application_attributes, PlatformApplicationArn="invalid-arn", Attributes={}) == bad_arn
    gone = app.rsplit("/", 1)[0] + "/NonExistingApp"
    not_found = ("NotFound", "PlatformApplication does not exist", "Sender", 404)
    assert refusal(sns.get_platform_application_attributes, PlatformApplicationArn=gone) == not_found
    assert refusal(sns.set_platform_application_attributes, PlatformApplicationArn=gone, Attributes={}) == missing
    assert refusal(sns.set_platform_application_attributes, PlatformApplicationArn=gone,
                   Attributes={"PlatformPrincipal": "dummy"}) == not_found
    assert refusal(sns.create_platform_endpoint, PlatformApplicationArn=gone, Token="token_1") == not_found


def test_endpoint_attributes_and_idempotency(sns, app):
    endpoint = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="token_1")["EndpointArn"]
    assert endpoint.startswith(app.replace(":app/", ":endpoint/") + "/")
    assert sns.create_platform_endpoint(PlatformApplicationArn=app, Token="token_1")["EndpointArn"] == endpoint
    assert refusal(sns.create_platform_endpoint, PlatformApplicationArn=app, Token="token_1",
                   Attributes={"Enabled": "false"})[:2] == (
        "InvalidParameter", f"Invalid parameter: Token Reason: Endpoint {endpoint} already exists with the same Token, "
        "but different attributes.")
    assert sns.get_endpoint_attributes(EndpointArn=endpoint)["Attributes"] == {"Enabled": "true", "Token": "token_1"}
    assert sns.list_endpoints_by_platform_application(PlatformApplicationArn=app)["Endpoints"] == [
        {"EndpointArn": endpoint, "Attributes": {"Enabled": "true", "Token": "token_1"}}]
    sns.set_endpoint_attributes(EndpointArn=endpoint, Attributes={"Enabled": "false"})
    assert sns.get_endpoint_attributes(EndpointArn=endpoint)["Attributes"] == {"Enabled": "false", "Token": "token_1"}
    # a disabled endpoint takes no message
    assert refusal(sns.publish, TargetArn=endpoint, Message="m")[:2] == ("EndpointDisabled", "Endpoint is disabled")
    sns.delete_endpoint(EndpointArn=endpoint)
    sns.delete_endpoint(EndpointArn=endpoint)  # idempotent
    assert sns.list_endpoints_by_platform_application(PlatformApplicationArn=app)["Endpoints"] == []


def test_custom_user_data(sns, app):
    one = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="token_1", CustomUserData="bar")["EndpointArn"]
    assert sns.get_endpoint_attributes(EndpointArn=one)["Attributes"] == {
        "CustomUserData": "bar", "Enabled": "true", "Token": "token_1"}
    # given both ways, the attribute wins over the parameter
    two = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="token_2", CustomUserData="bar",
                                       Attributes={"CustomUserData": "foo"})["EndpointArn"]
    assert sns.get_endpoint_attributes(EndpointArn=two)["Attributes"] == {
        "CustomUserData": "foo", "Enabled": "true", "Token": "token_2"}
    sns.set_endpoint_attributes(EndpointArn=two, Attributes={"CustomUserData": json.dumps({"k": "v"})})
    assert json.loads(sns.get_endpoint_attributes(EndpointArn=two)["Attributes"]["CustomUserData"]) == {"k": "v"}


@pytest.mark.parametrize("attributes,reason", [
    ({"PlatformPrincipal": "Principal"}, "Invalid attribute name: PlatformPrincipal"),
    ({"PlatformCredential": "Credential"}, "Invalid attribute name: PlatformCredential"),
    ({"InvalidKey": "Value"}, "Invalid attribute name: InvalidKey"),
    ({"CustomUserData": "A" * 2050}, "Invalid value for attribute: CustomUserData: must be at most 2048 bytes long in UTF-8 encoding"),
])
def test_endpoint_attribute_refusals(sns, app, attributes, reason):
    expected = ("InvalidParameter", f"Invalid parameter: Attributes Reason: {reason}", "Sender", 400)
    assert refusal(sns.create_platform_endpoint, PlatformApplicationArn=app, Token="token_x", Attributes=attributes) == expected
    endpoint = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="token_1")["EndpointArn"]
    assert refusal(sns.set_endpoint_attributes, EndpointArn=endpoint, Attributes=attributes) == expected
    assert sns.get_endpoint_attributes(EndpointArn=endpoint)["Attributes"] == {"Enabled": "true", "Token": "token_1"}


def test_endpoint_lookups_and_a_deleted_application(sns, app):
    endpoint = sns.create_platform_endpoint(PlatformApplicationArn=app, Token="token_1")["EndpointArn"]
    assert refusal(sns.set_endpoint_attributes, EndpointArn=endpoint, Attributes={}) == (
        "ValidationError", "1 validation error detected: Value null at 'attributes' failed to satisfy constraint: "
        "Member must not be null", "Sender", 400)
    fake = endpoint.rsplit("/", 2)[0] + "/fakeapp/00000000-0000-0000-0000-000000000000"
    assert refusal(sns.get_endpoint_attributes, EndpointArn=fake) == ("NotFound", "Endpoint does not exist", "Sender", 404)
    assert refusal(sns.set_endpoint_attributes, EndpointArn=fake, Attributes={"Enabled": "false"}) == (
        "NotFound", "Endpoint does not exist", "Sender", 404)
    assert refusal(sns.set_endpoint_attributes, EndpointArn=app.replace(":app/ADM/", ":endpoint/"),
                   Attributes={"Enabled": "false"})[:2] == (
        "InvalidParameter", "Invalid parameter: EndpointArn Reason: Wrong number of slashes in relative portion of the ARN.")
    sns.delete_platform_application(PlatformApplicationArn=app)
    assert refusal(sns.list_endpoints_by_platform_application, PlatformApplicationArn=app) == (
        "NotFound", "PlatformApplication does not exist", "Sender", 404)
    sns.delete_endpoint(EndpointArn=endpoint)
