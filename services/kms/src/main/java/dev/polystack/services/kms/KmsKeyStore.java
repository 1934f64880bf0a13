package dev.polystack.services.kms;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import static dev.polystack.services.kms.KmsErrors.notFound;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_ENCRYPT;

/**
 * The keys of every account and region, how requests name them (id, key ARN, alias, alias ARN), and
 * the one place where time acts on them: {@link #settle} applies scheduled deletions and due automatic
 * rotations. Every read of a key goes through here (a lookup settles that key, a listing settles its
 * region), and the provider's periodic {@link #sweep} settles keys nobody asks about, so a snapshot
 * never keeps a key past its deletion date.
 */
final class KmsKeyStore {
    static final long DAY_MILLIS = 86_400_000L;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern MRK_ID = Pattern.compile("mrk-[0-9a-fA-F]{32}");

    final AccountRegionStore<KmsRegion> store = new AccountRegionStore<>((account, region) -> new KmsRegion());
    private final LongSupplier clock;

    /** @param clock epoch millis (tests move it forward instead of waiting days) */
    KmsKeyStore(LongSupplier clock) {
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    /** The caller's region state, created on first use (for writes; listings use {@link #settledRegion}). */
    KmsRegion region(RequestContext ctx) {
        return store.get(ctx);
    }

    KmsRegion region(String account, String region) {
        return store.get(account, region);
    }

    KmsRegion peek(String account, String region) {
        return store.peek(account, region);
    }

    /** The caller's region with deletions and rotations that have come due applied: what listings show. */
    KmsRegion settledRegion(RequestContext ctx) {
        KmsRegion state = store.get(ctx);
        settle(state, now());
        return state;
    }

    /** Keys of a settled region in creation order. */
    List<KmsKey> keysInOrder(RequestContext ctx) {
        return settledRegion(ctx).keysInOrder();
    }

    // ---------------------------------------------------------------- time

    /** Settles every region of every account (the provider's scheduler runs this, and a load does). */
    void sweep() {
        long now = now();
        store.all().values().forEach(regions -> regions.values().forEach(state -> settle(state, now)));
    }

    private void settle(KmsRegion state, long now) {
        for (KmsKey k : List.copyOf(state.keys.values())) settle(state, k, now);
    }

    /**
     * Applies what is due for one key at {@code now}: past its deletion date the key goes, with its aliases
     * and grants; automatic rotations that came due are added (at their due dates); a multi-Region replica
     * takes its primary's material. Returns false when the key is gone.
     */
    private boolean settle(KmsRegion state, KmsKey key, long now) {
        if ("PendingDeletion".equals(key.keyState) && now >= key.deletionMillis) {
            if (state.keys.remove(key.keyId, key)) {
                state.aliases.values().removeIf(a -> a.targetKeyId.equals(key.keyId));
                state.grants.values().removeIf(g -> g.keyId.equals(key.keyId));
            }
            return false;
        }
        KmsImports.expireIfDue(key, now);
        if ("REPLICA".equals(key.multiRegionType)) {
            KmsRegion primaryState = store.peek(key.accountId, key.primaryRegion);
            KmsKey primary = primaryState == null ? null : primaryState.keys.get(key.keyId);
            if (primary != null) {
                KmsRotation.rotateIfDue(primary, now);
                key.materials = primary.materials;
            }
        } else {
            KmsRotation.rotateIfDue(key, now);
        }
        return true;
    }

    // ---------------------------------------------------------------- lookup

    /**
     * Finds a key by id, key ARN, and (when {@code allowAlias}) alias name or alias ARN, settled.
     * ARNs may name another account of the same region (cross-account use of a key).
     */
    KmsKey findKey(RequestContext ctx, String ref, boolean allowAlias) {
        String account = ctx.accountId();
        String region = ctx.region();
        String partition = ctx.partition();
        String id = ref;
        if (ref.startsWith("arn:")) {
            String[] parts = ref.split(":", 6);
            if (parts.length < 6 || !parts[2].equals("kms")) throw notFound("Invalid arn " + ref);
            if (!parts[3].equals(region)) throw notFound("Invalid arn " + parts[3]);
            partition = parts[1];
            account = parts[4];
            id = parts[5];
            if (id.startsWith("key/")) {
                id = id.substring(4);
            } else if (!id.startsWith("alias/")) {
                throw notFound("Invalid arn " + ref);
            }
        }
        if (id.startsWith("alias/")) {
            if (!allowAlias) throw notFound("Invalid keyId '" + ref + "'");
            KmsRegion state = store.get(account, region);
            KmsRegion.Alias alias = state.aliases.get(id);
            if (alias == null && id.startsWith("alias/aws/") && account.equals(ctx.accountId())) {
                alias = awsManagedAlias(ctx, state, id);
            }
            if (alias == null) throw notFound("Alias " + aliasArn(partition, region, account, id) + " is not found.");
            id = alias.targetKeyId;
        } else if (!isKeyId(id)) {
            throw notFound("Invalid keyId '" + ref + "'");
        }
        KmsKey key = settledKey(account, region, id);
        if (key == null) throw notFound("Key '" + keyArn(partition, region, account, id) + "' does not exist");
        return key;
    }

    /** The key with this exact id in an account and region, settled; null if there is none (any more). */
    KmsKey settledKey(String account, String region, String keyId) {
        KmsRegion state = store.peek(account, region);
        KmsKey key = state == null ? null : state.keys.get(keyId);
        return key != null && settle(state, key, now()) ? key : null;
    }

    /** A key id: a UUID, or mrk- and 32 hex digits for multi-Region keys (both 36 characters). */
    static boolean isKeyId(String id) {
        return id.length() == 36 && (KEY_ID.matcher(id).matches() || MRK_ID.matcher(id).matches());
    }

    /** What AWS names each service's data in its managed key's description (recorded for s3 and dynamodb). */
    private static final Map<String, String> MANAGED_KEY_PROTECTS = Map.of(
            "s3", "S3 objects",
            "dynamodb", "DynamoDB data");

    static String awsManagedKeyDescription(String service) {
        String what = MANAGED_KEY_PROTECTS.getOrDefault(service, service + " resources");
        return "Default key that protects my " + what + " when no other key is defined";
    }

    /** AWS managed keys (alias/aws/s3 ...) come into being on first use, as in AWS and LocalStack. */
    private KmsRegion.Alias awsManagedAlias(RequestContext ctx, KmsRegion state, String aliasName) {
        synchronized (state) {
            KmsRegion.Alias existing = state.aliases.get(aliasName);
            if (existing != null) return existing;
            KmsKey key = new KmsKey();
            key.keyId = UUID.randomUUID().toString();
            key.accountId = ctx.accountId();
            key.region = ctx.region();
            key.arn = keyArn(ctx.partition(), key.region, key.accountId, key.keyId);
            key.createdMillis = now();
            key.description = awsManagedKeyDescription(aliasName.substring("alias/aws/".length()));
            key.keySpec = KmsKeySpec.SYMMETRIC_DEFAULT;
            key.keyUsage = USAGE_ENCRYPT;
            key.keyManager = "AWS";
            key.policy = KmsPolicies.defaultPolicy(ctx.partition(), key.accountId);
            key.rotationEnabled = true;
            key.rotationEnabledMillis = key.createdMillis;
            key.addMaterial(KmsCrypto.generate(KmsKeySpec.SYMMETRIC_DEFAULT, key.createdMillis));
            key.sequence = state.sequence.incrementAndGet();
            state.keys.put(key.keyId, key);
            KmsRegion.Alias alias = new KmsRegion.Alias();
            alias.name = aliasName;
            alias.targetKeyId = key.keyId;
            alias.createdMillis = alias.updatedMillis = key.createdMillis;
            state.aliases.put(aliasName, alias);
            return alias;
        }
    }

    /** The replica keys' regions as the primary lists them. */
    List<String> replicaRegions(KmsKey k) {
        KmsRegion primaryRegion = store.peek(k.accountId, k.primaryRegion);
        KmsKey primary = primaryRegion == null ? null : primaryRegion.keys.get(k.keyId);
        return new ArrayList<>(primary == null ? k.replicaRegions : primary.replicaRegions);
    }

    // ---------------------------------------------------------------- names

    static String keyArn(String partition, String region, String account, String keyId) {
        return "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + keyId;
    }

    static String aliasArn(String partition, String region, String account, String aliasName) {
        return "arn:" + partition + ":kms:" + region + ":" + account + ":" + aliasName;
    }

    static String partitionOf(String arn) {
        int a = arn.indexOf(':') + 1;
        return arn.substring(a, arn.indexOf(':', a));
    }
}
