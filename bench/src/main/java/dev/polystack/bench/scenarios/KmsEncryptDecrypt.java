package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * KMS Encrypt then Decrypt of the returned blob (64 bytes, with an encryption context) under one
 * symmetric key: JSON 1.1 both ways, AES-GCM, key lookup. One iteration = two requests.
 */
public final class KmsEncryptDecrypt implements Scenario {
    private static final String PLAINTEXT = Base64.getEncoder().encodeToString(new byte[64]);
    private final Map<String, String> keyIds = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "kms-encrypt-decrypt";
    }

    @Override
    public void setup(Target target) throws Exception {
        String created = target.awsJson("kms", "TrentService.CreateKey", "{\"Description\":\"bench\"}", "1.1");
        keyIds.put(target.name(), stringMember(created, "KeyId"));
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String keyId = keyIds.get(target.name());
        String context = "\"EncryptionContext\":{\"worker\":\"" + worker + "\"}";
        String encrypted = target.awsJson("kms", "TrentService.Encrypt",
                "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"" + PLAINTEXT + "\"," + context + "}", "1.1");
        String blob = stringMember(encrypted, "CiphertextBlob");
        String decrypted = target.awsJson("kms", "TrentService.Decrypt",
                "{\"CiphertextBlob\":\"" + blob + "\"," + context + "}", "1.1");
        if (!PLAINTEXT.equals(stringMember(decrypted, "Plaintext"))) throw new IllegalStateException("round trip changed the data");
    }

    /** The value of a top-level or nested string member in a small JSON answer (no escapes in these values). */
    static String stringMember(String json, String member) {
        String key = "\"" + member + "\"";
        int at = json.indexOf(key);
        if (at < 0) throw new IllegalStateException(member + " missing in " + json);
        int start = json.indexOf('"', json.indexOf(':', at + key.length()) + 1) + 1;
        return json.substring(start, json.indexOf('"', start));
    }
}
