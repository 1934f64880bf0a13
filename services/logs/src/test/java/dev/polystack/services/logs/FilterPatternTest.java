package dev.polystack.services.logs;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterPatternTest {

    private static boolean m(String pattern, String message) {
        return FilterPattern.compile(pattern).matches(message);
    }

    @Test
    void terms() {
        assertTrue(m("ERROR", "an ERROR happened"));
        assertFalse(m("ERROR", "an error happened"));
        assertTrue(m("ERROR db", "ERROR in db"));
        assertFalse(m("ERROR db", "ERROR in cache"));
        assertTrue(m("\"in db\"", "ERROR in db"));
        assertTrue(m("?WARN ?ERROR", "WARN x"));
        assertFalse(m("?WARN ?ERROR", "INFO x"));
        assertFalse(m("ERROR -db", "ERROR in db"));
        assertTrue(m("", "anything"));
        assertTrue(m("%[0-9]{3} ms%", "took 250 ms"));
    }

    @Test
    void jsonPatterns() {
        String msg = "{\"level\": \"error\", \"latency\": 250, \"user\": {\"id\": 7, \"tags\": [\"a\"]}, \"gone\": null, \"ok\": true}";
        assertTrue(m("{ $.level = \"error\" }", msg));
        assertTrue(m("{ $.level = err* }", msg));
        assertTrue(m("{ $.latency >= 250 && $.user.id = 7 }", msg));
        assertTrue(m("{ ($.latency < 10) || ($.user.tags[0] = \"a\") }", msg));
        assertTrue(m("{ $.gone IS NULL }", msg));
        assertTrue(m("{ $.ok IS TRUE }", msg));
        assertTrue(m("{ $.missing NOT EXISTS }", msg));
        assertFalse(m("{ $.level != \"error\" }", msg));
        assertFalse(m("{ $.level = \"error\" }", "not json"));
        assertThrows(ServiceException.class, () -> FilterPattern.compile("{ $.a = }"));
        assertThrows(ServiceException.class, () -> FilterPattern.compile("{ $.a > \"x\" }"));
    }

    @Test
    void spaceDelimitedPatternsAndMetricValues() {
        String line = "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534";
        assertEquals(List.of("127.0.0.1", "-", "frank", "10/Oct/2000:13:25:15 -0700", "GET /index.html HTTP/1.0", "404", "1534"),
                FilterPattern.splitFields(line));
        assertTrue(m("[ip, id, user, timestamp, request, status_code = 4*, size]", line));
        assertTrue(m("[ip, id, user, ..., status_code = 404 || status_code = 500, size > 1000]", line));
        assertFalse(m("[ip, id, user, ..., status_code = 500, size]", line));
        assertFalse(m("[ip, id, user]", line)); // without "..." the field count must match
        assertFalse(m("[ip, id, user, timestamp, request, status_code = 200, size]", line));
        FilterPattern p = FilterPattern.compile("[ip, id, user, timestamp, request, status_code, size]");
        assertEquals(1534.0, p.value(new FilterPattern.Message(line), "$size"));
        FilterPattern j = FilterPattern.compile("{ $.latency > 0 }");
        assertEquals(250.0, j.value(new FilterPattern.Message("{\"latency\": 250}"), "$.latency"));
    }
}
