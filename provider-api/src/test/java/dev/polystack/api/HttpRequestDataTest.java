package dev.polystack.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class HttpRequestDataTest {
    private static byte[] bodyBytes(String body, String declaredLength) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (declaredLength != null) headers.put("content-length", List.of(declaredLength));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequestData("POST", "/", "", headers, new ByteArrayInputStream(bytes)).bodyBytes();
    }

    @Test
    void readsTheWholeBodyWhateverTheDeclaredLength() {
        String body = "{\"QueueUrl\":\"http://localhost/000000000000/q\"}";
        byte[] expected = body.getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, bodyBytes(body, null));
        assertArrayEquals(expected, bodyBytes(body, Integer.toString(expected.length)));
        assertArrayEquals(expected, bodyBytes(body, "3"));      // longer than declared (a decoded body)
        assertArrayEquals(expected, bodyBytes(body, "1000"));   // shorter than declared
        assertArrayEquals(expected, bodyBytes(body, "nonsense"));
        assertArrayEquals(new byte[0], bodyBytes("", "0"));
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), bodyBytes("x", "0"));
    }
}
