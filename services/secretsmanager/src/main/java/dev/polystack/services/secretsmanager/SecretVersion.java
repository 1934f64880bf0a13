package dev.polystack.services.secretsmanager;

import java.util.ArrayList;
import java.util.List;

/** One version of a secret (persisted as is). The value is KMS ciphertext, never plaintext. */
public final class SecretVersion {
    public String versionId;
    /** KMS ciphertext of the value, base64; null for the value-less version a rotation starts with. */
    public String ciphertext;
    public boolean binary;
    public List<String> stages = new ArrayList<>();
    /** Epoch milliseconds. */
    public long created;
    /** Epoch milliseconds, truncated to the day as AWS reports it; 0 = never. */
    public long lastAccessed;

    SecretVersion copy() {
        SecretVersion c = new SecretVersion();
        c.versionId = versionId;
        c.ciphertext = ciphertext;
        c.binary = binary;
        c.stages = new ArrayList<>(stages);
        c.created = created;
        c.lastAccessed = lastAccessed;
        return c;
    }
}
