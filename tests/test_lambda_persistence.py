"""Lambda state survives a restart with PERSISTENCE=1: functions, versions, aliases, layers and function URLs, with
their code kept under DATA_DIR, and the functions still run."""
import json

from lambda_helpers import ROLE, zip_of


def test_functions_survive_restart_and_still_run(start_server):
    srv = start_server({"PERSISTENCE": "1", "LAMBDA_LOGS_TO_CLOUDWATCH": "0"})
    client = srv.client("lambda")
    layer = client.publish_layer_version(LayerName="persisted-layer",
                                         Content={"ZipFile": zip_of({"python/word.py": "WORD = 'kept'\n"})})
    client.create_function(FunctionName="persisted", Runtime="python3.12", Role=ROLE, Handler="index.handler",
                           Layers=[layer["LayerVersionArn"]], Tags={"k": "v"},
                           Code={"ZipFile": zip_of({"index.py": "import word\ndef handler(e, c):\n    return [word.WORD, e]\n"})})
    client.publish_version(FunctionName="persisted")
    client.create_alias(FunctionName="persisted", Name="live", FunctionVersion="1")
    url = client.create_function_url_config(FunctionName="persisted", AuthType="NONE")["FunctionUrl"]
    srv.stop()
    srv.start()
    client = srv.client("lambda")
    config = client.get_function(FunctionName="persisted")
    assert config["Configuration"]["State"] == "Active" and config["Tags"] == {"k": "v"}
    assert client.get_alias(FunctionName="persisted", Name="live")["FunctionVersion"] == "1"
    assert client.get_function_url_config(FunctionName="persisted")["FunctionUrl"] == url
    answer = client.invoke(FunctionName="persisted", Qualifier="live", Payload=b'{"after": "restart"}')
    assert json.loads(answer["Payload"].read()) == ["kept", {"after": "restart"}]
    assert answer["ExecutedVersion"] == "1"
