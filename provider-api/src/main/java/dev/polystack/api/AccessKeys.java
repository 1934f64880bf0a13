package dev.polystack.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps access key ids to accounts. The gateway asks it for every signed request; STS registers the
 * temporary keys it issues so later calls made with them land in the right account.
 * Without a registration: a 12-digit key is that account, anything else is {@value Config#DEFAULT_ACCOUNT}
 * (LocalStack's rule).
 */
public final class AccessKeys {
    private static final ConcurrentHashMap<String, String> ISSUED = new ConcurrentHashMap<>();
    /** Key → the IAM user or STS session ARN it signs for (what ENFORCE_IAM checks); root keys have none. */
    private static final ConcurrentHashMap<String, String> PRINCIPALS = new ConcurrentHashMap<>();
    /** Key → the inline session policy an STS session was created with (it limits the session's permissions). */
    private static final ConcurrentHashMap<String, String> SESSION_POLICIES = new ConcurrentHashMap<>();

    private AccessKeys() {
    }

    public static void register(String accessKeyId, String accountId) {
        ISSUED.put(accessKeyId, accountId);
    }

    /** Registers a key together with the principal it belongs to (an IAM user, an STS assumed-role session ...). */
    public static void register(String accessKeyId, String accountId, String principalArn) {
        ISSUED.put(accessKeyId, accountId);
        if (principalArn != null) PRINCIPALS.put(accessKeyId, principalArn);
    }

    /** Records the session policy of temporary credentials (AssumeRole's {@code Policy}); null or blank: none. */
    public static void registerSessionPolicy(String accessKeyId, String policy) {
        if (policy == null || policy.isBlank()) SESSION_POLICIES.remove(accessKeyId);
        else SESSION_POLICIES.put(accessKeyId, policy);
    }

    /** The session policy a key's session was created with, or null. */
    public static String sessionPolicyFor(String accessKeyId) {
        return accessKeyId == null ? null : SESSION_POLICIES.get(accessKeyId);
    }

    /** Forgets a key (an IAM access key deleted). */
    public static void unregister(String accessKeyId) {
        ISSUED.remove(accessKeyId);
        PRINCIPALS.remove(accessKeyId);
        SESSION_POLICIES.remove(accessKeyId);
    }

    /** The principal ARN a key signs for, or null for root and unknown keys. */
    public static String principalFor(String accessKeyId) {
        return accessKeyId == null ? null : PRINCIPALS.get(accessKeyId);
    }

    public static String accountFor(String accessKeyId) {
        if (accessKeyId == null || accessKeyId.isEmpty()) return Config.DEFAULT_ACCOUNT;
        String issued = ISSUED.get(accessKeyId);
        if (issued != null) return issued;
        if (accessKeyId.length() == 12 && accessKeyId.chars().allMatch(Character::isDigit)) return accessKeyId;
        return Config.DEFAULT_ACCOUNT;
    }

    /** Registered keys (persistence of STS state). */
    public static java.util.Map<String, String> issued() {
        return ISSUED;
    }
}
