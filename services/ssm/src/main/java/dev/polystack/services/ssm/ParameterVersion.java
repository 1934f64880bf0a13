package dev.polystack.services.ssm;

import java.util.ArrayList;
import java.util.List;

/**
 * One version of a parameter, as stored (and persisted: public fields, Jackson-friendly). A SecureString's
 * {@link #value} is the KMS ciphertext, base64-encoded, exactly what AWS returns without {@code WithDecryption}.
 */
public final class ParameterVersion {
    public String name;
    public String type;
    public String value;
    public long version;
    public String description;
    public String allowedPattern;
    /** The KMS key of a SecureString as the caller named it (default {@code alias/aws/ssm}). */
    public String keyId;
    /** Epoch milliseconds. */
    public long lastModified;
    public String lastModifiedUser;
    public String dataType = "text";
    public String tier = "Standard";
    /** The policies as given (a JSON array), null when none. */
    public String policies;
    public List<String> labels = new ArrayList<>();

    ParameterVersion copy() {
        ParameterVersion c = new ParameterVersion();
        c.name = name;
        c.type = type;
        c.value = value;
        c.version = version;
        c.description = description;
        c.allowedPattern = allowedPattern;
        c.keyId = keyId;
        c.lastModified = lastModified;
        c.lastModifiedUser = lastModifiedUser;
        c.dataType = dataType;
        c.tier = tier;
        c.policies = policies;
        c.labels = new ArrayList<>(labels);
        return c;
    }
}
