package dev.polystack.services.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Persistable;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import static dev.polystack.services.kms.KmsInput.blob;
import static dev.polystack.services.kms.KmsInput.blobLength;
import static dev.polystack.services.kms.KmsInput.bool;
import static dev.polystack.services.kms.KmsInput.dryRun;
import static dev.polystack.services.kms.KmsInput.enumValue;
import static dev.polystack.services.kms.KmsInput.integer;
import static dev.polystack.services.kms.KmsInput.range;
import static dev.polystack.services.kms.KmsInput.required;
import static dev.polystack.services.kms.KmsInput.str;
import static dev.polystack.services.kms.KmsInput.stringMap;
import static dev.polystack.services.kms.KmsInput.validation;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_AGREEMENT;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_ENCRYPT;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_MAC;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_SIGN;

/**
 * Native KMS: keys of every spec with real cryptography (see {@link KmsCrypto}), aliases, grants,
 * tags, policies, rotation and deletion, kept per account and region. Keys are addressed by id,
 * key ARN, alias name or alias ARN. Error codes and messages follow what AWS sends.
 */
public final class KmsProvider implements ServiceProvider, Persistable {
    static final int STATE_VERSION = 1;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern MRK_ID = Pattern.compile("mrk-[0-9a-fA-F]{32}");
    private static final Pattern ALIAS_NAME = Pattern.compile("[a-zA-Z0-9:/_-]+");
    private static final Pattern GRANT_ID = Pattern.compile("[0-9a-f]{64}");
    private static final long DAY_MILLIS = 86_400_000L;
    private static final int MAX_TAGS = 50;
    private static final int MAX_ON_DEMAND_ROTATIONS = 10;

    private static final List<String> KEY_USAGES = List.of(USAGE_ENCRYPT, USAGE_SIGN, USAGE_MAC, USAGE_AGREEMENT);
    private static final List<String> ENCRYPTION_ALGORITHMS = List.of("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE");
    private static final List<String> SIGNING_ALGORITHMS = List.of("RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
            "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
            "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA", "ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512");
    private static final List<String> MAC_ALGORITHMS = List.of("HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512");
    private static final List<String> DATA_KEY_PAIR_SPECS = List.of("RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256",
            "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519");
    private static final List<String> GRANT_OPERATIONS = List.of("Decrypt", "Encrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GetPublicKey",
            "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
            "GenerateMac", "VerifyMac", "DeriveSharedSecret");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountRegionStore<KmsRegion> store = new AccountRegionStore<>((account, region) -> new KmsRegion());

    @Override
    public String service() {
        return "kms";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return switch (operation) {
            case "CreateKey" -> createKey(ctx, in);
            case "DescribeKey" -> Map.of("KeyMetadata", metadata(findKey(ctx, required(in, "KeyId"), true)));
            case "ListKeys" -> listKeys(ctx, in);
            case "UpdateKeyDescription" -> updateKeyDescription(ctx, in);
            case "EnableKey" -> enableKey(ctx, in, true);
            case "DisableKey" -> enableKey(ctx, in, false);
            case "ScheduleKeyDeletion" -> scheduleKeyDeletion(ctx, in);
            case "CancelKeyDeletion" -> cancelKeyDeletion(ctx, in);
            case "CreateAlias" -> createAlias(ctx, in);
            case "UpdateAlias" -> updateAlias(ctx, in);
            case "DeleteAlias" -> deleteAlias(ctx, in);
            case "ListAliases" -> listAliases(ctx, in);
            case "Encrypt" -> encrypt(ctx, in);
            case "Decrypt" -> decrypt(ctx, in);
            case "ReEncrypt" -> reEncrypt(ctx, in);
            case "GenerateDataKey" -> generateDataKey(ctx, in, true);
            case "GenerateDataKeyWithoutPlaintext" -> generateDataKey(ctx, in, false);
            case "GenerateDataKeyPair" -> generateDataKeyPair(ctx, in, true);
            case "GenerateDataKeyPairWithoutPlaintext" -> generateDataKeyPair(ctx, in, false);
            case "GenerateRandom" -> generateRandom(in);
            case "Sign" -> sign(ctx, in);
            case "Verify" -> verify(ctx, in);
            case "GenerateMac" -> generateMac(ctx, in);
            case "VerifyMac" -> verifyMac(ctx, in);
            case "GetPublicKey" -> getPublicKey(ctx, in);
            case "DeriveSharedSecret" -> deriveSharedSecret(ctx, in);
            case "EnableKeyRotation" -> enableKeyRotation(ctx, in, true);
            case "DisableKeyRotation" -> enableKeyRotation(ctx, in, false);
            case "GetKeyRotationStatus" -> getKeyRotationStatus(ctx, in);
            case "RotateKeyOnDemand" -> rotateKeyOnDemand(ctx, in);
            case "ListKeyRotations" -> listKeyRotations(ctx, in);
            case "TagResource" -> tagResource(ctx, in);
            case "UntagResource" -> untagResource(ctx, in);
            case "ListResourceTags" -> listResourceTags(ctx, in);
            case "CreateGrant" -> createGrant(ctx, in);
            case "ListGrants" -> listGrants(ctx, in);
            case "ListRetirableGrants" -> listRetirableGrants(ctx, in);
            case "RetireGrant" -> retireGrant(ctx, in);
            case "RevokeGrant" -> revokeGrant(ctx, in);
            case "GetKeyPolicy" -> getKeyPolicy(ctx, in);
            case "PutKeyPolicy" -> putKeyPolicy(ctx, in);
            case "ListKeyPolicies" -> listKeyPolicies(ctx, in);
            case "ReplicateKey" -> replicateKey(ctx, in);
            case "GetParametersForImport" -> getParametersForImport(ctx, in);
            case "ImportKeyMaterial" -> importKeyMaterial(ctx, in);
            case "DeleteImportedKeyMaterial" -> deleteImportedKeyMaterial(ctx, in);
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    // ======================================================================== keys

    private Map<String, Object> createKey(RequestContext ctx, Map<String, Object> in) {
        String specName = str(in, "KeySpec");
        String cmkSpec = str(in, "CustomerMasterKeySpec");
        if (specName != null && cmkSpec != null) {
            throw validation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.");
        }
        String specMember = specName != null ? "KeySpec" : "CustomerMasterKeySpec";
        if (specName == null) specName = cmkSpec;
        KmsKeySpec spec = specName == null ? KmsKeySpec.SYMMETRIC_DEFAULT : KmsKeySpec.parse(specName);
        if (spec == null) {
            throw validation("1 validation error detected: Value '" + specName + "' at '" + KmsInput.path(specMember)
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + KmsKeySpec.ENUM_MESSAGE_ORDER);
        }
        String usage = enumValue(in, "KeyUsage", KEY_USAGES, "[ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]");
        if (usage == null) {
            if (spec != KmsKeySpec.SYMMETRIC_DEFAULT) {
                throw validation("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.");
            }
            usage = USAGE_ENCRYPT;
        }
        if (!spec.usages().contains(usage)) {
            throw validation("KeyUsage " + usage + " is not compatible with KeySpec " + spec.name());
        }
        String origin = enumValue(in, "Origin", List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"));
        if (origin == null) origin = "AWS_KMS";
        if (!origin.equals("AWS_KMS") && !origin.equals("EXTERNAL")) {
            throw new ServiceException("UnsupportedOperationException", "Origin " + origin + " is not supported.");
        }
        String description = str(in, "Description");
        KmsInput.stringLength("description", description, 0, 8192);
        String policy = str(in, "Policy");
        if (policy != null) validatePolicy(policy);
        LinkedHashMap<String, String> tags = validateTags(in.get("Tags"), new LinkedHashMap<>());
        boolean multiRegion = bool(in, "MultiRegion");

        KmsKey key = new KmsKey();
        key.keyId = multiRegion ? "mrk-" + UUID.randomUUID().toString().replace("-", "") : UUID.randomUUID().toString();
        key.accountId = ctx.accountId();
        key.region = ctx.region();
        key.arn = keyArn(ctx.partition(), key.region, key.accountId, key.keyId);
        key.createdMillis = System.currentTimeMillis();
        key.description = description == null ? "" : description;
        key.keySpec = spec;
        key.keyUsage = usage;
        key.origin = origin;
        key.policy = policy != null ? policy : defaultPolicy(ctx.partition(), key.accountId);
        key.tags = tags;
        if (multiRegion) {
            key.multiRegion = true;
            key.multiRegionType = "PRIMARY";
            key.primaryRegion = key.region;
        }
        if (origin.equals("EXTERNAL")) {
            key.keyState = "PendingImport";
        } else {
            key.addMaterial(KmsCrypto.generate(spec));
        }
        KmsRegion region = store.get(ctx);
        key.sequence = region.sequence.incrementAndGet();
        region.keys.put(key.keyId, key);
        return Map.of("KeyMetadata", metadata(key));
    }

    private Map<String, Object> metadata(KmsKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AWSAccountId", k.accountId);
        m.put("KeyId", k.keyId);
        m.put("Arn", k.arn);
        m.put("CreationDate", Instant.ofEpochMilli(k.createdMillis));
        m.put("Enabled", "Enabled".equals(k.keyState));
        m.put("Description", k.description);
        m.put("KeyUsage", k.keyUsage);
        m.put("KeyState", k.keyState);
        if ("PendingDeletion".equals(k.keyState)) m.put("DeletionDate", Instant.ofEpochMilli(k.deletionMillis));
        m.put("Origin", k.origin);
        m.put("KeyManager", k.keyManager);
        m.put("CustomerMasterKeySpec", k.keySpec.name());
        m.put("KeySpec", k.keySpec.name());
        putIfAny(m, "EncryptionAlgorithms", k.keySpec.encryptionAlgorithms(k.keyUsage));
        putIfAny(m, "SigningAlgorithms", k.keySpec.signingAlgorithms(k.keyUsage));
        putIfAny(m, "KeyAgreementAlgorithms", k.keySpec.keyAgreementAlgorithms(k.keyUsage));
        putIfAny(m, "MacAlgorithms", k.keySpec.macAlgorithms(k.keyUsage));
        m.put("MultiRegion", k.multiRegion);
        if (k.multiRegion) m.put("MultiRegionConfiguration", multiRegionConfiguration(k));
        if ("EXTERNAL".equals(k.origin) && k.expirationModel != null && hasUsableMaterial(k)) {
            m.put("ExpirationModel", k.expirationModel);
            if (k.validToMillis > 0) m.put("ValidTo", Instant.ofEpochMilli(k.validToMillis));
        }
        KmsKey.Material current = k.current();
        if (k.keySpec == KmsKeySpec.SYMMETRIC_DEFAULT && current != null) m.put("CurrentKeyMaterialId", current.id);
        return m;
    }

    private static void putIfAny(Map<String, Object> m, String member, List<String> values) {
        if (!values.isEmpty()) m.put(member, values);
    }

    private Map<String, Object> multiRegionConfiguration(KmsKey k) {
        KmsRegion primaryRegion = store.peek(k.accountId, k.primaryRegion);
        KmsKey primary = primaryRegion == null ? null : primaryRegion.keys.get(k.keyId);
        List<String> replicas = primary == null ? k.replicaRegions : primary.replicaRegions;
        String partition = partitionOf(k.arn);
        List<Object> replicaKeys = new ArrayList<>();
        for (String r : List.copyOf(replicas)) {
            replicaKeys.add(Map.of("Arn", keyArn(partition, r, k.accountId, k.keyId), "Region", r));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("MultiRegionKeyType", k.multiRegionType);
        c.put("PrimaryKey", Map.of("Arn", keyArn(partition, k.primaryRegion, k.accountId, k.keyId), "Region", k.primaryRegion));
        c.put("ReplicaKeys", replicaKeys);
        return c;
    }

    private Map<String, Object> listKeys(RequestContext ctx, Map<String, Object> in) {
        KmsRegion region = store.get(ctx);
        List<KmsKey> keys = new ArrayList<>();
        for (KmsKey k : region.keysInOrder()) if (!purgeIfDeleted(region, k)) keys.add(k);
        return page(in, keys, "Keys", k -> Map.of("KeyId", k.keyId, "KeyArn", k.arn));
    }

    private Map<String, Object> updateKeyDescription(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        String description = required(in, "Description");
        KmsInput.stringLength("description", description, 0, 8192);
        requireNotPendingDeletion(key);
        synchronized (key) {
            key.description = description;
        }
        return Map.of();
    }

    private Map<String, Object> enableKey(RequestContext ctx, Map<String, Object> in, boolean enable) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            if ("PendingImport".equals(key.keyState)) throw invalidState(key.arn + " is pending import.");
            key.keyState = enable ? "Enabled" : "Disabled";
        }
        return Map.of();
    }

    private Map<String, Object> scheduleKeyDeletion(RequestContext ctx, Map<String, Object> in) {
        Integer days = integer(in, "PendingWindowInDays");
        range("PendingWindowInDays", days, 7, 30);
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        int window = days == null ? 30 : days;
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.keyState = "PendingDeletion";
            key.pendingWindowDays = window;
            key.deletionMillis = System.currentTimeMillis() + window * DAY_MILLIS;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("DeletionDate", Instant.ofEpochMilli(key.deletionMillis));
        out.put("KeyState", "PendingDeletion");
        out.put("PendingWindowInDays", window);
        return out;
    }

    private Map<String, Object> cancelKeyDeletion(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            if (!"PendingDeletion".equals(key.keyState)) throw invalidState(key.arn + " is not pending deletion.");
            key.keyState = hasUsableMaterial(key) ? "Disabled" : "PendingImport";
            key.deletionMillis = 0;
            key.pendingWindowDays = null;
        }
        return Map.of("KeyId", key.arn);
    }

    /** Drops a key whose deletion date has passed (deletion is applied lazily); true if it was dropped. */
    private boolean purgeIfDeleted(KmsRegion region, KmsKey key) {
        if (!"PendingDeletion".equals(key.keyState) || System.currentTimeMillis() < key.deletionMillis) return false;
        region.keys.remove(key.keyId, key);
        region.aliases.values().removeIf(a -> a.targetKeyId.equals(key.keyId));
        region.grants.values().removeIf(g -> g.keyId.equals(key.keyId));
        return true;
    }

    // ======================================================================== key lookup and state

    /**
     * Finds a key by id, key ARN, and (when {@code allowAlias}) alias name or alias ARN.
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
        } else if (!KEY_ID.matcher(id).matches() && !MRK_ID.matcher(id).matches()) {
            throw notFound("Invalid keyId '" + ref + "'");
        }
        KmsRegion state = store.peek(account, region);
        KmsKey key = state == null ? null : state.keys.get(id);
        if (key == null || purgeIfDeleted(state, key)) {
            throw notFound("Key '" + keyArn(partition, region, account, id) + "' does not exist");
        }
        if ("REPLICA".equals(key.multiRegionType)) followPrimaryMaterial(key);
        maybeRotateAutomatically(key);
        return key;
    }

    /** Multi-Region replicas use their primary's key material, rotations included. */
    private void followPrimaryMaterial(KmsKey replica) {
        KmsRegion primaryState = store.peek(replica.accountId, replica.primaryRegion);
        KmsKey primary = primaryState == null ? null : primaryState.keys.get(replica.keyId);
        if (primary != null) {
            maybeRotateAutomatically(primary);
            replica.materials = primary.materials;
        }
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
            key.createdMillis = System.currentTimeMillis();
            key.description = "Default key that protects my " + aliasName.substring("alias/aws/".length())
                    + " resources when no other key is defined";
            key.keySpec = KmsKeySpec.SYMMETRIC_DEFAULT;
            key.keyUsage = USAGE_ENCRYPT;
            key.keyManager = "AWS";
            key.policy = defaultPolicy(ctx.partition(), key.accountId);
            key.rotationEnabled = true;
            key.rotationEnabledMillis = key.createdMillis;
            key.addMaterial(KmsCrypto.generate(KmsKeySpec.SYMMETRIC_DEFAULT));
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

    /** Keys used for cryptography must be enabled. */
    private static void requireUsable(KmsKey key) {
        switch (key.keyState) {
            case "Enabled" -> { }
            case "Disabled" -> throw new ServiceException("DisabledException", key.arn + " is disabled.");
            case "PendingDeletion" -> throw invalidState(key.arn + " is pending deletion.");
            case "PendingImport" -> throw invalidState(key.arn + " is pending import.");
            default -> throw invalidState(key.arn + " is " + key.keyState + ".");
        }
    }

    private static void requireNotPendingDeletion(KmsKey key) {
        if ("PendingDeletion".equals(key.keyState)) throw invalidState(key.arn + " is pending deletion.");
    }

    private static void requireUsage(KmsKey key, String usage, String operation) {
        if (!key.keyUsage.equals(usage)) {
            throw new ServiceException("InvalidKeyUsageException",
                    key.arn + " key usage is " + key.keyUsage + " which is not valid for " + operation + ".");
        }
    }

    private static ServiceException incompatible(String algorithm, KmsKey key) {
        return new ServiceException("InvalidKeyUsageException",
                "Algorithm " + algorithm + " is incompatible with key spec " + key.keySpec.name() + ".");
    }

    private static ServiceException notFound(String message) {
        return new ServiceException("NotFoundException", message);
    }

    private static ServiceException invalidState(String message) {
        return new ServiceException("KMSInvalidStateException", message);
    }

    private static ServiceException invalidCiphertext() {
        return new ServiceException("InvalidCiphertextException", "");
    }

    static String keyArn(String partition, String region, String account, String keyId) {
        return "arn:" + partition + ":kms:" + region + ":" + account + ":key/" + keyId;
    }

    static String aliasArn(String partition, String region, String account, String aliasName) {
        return "arn:" + partition + ":kms:" + region + ":" + account + ":" + aliasName;
    }

    private static String partitionOf(String arn) {
        int a = arn.indexOf(':') + 1;
        return arn.substring(a, arn.indexOf(':', a));
    }

    // ======================================================================== aliases

    private Map<String, Object> createAlias(RequestContext ctx, Map<String, Object> in) {
        String name = required(in, "AliasName");
        validateAliasName(name);
        KmsKey key = findKey(ctx, required(in, "TargetKeyId"), false);
        requireNotPendingDeletion(key);
        if (!key.accountId.equals(ctx.accountId())) throw notFound("Key '" + key.arn + "' does not exist");
        KmsRegion state = store.get(ctx);
        KmsRegion.Alias alias = new KmsRegion.Alias();
        alias.name = name;
        alias.targetKeyId = key.keyId;
        alias.createdMillis = alias.updatedMillis = System.currentTimeMillis();
        if (state.aliases.putIfAbsent(name, alias) != null) {
            throw new ServiceException("AlreadyExistsException", "An alias with the name "
                    + aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), name) + " already exists");
        }
        return Map.of();
    }

    private static void validateAliasName(String name) {
        if (!name.startsWith("alias/")) {
            throw validation("Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        }
        if (name.length() > 256 || !ALIAS_NAME.matcher(name).matches()) {
            throw validation("1 validation error detected: Value '" + name + "' at 'aliasName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
        }
        if (name.startsWith("alias/aws/")) {
            throw new ServiceException("NotAuthorizedException",
                    "Cannot create, update or delete an alias with the reserved prefix alias/aws/.");
        }
    }

    private Map<String, Object> updateAlias(RequestContext ctx, Map<String, Object> in) {
        String name = required(in, "AliasName");
        validateAliasName(name);
        KmsKey key = findKey(ctx, required(in, "TargetKeyId"), false);
        requireNotPendingDeletion(key);
        KmsRegion state = store.get(ctx);
        KmsRegion.Alias alias = state.aliases.get(name);
        if (alias == null) throw notFound("Alias " + aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), name) + " is not found.");
        KmsKey current = state.keys.get(alias.targetKeyId);
        if (current != null && (current.keySpec.family != key.keySpec.family || !current.keyUsage.equals(key.keyUsage))) {
            throw validation("Alias " + name + " is already associated with a key of a different key type or key usage: "
                    + current.arn + ". The target key must have the same key type and usage.");
        }
        synchronized (alias) {
            alias.targetKeyId = key.keyId;
            alias.updatedMillis = System.currentTimeMillis();
        }
        return Map.of();
    }

    private Map<String, Object> deleteAlias(RequestContext ctx, Map<String, Object> in) {
        String name = required(in, "AliasName");
        validateAliasName(name);
        if (store.get(ctx).aliases.remove(name) == null) {
            throw notFound("Alias " + aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), name) + " is not found.");
        }
        return Map.of();
    }

    private Map<String, Object> listAliases(RequestContext ctx, Map<String, Object> in) {
        KmsRegion state = store.get(ctx);
        String keyRef = str(in, "KeyId");
        String keyId = keyRef == null ? null : findKey(ctx, keyRef, false).keyId;
        List<KmsRegion.Alias> aliases = new ArrayList<>();
        for (KmsRegion.Alias a : state.aliases.values()) {
            if (keyId == null || keyId.equals(a.targetKeyId)) aliases.add(a);
        }
        aliases.sort(Comparator.comparing(a -> a.name));
        return page(in, aliases, "Aliases", a -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("AliasName", a.name);
            e.put("AliasArn", aliasArn(ctx.partition(), ctx.region(), ctx.accountId(), a.name));
            e.put("TargetKeyId", a.targetKeyId);
            e.put("CreationDate", Instant.ofEpochMilli(a.createdMillis));
            e.put("LastUpdatedDate", Instant.ofEpochMilli(a.updatedMillis));
            return e;
        });
    }

    // ======================================================================== encryption

    private record Decrypted(KmsKey key, byte[] plaintext, String algorithm, String materialId) {
    }

    private record Encrypted(byte[] ciphertext, String algorithm, String materialId) {
    }

    private Map<String, Object> encrypt(RequestContext ctx, Map<String, Object> in) {
        byte[] plaintext = blob(in, "Plaintext");
        if (plaintext == null) plaintext = new byte[0];
        blobLength("Plaintext", plaintext, 1, 4096);
        String algorithm = enumValue(in, "EncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        KmsKey key = findKey(ctx, required(in, "KeyId"), true);
        Map<String, String> context = stringMap(in, "EncryptionContext");
        Encrypted e = encryptWith(key, plaintext, context, algorithm, "Encrypt", in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", e.ciphertext);
        out.put("KeyId", key.arn);
        out.put("EncryptionAlgorithm", e.algorithm);
        return out;
    }

    private Encrypted encryptWith(KmsKey key, byte[] plaintext, Map<String, String> context, String algorithm,
                                  String operation, Map<String, Object> in) {
        if (algorithm == null) algorithm = "SYMMETRIC_DEFAULT";
        requireUsable(key);
        requireUsage(key, USAGE_ENCRYPT, operation);
        if (!key.keySpec.encryptionAlgorithms(key.keyUsage).contains(algorithm)) throw incompatible(algorithm, key);
        if (key.keySpec.family == KmsKeySpec.Family.RSA) {
            int max = KmsCrypto.oaepMaxPlaintext(key.keySpec, algorithm);
            if (plaintext.length > max) {
                throw validation("Algorithm " + algorithm + " and key spec " + key.keySpec.name()
                        + " cannot encrypt data larger than " + max + " bytes.");
            }
            dryRun(in);
            return new Encrypted(KmsCrypto.rsaEncrypt(key.current().publicKey(key.keySpec), algorithm, plaintext), algorithm, null);
        }
        dryRun(in);
        KmsKey.Material material = key.current();
        return new Encrypted(KmsCrypto.seal(key.keyId, material, plaintext, context), algorithm, material.id);
    }

    private Map<String, Object> decrypt(RequestContext ctx, Map<String, Object> in) {
        byte[] blob = blob(in, "CiphertextBlob");
        blobLength("CiphertextBlob", blob, 1, 6144);
        String algorithm = enumValue(in, "EncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        Decrypted d = decryptWith(ctx, blob, stringMap(in, "EncryptionContext"), str(in, "KeyId"), algorithm, "Decrypt", in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", d.key.arn);
        out.put("Plaintext", d.plaintext);
        out.put("EncryptionAlgorithm", d.algorithm);
        if (d.materialId != null) out.put("KeyMaterialId", d.materialId);
        return out;
    }

    private Decrypted decryptWith(RequestContext ctx, byte[] blob, Map<String, String> context, String keyRef,
                                  String algorithm, String operation, Map<String, Object> in) {
        if (blob == null) throw invalidCiphertext();
        if (algorithm == null) algorithm = "SYMMETRIC_DEFAULT";
        KmsKey given = keyRef == null ? null : findKey(ctx, keyRef, true);
        if (!algorithm.equals("SYMMETRIC_DEFAULT")) {
            // asymmetric ciphertext carries no key id: the request must name the key
            if (given == null) throw validation("KeyId is required for asymmetric decryption.");
            requireUsable(given);
            requireUsage(given, USAGE_ENCRYPT, operation);
            if (!given.keySpec.encryptionAlgorithms(given.keyUsage).contains(algorithm)) throw incompatible(algorithm, given);
            dryRun(in);
            try {
                return new Decrypted(given, KmsCrypto.rsaDecrypt(given.current().privateKey(given.keySpec), algorithm, blob), algorithm, null);
            } catch (KmsCrypto.BadCiphertext e) {
                throw invalidCiphertext();
            }
        }
        String keyId;
        try {
            keyId = KmsCrypto.envelopeKeyId(blob);
        } catch (KmsCrypto.BadCiphertext e) {
            if (given != null && given.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw incorrectKey();
            throw invalidCiphertext();
        }
        KmsKey key;
        if (given != null) {
            if (!given.keyId.equals(keyId)) throw incorrectKey();
            key = given;
        } else {
            KmsRegion state = store.peek(ctx.accountId(), ctx.region());
            key = state == null ? null : state.keys.get(keyId);
            if (key == null) throw invalidCiphertext();
            key = findKey(ctx, keyId, false); // applies lazy deletion and rotation
        }
        requireUsable(key);
        requireUsage(key, USAGE_ENCRYPT, operation);
        KmsKey.Material material = key.material(KmsCrypto.envelopeMaterialId(blob));
        if (material == null || material.secret == null) throw invalidCiphertext();
        dryRun(in);
        try {
            return new Decrypted(key, KmsCrypto.open(material, blob, context), algorithm, material.id);
        } catch (KmsCrypto.BadCiphertext e) {
            throw invalidCiphertext();
        }
    }

    private static ServiceException incorrectKey() {
        return new ServiceException("IncorrectKeyException",
                "The key ID in the request does not identify a CMK that can perform this operation.");
    }

    private Map<String, Object> reEncrypt(RequestContext ctx, Map<String, Object> in) {
        byte[] blob = blob(in, "CiphertextBlob");
        blobLength("CiphertextBlob", blob, 1, 6144);
        String sourceAlgorithm = enumValue(in, "SourceEncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        String destinationAlgorithm = enumValue(in, "DestinationEncryptionAlgorithm", ENCRYPTION_ALGORITHMS);
        KmsKey destination = findKey(ctx, required(in, "DestinationKeyId"), true);
        Decrypted d = decryptWith(ctx, blob, stringMap(in, "SourceEncryptionContext"), str(in, "SourceKeyId"),
                sourceAlgorithm, "ReEncrypt", Map.of());
        Encrypted e = encryptWith(destination, d.plaintext, stringMap(in, "DestinationEncryptionContext"),
                destinationAlgorithm, "ReEncrypt", in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", e.ciphertext);
        out.put("SourceKeyId", d.key.arn);
        out.put("KeyId", destination.arn);
        out.put("SourceEncryptionAlgorithm", d.algorithm);
        out.put("DestinationEncryptionAlgorithm", e.algorithm);
        if (d.materialId != null) out.put("SourceKeyMaterialId", d.materialId);
        if (e.materialId != null) out.put("DestinationKeyMaterialId", e.materialId);
        return out;
    }

    /** Data keys are sealed by symmetric encryption keys only. */
    private static void requireSymmetricEncryptionKey(KmsKey key, String operation) {
        requireUsable(key);
        requireUsage(key, USAGE_ENCRYPT, operation);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) {
            throw new ServiceException("InvalidKeyUsageException",
                    key.arn + " key spec is " + key.keySpec.name() + " which is not valid for " + operation + ".");
        }
    }

    private Map<String, Object> generateDataKey(RequestContext ctx, Map<String, Object> in, boolean withPlaintext) {
        String operation = withPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
        String spec = enumValue(in, "KeySpec", List.of("AES_256", "AES_128"), "[AES_256, AES_128]");
        Integer bytes = integer(in, "NumberOfBytes");
        range("NumberOfBytes", bytes, 1, 1024);
        KmsKey key = findKey(ctx, required(in, "KeyId"), true);
        if ((spec == null) == (bytes == null)) throw validation("Please specify either number of bytes or key spec.");
        requireSymmetricEncryptionKey(key, operation);
        dryRun(in);
        byte[] dataKey = KmsCrypto.random(bytes != null ? bytes : spec.equals("AES_128") ? 16 : 32);
        KmsKey.Material material = key.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("CiphertextBlob", KmsCrypto.seal(key.keyId, material, dataKey, stringMap(in, "EncryptionContext")));
        if (withPlaintext) out.put("Plaintext", dataKey);
        out.put("KeyId", key.arn);
        out.put("KeyMaterialId", material.id);
        return out;
    }

    private Map<String, Object> generateDataKeyPair(RequestContext ctx, Map<String, Object> in, boolean withPlaintext) {
        String operation = withPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
        String pairSpec = enumValue(in, "KeyPairSpec", DATA_KEY_PAIR_SPECS);
        if (pairSpec == null) required(in, "KeyPairSpec");
        KmsKeySpec spec = KmsKeySpec.dataKeyPairSpec(pairSpec);
        if (spec == null) throw new ServiceException("UnsupportedOperationException", "KeyPairSpec " + pairSpec + " is not supported in this region.");
        KmsKey key = findKey(ctx, required(in, "KeyId"), true);
        requireSymmetricEncryptionKey(key, operation);
        dryRun(in);
        KeyPair pair = KmsCrypto.generateKeyPair(spec);
        byte[] privateKey = pair.getPrivate().getEncoded();
        KmsKey.Material material = key.current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PrivateKeyCiphertextBlob", KmsCrypto.seal(key.keyId, material, privateKey, stringMap(in, "EncryptionContext")));
        if (withPlaintext) out.put("PrivateKeyPlaintext", privateKey);
        out.put("PublicKey", pair.getPublic().getEncoded());
        out.put("KeyId", key.arn);
        out.put("KeyPairSpec", pairSpec);
        out.put("KeyMaterialId", material.id);
        return out;
    }

    private static Map<String, Object> generateRandom(Map<String, Object> in) {
        Integer bytes = integer(in, "NumberOfBytes");
        if (bytes == null) throw validation("NumberOfBytes is required.");
        range("NumberOfBytes", bytes, 1, 1024);
        return Map.of("Plaintext", KmsCrypto.random(bytes));
    }

    // ======================================================================== signatures and MACs

    /** The digest to sign: the message hashed (RAW) or the caller's digest, checked for length (DIGEST). */
    private static byte[] digestToSign(Map<String, Object> in, String algorithm) {
        byte[] message = blob(in, "Message");
        if (message == null) message = new byte[0];
        blobLength("Message", message, 1, 4096);
        String type = enumValue(in, "MessageType", List.of("RAW", "DIGEST", "EXTERNAL_MU"));
        if (KmsCrypto.signsWholeMessage(algorithm)) {
            if (type != null && !type.equals("RAW")) {
                throw validation("The " + algorithm + " signing algorithm does not support the " + type + " message type.");
            }
            return message;
        }
        if ("DIGEST".equals(type)) {
            if (message.length != KmsCrypto.digestLength(algorithm)) {
                throw validation("Digest is invalid length for algorithm " + algorithm + ".");
            }
            return message;
        }
        if ("EXTERNAL_MU".equals(type)) throw validation("The " + algorithm + " signing algorithm does not support the EXTERNAL_MU message type.");
        return KmsCrypto.digest(algorithm, message);
    }

    private KmsKey signingKey(RequestContext ctx, Map<String, Object> in, String algorithm, String operation) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), true);
        requireUsable(key);
        requireUsage(key, USAGE_SIGN, operation);
        if (!key.keySpec.signingAlgorithms(key.keyUsage).contains(algorithm)) throw incompatible(algorithm, key);
        return key;
    }

    private Map<String, Object> sign(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "SigningAlgorithm", SIGNING_ALGORITHMS);
        if (algorithm == null) required(in, "SigningAlgorithm");
        KmsKey key = signingKey(ctx, in, algorithm, "Sign");
        byte[] digest = digestToSign(in, algorithm);
        dryRun(in);
        byte[] signature = KmsCrypto.signDigest(key.current().privateKey(key.keySpec), algorithm, digest);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("Signature", signature);
        out.put("SigningAlgorithm", algorithm);
        return out;
    }

    private Map<String, Object> verify(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "SigningAlgorithm", SIGNING_ALGORITHMS);
        if (algorithm == null) required(in, "SigningAlgorithm");
        byte[] signature = blob(in, "Signature");
        blobLength("Signature", signature == null ? new byte[0] : signature, 1, 6144);
        KmsKey key = signingKey(ctx, in, algorithm, "Verify");
        byte[] digest = digestToSign(in, algorithm);
        dryRun(in);
        if (!KmsCrypto.verifyDigest(key.current().publicKey(key.keySpec), algorithm, digest, signature)) {
            throw new ServiceException("KMSInvalidSignatureException", "");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("SignatureValid", true);
        out.put("SigningAlgorithm", algorithm);
        return out;
    }

    private static final String MAC_ENUM_MESSAGE = "[HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]";

    private KmsKey macKey(RequestContext ctx, Map<String, Object> in, String algorithm, String operation) {
        byte[] message = blob(in, "Message");
        blobLength("Message", message == null ? new byte[0] : message, 1, 4096);
        KmsKey key = findKey(ctx, required(in, "KeyId"), true);
        requireUsable(key);
        requireUsage(key, USAGE_MAC, operation);
        if (!key.keySpec.macAlgorithms(key.keyUsage).contains(algorithm)) throw incompatible(algorithm, key);
        return key;
    }

    private Map<String, Object> generateMac(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "MacAlgorithm", MAC_ALGORITHMS, MAC_ENUM_MESSAGE);
        if (algorithm == null) required(in, "MacAlgorithm");
        KmsKey key = macKey(ctx, in, algorithm, "GenerateMac");
        dryRun(in);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Mac", KmsCrypto.hmac(key.current().secret, algorithm, blob(in, "Message")));
        out.put("MacAlgorithm", algorithm);
        out.put("KeyId", key.arn);
        return out;
    }

    private Map<String, Object> verifyMac(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "MacAlgorithm", MAC_ALGORITHMS, MAC_ENUM_MESSAGE);
        if (algorithm == null) required(in, "MacAlgorithm");
        byte[] mac = blob(in, "Mac");
        blobLength("Mac", mac == null ? new byte[0] : mac, 1, 6144);
        KmsKey key = macKey(ctx, in, algorithm, "VerifyMac");
        dryRun(in);
        byte[] expected = KmsCrypto.hmac(key.current().secret, algorithm, blob(in, "Message"));
        if (!java.security.MessageDigest.isEqual(expected, mac)) throw new ServiceException("KMSInvalidMacException", "");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("MacValid", true);
        out.put("MacAlgorithm", algorithm);
        return out;
    }

    private Map<String, Object> getPublicKey(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), true);
        requireUsable(key);
        if (!key.keySpec.asymmetric()) {
            throw new ServiceException("UnsupportedOperationException",
                    key.arn + " key spec is " + key.keySpec.name() + " which is not valid for GetPublicKey.");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("PublicKey", key.current().publicKey);
        out.put("CustomerMasterKeySpec", key.keySpec.name());
        out.put("KeySpec", key.keySpec.name());
        out.put("KeyUsage", key.keyUsage);
        putIfAny(out, "EncryptionAlgorithms", key.keySpec.encryptionAlgorithms(key.keyUsage));
        putIfAny(out, "SigningAlgorithms", key.keySpec.signingAlgorithms(key.keyUsage));
        putIfAny(out, "KeyAgreementAlgorithms", key.keySpec.keyAgreementAlgorithms(key.keyUsage));
        return out;
    }

    private Map<String, Object> deriveSharedSecret(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "KeyAgreementAlgorithm", List.of("ECDH"));
        if (algorithm == null) required(in, "KeyAgreementAlgorithm");
        byte[] peer = blob(in, "PublicKey");
        KmsKey key = findKey(ctx, required(in, "KeyId"), true);
        requireUsable(key);
        requireUsage(key, USAGE_AGREEMENT, "DeriveSharedSecret");
        dryRun(in);
        byte[] secret;
        try {
            secret = KmsCrypto.ecdh(key.current().privateKey(key.keySpec), peer == null ? new byte[0] : peer);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw validation("");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("SharedSecret", secret);
        out.put("KeyAgreementAlgorithm", algorithm);
        out.put("KeyOrigin", key.origin);
        return out;
    }

    // ======================================================================== rotation

    /** Automatic rotation only applies to symmetric encryption keys with AWS-generated material. */
    private static void requireAutomaticallyRotatable(KmsKey key) {
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", "");
        if (!"AWS_KMS".equals(key.origin)) {
            throw new ServiceException("UnsupportedOperationException",
                    key.arn + " origin is " + key.origin + " which is not valid for this operation.");
        }
    }

    private Map<String, Object> enableKeyRotation(RequestContext ctx, Map<String, Object> in, boolean enable) {
        Integer period = integer(in, "RotationPeriodInDays");
        if (enable) range("RotationPeriodInDays", period, 90, 2560);
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            if ("Disabled".equals(key.keyState)) throw new ServiceException("DisabledException", key.arn + " is disabled.");
            requireAutomaticallyRotatable(key);
            if (enable) {
                if (!key.rotationEnabled) key.rotationEnabledMillis = System.currentTimeMillis();
                key.rotationEnabled = true;
                if (period != null) key.rotationPeriodDays = period;
            } else {
                key.rotationEnabled = false;
            }
        }
        return Map.of();
    }

    private Map<String, Object> getKeyRotationStatus(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        requireNotPendingDeletion(key);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", "");
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (key) {
            out.put("KeyRotationEnabled", key.rotationEnabled);
            out.put("KeyId", key.arn);
            if (key.rotationEnabled) {
                out.put("RotationPeriodInDays", key.rotationPeriodDays);
                out.put("NextRotationDate", Instant.ofEpochMilli(nextRotationMillis(key)));
            }
        }
        return out;
    }

    private static long nextRotationMillis(KmsKey key) {
        long last = key.rotationEnabledMillis;
        for (KmsKey.Rotation r : key.rotations) if ("AUTOMATIC".equals(r.type)) last = Math.max(last, r.dateMillis);
        return last + key.rotationPeriodDays * DAY_MILLIS;
    }

    /** Applies automatic rotations that have come due (checked on access rather than by a timer). */
    private static void maybeRotateAutomatically(KmsKey key) {
        // cheap unlocked check first: this runs on every key lookup
        if (!key.rotationEnabled || nextRotationMillis(key) > System.currentTimeMillis()) return;
        synchronized (key) {
            long now = System.currentTimeMillis();
            while (key.rotationEnabled && nextRotationMillis(key) <= now) {
                long due = nextRotationMillis(key);
                rotate(key, "AUTOMATIC", due);
            }
        }
    }

    private static void rotate(KmsKey key, String type, long when) {
        KmsKey.Material m = KmsCrypto.generate(key.keySpec);
        m.createdMillis = when;
        key.addMaterial(m);
        recordRotation(key, m.id, type, when);
    }

    private static void recordRotation(KmsKey key, String materialId, String type, long when) {
        KmsKey.Rotation r = new KmsKey.Rotation();
        r.materialId = materialId;
        r.dateMillis = when;
        r.type = type;
        List<KmsKey.Rotation> next = new ArrayList<>(key.rotations);
        next.add(r);
        key.rotations = next;
    }

    private Map<String, Object> rotateKeyOnDemand(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            requireUsable(key);
            if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", "");
            if ("EXTERNAL".equals(key.origin)) {
                // imported material rotates to what was imported as NEW_KEY_MATERIAL
                if (key.pendingMaterial == null) {
                    throw invalidState("No available key material pending rotation for the key: " + key.arn + ".");
                }
                key.addMaterial(key.pendingMaterial);
                recordRotation(key, key.pendingMaterial.id, "ON_DEMAND", System.currentTimeMillis());
                key.pendingMaterial = null;
                return Map.of("KeyId", key.arn);
            }
            requireAutomaticallyRotatable(key);
            long onDemand = key.rotations.stream().filter(r -> "ON_DEMAND".equals(r.type)).count();
            if (onDemand >= MAX_ON_DEMAND_ROTATIONS) {
                throw new ServiceException("LimitExceededException", "The on-demand rotations limit has been reached for the given keyId. "
                        + "No more on-demand rotations can be performed for this key: " + key.arn);
            }
            rotate(key, "ON_DEMAND", System.currentTimeMillis());
        }
        return Map.of("KeyId", key.arn);
    }

    private Map<String, Object> listKeyRotations(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        if (key.keySpec != KmsKeySpec.SYMMETRIC_DEFAULT) throw new ServiceException("UnsupportedOperationException", "");
        return page(in, List.copyOf(key.rotations), "Rotations", r -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("KeyId", key.arn);
            e.put("KeyMaterialId", r.materialId);
            e.put("RotationDate", Instant.ofEpochMilli(r.dateMillis));
            e.put("RotationType", r.type);
            return e;
        });
    }

    // ======================================================================== tags

    /** Validates a Tags list and merges it into {@code into}; AWS's checks in AWS's order. */
    private static LinkedHashMap<String, String> validateTags(Object tagsValue, LinkedHashMap<String, String> into) {
        if (!(tagsValue instanceof List<?> tags)) return into;
        int i = 0;
        for (Object t : tags) {
            i++;
            Map<?, ?> tag = (Map<?, ?>) t;
            String k = Objects.toString(tag.get("TagKey"), null);
            String v = Objects.toString(tag.get("TagValue"), null);
            if (k == null) throw validation("1 validation error detected: Value null at 'tags." + i + ".member.tagKey' failed to satisfy constraint: Member must not be null");
            if (v == null) throw validation("1 validation error detected: Value null at 'tags." + i + ".member.tagValue' failed to satisfy constraint: Member must not be null");
            KmsInput.stringLength("tags." + i + ".member.tagKey", k, 1, 128);
            KmsInput.stringLength("tags." + i + ".member.tagValue", v, 0, 256);
        }
        if (tags.size() > MAX_TAGS) throw new ServiceException("TagException", "Too many tags");
        HashSet<String> seen = new HashSet<>();
        LinkedHashMap<String, String> parsed = new LinkedHashMap<>();
        for (Object t : tags) {
            Map<?, ?> tag = (Map<?, ?>) t;
            String k = tag.get("TagKey").toString();
            if (k.regionMatches(true, 0, "aws:", 0, 4)) throw new ServiceException("TagException", "Tags beginning with aws: are reserved");
            if (!seen.add(k)) throw new ServiceException("TagException", "Duplicate tag keys");
            parsed.put(k, tag.get("TagValue").toString());
        }
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(into);
        merged.putAll(parsed);
        if (merged.size() > MAX_TAGS) throw new ServiceException("TagException", "Too many tags");
        return merged;
    }

    private Map<String, Object> tagResource(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.tags = validateTags(in.get("Tags"), key.tags);
        }
        return Map.of();
    }

    private Map<String, Object> untagResource(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            LinkedHashMap<String, String> next = new LinkedHashMap<>(key.tags);
            for (Object k : KmsInput.list(in, "TagKeys")) next.remove(k.toString());
            key.tags = next;
        }
        return Map.of();
    }

    private Map<String, Object> listResourceTags(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        List<Map.Entry<String, String>> tags;
        synchronized (key) {
            tags = List.copyOf(key.tags.entrySet());
        }
        return page(in, tags, "Tags", e -> Map.of("TagKey", e.getKey(), "TagValue", e.getValue()));
    }

    // ======================================================================== grants

    private Map<String, Object> createGrant(RequestContext ctx, Map<String, Object> in) {
        String grantee = required(in, "GranteePrincipal");
        List<String> operations = new ArrayList<>();
        for (Object o : KmsInput.list(in, "Operations")) {
            String op = o.toString();
            if (!GRANT_OPERATIONS.contains(op)) {
                throw validation("1 validation error detected: Value '[" + op + "]' at 'operations' failed to satisfy constraint: "
                        + "Member must satisfy constraint: [Member must satisfy enum value set: " + GRANT_OPERATIONS + "]");
            }
            operations.add(op);
        }
        if (operations.isEmpty()) throw validation("1 validation error detected: Value null at 'operations' failed to satisfy constraint: Member must not be null");
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        requireNotPendingDeletion(key);
        String name = str(in, "Name");
        String retiring = str(in, "RetiringPrincipal");
        @SuppressWarnings("unchecked")
        Map<String, Object> constraints = in.get("Constraints") instanceof Map<?, ?> c ? (Map<String, Object>) c : null;
        dryRun(in);
        KmsRegion state = store.get(key.accountId, key.region);
        synchronized (state.grants) {
            if (name != null) {
                // CreateGrant is idempotent for the same name and parameters
                for (KmsRegion.Grant g : state.grants.values()) {
                    if (g.keyId.equals(key.keyId) && name.equals(g.name) && grantee.equals(g.granteePrincipal)
                            && Objects.equals(retiring, g.retiringPrincipal) && new HashSet<>(operations).equals(new HashSet<>(g.operations))
                            && Objects.equals(constraints, g.constraints)) {
                        return Map.of("GrantToken", g.grantToken, "GrantId", g.grantId);
                    }
                }
            }
            KmsRegion.Grant g = new KmsRegion.Grant();
            g.grantId = KmsCrypto.hex(KmsCrypto.random(32));
            g.grantToken = Base64.getUrlEncoder().withoutPadding().encodeToString(KmsCrypto.random(96));
            g.keyId = key.keyId;
            g.name = name;
            g.createdMillis = System.currentTimeMillis();
            g.granteePrincipal = grantee;
            g.retiringPrincipal = retiring;
            g.issuingAccount = "arn:" + ctx.partition() + ":iam::" + ctx.accountId() + ":root";
            g.operations = operations;
            g.constraints = constraints;
            state.grants.put(g.grantId, g);
            return Map.of("GrantToken", g.grantToken, "GrantId", g.grantId);
        }
    }

    private Map<String, Object> grantEntry(KmsKey key, KmsRegion.Grant g) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("KeyId", key.arn);
        e.put("GrantId", g.grantId);
        if (g.name != null) e.put("Name", g.name);
        e.put("CreationDate", Instant.ofEpochMilli(g.createdMillis));
        e.put("GranteePrincipal", g.granteePrincipal);
        if (g.retiringPrincipal != null) e.put("RetiringPrincipal", g.retiringPrincipal);
        e.put("IssuingAccount", g.issuingAccount);
        e.put("Operations", g.operations);
        if (g.constraints != null) e.put("Constraints", g.constraints);
        return e;
    }

    private static List<KmsRegion.Grant> grantsInOrder(KmsRegion state) {
        List<KmsRegion.Grant> grants = new ArrayList<>(state.grants.values());
        grants.sort(Comparator.comparingLong((KmsRegion.Grant g) -> g.createdMillis).thenComparing(g -> g.grantId));
        return grants;
    }

    private Map<String, Object> listGrants(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        String grantId = str(in, "GrantId");
        String grantee = str(in, "GranteePrincipal");
        KmsRegion state = store.get(key.accountId, key.region);
        List<KmsRegion.Grant> grants = new ArrayList<>();
        for (KmsRegion.Grant g : grantsInOrder(state)) {
            if (g.keyId.equals(key.keyId) && (grantId == null || grantId.equals(g.grantId))
                    && (grantee == null || grantee.equals(g.granteePrincipal))) grants.add(g);
        }
        return page(in, grants, "Grants", g -> grantEntry(key, g));
    }

    private Map<String, Object> listRetirableGrants(RequestContext ctx, Map<String, Object> in) {
        String retiring = required(in, "RetiringPrincipal");
        KmsRegion state = store.get(ctx);
        List<KmsRegion.Grant> grants = new ArrayList<>();
        for (KmsRegion.Grant g : grantsInOrder(state)) if (retiring.equals(g.retiringPrincipal)) grants.add(g);
        return page(in, grants, "Grants", g -> {
            KmsKey key = state.keys.get(g.keyId);
            return grantEntry(key, g);
        });
    }

    private Map<String, Object> retireGrant(RequestContext ctx, Map<String, Object> in) {
        String token = str(in, "GrantToken");
        String grantId = str(in, "GrantId");
        String keyRef = str(in, "KeyId");
        if (token == null && (grantId == null || keyRef == null)) {
            throw validation("Grant token OR (grant ID, key ID) must be specified");
        }
        KmsRegion state;
        KmsRegion.Grant grant = null;
        if (token != null) {
            state = store.get(ctx);
            for (KmsRegion.Grant g : state.grants.values()) if (g.grantToken.equals(token)) grant = g;
            if (grant == null) throw new ServiceException("InvalidGrantTokenException", "Grant token is invalid.");
        } else {
            KmsKey key = findKey(ctx, keyRef, false);
            state = store.get(key.accountId, key.region);
            grant = findGrant(state, key, grantId);
        }
        dryRun(in);
        state.grants.remove(grant.grantId);
        return Map.of();
    }

    private KmsRegion.Grant findGrant(KmsRegion state, KmsKey key, String grantId) {
        if (!GRANT_ID.matcher(grantId).matches()) throw new ServiceException("InvalidGrantIdException", "Invalid grant ID " + grantId);
        KmsRegion.Grant g = state.grants.get(grantId);
        if (g == null || !g.keyId.equals(key.keyId)) throw notFound("Grant ID " + grantId + " not found");
        return g;
    }

    private Map<String, Object> revokeGrant(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        KmsRegion state = store.get(key.accountId, key.region);
        KmsRegion.Grant grant = findGrant(state, key, required(in, "GrantId"));
        dryRun(in);
        state.grants.remove(grant.grantId);
        return Map.of();
    }

    // ======================================================================== key policies

    static String defaultPolicy(String partition, String account) {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:" + partition + ":iam::" + account + ":root\"\n    },\n"
                + "    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    private static void validatePolicy(String policy) {
        try {
            if (!JSON.readTree(policy).isObject()) throw new ServiceException("MalformedPolicyDocumentException", "The policy is not a JSON object.");
        } catch (JsonProcessingException e) {
            throw new ServiceException("MalformedPolicyDocumentException", "The policy document is not valid JSON.");
        }
        KmsInput.stringLength("policy", policy, 1, 131072);
    }

    private static String policyName(Map<String, Object> in) {
        String name = str(in, "PolicyName");
        if (name == null) return "default";
        if (!name.equals("default")) throw notFound("No such policy exists");
        return name;
    }

    private Map<String, Object> getKeyPolicy(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        String name = policyName(in);
        return Map.of("Policy", key.policy, "PolicyName", name);
    }

    private Map<String, Object> putKeyPolicy(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        policyName(in);
        String policy = required(in, "Policy");
        validatePolicy(policy);
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.policy = policy;
        }
        return Map.of();
    }

    private Map<String, Object> listKeyPolicies(RequestContext ctx, Map<String, Object> in) {
        findKey(ctx, required(in, "KeyId"), false);
        return page(in, List.of("default"), "PolicyNames", n -> n);
    }

    // ======================================================================== multi-Region keys

    private Map<String, Object> replicateKey(RequestContext ctx, Map<String, Object> in) {
        KmsKey primary = findKey(ctx, required(in, "KeyId"), false);
        String replicaRegion = required(in, "ReplicaRegion");
        if (!primary.multiRegion || !"PRIMARY".equals(primary.multiRegionType)) {
            throw new ServiceException("UnsupportedOperationException", primary.arn + " is not a multi-region primary key.");
        }
        if (replicaRegion.equals(primary.region)) {
            throw validation("The replica region " + replicaRegion + " must be different from the primary key region.");
        }
        String policy = str(in, "Policy");
        if (policy != null) validatePolicy(policy);
        KmsRegion target = store.get(primary.accountId, replicaRegion);
        if (target.keys.containsKey(primary.keyId)) {
            throw new ServiceException("AlreadyExistsException", keyArn(partitionOf(primary.arn), replicaRegion, primary.accountId, primary.keyId) + " already exists");
        }
        KmsKey replica = new KmsKey();
        replica.keyId = primary.keyId;
        replica.accountId = primary.accountId;
        replica.region = replicaRegion;
        replica.arn = keyArn(partitionOf(primary.arn), replicaRegion, primary.accountId, primary.keyId);
        replica.createdMillis = System.currentTimeMillis();
        String description = str(in, "Description");
        replica.description = description == null ? "" : description;
        replica.keySpec = primary.keySpec;
        replica.keyUsage = primary.keyUsage;
        replica.origin = primary.origin;
        replica.policy = policy != null ? policy : defaultPolicy(partitionOf(primary.arn), primary.accountId);
        replica.tags = validateTags(in.get("Tags"), new LinkedHashMap<>());
        replica.multiRegion = true;
        replica.multiRegionType = "REPLICA";
        replica.primaryRegion = primary.region;
        replica.materials = primary.materials; // shared key material: ciphertexts decrypt in either region
        replica.sequence = target.sequence.incrementAndGet();
        synchronized (primary) {
            List<String> regions = new ArrayList<>(primary.replicaRegions);
            regions.add(replicaRegion);
            primary.replicaRegions = regions;
        }
        target.keys.put(replica.keyId, replica);
        // AWS answers while the replica is still being created
        Map<String, Object> shown = metadata(replica);
        shown.put("KeyState", "Creating");
        shown.put("Enabled", false);
        shown.remove("CurrentKeyMaterialId");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ReplicaKeyMetadata", shown);
        out.put("ReplicaPolicy", replica.policy);
        out.put("ReplicaTags", replica.tags.entrySet().stream()
                .map(e -> (Object) Map.of("TagKey", e.getKey(), "TagValue", e.getValue())).toList());
        return out;
    }

    // ======================================================================== imported key material

    private static boolean hasUsableMaterial(KmsKey key) {
        KmsKey.Material current = key.current();
        return current != null && current.secret != null;
    }

    private static void requireExternal(KmsKey key) {
        if (!"EXTERNAL".equals(key.origin)) {
            throw new ServiceException("UnsupportedOperationException",
                    key.arn + " origin is " + key.origin + " which is not valid for this operation.");
        }
    }

    private Map<String, Object> getParametersForImport(RequestContext ctx, Map<String, Object> in) {
        String algorithm = enumValue(in, "WrappingAlgorithm", List.of("RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1",
                "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "SM2PKE"));
        if (algorithm == null) required(in, "WrappingAlgorithm");
        String wrappingSpec = enumValue(in, "WrappingKeySpec", List.of("RSA_2048", "RSA_3072", "RSA_4096", "SM2"));
        if (wrappingSpec == null) required(in, "WrappingKeySpec");
        if (algorithm.equals("SM2PKE") || wrappingSpec.equals("SM2")) {
            throw validation("SM2 wrapping is only available in China Regions.");
        }
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        requireExternal(key);
        requireNotPendingDeletion(key);
        KeyPair wrapping = KmsCrypto.generateKeyPair(KmsKeySpec.valueOf(wrappingSpec));
        KmsKey.ImportParameters p = new KmsKey.ImportParameters();
        p.importToken = KmsCrypto.random(128);
        p.wrappingAlgorithm = algorithm;
        p.wrappingKeySpec = wrappingSpec;
        p.wrappingPrivateKey = wrapping.getPrivate().getEncoded();
        p.validToMillis = System.currentTimeMillis() + DAY_MILLIS;
        synchronized (key) {
            key.importParameters = p;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("ImportToken", p.importToken);
        out.put("PublicKey", wrapping.getPublic().getEncoded());
        out.put("ParametersValidTo", Instant.ofEpochMilli(p.validToMillis));
        return out;
    }

    private Map<String, Object> importKeyMaterial(RequestContext ctx, Map<String, Object> in) {
        byte[] token = blob(in, "ImportToken");
        byte[] wrapped = blob(in, "EncryptedKeyMaterial");
        String expiration = enumValue(in, "ExpirationModel", List.of("KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"));
        String importType = enumValue(in, "ImportType", List.of("EXISTING_KEY_MATERIAL", "NEW_KEY_MATERIAL"));
        Object validTo = in.get("ValidTo");
        if ("KEY_MATERIAL_EXPIRES".equals(expiration) && validTo == null) {
            throw validation("A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES");
        }
        if ("KEY_MATERIAL_DOES_NOT_EXPIRE".equals(expiration) && validTo != null) {
            throw validation("A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE");
        }
        if (expiration == null) expiration = validTo == null ? "KEY_MATERIAL_DOES_NOT_EXPIRE" : "KEY_MATERIAL_EXPIRES";
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        requireExternal(key);
        synchronized (key) {
            requireNotPendingDeletion(key);
            KmsKey.ImportParameters p = key.importParameters;
            if (p == null || token == null || !java.security.MessageDigest.isEqual(p.importToken, token)) {
                throw new ServiceException("InvalidImportTokenException", "The import token is not valid for this KMS key.");
            }
            if (System.currentTimeMillis() > p.validToMillis) {
                throw new ServiceException("ExpiredImportTokenException", "The import token has expired.");
            }
            byte[] material;
            try {
                PrivateKeyHolder holder = new PrivateKeyHolder(p);
                material = KmsCrypto.unwrapImported(holder.key, holder.modulusBytes, p.wrappingAlgorithm, wrapped == null ? new byte[0] : wrapped);
            } catch (KmsCrypto.BadCiphertext e) {
                throw invalidCiphertext();
            }
            KmsKey.Material m = importedMaterial(key, material);
            KmsKey.Material known = key.material(m.id);
            boolean firstImport = key.current() == null;
            String materialId = m.id;
            if (firstImport) {
                key.addMaterial(m);
            } else if (known != null) {
                known.secret = m.secret;     // the same material, imported again after deletion
                known.publicKey = m.publicKey;
            } else if ("NEW_KEY_MATERIAL".equals(importType) && key.keySpec == KmsKeySpec.SYMMETRIC_DEFAULT) {
                if (key.pendingMaterial != null && !key.pendingMaterial.id.equals(m.id)) {
                    throw invalidState("New key material (id: " + m.id + ") cannot be imported into KMS key " + key.keyId
                            + ", because another key material (id: " + key.pendingMaterial.id + ") is pending rotation.");
                }
                key.pendingMaterial = m;
            } else {
                throw new ServiceException("IncorrectKeyMaterialException",
                        "The key material doesn't match the key material previously imported into this KMS key.");
            }
            key.expirationModel = expiration;
            key.validToMillis = validTo instanceof Instant i ? i.toEpochMilli() : 0;
            if ("PendingImport".equals(key.keyState) && hasUsableMaterial(key)) key.keyState = "Enabled";
            return Map.of("KeyId", key.arn, "KeyMaterialId", materialId);
        }
    }

    /** The wrapping key of an import, parsed. */
    private record PrivateKeyHolder(java.security.PrivateKey key, int modulusBytes) {
        PrivateKeyHolder(KmsKey.ImportParameters p) {
            this(parse(p), KmsKeySpec.valueOf(p.wrappingKeySpec).bits / 8);
        }

        private static java.security.PrivateKey parse(KmsKey.ImportParameters p) {
            try {
                return KmsCrypto.privateKey(KmsKeySpec.valueOf(p.wrappingKeySpec), p.wrappingPrivateKey);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Checks imported bytes against the key spec: AES-256 key, HMAC key, or a PKCS#8 key of the spec's size/curve. */
    private static KmsKey.Material importedMaterial(KmsKey key, byte[] material) {
        KmsKey.Material m = new KmsKey.Material();
        m.createdMillis = System.currentTimeMillis();
        m.secret = material;
        switch (key.keySpec.family) {
            case SYMMETRIC -> {
                if (material.length != 32) throw incorrectMaterial(key);
            }
            case HMAC -> {
                if (material.length < key.keySpec.bits / 8 || material.length > 128) throw incorrectMaterial(key);
            }
            case RSA, ECC, EDWARDS, ML_DSA -> {
                m.publicKey = KmsCrypto.publicKeyOf(key.keySpec, material);
                if (m.publicKey == null) throw incorrectMaterial(key);
            }
        }
        m.id = KmsCrypto.importedMaterialId(key.keyId, material);
        return m;
    }

    private static ServiceException incorrectMaterial(KmsKey key) {
        return new ServiceException("IncorrectKeyMaterialException",
                "The key material is not valid for a KMS key with key spec " + key.keySpec.name() + ".");
    }

    private Map<String, Object> deleteImportedKeyMaterial(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = findKey(ctx, required(in, "KeyId"), false);
        requireExternal(key);
        synchronized (key) {
            requireNotPendingDeletion(key);
            String only = str(in, "KeyMaterialId");
            KmsKey.Material current = key.current();
            for (KmsKey.Material m : key.materials) if (only == null || only.equals(m.id)) m.secret = null;
            if (key.pendingMaterial != null && (only == null || only.equals(key.pendingMaterial.id))) key.pendingMaterial = null;
            if (!hasUsableMaterial(key)) {
                key.keyState = "PendingImport";
                key.expirationModel = null;
                key.validToMillis = 0;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("KeyId", key.arn);
            if (current != null) out.put("KeyMaterialId", only != null ? only : current.id);
            return out;
        }
    }

    // ======================================================================== pagination

    /** One page of {@code items}: Limit (1–1000, default 100), Marker (an opaque offset), Truncated, NextMarker. */
    private static <T> Map<String, Object> page(Map<String, Object> in, List<T> items, String member, Function<T, Object> render) {
        Integer limit = integer(in, "Limit");
        range("Limit", limit, 1, 1000);
        int size = limit == null ? 100 : limit;
        String marker = str(in, "Marker");
        int start = 0;
        if (marker != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(marker), java.nio.charset.StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new ServiceException("InvalidMarkerException", "Invalid marker: " + marker);
            }
            if (start < 0) throw new ServiceException("InvalidMarkerException", "Invalid marker: " + marker);
        }
        int end = Math.min(items.size(), start + size);
        List<Object> rendered = new ArrayList<>();
        for (int i = Math.min(start, items.size()); i < end; i++) rendered.add(render.apply(items.get(i)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(member, rendered);
        boolean truncated = end < items.size();
        out.put("Truncated", truncated);
        if (truncated) {
            out.put("NextMarker", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(end).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        return out;
    }

    // ======================================================================== persistence

    @Override
    public int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        KmsState.write(store, out);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        KmsState.read(store, in, version);
    }

    @Override
    public void resetState() {
        store.clear();
    }
}
