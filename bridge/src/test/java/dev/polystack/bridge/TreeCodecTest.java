package dev.polystack.bridge;

import dev.polystack.api.StreamingBody;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TreeCodecTest {

    @Test
    void roundTripsEveryTreeType() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("s", "text ü");
        tree.put("i", 7);
        tree.put("l", 5_000_000_000L);
        tree.put("d", 1.5);
        tree.put("b", true);
        tree.put("list", List.of("a", Map.of("k", false)));
        tree.put("t", Instant.ofEpochMilli(1_700_000_000_123L));
        tree.put("blob", new byte[]{0, (byte) 0xff, 1});
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) TreeCodec.read(TreeCodec.write(tree));
        assertEquals("text ü", back.get("s"));
        assertEquals(7, back.get("i"));
        assertEquals(5_000_000_000L, back.get("l"));
        assertEquals(1.5, back.get("d"));
        assertEquals(true, back.get("b"));
        assertEquals(List.of("a", Map.of("k", false)), back.get("list"));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), back.get("t"));
        assertArrayEquals(new byte[]{0, (byte) 0xff, 1}, (byte[]) back.get("blob"));
    }

    @Test
    void streamingBodiesTravelAsBlobs() {
        Object back = TreeCodec.read(TreeCodec.write(Map.of("Body", StreamingBody.of(new byte[]{4, 2}))));
        assertArrayEquals(new byte[]{4, 2}, (byte[]) ((Map<?, ?>) back).get("Body"));
    }
}
