"""Native Lambda's Java runtimes (java17, java21): handlers compiled here with the machine's javac, run by
Polystack's own Java runtime client on a JDK found on the machine; AWS's event classes filled as AWS fills them. The function is compiled against a minimal copy
of aws-lambda-java-core's interfaces (Context, LambdaLogger, RequestHandler), as real functions bundle that jar.
Skipped, with the reason, when the machine has no javac."""
import base64
import glob
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile

import pytest

from helpers import unique
from lambda_helpers import ROLE, functions, lambda_client  # noqa: F401  (fixtures)

CORE = {
    "com/amazonaws/services/lambda/runtime/Context.java": """package com.amazonaws.services.lambda.runtime;
public interface Context {
    String getAwsRequestId();
    String getFunctionName();
    String getInvokedFunctionArn();
    int getRemainingTimeInMillis();
    int getMemoryLimitInMB();
    LambdaLogger getLogger();
}""",
    "com/amazonaws/services/lambda/runtime/LambdaLogger.java": """package com.amazonaws.services.lambda.runtime;
public interface LambdaLogger {
    void log(String message);
}""",
    "com/amazonaws/services/lambda/runtime/RequestHandler.java": """package com.amazonaws.services.lambda.runtime;
public interface RequestHandler<I, O> {
    O handleRequest(I input, Context context);
}""",
}

FUNCTIONS = {
    "example/Echo.java": """package example;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
public class Echo implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("hello from java\\n");
        System.out.println("printed by " + System.getProperty("java.specification.version"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", event);
        out.put("requestId", context.getAwsRequestId());
        out.put("function", context.getFunctionName());
        out.put("remainingPositive", context.getRemainingTimeInMillis() > 0);
        out.put("region", System.getenv("AWS_REGION"));
        return out;
    }
}""",
    "example/Streams.java": """package example;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;
public class Streams {
    public void shout(InputStream in, OutputStream out) throws IOException {
        out.write(new String(in.readAllBytes()).toUpperCase().getBytes());
    }
}""",
    "example/Greeter.java": """package example;
public class Greeter {
    public static class Person {
        private String name;
        private int age;
        public void setName(String name) { this.name = name; }
        public void setAge(int age) { this.age = age; }
        public String getName() { return name; }
        public int getAge() { return age; }
    }
    public record Greeting(String message, boolean adult) {}
    public Greeting greet(Person p) {
        return new Greeting("Hello " + p.getName(), p.getAge() >= 18);
    }
}""",
    "example/Shapes.java": """package example;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
public class Shapes {
    public enum Size { SMALL, LARGE }
    public static class Base {
        private String id = "b-1";
        public String getId() { return id; }
    }
    public static class Order extends Base {
        private String customer = "Ada";
        private String note;             // null: left out
        private URI URL = URI.create("https://example.com/o/1");
        private int quantity = 3;
        private boolean paid = true;
        private Boolean gift = Boolean.FALSE; // isX of a Boolean is not a getter
        public double ratio = Double.NaN;
        private Size size = Size.LARGE;
        private byte[] raw = {1, 2, 3};
        private int[] codes = {7, 8};
        private Date created = new Date(1700000000123L);
        private Instant shipped = Instant.ofEpochSecond(1700000000L, 123000000);
        private LocalDate due = LocalDate.of(2024, 1, 15);
        private Optional<String> coupon = Optional.of("SAVE");
        private Map<String, Object> extra = new LinkedHashMap<>();
        public Order() { extra.put("kept", null); extra.put("n", 1); }
        public String getCustomer() { return customer; }
        public String getNote() { return note; }
        public URI getURL() { return URL; }
        public int getQuantity() { return quantity; }
        public boolean isPaid() { return paid; }
        public Boolean isGift() { return gift; }
        public Size getSize() { return size; }
        public byte[] getRaw() { return raw; }
        public int[] getCodes() { return codes; }
        public Date getCreated() { return created; }
        public Instant getShipped() { return shipped; }
        public LocalDate getDue() { return due; }
        public Optional<String> getCoupon() { return coupon; }
        public Map<String, Object> getExtra() { return extra; }
        public List<String> getTags() { return List.of("a\\tb", "\\u0001"); }
    }
    public Order order(Map<String, Object> event) { return new Order(); }
    public String text(Map<String, Object> event) { return "plain \\"text\\""; }
    public Integer number(Map<String, Object> event) { return 42; }
    public Object nothing(Map<String, Object> event) { return null; }
}""",
    "example/Fails.java": """package example;
import java.util.Map;
public class Fails {
    public String handleRequest(Map<String, Object> event) {
        throw new IllegalStateException("boom: " + event.get("why"));
    }
}""",
}

# Minimal copies of the aws-lambda-java-events classes a function bundles (the real ones have more members, the same
# shapes: "Records" filled through setRecords, ByteBuffer data, Date and Joda DateTime times), and of Joda's DateTime.
EVENTS = {
    "org/joda/time/DateTime.java": """package org.joda.time;
public class DateTime {
    private final long millis;
    public DateTime(Object instant) {
        this.millis = instant instanceof Long l ? l : java.time.OffsetDateTime.parse((String) instant).toInstant().toEpochMilli();
    }
    public long getMillis() { return millis; }
}""",
    "com/amazonaws/services/lambda/runtime/events/KinesisEvent.java": """package com.amazonaws.services.lambda.runtime.events;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.List;
public class KinesisEvent {
    private List<KinesisEventRecord> records;
    public List<KinesisEventRecord> getRecords() { return records; }
    public void setRecords(List<KinesisEventRecord> records) { this.records = records; }
    public static class Record {
        private ByteBuffer data;
        private Date approximateArrivalTimestamp;
        private String partitionKey;
        public ByteBuffer getData() { return data; }
        public void setData(ByteBuffer data) { this.data = data; }
        public Date getApproximateArrivalTimestamp() { return approximateArrivalTimestamp; }
        public void setApproximateArrivalTimestamp(Date d) { this.approximateArrivalTimestamp = d; }
        public String getPartitionKey() { return partitionKey; }
        public void setPartitionKey(String k) { this.partitionKey = k; }
    }
    public static class KinesisEventRecord {
        private Record kinesis;
        private String eventSourceARN;
        public Record getKinesis() { return kinesis; }
        public void setKinesis(Record kinesis) { this.kinesis = kinesis; }
        public String getEventSourceARN() { return eventSourceARN; }
        public void setEventSourceARN(String arn) { this.eventSourceARN = arn; }
    }
}""",
    "com/amazonaws/services/lambda/runtime/events/SNSEvent.java": """package com.amazonaws.services.lambda.runtime.events;
import java.util.List;
import org.joda.time.DateTime;
public class SNSEvent {
    private List<SNSRecord> records;
    public List<SNSRecord> getRecords() { return records; }
    public void setRecords(List<SNSRecord> records) { this.records = records; }
    public static class SNS {
        private String message;
        private DateTime timestamp;
        public String getMessage() { return message; }
        public void setMessage(String m) { this.message = m; }
        public DateTime getTimestamp() { return timestamp; }
        public void setTimestamp(DateTime t) { this.timestamp = t; }
    }
    public static class SNSRecord {
        private SNS sns;
        public SNS getSNS() { return sns; }
        public void setSns(SNS sns) { this.sns = sns; }
    }
}""",
    "example/Events.java": """package example;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
public class Events {
    public List<String> kinesis(KinesisEvent event) {
        List<String> out = new ArrayList<>();
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            out.add(StandardCharsets.UTF_8.decode(r.getKinesis().getData()) + "|" + r.getKinesis().getPartitionKey()
                    + "|" + r.getKinesis().getApproximateArrivalTimestamp().getTime() + "|" + r.getEventSourceARN());
        }
        return out;
    }
    public List<String> sns(SNSEvent event) {
        List<String> out = new ArrayList<>();
        for (SNSEvent.SNSRecord r : event.getRecords()) {
            out.add(r.getSNS().getMessage() + "|" + r.getSNS().getTimestamp().getMillis());
        }
        return out;
    }
}""",
}


def find_javac():
    candidates = [shutil.which("javac")] + sorted(glob.glob("/usr/lib/jvm/*/bin/javac"))
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="module")
def java_package():
    javac = find_javac()
    if javac is None:
        pytest.skip("no javac on this machine to compile the Java test functions")
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for path, text in {**CORE, **FUNCTIONS, **EVENTS}.items():
            file = os.path.join(tmp, "src", path)
            os.makedirs(os.path.dirname(file), exist_ok=True)
            with open(file, "w") as f:
                f.write(text)
            sources.append(file)
        classes = os.path.join(tmp, "classes")
        subprocess.run([javac, "--release", "17", "-d", classes, *sources], check=True, capture_output=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for root, _, files in os.walk(classes):
                for name in files:
                    full = os.path.join(root, name)
                    z.write(full, os.path.relpath(full, classes))
        return buffer.getvalue()


@pytest.fixture(scope="module")
def java_function(functions, java_package):
    def make(handler, runtime="java17"):
        name = unique("java")
        functions.client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                         Code={"ZipFile": java_package}, Timeout=30, MemorySize=256)
        functions.names.append(name)
        functions.client.get_waiter("function_active_v2").wait(FunctionName=name,
                                                               WaiterConfig={"Delay": 1, "MaxAttempts": 30})
        return name
    return make


@pytest.mark.parametrize("runtime", ["java17", "java21"])
def test_request_handler_with_context_and_logger(lambda_client, java_function, runtime):
    name = java_function("example.Echo::handleRequest", runtime)
    answer = lambda_client.invoke(FunctionName=name, Payload=json.dumps({"a": 1, "b": ["x"]}), LogType="Tail")
    assert answer["StatusCode"] == 200 and "FunctionError" not in answer
    payload = json.loads(answer["Payload"].read())
    assert payload["event"] == {"a": 1, "b": ["x"]}
    assert payload["function"] == name and payload["remainingPositive"] is True and payload["region"] == "us-east-1"
    assert payload["requestId"] == answer["ResponseMetadata"]["RequestId"]
    log = base64.b64decode(answer["LogResult"]).decode()
    assert "hello from java" in log and "printed by " + ("17" if runtime == "java17" else "2") in log
    assert "START RequestId:" in log and "REPORT RequestId:" in log
    # a warm second invoke in the same JVM
    again = json.loads(lambda_client.invoke(FunctionName=name, Payload=b'{"n": 2}')["Payload"].read())
    assert again["event"] == {"n": 2}


def test_stream_handler_and_bean_handler(lambda_client, java_function):
    shout = java_function("example.Streams::shout")
    assert lambda_client.invoke(FunctionName=shout, Payload=b'"quiet"')["Payload"].read() == b'"QUIET"'
    greet = java_function("example.Greeter::greet")
    answer = lambda_client.invoke(FunctionName=greet, Payload=json.dumps({"name": "Ada", "age": 36, "extra": 1}))
    assert json.loads(answer["Payload"].read()) == {"message": "Hello Ada", "adult": True}


def test_results_are_serialized_as_aws_java_runtime_serializes_them(lambda_client, java_function):
    """AWS's Java runtime writes a handler's answer with its own Jackson settings: null properties left out, bean
    naming (getURL is "URL"), declared-field order (superclass first), binary in base64, dates as epoch millis,
    Instant as decimal seconds, LocalDate as [y, m, d], NaN as a string, Optional as its content; a String result
    is a JSON string. Compared byte for byte, so order and spelling count."""
    order = java_function("example.Shapes::order")
    payload = lambda_client.invoke(FunctionName=order, Payload=b"{}")["Payload"].read().decode()
    assert payload == (
        '{"id":"b-1","customer":"Ada","URL":"https://example.com/o/1","quantity":3,"paid":true,"ratio":"NaN",'
        '"size":"LARGE","raw":"AQID","codes":[7,8],"created":1700000000123,"shipped":1700000000.123000000,'
        '"due":[2024,1,15],"coupon":"SAVE","extra":{"kept":null,"n":1},"tags":["a\\tb","\\u0001"]}')
    text = java_function("example.Shapes::text")
    assert lambda_client.invoke(FunctionName=text, Payload=b"{}")["Payload"].read() == b'"plain \\"text\\""'
    number = java_function("example.Shapes::number")
    assert lambda_client.invoke(FunctionName=number, Payload=b"{}")["Payload"].read() == b"42"
    nothing = java_function("example.Shapes::nothing")
    assert lambda_client.invoke(FunctionName=nothing, Payload=b"{}")["Payload"].read() == b"null"


def test_exception_and_missing_class(lambda_client, java_function):
    fails = java_function("example.Fails")
    answer = lambda_client.invoke(FunctionName=fails, Payload=b'{"why": "testing"}')
    assert answer["FunctionError"] == "Unhandled"
    error = json.loads(answer["Payload"].read())
    assert error["errorType"] == "java.lang.IllegalStateException" and error["errorMessage"] == "boom: testing"
    assert any("example.Fails.handleRequest" in line for line in error["stackTrace"])
    missing = java_function("example.Missing::handleRequest")
    answer = lambda_client.invoke(FunctionName=missing, Payload=b"{}")
    assert answer["FunctionError"] == "Unhandled"
    assert json.loads(answer["Payload"].read())["errorMessage"] == "Class not found: example.Missing"


def test_aws_event_classes_are_filled_as_aws_serializer_fills_them(lambda_client, java_function):
    kinesis = java_function("example.Events::kinesis")
    event = {"Records": [{"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "pk",
                                      "sequenceNumber": "4959", "data": base64.b64encode(b"hello").decode(),
                                      "approximateArrivalTimestamp": 1545084650.987},
                          "eventSource": "aws:kinesis", "eventSourceARN": "arn:aws:kinesis:us-east-1:000000000000:stream/s"}]}
    answer = lambda_client.invoke(FunctionName=kinesis, Payload=json.dumps(event))
    assert "FunctionError" not in answer, answer["Payload"].read()
    assert json.loads(answer["Payload"].read()) == ["hello|pk|1545084650987|arn:aws:kinesis:us-east-1:000000000000:stream/s"]
    sns = java_function("example.Events::sns")
    event = {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": "hi", "Timestamp": "2019-01-02T12:45:07.000Z"}}]}
    answer = lambda_client.invoke(FunctionName=sns, Payload=json.dumps(event))
    assert "FunctionError" not in answer, answer["Payload"].read()
    assert json.loads(answer["Payload"].read()) == ["hi|1546433107000"]
