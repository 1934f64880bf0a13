package dev.polystack.services.secretsmanager;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.ServiceException;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every semantic of Secrets Manager over plain values: secrets per account and region, versions and their staging
 * labels (AWSCURRENT / AWSPREVIOUS / AWSPENDING moving as AWS moves them), lookups by name, full and partial ARN,
 * scheduled deletion, replication across regions, resource policies and cross-account reads, rotation through a
 * {@link Rotator}. One read-write lock over all secrets: a write (and replication, which touches two regions) never
 * interleaves with another; reads share it. Lambda calls of a rotation run outside the lock, because the rotation
 * function calls back into this engine.
 */
public final class SecretsEngine {
    static final String DEFAULT_KEY = "alias/aws/secretsmanager";
    static final int MAX_DEPRECATED_VERSIONS = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]+");
    private static final Pattern ARN = Pattern.compile("arn:([^:]+):secretsmanager:([^:]+):(\\d{12}):secret:(.+)");
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long DAY = 86_400_000L;

    /** Encryption of secret values (the KMS provider in the server). */
    public interface Crypto {
        /** @param keyId null for the default key; @return ciphertext, base64 */
        String encrypt(String account, String region, String keyId, byte[] plaintext);

        byte[] decrypt(String account, String region, String ciphertext);
    }

    /** Rotation functions (the Lambda provider in the server). */
    public interface Rotator {
        boolean exists(String account, String region, String functionArn);

        /** Runs one step ({@code createSecret} ...); false when the function failed (the rotation stops there). */
        boolean invoke(String account, String region, String functionArn, String step, String secretArn, String token);
    }

    /** A secret value: exactly one of the two is set. */
    public record Value(String string, byte[] binary) {
        boolean sameAs(Value other) {
            return java.util.Objects.equals(string, other.string) && Arrays.equals(binary, other.binary);
        }
    }

    /** Where a secret lives. */
    public record Scope(String partition, String account, String region) {
    }

    /** A secret read back: a copy of the secret, the version, its value. */
    public record Read(Secret secret, SecretVersion version, Value value) {
    }

    /** The answer of a write: a copy of the secret and the version written (null when none). */
    public record Written(Secret secret, SecretVersion version) {
    }

    public record ListFilter(String key, List<String> values) {
    }

    private final AccountRegionStore<Map<String, Secret>> stores = new AccountRegionStore<>((a, r) -> new ConcurrentHashMap<>());
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Crypto crypto;

    public SecretsEngine(Crypto crypto) {
        this.crypto = crypto;
    }

    AccountRegionStore<Map<String, Secret>> stores() {
        return stores;
    }

    // ---------------------------------------------------------------- lookups

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.length() > 512) {
            throw SecretsErrors.validation("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
        }
    }

    /**
     * The secret an id names in the scope (or, for a full ARN, in the ARN's account and region), with purging of
     * secrets whose deletion date passed. Caller holds the lock.
     */
    private Secret find(Scope scope, String secretId, long now) {
        Matcher m = ARN.matcher(secretId);
        String account = scope.account();
        String region = scope.region();
        if (m.matches()) {
            account = m.group(3);
            region = m.group(2);
        } else {
            checkName(secretId);
        }
        Map<String, Secret> store = stores.peek(account, region);
        if (store == null) throw SecretsErrors.notFound();
        Secret found = null;
        if (m.matches()) {
            for (Secret s : store.values()) {
                if (s.arn.equals(secretId) || s.arn.substring(0, s.arn.length() - 7).equals(secretId)) {
                    found = s;
                    break;
                }
            }
        } else {
            found = store.get(secretId);
            if (found == null) {
                // a partial ARN without the "arn:" part is not a thing; but a name may also be given with its suffix
                for (Secret s : store.values()) {
                    if (s.arn.endsWith(":secret:" + secretId)) {
                        found = s;
                        break;
                    }
                }
            }
        }
        if (found != null && found.deleted() && found.deletionDate <= now) {
            store.remove(found.name);
            found = null;
        }
        if (found == null) throw SecretsErrors.notFound();
        return found;
    }

    private Map<String, Secret> store(Scope scope) {
        return stores.get(scope.account(), scope.region());
    }

    private static String arn(Scope scope, String name) {
        StringBuilder suffix = new StringBuilder("-");
        for (int i = 0; i < 6; i++) suffix.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        return "arn:" + scope.partition() + ":secretsmanager:" + scope.region() + ":" + scope.account() + ":secret:" + name + suffix;
    }

    private static String regionArn(String arn, String region) {
        String[] parts = arn.split(":", 5);
        return parts[0] + ":" + parts[1] + ":" + parts[2] + ":" + region + ":" + parts[4];
    }

    // ---------------------------------------------------------------- writes

    public Written create(Scope scope, String name, String token, String description, String kmsKeyId, Value value,
                          Map<String, String> tags, Map<String, String> replicaRegions, boolean forceOverwriteReplica, long now) {
        checkName(name);
        checkValue(value);
        lock.writeLock().lock();
        try {
            Map<String, Secret> store = store(scope);
            Secret existing = store.get(name);
            if (existing != null && existing.deleted() && existing.deletionDate <= now) {
                store.remove(name);
                existing = null;
            }
            if (existing != null) {
                if (existing.deleted()) {
                    throw SecretsErrors.invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
                }
                SecretVersion same = token == null ? null : existing.versions.get(token);
                if (same != null && value != null && sameValue(scope, same, value)) return new Written(existing.copy(), same.copy());
                throw SecretsErrors.exists("The operation failed because the secret " + name + " already exists.");
            }
            Secret s = new Secret();
            s.name = name;
            s.arn = arn(scope, name);
            s.description = description;
            s.kmsKeyId = kmsKeyId;
            s.created = now;
            s.lastChanged = now;
            if (tags != null) s.tags.putAll(tags);
            s.tagged = !s.tags.isEmpty();
            SecretVersion version = null;
            if (value != null) version = addVersion(scope, s, token, value, List.of("AWSCURRENT"), now);
            store.put(name, s);
            if (replicaRegions != null && !replicaRegions.isEmpty()) replicate(scope, s, replicaRegions, forceOverwriteReplica, now);
            return new Written(s.copy(), version == null ? null : version.copy());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void checkValue(Value value) {
        if (value != null && value.string() != null && value.binary() != null) {
            throw SecretsErrors.invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
        }
    }

    private boolean sameValue(Scope scope, SecretVersion version, Value value) {
        if (version.ciphertext == null) return false;
        return value.sameAs(reveal(scope.account(), scope.region(), version));
    }

    private Value reveal(String account, String region, SecretVersion v) {
        if (v.ciphertext == null) return null;
        byte[] plain = crypto.decrypt(account, region, v.ciphertext);
        return v.binary ? new Value(null, plain) : new Value(new String(plain, StandardCharsets.UTF_8), null);
    }

    /** Adds a version with the given stages, moving those stages (and AWSCURRENT's old holder to AWSPREVIOUS). */
    private SecretVersion addVersion(Scope scope, Secret s, String token, Value value, List<String> stages, long now) {
        if (token != null && (token.length() < 32 || token.length() > 64)) {
            throw SecretsErrors.validation("1 validation error detected: Value '" + token + "' at 'clientRequestToken' failed to satisfy "
                    + "constraint: Member must have length " + (token.length() < 32 ? "greater than or equal to 32" : "less than or equal to 64"));
        }
        SecretVersion v = new SecretVersion();
        v.versionId = token != null ? token : UUID.randomUUID().toString();
        if (value != null) {
            v.binary = value.binary() != null;
            byte[] plain = v.binary ? value.binary() : value.string().getBytes(StandardCharsets.UTF_8);
            v.ciphertext = crypto.encrypt(scope.account(), scope.region(), s.kmsKeyId, plain);
        }
        v.created = now;
        s.versions.put(v.versionId, v);
        for (String stage : stages) attach(s, stage, v);
        s.lastChanged = now;
        pruneDeprecated(s);
        return v;
    }

    /** Puts a stage on a version, taking it from whichever version had it; AWSCURRENT leaves AWSPREVIOUS behind. */
    private static void attach(Secret s, String stage, SecretVersion target) {
        SecretVersion holder = s.staged(stage);
        if (holder == target) return;
        if (holder != null) holder.stages.remove(stage);
        if (stage.equals("AWSCURRENT") && holder != null) {
            SecretVersion previous = s.staged("AWSPREVIOUS");
            if (previous != null) previous.stages.remove("AWSPREVIOUS");
            holder.stages.add("AWSPREVIOUS");
        }
        if (!target.stages.contains(stage)) target.stages.add(stage);
    }

    /** AWS keeps at most ~100 versions without a stage; the oldest go first. */
    private static void pruneDeprecated(Secret s) {
        List<String> deprecated = new ArrayList<>();
        for (SecretVersion v : s.versions.values()) if (v.stages.isEmpty()) deprecated.add(v.versionId);
        for (int i = 0; i < deprecated.size() - MAX_DEPRECATED_VERSIONS; i++) s.versions.remove(deprecated.get(i));
    }

    /** Finds a writable secret: not deleted, not a replica. */
    private Secret writable(Scope scope, String secretId, long now, boolean deletedMessage) {
        Secret s = find(scope, secretId, now);
        if (s.replica()) throw SecretsErrors.onReplica();
        if (s.deleted()) throw deletedMessage ? SecretsErrors.markedForDeletion() : SecretsErrors.currentlyDeleted();
        return s;
    }

    public Written putValue(Scope scope, String secretId, String token, Value value, List<String> stages, long now) {
        if (value == null) throw SecretsErrors.invalidRequest("You must provide either SecretString or SecretBinary.");
        checkValue(value);
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            SecretVersion existing = token == null ? null : s.versions.get(token);
            if (existing != null) {
                if (existing.ciphertext == null) {
                    // the value-less version a rotation created: the rotation function fills it in
                    existing.binary = value.binary() != null;
                    existing.ciphertext = crypto.encrypt(scopeOf(s).account(), scopeOf(s).region(), s.kmsKeyId,
                            existing.binary ? value.binary() : value.string().getBytes(StandardCharsets.UTF_8));
                    for (String stage : stages == null ? List.of("AWSPENDING") : stages) attach(s, stage, existing);
                    s.lastChanged = now;
                    return new Written(s.copy(), existing.copy());
                }
                if (!sameValue(scopeOf(s), existing, value)) {
                    throw SecretsErrors.exists("You can't modify an existing version, you can only create a new version.");
                }
                return new Written(s.copy(), existing.copy());
            }
            SecretVersion v = addVersion(scopeOf(s), s, token, value, stages == null || stages.isEmpty() ? List.of("AWSCURRENT") : stages, now);
            syncReplicas(s, now);
            return new Written(s.copy(), v.copy());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static Scope scopeOf(Secret s) {
        String[] parts = s.arn.split(":");
        return new Scope(parts[1], parts[4], parts[3]);
    }

    public Written update(Scope scope, String secretId, String token, String description, String kmsKeyId, Value value, long now) {
        checkValue(value);
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            if (description != null) s.description = description;
            if (kmsKeyId != null) s.kmsKeyId = kmsKeyId;
            s.lastChanged = now;
            SecretVersion v = null;
            if (value != null) {
                SecretVersion existing = token == null ? null : s.versions.get(token);
                if (existing != null) {
                    if (!sameValue(scopeOf(s), existing, value)) {
                        throw SecretsErrors.exists("You can't modify an existing version, you can only create a new version.");
                    }
                    v = existing;
                } else {
                    v = addVersion(scopeOf(s), s, token, value, List.of("AWSCURRENT"), now);
                }
            }
            syncReplicas(s, now);
            return new Written(s.copy(), v == null ? null : v.copy());
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Secret updateStage(Scope scope, String secretId, String stage, String removeFrom, String moveTo, long now) {
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            SecretVersion holder = s.staged(stage);
            if (removeFrom != null) {
                SecretVersion from = s.versions.get(removeFrom);
                if (from == null) throw SecretsErrors.invalidParameter("Not a valid version: " + removeFrom);
                if (!from.stages.contains(stage)) {
                    throw SecretsErrors.invalidParameter("The staging label " + stage + " is not attached to the version " + removeFrom + ".");
                }
            }
            SecretVersion to = null;
            if (moveTo != null) {
                to = s.versions.get(moveTo);
                if (to == null) throw SecretsErrors.invalidParameter("Not a valid version: " + moveTo);
                if (holder != null && holder != to && removeFrom == null) {
                    throw SecretsErrors.invalidParameter("The parameter RemoveFromVersionId can't be empty. Staging label " + stage
                            + " is currently attached to version " + holder.versionId
                            + ", so you must explicitly reference that version in RemoveFromVersionId.");
                }
            }
            if (to != null) {
                attach(s, stage, to);
            } else if (removeFrom != null) {
                if (stage.equals("AWSCURRENT")) {
                    throw SecretsErrors.invalidParameter("You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.");
                }
                s.versions.get(removeFrom).stages.remove(stage);
            }
            s.lastChanged = now;
            pruneDeprecated(s);
            syncReplicas(s, now);
            return s.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Secret delete(Scope scope, String secretId, Integer recoveryDays, boolean force, long now) {
        if (force && recoveryDays != null) {
            throw SecretsErrors.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        if (recoveryDays != null && (recoveryDays < 7 || recoveryDays > 30)) {
            throw SecretsErrors.invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        lock.writeLock().lock();
        try {
            Secret s = find(scope, secretId, now);
            if (s.replica()) throw SecretsErrors.onReplica();
            if (!s.replicas.isEmpty()) {
                throw SecretsErrors.invalidRequest("You can't delete secret " + s.name + " that still has replica regions ["
                        + String.join(", ", s.replicas.keySet()) + "]");
            }
            if (s.deleted() && !force) throw SecretsErrors.currentlyDeleted();
            if (!s.deleted()) s.deletedDate = now;
            s.deletionDate = force ? now : now + (recoveryDays == null ? 30 : recoveryDays) * DAY;
            s.lastChanged = now;
            Secret answer = s.copy();
            if (force) stores.get(scopeOf(s).account(), scopeOf(s).region()).remove(s.name);
            return answer;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Secret restore(Scope scope, String secretId, long now) {
        lock.writeLock().lock();
        try {
            Secret s = find(scope, secretId, now);
            if (s.replica()) throw SecretsErrors.onReplica();
            s.deletionDate = 0;
            s.deletedDate = 0;
            s.lastChanged = now;
            return s.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void tag(Scope scope, String secretId, Map<String, String> tags, long now) {
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            s.tags.putAll(tags);
            s.tagged = true;
            s.lastChanged = now;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void untag(Scope scope, String secretId, List<String> keys, long now) {
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            s.tags.keySet().removeAll(keys);
            s.lastChanged = now;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Secret putPolicy(Scope scope, String secretId, String policy, long now) {
        Policies.check(policy);
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            s.policy = policy;
            s.lastChanged = now;
            return s.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Secret deletePolicy(Scope scope, String secretId, long now) {
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            s.policy = null;
            s.lastChanged = now;
            return s.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- replication

    public Secret replicate(Scope scope, String secretId, Map<String, String> regions, boolean force, long now) {
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            replicate(scope, s, regions, force, now);
            return s.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void replicate(Scope scope, Secret primary, Map<String, String> regions, boolean force, long now) {
        Scope home = scopeOf(primary);
        for (var e : regions.entrySet()) {
            String region = e.getKey();
            if (region.equals(home.region())) throw SecretsErrors.invalidParameter("Invalid replica region.");
            Map<String, Secret> target = stores.get(home.account(), region);
            Secret clash = target.get(primary.name);
            if (clash != null && !(force || primary.arn.equals(regionArn(clash.arn, home.region())))) {
                throw SecretsErrors.exists("The operation failed because the secret " + primary.name + " already exists in region " + region + ".");
            }
            primary.replicas.put(region, e.getValue());
        }
        syncReplicas(primary, now);
    }

    /** Copies a primary's versions into its replicas (re-encrypted in each replica's region). */
    private void syncReplicas(Secret primary, long now) {
        Scope home = scopeOf(primary);
        for (var e : primary.replicas.entrySet()) {
            String region = e.getKey();
            Map<String, Secret> target = stores.get(home.account(), region);
            Secret replica = primary.copy();
            replica.arn = regionArn(primary.arn, region);
            replica.kmsKeyId = e.getValue();
            replica.replicas = new LinkedHashMap<>();
            replica.primaryRegion = home.region();
            replica.policy = primary.policy;
            for (SecretVersion v : replica.versions.values()) {
                if (v.ciphertext == null) continue;
                byte[] plain = crypto.decrypt(home.account(), home.region(), v.ciphertext);
                v.ciphertext = crypto.encrypt(home.account(), region, replica.kmsKeyId, plain);
            }
            target.put(replica.name, replica);
        }
    }

    public Secret removeReplicas(Scope scope, String secretId, List<String> regions, long now) {
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, true);
            Scope home = scopeOf(s);
            for (String region : regions) {
                if (s.replicas.containsKey(region)) {
                    s.replicas.remove(region);
                    Map<String, Secret> target = stores.peek(home.account(), region);
                    if (target != null) target.remove(s.name);
                }
            }
            return s.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Called in a replica's region: the replica becomes a standalone secret. */
    public Secret stopReplication(Scope scope, String secretId, long now) {
        lock.writeLock().lock();
        try {
            Secret s = find(scope, secretId, now);
            if (!s.replica()) throw SecretsErrors.invalidRequest("StopReplicationToReplica can only be called on a replica secret.");
            Map<String, Secret> primaryStore = stores.peek(scopeOf(s).account(), s.primaryRegion);
            Secret primary = primaryStore == null ? null : primaryStore.get(s.name);
            if (primary != null) primary.replicas.remove(scopeOf(s).region());
            s.primaryRegion = null;
            s.lastChanged = now;
            return s.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * GetSecretValue. {@code callerAccount} differs from the secret's account for cross-account reads, which the
     * secret's resource policy must allow and which need a customer-managed KMS key, as on AWS.
     */
    public Read getValue(Scope scope, String secretId, String versionId, String stage, String callerArn, long now) {
        Secret s;
        SecretVersion v;
        lock.readLock().lock();
        try {
            Secret live = findForRead(scope, secretId, now);
            Scope owner = scopeOf(live);
            if (!owner.account().equals(scope.account())) {
                if (!Policies.allows(live.policy, callerArn, scope.account(), "secretsmanager:GetSecretValue", live.arn)) {
                    throw new ServiceException("AccessDeniedException", "User: " + callerArn + " is not authorized to perform: "
                            + "secretsmanager:GetSecretValue on resource: " + secretId + " because no resource-based policy allows "
                            + "the secretsmanager:GetSecretValue action");
                }
                if (live.kmsKeyId == null) {
                    throw SecretsErrors.invalidRequest("You can't access a secret from a different AWS account if you encrypt the secret "
                            + "with the default KMS service key.");
                }
            }
            if (live.deleted()) throw SecretsErrors.markedForDeletion();
            SecretVersion found;
            if (versionId != null) {
                found = live.versions.get(versionId);
                if (found == null) {
                    throw SecretsErrors.resourceNotFound("Secrets Manager can't find the specified secret value for VersionId: " + versionId);
                }
                if (stage != null && !found.stages.contains(stage)) {
                    throw SecretsErrors.invalidRequest("You provided a VersionStage that is not associated to the provided VersionId.");
                }
            } else {
                String label = stage == null ? "AWSCURRENT" : stage;
                found = live.staged(label);
                if (found == null) {
                    throw SecretsErrors.resourceNotFound("Secrets Manager can't find the specified secret value for staging label: " + label);
                }
            }
            if (found.ciphertext == null) {
                throw SecretsErrors.resourceNotFound("Secrets Manager can't find the specified secret value for staging label: "
                        + (stage == null ? "AWSCURRENT" : stage));
            }
            long day = now - now % DAY;
            live.lastAccessed = day; // benign race: every writer writes the same day
            found.lastAccessed = day;
            s = live.copy();
            v = found.copy();
        } finally {
            lock.readLock().unlock();
        }
        Scope owner = scopeOf(s);
        return new Read(s, v, reveal(owner.account(), owner.region(), v));
    }

    /** A lookup under the read lock: purges nothing (purging needs the write lock), treats expired as missing. */
    private Secret findForRead(Scope scope, String secretId, long now) {
        Matcher m = ARN.matcher(secretId);
        if (!m.matches()) checkName(secretId);
        Map<String, Secret> store = m.matches() ? stores.peek(m.group(3), m.group(2)) : stores.peek(scope.account(), scope.region());
        if (store == null) throw SecretsErrors.notFound();
        Secret found = m.matches() ? null : store.get(secretId);
        if (found == null) {
            for (Secret s : store.values()) {
                String bare = s.arn.substring(0, s.arn.length() - 7);
                if (s.arn.equals(secretId) || bare.equals(secretId) || (!m.matches() && s.arn.endsWith(":secret:" + secretId))) {
                    found = s;
                    break;
                }
            }
        }
        if (found == null || (found.deleted() && found.deletionDate <= now)) throw SecretsErrors.notFound();
        return found;
    }

    public Secret describe(Scope scope, String secretId, long now) {
        lock.readLock().lock();
        try {
            return findForRead(scope, secretId, now).copy();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every live secret of the scope, oldest first (deleted ones only when asked). */
    public List<Secret> list(Scope scope, boolean includePlannedDeletion, List<ListFilter> filters, long now) {
        List<Secret> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            Map<String, Secret> store = stores.peek(scope.account(), scope.region());
            if (store == null) return out;
            for (Secret s : store.values()) {
                if (s.deleted() && (s.deletionDate <= now || !includePlannedDeletion)) continue;
                if (matches(s, filters)) out.add(s.copy());
            }
        } finally {
            lock.readLock().unlock();
        }
        out.sort(Comparator.comparingLong((Secret s) -> s.created).thenComparing(s -> s.name));
        return out;
    }

    private static boolean matches(Secret s, List<ListFilter> filters) {
        for (ListFilter f : filters) {
            boolean any = false;
            boolean negatedOnly = true;
            boolean excluded = false;
            for (String raw : f.values()) {
                boolean negate = raw.startsWith("!");
                String value = negate ? raw.substring(1) : raw;
                boolean hit = switch (f.key()) {
                    case "name" -> prefix(s.name, value);
                    case "description" -> s.description != null && prefix(s.description, value);
                    case "tag-key" -> s.tags.keySet().stream().anyMatch(k -> prefix(k, value));
                    case "tag-value" -> s.tags.values().stream().anyMatch(v -> prefix(v, value));
                    case "primary-region" -> s.primaryRegion != null && prefix(s.primaryRegion, value);
                    case "owning-service" -> false;
                    case "all" -> prefix(s.name, value) || (s.description != null && prefix(s.description, value))
                            || s.tags.keySet().stream().anyMatch(k -> prefix(k, value))
                            || s.tags.values().stream().anyMatch(v -> prefix(v, value));
                    default -> false;
                };
                if (negate) {
                    if (hit) excluded = true;
                } else {
                    negatedOnly = false;
                    if (hit) any = true;
                }
            }
            if (excluded || (!negatedOnly && !any)) return false;
        }
        return true;
    }

    /** Filter values match by prefix, case-insensitively for names (AWS's documented behaviour for ListSecrets). */
    private static boolean prefix(String actual, String value) {
        return actual.toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT));
    }

    // ---------------------------------------------------------------- rotation

    /**
     * RotateSecret: records the rotation configuration, adds a value-less AWSPENDING version and runs the rotation
     * function's steps (createSecret, setSecret, testSecret, finishSecret; only testSecret when not immediate), outside
     * the lock: the function calls back into Secrets Manager. A failing step stops the rotation and leaves AWSPENDING
     * where it is, for the next attempt (with the same token); a completed one takes AWSPENDING off the new
     * AWSCURRENT version, as AWS does.
     */
    public Written rotate(Scope scope, String secretId, String token, String lambdaArn, Integer days, String duration,
                          String schedule, boolean immediately, Rotator rotator, long now) {
        RotationSchedule.validate(days, duration, schedule);
        String functionArn;
        String pendingId;
        Scope owner;
        String secretArn;
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, false);
            functionArn = lambdaArn != null ? lambdaArn : s.rotationLambdaArn;
            if (functionArn == null) throw SecretsErrors.invalidRequest("No Lambda rotation function ARN is associated with this secret.");
            owner = scopeOf(s);
            secretArn = s.arn;
        } finally {
            lock.writeLock().unlock();
        }
        if (!rotator.exists(owner.account(), owner.region(), functionArn)) {
            throw new ServiceException("AccessDeniedException", "Secrets Manager cannot invoke the specified Lambda function. Ensure that "
                    + "the function policy grants access to the principal secretsmanager.amazonaws.com.");
        }
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, false);
            SecretVersion pending = s.staged("AWSPENDING");
            if (pending != null && !pending.stages.contains("AWSCURRENT") && immediately && (token == null || !token.equals(pending.versionId))) {
                throw SecretsErrors.invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
            }
            s.rotationLambdaArn = functionArn;
            // one rule replaces the other: AutomaticallyAfterDays or ScheduleExpression
            if (days != null) {
                s.rotationDays = days;
                s.rotationSchedule = null;
            }
            if (schedule != null) {
                s.rotationSchedule = schedule;
                s.rotationDays = null;
            }
            if (duration != null) s.rotationDuration = duration;
            s.rotationEnabled = true;
            s.nextRotation = RotationSchedule.next(s, now);
            s.lastChanged = now;
            if (immediately) {
                SecretVersion existing = token == null ? null : s.versions.get(token);
                pendingId = existing != null ? existing.versionId : addVersion(owner, s, token, null, List.of("AWSPENDING"), now).versionId;
            } else {
                SecretVersion current = s.staged("AWSCURRENT");
                pendingId = current == null ? null : current.versionId;
            }
        } finally {
            lock.writeLock().unlock();
        }
        List<String> steps = immediately ? List.of("createSecret", "setSecret", "testSecret", "finishSecret") : List.of("testSecret");
        boolean completed = true;
        for (String step : steps) {
            if (!rotator.invoke(owner.account(), owner.region(), functionArn, step, secretArn, pendingId)) {
                completed = false;
                break;
            }
        }
        lock.writeLock().lock();
        try {
            Secret s = find(scope, secretId, now);
            SecretVersion rotated = pendingId == null ? null : s.versions.get(pendingId);
            if (immediately && completed) {
                s.lastRotated = now;
                s.nextRotation = RotationSchedule.next(s, now);
                if (rotated != null && rotated.stages.contains("AWSCURRENT")) rotated.stages.remove("AWSPENDING");
            }
            return new Written(s.copy(), rotated == null ? null : rotated.copy());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A secret whose scheduled rotation is due: where it lives, and the token of a rotation left unfinished. */
    public record DueRotation(Scope scope, String arn, String pendingToken) {
    }

    /** The secrets (primaries, not deleted, rotation enabled) whose next rotation is at or before {@code now}. */
    public List<DueRotation> dueRotations(long now) {
        List<DueRotation> due = new ArrayList<>();
        lock.readLock().lock();
        try {
            stores.all().forEach((account, regions) -> regions.forEach((region, secrets) -> {
                for (Secret s : secrets.values()) {
                    if (!Boolean.TRUE.equals(s.rotationEnabled) || s.deleted() || s.replica() || s.nextRotation == 0 || s.nextRotation > now) {
                        continue;
                    }
                    SecretVersion pending = s.staged("AWSPENDING");
                    String token = pending != null && !pending.stages.contains("AWSCURRENT") ? pending.versionId : null;
                    due.add(new DueRotation(scopeOf(s), s.arn, token));
                }
            }));
        } finally {
            lock.readLock().unlock();
        }
        return due;
    }

    /**
     * Runs every due scheduled rotation (an unfinished one is reattempted with its token); a rotation that fails
     * stays scheduled for its next window. Returns how many ran.
     */
    public int rotateDue(Rotator rotator, long now) {
        int ran = 0;
        for (DueRotation due : dueRotations(now)) {
            try {
                rotate(due.scope(), due.arn(), due.pendingToken(), null, null, null, null, true, rotator, now);
                ran++;
            } catch (ServiceException e) {
                // deleted meanwhile, or the function is gone: the secret keeps its schedule, as on AWS
            }
        }
        return ran;
    }

    public Written cancelRotation(Scope scope, String secretId, long now) {
        lock.writeLock().lock();
        try {
            Secret s = writable(scope, secretId, now, false);
            SecretVersion pending = s.staged("AWSPENDING");
            s.rotationEnabled = false;
            s.nextRotation = 0;
            s.lastChanged = now;
            return new Written(s.copy(), pending == null ? null : pending.copy());
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- persistence

    /** account → region → name → secret (a consistent copy). */
    public Map<String, Map<String, Map<String, Secret>>> snapshot() {
        Map<String, Map<String, Map<String, Secret>>> out = new LinkedHashMap<>();
        lock.readLock().lock();
        try {
            stores.all().forEach((account, regions) -> regions.forEach((region, secrets) -> {
                Map<String, Secret> copy = new LinkedHashMap<>();
                secrets.forEach((name, s) -> copy.put(name, s.copy()));
                out.computeIfAbsent(account, a -> new LinkedHashMap<>()).put(region, copy);
            }));
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    public void restore(Map<String, Map<String, Map<String, Secret>>> saved) {
        lock.writeLock().lock();
        try {
            stores.clear();
            saved.forEach((account, regions) -> regions.forEach((region, secrets) ->
                    stores.put(account, region, new ConcurrentHashMap<>(secrets))));
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void reset() {
        lock.writeLock().lock();
        try {
            stores.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
