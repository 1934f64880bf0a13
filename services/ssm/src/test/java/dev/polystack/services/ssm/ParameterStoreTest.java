package dev.polystack.services.ssm;

import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParameterStoreTest {
    /** Reversible stand-in for KMS: enough to see that values are stored encrypted and revealed on request. */
    private static final ParameterStore.Crypto CRYPTO = new ParameterStore.Crypto() {
        @Override
        public String encrypt(String keyId, String arn, String plaintext) {
            return "enc:" + new StringBuilder(plaintext).reverse();
        }

        @Override
        public String decrypt(String arn, String ciphertext) {
            return new StringBuilder(ciphertext.substring(4)).reverse().toString();
        }
    };

    private final ParameterStore store = new ParameterStore("aws", "us-east-1", "000000000000");

    private ParameterVersion put(String name, String value, String type, boolean overwrite) {
        return store.put(new ParameterStore.PutRequest(name, value, type, null, null, overwrite, null, Map.of(), null, null, null), CRYPTO, 1L);
    }

    @Test
    void oldestVersionGoesAfterAHundredUnlessLabelled() {
        for (int i = 0; i < 100; i++) put("/p", "v" + i, "String", i > 0);
        store.label("/p", 1L, List.of("keep"));
        ServiceException e = assertThrows(ServiceException.class, () -> put("/p", "x", null, true));
        assertEquals("ParameterMaxVersionLimitExceeded", e.code());
        store.unlabel("/p", 1, List.of("keep"));
        assertEquals(101, put("/p", "x", null, true).version);
        assertEquals("ParameterVersionNotFound", assertThrows(ServiceException.class, () -> store.get("/p:1", false, CRYPTO)).code());
        assertEquals("v1", store.get("/p:2", false, CRYPTO).version().value);
    }

    @Test
    void secureStringIsStoredEncryptedAndKeepsItsKeyOnOverwrite() {
        store.put(new ParameterStore.PutRequest("/s", "pw", "SecureString", null, "alias/mine", false, null, Map.of(), null, null, null), CRYPTO, 1L);
        assertEquals("enc:wp", store.get("/s", false, CRYPTO).version().value);
        put("/s", "pw2", null, true);
        ParameterVersion latest = store.get("/s", true, CRYPTO).version();
        assertEquals("pw2", latest.value);
        assertEquals("alias/mine", latest.keyId);
    }

    @Test
    void byPathHonoursLevelsAndRootNames() {
        put("top", "1", "String", false);
        put("/a/b", "2", "String", false);
        put("/a/b/c", "3", "String", false);
        assertEquals(List.of("top"), store.byPath("/", false, List.of(), false, CRYPTO, null, null).items().stream().map(v -> v.name).toList());
        assertEquals(List.of("/a/b"), store.byPath("/a", false, List.of(), false, CRYPTO, null, null).items().stream().map(v -> v.name).toList());
        var page = store.byPath("/", true, List.of(), false, CRYPTO, 2, null);
        assertEquals(2, page.items().size());
        var rest = store.byPath("/", true, List.of(), false, CRYPTO, 2, page.nextToken());
        assertEquals(1, rest.items().size());
        assertNull(rest.nextToken());
    }

    @Test
    void snapshotRoundTrips() {
        put("/x", "1", "String", false);
        store.label("/x", null, List.of("l"));
        ParameterStore other = new ParameterStore("aws", "us-east-1", "000000000000");
        other.restore(store.snapshot());
        assertEquals("1", other.get("/x:l", false, CRYPTO).version().value);
    }
}
