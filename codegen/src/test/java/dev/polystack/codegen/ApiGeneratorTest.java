package dev.polystack.codegen;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Java names from botocore names, and the generated sources of a tiny specification. */
class ApiGeneratorTest {

    @Test
    void memberNamesBecomeJavaNames() {
        assertEquals("queueUrl", ApiGenerator.fieldName("QueueUrl"));
        assertEquals("md5OfBody", ApiGenerator.fieldName("MD5OfBody"));
        assertEquals("awsAccountIds", ApiGenerator.fieldName("AWSAccountIds"));
        assertEquals("tags", ApiGenerator.fieldName("tags"));
        assertEquals("ssekmsKeyId", ApiGenerator.fieldName("SSEKMSKeyId"));
        assertEquals("defaultValue", ApiGenerator.fieldName("Default"));
        assertEquals("classValue", ApiGenerator.fieldName("Class"));
        assertEquals("acl", ApiGenerator.fieldName("ACL"));
    }

    @Test
    void enumValuesBecomeConstants() {
        assertEquals("APPROXIMATE_NUMBER_OF_MESSAGES", ApiGenerator.constantName("ApproximateNumberOfMessages"));
        assertEquals("AWS_KMS", ApiGenerator.constantName("aws:kms"));
        assertEquals("RSAES_OAEP_SHA_256", ApiGenerator.constantName("RSAES_OAEP_SHA_256"));
        assertEquals("US_EAST_1", ApiGenerator.constantName("us-east-1"));
        assertEquals("_1", ApiGenerator.constantName("1"));
        assertEquals("_", ApiGenerator.constantName("*"));
    }

    @Test
    void generatesTheInterfaceStructuresEnumsAndErrorsOfASpecification() throws Exception {
        Path data = Files.createTempDirectory("botocore");
        Path version = Files.createDirectories(data.resolve("echo").resolve("2020-01-01"));
        Files.writeString(version.resolve("service-2.json"), """
                {"metadata": {"serviceFullName": "Echo Service", "protocol": "json"},
                 "operations": {
                   "Say": {"name": "Say", "input": {"shape": "SayRequest"}, "output": {"shape": "SayResult"},
                           "errors": [{"shape": "TooLoud"}]},
                   "Forget": {"name": "Forget"}},
                 "shapes": {
                   "SayRequest": {"type": "structure", "members": {"Text": {"shape": "String"}, "Mood": {"shape": "Mood"},
                                  "Default": {"shape": "Boolean"}, "When": {"shape": "Time"}, "Data": {"shape": "Blob"}}},
                   "SayResult": {"type": "structure", "members": {"Echoes": {"shape": "Echoes"}}},
                   "Echoes": {"type": "list", "member": {"shape": "SayResult"}},
                   "Mood": {"type": "string", "enum": ["happy", "not-sure"]},
                   "TooLoud": {"type": "structure", "members": {"message": {"shape": "String"}, "Decibels": {"shape": "Integer"}},
                               "exception": true, "error": {"httpStatusCode": 413, "senderFault": true}},
                   "String": {"type": "string"}, "Boolean": {"type": "boolean"}, "Integer": {"type": "integer"},
                   "Time": {"type": "timestamp"}, "Blob": {"type": "blob"}}}
                """);
        Path out = Files.createTempDirectory("generated");
        ApiGenerator.main(new String[]{data.toString(), "echo", "x.echo", "EchoApi", out.toString()});
        Path pkg = out.resolve("x/echo");
        String api = Files.readString(pkg.resolve("EchoApi.java"));
        assertTrue(api.contains("default SayResult say(dev.polystack.api.RequestContext context, SayRequest request)"), api);
        assertTrue(api.contains("default void forget(dev.polystack.api.RequestContext context)"), api);
        String request = Files.readString(pkg.resolve("SayRequest.java"));
        assertTrue(request.contains("public Mood mood()"), request);
        assertTrue(request.contains("public java.lang.String moodAsString()"), request);
        assertTrue(request.contains("private final java.lang.Boolean defaultValue;"), request);
        assertTrue(request.contains("private final java.time.Instant when;"), request);
        assertTrue(request.contains("private final byte[] data;"), request);
        assertTrue(Files.readString(pkg.resolve("SayResult.java")).contains("Type.list(dev.polystack.api.model.Type.structure(() -> SayResult.SHAPE))"));
        String mood = Files.readString(pkg.resolve("Mood.java"));
        assertTrue(mood.contains("HAPPY(\"happy\")") && mood.contains("NOT_SURE(\"not-sure\")") && mood.contains("UNKNOWN(null)"), mood);
        String error = Files.readString(pkg.resolve("TooLoudException.java"));
        assertTrue(error.contains("super(CODE, message, 413, true);") && error.contains("public TooLoudException decibels(java.lang.Integer value)"), error);
    }
}
