"""Native Lambda layers: contents on the import paths AWS sets for Python and Node.js (what AWS mounts at /opt),
later layers winning, and layer version permissions (AddLayerVersionPermission, GetLayerVersionPolicy,
RemoveLayerVersionPermission) with AWS's errors."""
import json

import pytest

from helpers import unique
from lambda_helpers import functions, lambda_client, zip_of  # noqa: F401  (fixtures)


def publish(client, files, runtimes=("python3.12",)):
    return client.publish_layer_version(LayerName=unique("layer"), CompatibleRuntimes=list(runtimes),
                                        Content={"ZipFile": zip_of(files)})


def invoke(client, name):
    return json.loads(client.invoke(FunctionName=name, Payload=b"{}")["Payload"].read())


def test_python_layers_on_site_packages_and_later_layers_win(lambda_client, functions):
    first = publish(lambda_client, {"python/lib/python3.12/site-packages/shared.py": "WHO = 'first'\n",
                                    "python/only_first.py": "VALUE = 1\n"})
    second = publish(lambda_client, {"python/lib/python3.12/site-packages/shared.py": "WHO = 'second'\n"})
    source = ("import os, shared, only_first\n"
              "def handler(e, c):\n"
              "    opt = os.environ['POLYSTACK_LAMBDA_OPT']\n"
              "    return {'who': shared.WHO, 'value': only_first.VALUE,\n"
              "            'opt_listing': sorted(os.listdir(opt))}\n")
    name, created = functions.create(files={"index.py": source},
                                     Layers=[first["LayerVersionArn"], second["LayerVersionArn"]])
    assert [layer["Arn"] for layer in created["Layers"]] == [first["LayerVersionArn"], second["LayerVersionArn"]]
    assert invoke(lambda_client, name) == {"who": "second", "value": 1, "opt_listing": ["python"]}


def test_node_layer_on_node_path(lambda_client, functions):
    layer = publish(lambda_client, {"nodejs/node_modules/greeter/index.js": "exports.greet = n => 'hello ' + n;\n"},
                    runtimes=("nodejs20.x",))
    source = "const { greet } = require('greeter');\nexports.handler = async () => greet('node');\n"
    name, _ = functions.create(files={"index.js": source}, runtime="nodejs20.x", handler="index.handler",
                               Layers=[layer["LayerVersionArn"]])
    assert invoke(lambda_client, name) == "hello node"


def test_layer_version_policy_lifecycle_and_errors(lambda_client):
    layer = publish(lambda_client, {"python/x.py": "X = 1\n"})
    layer_name = layer["LayerArn"].split(":")[-1]
    errors = lambda_client.exceptions

    with pytest.raises(errors.ResourceNotFoundException) as e:
        lambda_client.get_layer_version_policy(LayerName=layer_name, VersionNumber=1)
    assert e.value.response["Error"]["Message"] == "No policy is associated with the given resource."

    added = lambda_client.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="s1",
                                                       Action="lambda:GetLayerVersion", Principal="*")
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert json.loads(added["Statement"]) == {"Sid": "s1", "Effect": "Allow", "Principal": "*",
                                              "Action": "lambda:GetLayerVersion",
                                              "Resource": layer["LayerVersionArn"]}
    policy = lambda_client.get_layer_version_policy(LayerName=layer_name, VersionNumber=1)
    assert policy["RevisionId"] == added["RevisionId"]
    assert json.loads(policy["Policy"]) == {"Version": "2012-10-17", "Id": "default",
                                            "Statement": [json.loads(added["Statement"])]}

    second = lambda_client.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="s2",
                                                        Action="lambda:GetLayerVersion", Principal="123456789012",
                                                        RevisionId=added["RevisionId"])
    assert json.loads(second["Statement"])["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    assert second["RevisionId"] != added["RevisionId"]

    with pytest.raises(errors.ResourceConflictException) as e:
        lambda_client.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="s1",
                                                   Action="lambda:GetLayerVersion", Principal="*")
    assert e.value.response["Error"]["Message"] == ("The statement id (s1) provided already exists. Please provide a "
                                                    "new statement id, or remove the existing statement.")
    with pytest.raises(errors.PreconditionFailedException):
        lambda_client.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="s3",
                                                   Action="lambda:GetLayerVersion", Principal="*",
                                                   RevisionId=added["RevisionId"])
    with pytest.raises(lambda_client.exceptions.ClientError) as e:
        lambda_client.add_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="s3",
                                                   Action="*", Principal="*")
    assert e.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value '*' at 'action' failed to satisfy constraint: Member must "
                   "satisfy regular expression pattern: lambda:GetLayerVersion"}
    for call in (lambda: lambda_client.get_layer_version_policy(LayerName=layer_name, VersionNumber=2),
                 lambda: lambda_client.remove_layer_version_permission(LayerName=layer_name, VersionNumber=2,
                                                                       StatementId="s1")):
        with pytest.raises(errors.ResourceNotFoundException) as e:
            call()
        assert e.value.response["Error"]["Message"] == f"Layer version {layer['LayerArn']}:2 does not exist."
    with pytest.raises(errors.ResourceNotFoundException) as e:
        lambda_client.remove_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="nope")
    assert e.value.response["Error"]["Message"] == "Statement nope is not found in resource policy."

    removed = lambda_client.remove_layer_version_permission(LayerName=layer_name, VersionNumber=1, StatementId="s2")
    assert removed["ResponseMetadata"]["HTTPStatusCode"] == 204
    policy = lambda_client.get_layer_version_policy(LayerName=layer_name, VersionNumber=1)
    assert [s["Sid"] for s in json.loads(policy["Policy"])["Statement"]] == ["s1"]
