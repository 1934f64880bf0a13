"""SSM answers replayed against what real AWS answered (LocalStack's recorded snapshots of its test_ssm suite, two
scenarios: parameters read by name, by ARN and by path). Expected answers are embedded; dates become "datetime".
The recordings hide the parameter's name behind one placeholder, in Name as in the ARN, so when a parameter is read
by ARN they cannot tell whether AWS echoes the name or the ARN in Name: Name is checked only for reads by name."""
import datetime

import pytest

from helpers import unique


@pytest.fixture(scope="module")
def ssm(aws_client):
    return aws_client("ssm")


def normalised(value):
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return "datetime" if isinstance(value, datetime.datetime) else value


def recorded(name, value):
    arn = "arn:aws:ssm:us-east-1:000000000000:parameter" + (name if name.startswith("/") else "/" + name)
    return {"ARN": arn, "DataType": "text", "LastModifiedDate": "datetime", "Name": name, "Type": "String", "Value": value,
            "Version": 1}


def test_get_parameter_by_arn(ssm):
    name = unique("param")
    ssm.put_parameter(Name=name, Value="test", Type="String")
    expected = recorded(name, "test")
    assert normalised(ssm.get_parameter(Name=name))["Parameter"] == expected
    by_arn = normalised(ssm.get_parameter(Name=expected["ARN"]))["Parameter"]
    assert {k: v for k, v in by_arn.items() if k != "Name"} == {k: v for k, v in expected.items() if k != "Name"}


def test_parameters_with_path(ssm):
    name = "/" + unique("path") + "/test/param"
    assert normalised(ssm.put_parameter(Name=name, Value="123", Type="String")) == {"Tier": "Standard", "Version": 1}
    expected = recorded(name, "123")
    assert normalised(ssm.get_parameter(Name=name)) == {"Parameter": expected}
    assert normalised(ssm.get_parameters(Names=[name])) == {"InvalidParameters": [], "Parameters": [expected]}
    without_name = {k: v for k, v in expected.items() if k != "Name"}
    by_arn = normalised(ssm.get_parameter(Name=expected["ARN"]))["Parameter"]
    assert {k: v for k, v in by_arn.items() if k != "Name"} == without_name
    listed = normalised(ssm.get_parameters(Names=[expected["ARN"]]))
    assert listed["InvalidParameters"] == [] and [{k: v for k, v in p.items() if k != "Name"} for p in listed["Parameters"]] == [without_name]
