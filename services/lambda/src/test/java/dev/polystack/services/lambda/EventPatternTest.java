package dev.polystack.services.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean matches(String pattern, String event) throws Exception {
        JsonNode p = JSON.readTree(pattern);
        return EventPattern.matches(p, JSON.readTree(event));
    }

    @Test
    void exactValuesAndNesting() throws Exception {
        assertTrue(matches("{\"body\":{\"kind\":[\"a\",\"b\"]}}", "{\"body\":{\"kind\":\"b\"}}"));
        assertFalse(matches("{\"body\":{\"kind\":[\"a\"]}}", "{\"body\":{\"kind\":\"c\"}}"));
        assertFalse(matches("{\"body\":{\"kind\":[\"a\"]}}", "{\"body\":\"plain text\"}"));
        assertTrue(matches("{\"n\":[5]}", "{\"n\":5.0}"));
    }

    @Test
    void operators() throws Exception {
        assertTrue(matches("{\"k\":[{\"prefix\":\"ab\"}]}", "{\"k\":\"abc\"}"));
        assertTrue(matches("{\"k\":[{\"exists\":false}]}", "{}"));
        assertFalse(matches("{\"k\":[{\"exists\":true}]}", "{}"));
        assertTrue(matches("{\"k\":[{\"anything-but\":[\"x\"]}]}", "{\"k\":\"y\"}"));
        assertFalse(matches("{\"k\":[{\"anything-but\":\"x\"}]}", "{\"k\":\"x\"}"));
        assertTrue(matches("{\"k\":[{\"numeric\":[\">\",1,\"<=\",5]}]}", "{\"k\":5}"));
        assertFalse(matches("{\"k\":[{\"numeric\":[\">\",1,\"<=\",5]}]}", "{\"k\":6}"));
        assertTrue(matches("{\"k\":[\"v\"]}", "{\"k\":[\"u\",\"v\"]}"));
    }
}
