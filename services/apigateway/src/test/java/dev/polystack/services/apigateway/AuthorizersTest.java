package dev.polystack.services.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AuthorizersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/pets/1";

    private static String effect(String policy) throws Exception {
        return Authorizers.evaluate(JSON.readTree(policy), ARN);
    }

    @Test
    void allowWithWildcardsAndExplicitDenyWins() throws Exception {
        assertEquals("Allow", effect("{\"Statement\":[{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:execute-api:*:*:abc/*\"}]}"));
        assertEquals("Deny", effect("{\"Statement\":[{\"Action\":\"execute-api:*\",\"Effect\":\"Allow\",\"Resource\":\"*\"},"
                + "{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Deny\",\"Resource\":[\"arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/pets/*\"]}]}"));
        assertNull(effect("{\"Statement\":{\"Action\":\"execute-api:Invoke\",\"Effect\":\"Allow\",\"Resource\":\"arn:aws:execute-api:*:*:other/*\"}}"));
    }
}
