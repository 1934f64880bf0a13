package dev.polystack.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ListenAddressTest {
    @Test
    void parsesLocalStackForms() {
        assertEquals(List.of(new ListenAddress("127.0.0.1", 4566)), ListenAddress.parseAll(null));
        assertEquals(List.of(new ListenAddress("0.0.0.0", 4566), new ListenAddress("0.0.0.0", 443)),
                ListenAddress.parseAll("0.0.0.0:4566, 0.0.0.0:443"));
        assertEquals(new ListenAddress("0.0.0.0", 5000), ListenAddress.parse(":5000"));
        assertEquals(new ListenAddress("127.0.0.1", 5000), ListenAddress.parse("5000"));
        assertEquals(new ListenAddress("::1", 4566), ListenAddress.parse("[::1]:4566"));
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("host:port"));
    }

    @Test
    void urlShowsWildcardAsLocalhost() {
        assertEquals("http://localhost:4566", new ListenAddress("0.0.0.0", 4566).url(4566));
        assertEquals("http://127.0.0.1:1234", new ListenAddress("127.0.0.1", 0).url(1234));
        assertEquals("http://[::1]:4566", new ListenAddress("::1", 4566).url(4566));
    }
}
