package dev.polystack.services.lambda;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionRefTest {
    @Test
    void nameAloneUsesTheCallersAccountAndRegion() {
        FunctionRef r = FunctionRef.parse("my-fn", null, "111111111111", "eu-west-1");
        assertEquals("my-fn", r.name());
        assertNull(r.qualifier());
        assertEquals("arn:aws:lambda:eu-west-1:111111111111:function:my-fn", r.unqualifiedArn());
    }

    @Test
    void fullAndPartialArnsWithQualifiers() {
        FunctionRef full = FunctionRef.parse("arn:aws:lambda:us-west-2:123456789012:function:f:prod", null, "000000000000", "us-east-1");
        assertEquals("us-west-2", full.region());
        assertEquals("123456789012", full.account());
        assertEquals("prod", full.qualifier());
        FunctionRef partial = FunctionRef.parse("123456789012:function:f", "7", "000000000000", "us-east-1");
        assertEquals("123456789012", partial.account());
        assertEquals("7", partial.qualifier());
        assertEquals("$LATEST", FunctionRef.parse("f:$LATEST", null, "000000000000", "us-east-1").qualifier());
    }

    @Test
    void awsMessagesForBadNames() {
        ServiceException bad = assertThrows(ServiceException.class,
                () -> FunctionRef.parse("arn:aws:lambda:us-east-1:123400000000@function:myfn", null, "000000000000", "us-east-1"));
        assertEquals("ValidationException", bad.code());
        assertTrue(bad.getMessage().startsWith("1 validation error detected: Value 'arn:aws:lambda:us-east-1:123400000000@function:myfn' "
                + "at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "));
        ServiceException mismatch = assertThrows(ServiceException.class,
                () -> FunctionRef.parse("f:1", "2", "000000000000", "us-east-1"));
        assertEquals("InvalidParameterValueException", mismatch.code());
        assertEquals("The derived qualifier from the function name does not match the specified qualifier.", mismatch.getMessage());
        ServiceException tooLong = assertThrows(ServiceException.class,
                () -> FunctionRef.parse("a".repeat(65), null, "000000000000", "us-east-1"));
        assertEquals("ValidationException", tooLong.code());
    }
}
