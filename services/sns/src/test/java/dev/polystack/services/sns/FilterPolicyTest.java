package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean attrs(String policy, Object... nameTypeValue) throws Exception {
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        for (int i = 0; i < nameTypeValue.length; i += 3) {
            attributes.put((String) nameTypeValue[i], new MessageAttribute((String) nameTypeValue[i + 1], (String) nameTypeValue[i + 2], null));
        }
        return FilterPolicy.parse(policy).matchesAttributes(attributes);
    }

    private static boolean body(String policy, String body) throws Exception {
        return FilterPolicy.parse(policy).matchesBody(JSON.readTree(body));
    }

    private static String error(String policy) {
        return assertThrows(FilterPolicy.InvalidPolicy.class, () -> FilterPolicy.parse(policy)).getMessage();
    }

    @Test
    void exactStringAndNumberAndArrayAttributes() throws Exception {
        assertTrue(attrs("{\"color\":[\"red\",\"blue\"]}", "color", "String", "blue"));
        assertFalse(attrs("{\"color\":[\"red\"]}", "color", "String", "green"));
        assertFalse(attrs("{\"color\":[\"red\"]}"));
        assertTrue(attrs("{\"price\":[100]}", "price", "Number", "100.0"));
        assertFalse(attrs("{\"price\":[100]}", "price", "String", "100"));
        assertTrue(attrs("{\"tags\":[\"b\"]}", "tags", "String.Array", "[\"a\",\"b\"]"));
        assertTrue(attrs("{\"tags\":[5]}", "tags", "String.Array", "[\"a\",5]"));
        // every key must match (AND), any value within a key (OR)
        assertFalse(attrs("{\"a\":[\"1\"],\"b\":[\"2\"]}", "a", "String", "1"));
        assertTrue(attrs("{\"a\":[\"1\"],\"b\":[\"2\"]}", "a", "String", "1", "b", "String", "2"));
    }

    @Test
    void prefixSuffixAndIgnoreCase() throws Exception {
        assertTrue(attrs("{\"k\":[{\"prefix\":\"auto-\"}]}", "k", "String", "auto-insurance"));
        assertFalse(attrs("{\"k\":[{\"prefix\":\"auto-\"}]}", "k", "String", "home"));
        assertTrue(attrs("{\"k\":[{\"suffix\":\".png\"}]}", "k", "String", "a.png"));
        assertFalse(attrs("{\"k\":[{\"suffix\":\".png\"}]}", "k", "String", "a.jpg"));
        assertTrue(attrs("{\"k\":[{\"equals-ignore-case\":\"ReD\"}]}", "k", "String", "red"));
        assertTrue(attrs("{\"k\":[{\"prefix\":{\"equals-ignore-case\":\"AUTO\"}}]}", "k", "String", "auto-x"));
        assertTrue(attrs("{\"k\":[{\"suffix\":{\"equals-ignore-case\":\".PNG\"}}]}", "k", "String", "x.png"));
    }

    @Test
    void anythingBut() throws Exception {
        assertTrue(attrs("{\"k\":[{\"anything-but\":\"a\"}]}", "k", "String", "b"));
        assertFalse(attrs("{\"k\":[{\"anything-but\":\"a\"}]}", "k", "String", "a"));
        assertFalse(attrs("{\"k\":[{\"anything-but\":\"a\"}]}", "other", "String", "x"));
        assertFalse(attrs("{\"k\":[{\"anything-but\":[\"a\",\"b\"]}]}", "k", "String", "b"));
        assertTrue(attrs("{\"k\":[{\"anything-but\":[100, 200]}]}", "k", "Number", "150"));
        assertFalse(attrs("{\"k\":[{\"anything-but\":100}]}", "k", "Number", "100"));
        assertFalse(attrs("{\"k\":[{\"anything-but\":{\"prefix\":\"in\"}}]}", "k", "String", "internal"));
        assertTrue(attrs("{\"k\":[{\"anything-but\":{\"prefix\":\"in\"}}]}", "k", "String", "external"));
        assertFalse(attrs("{\"k\":[{\"anything-but\":{\"equals-ignore-case\":[\"A\"]}}]}", "k", "String", "a"));
    }

    @Test
    void numericRangesAndEquality() throws Exception {
        String range = "{\"p\":[{\"numeric\":[\">\",0,\"<=\",100]}]}";
        assertTrue(attrs(range, "p", "Number", "99.12"));
        assertTrue(attrs(range, "p", "Number", "100"));
        assertFalse(attrs(range, "p", "Number", "0"));
        assertFalse(attrs(range, "p", "Number", "100.12"));
        assertTrue(attrs("{\"p\":[{\"numeric\":[\"=\",5]}]}", "p", "Number", "5.0"));
        assertTrue(attrs("{\"p\":[{\"numeric\":[\">=\",5]}]}", "p", "Number", "5"));
        assertFalse(attrs("{\"p\":[{\"numeric\":[\"<\",5]}]}", "p", "Number", "5"));
        assertTrue(attrs("{\"p\":[{\"numeric\":[\"<=\",5]}]}", "p", "Number", "-3"));
    }

    @Test
    void existsNeedsSomeAttributeWhenFalse() throws Exception {
        assertTrue(attrs("{\"store\":[{\"exists\":true}]}", "store", "String", "x"));
        assertFalse(attrs("{\"store\":[{\"exists\":true}]}", "other", "String", "x"));
        assertTrue(attrs("{\"store\":[{\"exists\":false}]}", "other", "String", "x"));
        assertFalse(attrs("{\"store\":[{\"exists\":false}]}", "store", "String", "x"));
        assertFalse(attrs("{\"store\":[{\"exists\":false}]}"));
    }

    @Test
    void cidr() throws Exception {
        assertTrue(body("{\"ip\":[{\"cidr\":\"10.0.0.0/24\"}]}", "{\"ip\":\"10.0.0.255\"}"));
        assertFalse(body("{\"ip\":[{\"cidr\":\"10.0.0.0/24\"}]}", "{\"ip\":\"10.0.1.1\"}"));
        assertTrue(body("{\"ip\":[{\"cidr\":\"2001:db8::/32\"}]}", "{\"ip\":\"2001:db8:1::1\"}"));
        assertFalse(body("{\"ip\":[{\"cidr\":\"2001:db8::/32\"}]}", "{\"ip\":\"10.0.0.1\"}"));
    }

    @Test
    void orAndNestedBody() throws Exception {
        String or = "{\"source\":[\"aws.cloudwatch\"],\"$or\":[{\"metricName\":[\"CPUUtilization\"]},{\"namespace\":[\"AWS/EC2\"]}]}";
        assertTrue(body(or, "{\"source\":\"aws.cloudwatch\",\"metricName\":\"CPUUtilization\"}"));
        assertTrue(body(or, "{\"source\":\"aws.cloudwatch\",\"namespace\":\"AWS/EC2\"}"));
        assertFalse(body(or, "{\"source\":\"aws.cloudwatch\",\"namespace\":\"AWS/S3\"}"));
        String nested = "{\"object\":{\"nested\":[\"string.value\"]}}";
        assertTrue(body(nested, "{\"object\":{\"nested\":\"string.value\"}}"));
        assertTrue(body(nested, "{\"object.nested\":\"string.value\"}"));
        assertFalse(body(nested, "{\"object\":{\"nested\":\"other\"}}"));
        // arrays of objects contribute every element
        assertTrue(body("{\"r\":{\"s3\":{\"key\":[{\"prefix\":\"auto-\"}]}}}",
                "{\"r\":[{\"s3\":{\"key\":\"home\"}},{\"s3\":{\"key\":\"auto-x\"}}]}"));
        assertTrue(body("{\"k\":[null]}", "{\"k\":null}"));
        assertTrue(body("{\"k\":[true]}", "{\"k\":true}"));
        assertFalse(FilterPolicy.parse("{\"k\":[\"a\"]}").matchesBody(null));
        assertFalse(body("{\"k\":[\"a\"]}", "[\"a\"]"));
        assertTrue(FilterPolicy.parse(nested).nested());
        assertFalse(FilterPolicy.parse(or).nested());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"key\":[[\"value\"]]}|Match value must be String, number, true, false, or null|10",
            "{\"key\":[{\"wrong-operator\":true}]}|Unrecognized match type wrong-operator|31",
            "{\"key\":[{\"suffix\":\"value\",\"prefix\":\"value2\"}]}|Only one key allowed in match expression|37",
            "{\"key\":[]}|Empty arrays are not allowed|10",
            "{\"key\":[{\"suffix\":100}]}|suffix match pattern must be a string|22",
            "{\"key\":[{\"suffix\":null}]}|suffix match pattern must be a string|23",
            "{\"key\":{\"suffix\":\"value\"}}|\"suffix\" must be an object or an array|19",
            "{\"key\":[{\"suffix\":[]}]}|suffix match pattern must be a string|20",
            "{\"key\":[{\"suffix\":[\"test\",\"test2\"]}]}|suffix match pattern must be a string|20",
            "{\"key\":{\"not-an-operator\":\"value\"}}|\"not-an-operator\" must be an object or an array|28",
            "{\"key\":[{\"cidr\":[\"bad-filter\"]}]}|prefix match pattern must be a string|18",
            "{\"key\":[{\"numeric\":[]}]}|Invalid member in numeric match: ]|22",
            "{\"key\":[{\"numeric\":[\"operator\"]}]}|Unrecognized numeric range operator: operator|32",
            "{\"key\":[{\"numeric\":[1,\"<=\"]}]}|Invalid member in numeric match: 1|22",
            "{\"key\":[{\"numeric\":[\"=\",\"000\"]}]}|Value of equals must be numeric|26",
            "{\"key\":[{\"numeric\":[\">=\"]}]}|Value of >= must be numeric|26",
            "{\"key\":[{\"numeric\":[\"<\",100,\">\",10]}]}|Too many elements in numeric expression|30",
            "{\"key\":[{\"numeric\":[\">=\",1,\">\",2]}]}|Bad numeric range operator: >|31",
            "{\"key\":[{\"numeric\":[\">\",3,\"<\",1]}]}|Bottom must be less than top|33",
            "{\"key\":[{\"numeric\":[\">\",20,\"<=\"]}]}|Value of <= must be numeric|33",
            "{\"key\":[{\"numeric\":[\">\",20,30]}]}|Bad value in numeric range: 30|30",
            "{\"key\":[{\"numeric\":[\">\",20,\"test\"]}]}|Bad numeric range operator: test|34",
            "{\"key\":[{\"numeric\":[\">\",\"20\",\"<\",\"30\"]}]}|Value of > must be numeric|26",
            "{\"key\":[{\"numeric\":[\">\",20,\"<\",\"30\"]}]}|Value of < must be numeric|33",
            "{\"key\":[{\"numeric\":[\">\",20,\"<\",30,\"<\",50]}]}|Too many terms in numeric range expression|36",
            "{\"key\":[{\"exists\":null}]}|exists match pattern must be either true or false.|23",
            "{\"key\":[{\"exists\":\"no\"}]}|exists match pattern must be either true or false.|20",
            "{\"key\":[{\"anything-but\":{\"wrong-operator\":null}}]}|Unsupported anything-but pattern: wrong-operator|47",
            "{\"key\":[{\"anything-but\":{\"suffix\":\"test\"}}]}|Unsupported anything-but pattern: suffix|36",
            "{\"key\":[{\"anything-but\":{\"exists\":false}}]}|Unsupported anything-but pattern: exists|40",
            "{\"key\":[{\"anything-but\":{\"prefix\":false}}]}|prefix match pattern must be a string|40",
            "{\"key_a\":\"value_one\"}|\"key_a\" must be an object or an array|11",
    })
    void invalidPoliciesReportAwsMessageAndPosition(String policy, String message, int column) {
        assertEquals(message + "\n at [Source: (String)\"" + policy + "\"; line: 1, column: " + column + "]", error(policy));
    }

    @Test
    void invalidCidrsAndLimits() {
        assertEquals("Malformed CIDR, one '/' required", error("{\"k\":[{\"cidr\":\"bad-filter\"}]}"));
        assertEquals("Nonstandard IP address: bad-filter", error("{\"k\":[{\"cidr\":\"bad-filter/32\"}]}"));
        assertEquals("Malformed CIDR, mask bits must be an integer", error("{\"k\":[{\"cidr\":\"10.0.0.0/xx\"}]}"));
        assertEquals("Nonstandard IP address: xx.11.xx", error("{\"k\":[{\"cidr\":\"xx.11.xx/8\"}]}"));
        assertEquals("Nonstandard IP address: xxxx:db8:1234:1a00::", error("{\"k\":[{\"cidr\":\"xxxx:db8:1234:1a00::/64\"}]}"));
        assertEquals("Filter policy can not have more than 5 keys", error("{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}"));
        StringBuilder many = new StringBuilder("{\"a\":[");
        for (int i = 0; i < 151; i++) many.append(i == 0 ? "" : ",").append(i);
        assertEquals("Filter policy is too complex", error(many.append("]}").toString()));
        // 13 x 12 = 156 combinations
        StringBuilder two = new StringBuilder("{\"a\":[");
        for (int i = 0; i < 13; i++) two.append(i == 0 ? "" : ",").append(i);
        two.append("],\"b\":[");
        for (int i = 0; i < 12; i++) two.append(i == 0 ? "" : ",").append(i);
        assertEquals("Filter policy is too complex", error(two.append("]}").toString()));
        FilterPolicy.InvalidPolicy syntax = assertThrows(FilterPolicy.InvalidPolicy.class, () -> FilterPolicy.parse("{invalid"));
        assertTrue(syntax.jsonSyntax());
        assertTrue(syntax.getMessage().startsWith("failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name"),
                syntax.getMessage());
    }

    /** AWS's complexity rule (recorded): values times nesting depth per key, multiplied, summed over $or branches. */
    @Test
    void complexityCountsNestingDepthAndOrBranches() throws Exception {
        // (4 * 6) + (4 * 4 * 4) + (4 * 4 * 4) = 152
        String flat = """
                {"source": ["aws.cloudwatch", "aws.events", "aws.test", "aws.test2"],
                 "$or": [{"metricName": ["CPUUtilization", "ReadLatency", "t1", "t2", "t3", "t4"]},
                         {"metricType": ["MetricType", "TestType", "TestType2", "TestType3"],
                          "$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4]}]}]}""";
        assertEquals("Filter policy is too complex", assertThrows(FilterPolicy.InvalidPolicy.class, () -> FilterPolicy.parse(flat)).getMessage());
        // (3 * 4 * 2) + (3 * 4 * 6) + (2 * 4 * 2) + (2 * 4 * 6) = 160: keys under "detail" count twice
        String nested = """
                {"$or": [{"metricName": ["CPUUtilization", "ReadLatency", "TestValue"]}, {"namespace": ["AWS/EC2", "AWS/ES"]}],
                 "detail": {"scope": ["Service", "Test"],
                            "$or": [{"source": ["aws.cloudwatch"]}, {"type": ["CloudWatch Alarm State Change", "TestValue", "TestValue2"]}]}}""";
        assertEquals("Filter policy is too complex", assertThrows(FilterPolicy.InvalidPolicy.class, () -> FilterPolicy.parse(nested)).getMessage());
        // (3 * 6) + (3 * 4 * 4) + (3 * 4 * 7) = 150: at the limit, accepted
        FilterPolicy.parse("""
                {"source": ["aws.cloudwatch", "aws.events", "aws.test"],
                 "$or": [{"metricName": ["CPUUtilization", "ReadLatency", "TestVal", "TestVal2", "TestVal3", "TestVal4"]},
                         {"metricType": ["MetricType", "TestType", "TestType2", "TestType3"],
                          "$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4, 5, 6, 7]}]}]}""");
    }

    /** Of a nested policy only the top-level keys count against the limit of 5. */
    @Test
    void keyLimitCountsTopLevelKeys() throws Exception {
        FilterPolicy.parse("{\"a\": {\"k1\": [1], \"k2\": [2], \"k3\": [3], \"k4\": [4], \"k5\": [5], \"k6\": [6]}}");
        assertEquals("Filter policy can not have more than 5 keys", assertThrows(FilterPolicy.InvalidPolicy.class, () ->
                FilterPolicy.parse("{\"k1\": [1], \"k2\": [2], \"k3\": [3], \"k4\": [4], \"k5\": [5], \"k6\": {\"x\": [6]}}")).getMessage());
    }
}
