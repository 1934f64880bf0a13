package dev.polystack.services.kms;

import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static dev.polystack.services.kms.KmsErrors.invalidState;
import static dev.polystack.services.kms.KmsErrors.requireNotPendingDeletion;
import static dev.polystack.services.kms.KmsInput.bool;
import static dev.polystack.services.kms.KmsInput.enumValue;
import static dev.polystack.services.kms.KmsInput.integer;
import static dev.polystack.services.kms.KmsInput.range;
import static dev.polystack.services.kms.KmsInput.required;
import static dev.polystack.services.kms.KmsInput.str;
import static dev.polystack.services.kms.KmsInput.validation;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_AGREEMENT;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_ENCRYPT;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_MAC;
import static dev.polystack.services.kms.KmsKeySpec.USAGE_SIGN;
import static dev.polystack.services.kms.KmsKeyStore.keyArn;
import static dev.polystack.services.kms.KmsKeyStore.partitionOf;
import static dev.polystack.services.kms.KmsPaging.page;

/**
 * Native KMS: keys of every spec with real cryptography (see {@link KmsCrypto}), kept per account and
 * region in a {@link KmsKeyStore}. This class dispatches each operation and owns the key life cycle
 * (create, describe, list, enable, disable, deletion, multi-Region replicas) and persistence; each
 * other concern has its own class: {@link KmsEncryption}, {@link KmsSigning}, {@link KmsAliases},
 * {@link KmsGrants}, {@link KmsRotation}, {@link KmsTags}, {@link KmsPolicies}, {@link KmsImports}.
 * Error codes and messages follow what AWS sends.
 */
public final class KmsProvider implements ServiceProvider, Persistable {
    static final int STATE_VERSION = 1;
    /** How often scheduled deletions and automatic rotations are applied to keys nobody asks about. */
    private static final long SWEEP_SECONDS = 60;
    private static final List<String> KEY_USAGES = List.of(USAGE_ENCRYPT, USAGE_SIGN, USAGE_MAC, USAGE_AGREEMENT);

    private final KmsKeyStore keys;
    private final KmsEncryption encryption;
    private final KmsSigning signing;
    private final KmsAliases aliases;
    private final KmsGrants grants;
    private final KmsRotation rotation;
    private final KmsTags tags;
    private final KmsPolicies policies;
    private final KmsImports imports;
    private final ScheduledFuture<?> sweeper;

    public KmsProvider(ProviderEnvironment environment) {
        this(System::currentTimeMillis, environment);
    }

    /** @param clock epoch millis (tests move it forward); {@code environment} null: no periodic sweep */
    KmsProvider(LongSupplier clock, ProviderEnvironment environment) {
        keys = new KmsKeyStore(clock);
        encryption = new KmsEncryption(keys);
        signing = new KmsSigning(keys);
        aliases = new KmsAliases(keys);
        grants = new KmsGrants(keys);
        rotation = new KmsRotation(keys);
        tags = new KmsTags(keys);
        policies = new KmsPolicies(keys);
        imports = new KmsImports(keys);
        sweeper = environment == null ? null
                : environment.scheduler().scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public String service() {
        return "kms";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return switch (operation) {
            case "CreateKey" -> createKey(ctx, in);
            case "DescribeKey" -> Map.of("KeyMetadata", metadata(keys.findKey(ctx, required(in, "KeyId"), true)));
            case "ListKeys" -> listKeys(ctx, in);
            case "UpdateKeyDescription" -> updateKeyDescription(ctx, in);
            case "EnableKey" -> enableKey(ctx, in, true);
            case "DisableKey" -> enableKey(ctx, in, false);
            case "ScheduleKeyDeletion" -> scheduleKeyDeletion(ctx, in);
            case "CancelKeyDeletion" -> cancelKeyDeletion(ctx, in);
            case "ReplicateKey" -> replicateKey(ctx, in);
            case "CreateAlias" -> aliases.createAlias(ctx, in);
            case "UpdateAlias" -> aliases.updateAlias(ctx, in);
            case "DeleteAlias" -> aliases.deleteAlias(ctx, in);
            case "ListAliases" -> aliases.listAliases(ctx, in);
            case "Encrypt" -> encryption.encrypt(ctx, in);
            case "Decrypt" -> encryption.decrypt(ctx, in);
            case "ReEncrypt" -> encryption.reEncrypt(ctx, in);
            case "GenerateDataKey" -> encryption.generateDataKey(ctx, in, true);
            case "GenerateDataKeyWithoutPlaintext" -> encryption.generateDataKey(ctx, in, false);
            case "GenerateDataKeyPair" -> encryption.generateDataKeyPair(ctx, in, true);
            case "GenerateDataKeyPairWithoutPlaintext" -> encryption.generateDataKeyPair(ctx, in, false);
            case "GenerateRandom" -> KmsEncryption.generateRandom(in);
            case "Sign" -> signing.sign(ctx, in);
            case "Verify" -> signing.verify(ctx, in);
            case "GenerateMac" -> signing.generateMac(ctx, in);
            case "VerifyMac" -> signing.verifyMac(ctx, in);
            case "GetPublicKey" -> signing.getPublicKey(ctx, in);
            case "DeriveSharedSecret" -> signing.deriveSharedSecret(ctx, in);
            case "EnableKeyRotation" -> rotation.enableKeyRotation(ctx, in, true);
            case "DisableKeyRotation" -> rotation.enableKeyRotation(ctx, in, false);
            case "GetKeyRotationStatus" -> rotation.getKeyRotationStatus(ctx, in);
            case "RotateKeyOnDemand" -> rotation.rotateKeyOnDemand(ctx, in);
            case "ListKeyRotations" -> rotation.listKeyRotations(ctx, in);
            case "TagResource" -> tags.tagResource(ctx, in);
            case "UntagResource" -> tags.untagResource(ctx, in);
            case "ListResourceTags" -> tags.listResourceTags(ctx, in);
            case "CreateGrant" -> grants.createGrant(ctx, in);
            case "ListGrants" -> grants.listGrants(ctx, in);
            case "ListRetirableGrants" -> grants.listRetirableGrants(ctx, in);
            case "RetireGrant" -> grants.retireGrant(ctx, in);
            case "RevokeGrant" -> grants.revokeGrant(ctx, in);
            case "GetKeyPolicy" -> policies.getKeyPolicy(ctx, in);
            case "PutKeyPolicy" -> policies.putKeyPolicy(ctx, in);
            case "ListKeyPolicies" -> policies.listKeyPolicies(ctx, in);
            case "GetParametersForImport" -> imports.getParametersForImport(ctx, in);
            case "ImportKeyMaterial" -> imports.importKeyMaterial(ctx, in);
            case "DeleteImportedKeyMaterial" -> imports.deleteImportedKeyMaterial(ctx, in);
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    /** Applies due deletions and rotations everywhere (the scheduler runs this every minute). */
    void sweep() {
        try {
            keys.sweep();
        } catch (RuntimeException e) {
            System.getLogger(KmsProvider.class.getName()).log(System.Logger.Level.WARNING, "KMS sweep failed", e);
        }
    }

    /** A key as a request names it (tests). */
    KmsKey findKey(RequestContext ctx, String ref, boolean allowAlias) {
        return keys.findKey(ctx, ref, allowAlias);
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
        if (policy != null) KmsPolicies.validatePolicy(policy);
        // LocalStack's conventions for tests that need fixed keys: the _custom_key_material_ tag (base64) sets the
        // material and is not kept as a tag; the _custom_id_ tag sets the key id and is kept.
        List<Object> requestTags = in.get("Tags") instanceof List<?> l ? new ArrayList<>(l) : null;
        byte[] customMaterial = requestTags == null ? null : takeCustomMaterial(requestTags);
        LinkedHashMap<String, String> tags = KmsTags.validateTags(requestTags, new LinkedHashMap<>());
        boolean multiRegion = bool(in, "MultiRegion");
        String customId = tags.get(CUSTOM_ID_TAG);
        if (customId != null && keys.region(ctx).keys.containsKey(customId)) {
            throw new ServiceException("AlreadyExistsException", "A key with id " + customId + " already exists.");
        }

        KmsKey key = new KmsKey();
        key.keyId = customId != null ? customId
                : multiRegion ? "mrk-" + UUID.randomUUID().toString().replace("-", "") : UUID.randomUUID().toString();
        key.accountId = ctx.accountId();
        key.region = ctx.region();
        key.arn = keyArn(ctx.partition(), key.region, key.accountId, key.keyId);
        key.createdMillis = keys.now();
        key.description = description == null ? "" : description;
        key.keySpec = spec;
        key.keyUsage = usage;
        key.origin = origin;
        key.policy = policy != null ? policy : KmsPolicies.defaultPolicy(ctx.partition(), key.accountId);
        key.tags = tags;
        if (multiRegion) {
            key.multiRegion = true;
            key.multiRegionType = "PRIMARY";
            key.primaryRegion = key.region;
        }
        if (origin.equals("EXTERNAL")) {
            key.keyState = "PendingImport";
        } else if (customMaterial != null) {
            KmsKey.Material material = KmsCrypto.custom(spec, customMaterial, key.createdMillis);
            if (material == null) {
                throw validation("The " + CUSTOM_MATERIAL_TAG + " tag does not hold key material for key spec " + spec.name() + ".");
            }
            key.addMaterial(material);
        } else {
            key.addMaterial(KmsCrypto.generate(spec, key.createdMillis));
        }
        KmsRegion region = keys.region(ctx);
        key.sequence = region.sequence.incrementAndGet();
        region.keys.put(key.keyId, key);
        return Map.of("KeyMetadata", metadata(key));
    }

    static final String CUSTOM_ID_TAG = "_custom_id_";
    static final String CUSTOM_MATERIAL_TAG = "_custom_key_material_";

    /** Removes the _custom_key_material_ tag from {@code tags} and returns its decoded value, or null. */
    private static byte[] takeCustomMaterial(List<Object> tags) {
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i) instanceof Map<?, ?> tag && CUSTOM_MATERIAL_TAG.equals(tag.get("TagKey"))) {
                tags.remove(i);
                try {
                    return java.util.Base64.getDecoder().decode(String.valueOf(tag.get("TagValue")).trim());
                } catch (IllegalArgumentException e) {
                    throw validation("The " + CUSTOM_MATERIAL_TAG + " tag must hold base64-encoded key material.");
                }
            }
        }
        return null;
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
        if ("EXTERNAL".equals(k.origin) && k.expirationModel != null && k.hasUsableMaterial()) {
            m.put("ExpirationModel", k.expirationModel);
            if (k.validToMillis > 0) m.put("ValidTo", Instant.ofEpochMilli(k.validToMillis));
        }
        KmsKey.Material current = k.current();
        if (k.keySpec == KmsKeySpec.SYMMETRIC_DEFAULT && current != null) m.put("CurrentKeyMaterialId", current.id);
        return m;
    }

    static void putIfAny(Map<String, Object> m, String member, List<String> values) {
        if (!values.isEmpty()) m.put(member, values);
    }

    private Map<String, Object> multiRegionConfiguration(KmsKey k) {
        String partition = partitionOf(k.arn);
        List<Object> replicaKeys = new ArrayList<>();
        for (String r : keys.replicaRegions(k)) {
            replicaKeys.add(Map.of("Arn", keyArn(partition, r, k.accountId, k.keyId), "Region", r));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("MultiRegionKeyType", k.multiRegionType);
        c.put("PrimaryKey", Map.of("Arn", keyArn(partition, k.primaryRegion, k.accountId, k.keyId), "Region", k.primaryRegion));
        c.put("ReplicaKeys", replicaKeys);
        return c;
    }

    private Map<String, Object> listKeys(RequestContext ctx, Map<String, Object> in) {
        return page(in, keys.keysInOrder(ctx), "Keys", k -> Map.of("KeyId", k.keyId, "KeyArn", k.arn));
    }

    private Map<String, Object> updateKeyDescription(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        String description = required(in, "Description");
        KmsInput.stringLength("description", description, 0, 8192);
        requireNotPendingDeletion(key);
        synchronized (key) {
            key.description = description;
        }
        return Map.of();
    }

    private Map<String, Object> enableKey(RequestContext ctx, Map<String, Object> in, boolean enable) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
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
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        int window = days == null ? 30 : days;
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.keyState = "PendingDeletion";
            key.pendingWindowDays = window;
            key.deletionMillis = keys.now() + window * KmsKeyStore.DAY_MILLIS;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("KeyId", key.arn);
        out.put("DeletionDate", Instant.ofEpochMilli(key.deletionMillis));
        out.put("KeyState", "PendingDeletion");
        out.put("PendingWindowInDays", window);
        return out;
    }

    private Map<String, Object> cancelKeyDeletion(RequestContext ctx, Map<String, Object> in) {
        KmsKey key = keys.findKey(ctx, required(in, "KeyId"), false);
        synchronized (key) {
            if (!"PendingDeletion".equals(key.keyState)) throw invalidState(key.arn + " is not pending deletion.");
            key.keyState = key.hasUsableMaterial() ? "Disabled" : "PendingImport";
            key.deletionMillis = 0;
            key.pendingWindowDays = null;
        }
        return Map.of("KeyId", key.arn);
    }

    // ======================================================================== multi-Region keys

    private Map<String, Object> replicateKey(RequestContext ctx, Map<String, Object> in) {
        KmsKey primary = keys.findKey(ctx, required(in, "KeyId"), false);
        String replicaRegion = required(in, "ReplicaRegion");
        if (!primary.multiRegion || !"PRIMARY".equals(primary.multiRegionType)) {
            throw new ServiceException("UnsupportedOperationException", primary.arn + " is not a multi-region primary key.");
        }
        if (replicaRegion.equals(primary.region)) {
            throw validation("The replica region " + replicaRegion + " must be different from the primary key region.");
        }
        String policy = str(in, "Policy");
        if (policy != null) KmsPolicies.validatePolicy(policy);
        KmsRegion target = keys.region(primary.accountId, replicaRegion);
        if (target.keys.containsKey(primary.keyId)) {
            throw new ServiceException("AlreadyExistsException", keyArn(partitionOf(primary.arn), replicaRegion, primary.accountId, primary.keyId) + " already exists");
        }
        KmsKey replica = new KmsKey();
        replica.keyId = primary.keyId;
        replica.accountId = primary.accountId;
        replica.region = replicaRegion;
        replica.arn = keyArn(partitionOf(primary.arn), replicaRegion, primary.accountId, primary.keyId);
        replica.createdMillis = keys.now();
        String description = str(in, "Description");
        replica.description = description == null ? "" : description;
        replica.keySpec = primary.keySpec;
        replica.keyUsage = primary.keyUsage;
        replica.origin = primary.origin;
        replica.policy = policy != null ? policy : KmsPolicies.defaultPolicy(partitionOf(primary.arn), primary.accountId);
        replica.tags = KmsTags.validateTags(in.get("Tags"), new LinkedHashMap<>());
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
        if (in.get("Tags") != null) { // AWS answers ReplicaTags only when the request gave tags
            out.put("ReplicaTags", replica.tags.entrySet().stream()
                    .map(e -> (Object) Map.of("TagKey", e.getKey(), "TagValue", e.getValue())).toList());
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
        KmsState.write(keys.store, out);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        KmsState.read(keys.store, in, version);
        keys.sweep(); // deletions and rotations that came due while the server was down
    }

    @Override
    public void resetState() {
        keys.store.clear();
    }

    @Override
    public void close() {
        if (sweeper != null) sweeper.cancel(false);
    }
}
