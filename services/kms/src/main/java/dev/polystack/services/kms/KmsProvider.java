package dev.polystack.services.kms;

import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.kms.api.*;

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
import static dev.polystack.services.kms.KmsValidation.enumValue;
import static dev.polystack.services.kms.KmsValidation.range;
import static dev.polystack.services.kms.KmsValidation.required;
import static dev.polystack.services.kms.KmsValidation.validation;
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
public final class KmsProvider implements KmsApi, ServiceProvider, Persistable {
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
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ======================================================================== operations of the other concerns

    @Override
    public void createAlias(RequestContext ctx, CreateAliasRequest in) {
        aliases.createAlias(ctx, in);
    }

    @Override
    public void updateAlias(RequestContext ctx, UpdateAliasRequest in) {
        aliases.updateAlias(ctx, in);
    }

    @Override
    public void deleteAlias(RequestContext ctx, DeleteAliasRequest in) {
        aliases.deleteAlias(ctx, in);
    }

    @Override
    public ListAliasesResponse listAliases(RequestContext ctx, ListAliasesRequest in) {
        return aliases.listAliases(ctx, in);
    }

    @Override
    public EncryptResponse encrypt(RequestContext ctx, EncryptRequest in) {
        return encryption.encrypt(ctx, in);
    }

    @Override
    public DecryptResponse decrypt(RequestContext ctx, DecryptRequest in) {
        return encryption.decrypt(ctx, in);
    }

    @Override
    public ReEncryptResponse reEncrypt(RequestContext ctx, ReEncryptRequest in) {
        return encryption.reEncrypt(ctx, in);
    }

    @Override
    public GenerateDataKeyResponse generateDataKey(RequestContext ctx, GenerateDataKeyRequest in) {
        return encryption.generateDataKey(ctx, new KmsEncryption.DataKeyRequest(in.keyId(), in.keySpecAsString(),
                in.numberOfBytes(), in.encryptionContext(), in.recipient(), in.dryRun()), true);
    }

    @Override
    public GenerateDataKeyWithoutPlaintextResponse generateDataKeyWithoutPlaintext(RequestContext ctx, GenerateDataKeyWithoutPlaintextRequest in) {
        GenerateDataKeyResponse out = encryption.generateDataKey(ctx, new KmsEncryption.DataKeyRequest(in.keyId(),
                in.keySpecAsString(), in.numberOfBytes(), in.encryptionContext(), null, in.dryRun()), false);
        return GenerateDataKeyWithoutPlaintextResponse.builder()
                .ciphertextBlob(out.ciphertextBlob()).keyId(out.keyId()).keyMaterialId(out.keyMaterialId()).build();
    }

    @Override
    public GenerateDataKeyPairResponse generateDataKeyPair(RequestContext ctx, GenerateDataKeyPairRequest in) {
        return encryption.generateDataKeyPair(ctx, new KmsEncryption.DataKeyPairRequest(in.keyId(), in.keyPairSpecAsString(),
                in.encryptionContext(), in.recipient(), in.dryRun()), true);
    }

    @Override
    public GenerateDataKeyPairWithoutPlaintextResponse generateDataKeyPairWithoutPlaintext(RequestContext ctx,
                                                                                         GenerateDataKeyPairWithoutPlaintextRequest in) {
        GenerateDataKeyPairResponse out = encryption.generateDataKeyPair(ctx, new KmsEncryption.DataKeyPairRequest(in.keyId(),
                in.keyPairSpecAsString(), in.encryptionContext(), null, in.dryRun()), false);
        return GenerateDataKeyPairWithoutPlaintextResponse.builder()
                .privateKeyCiphertextBlob(out.privateKeyCiphertextBlob()).publicKey(out.publicKey()).keyId(out.keyId())
                .keyPairSpec(out.keyPairSpecAsString()).keyMaterialId(out.keyMaterialId()).build();
    }

    @Override
    public GenerateRandomResponse generateRandom(RequestContext ctx, GenerateRandomRequest in) {
        return KmsEncryption.generateRandom(in);
    }

    @Override
    public SignResponse sign(RequestContext ctx, SignRequest in) {
        return signing.sign(ctx, in);
    }

    @Override
    public VerifyResponse verify(RequestContext ctx, VerifyRequest in) {
        return signing.verify(ctx, in);
    }

    @Override
    public GenerateMacResponse generateMac(RequestContext ctx, GenerateMacRequest in) {
        return signing.generateMac(ctx, in);
    }

    @Override
    public VerifyMacResponse verifyMac(RequestContext ctx, VerifyMacRequest in) {
        return signing.verifyMac(ctx, in);
    }

    @Override
    public GetPublicKeyResponse getPublicKey(RequestContext ctx, GetPublicKeyRequest in) {
        return signing.getPublicKey(ctx, in.keyId());
    }

    @Override
    public DeriveSharedSecretResponse deriveSharedSecret(RequestContext ctx, DeriveSharedSecretRequest in) {
        return signing.deriveSharedSecret(ctx, in);
    }

    @Override
    public void enableKeyRotation(RequestContext ctx, EnableKeyRotationRequest in) {
        rotation.setKeyRotation(ctx, in.keyId(), in.rotationPeriodInDays(), true);
    }

    @Override
    public void disableKeyRotation(RequestContext ctx, DisableKeyRotationRequest in) {
        rotation.setKeyRotation(ctx, in.keyId(), null, false);
    }

    @Override
    public GetKeyRotationStatusResponse getKeyRotationStatus(RequestContext ctx, GetKeyRotationStatusRequest in) {
        return rotation.getKeyRotationStatus(ctx, in.keyId());
    }

    @Override
    public RotateKeyOnDemandResponse rotateKeyOnDemand(RequestContext ctx, RotateKeyOnDemandRequest in) {
        return RotateKeyOnDemandResponse.builder().keyId(rotation.rotateKeyOnDemand(ctx, in.keyId())).build();
    }

    @Override
    public ListKeyRotationsResponse listKeyRotations(RequestContext ctx, ListKeyRotationsRequest in) {
        return rotation.listKeyRotations(ctx, in);
    }

    @Override
    public void tagResource(RequestContext ctx, TagResourceRequest in) {
        tags.tagResource(ctx, in);
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceRequest in) {
        tags.untagResource(ctx, in);
    }

    @Override
    public ListResourceTagsResponse listResourceTags(RequestContext ctx, ListResourceTagsRequest in) {
        return tags.listResourceTags(ctx, in);
    }

    @Override
    public CreateGrantResponse createGrant(RequestContext ctx, CreateGrantRequest in) {
        return grants.createGrant(ctx, in);
    }

    @Override
    public ListGrantsResponse listGrants(RequestContext ctx, ListGrantsRequest in) {
        return grants.listGrants(ctx, in);
    }

    @Override
    public ListGrantsResponse listRetirableGrants(RequestContext ctx, ListRetirableGrantsRequest in) {
        return grants.listRetirableGrants(ctx, in);
    }

    @Override
    public void retireGrant(RequestContext ctx, RetireGrantRequest in) {
        grants.retireGrant(ctx, in);
    }

    @Override
    public void revokeGrant(RequestContext ctx, RevokeGrantRequest in) {
        grants.revokeGrant(ctx, in);
    }

    @Override
    public GetKeyPolicyResponse getKeyPolicy(RequestContext ctx, GetKeyPolicyRequest in) {
        return policies.getKeyPolicy(ctx, in);
    }

    @Override
    public void putKeyPolicy(RequestContext ctx, PutKeyPolicyRequest in) {
        policies.putKeyPolicy(ctx, in);
    }

    @Override
    public ListKeyPoliciesResponse listKeyPolicies(RequestContext ctx, ListKeyPoliciesRequest in) {
        return policies.listKeyPolicies(ctx, in);
    }

    @Override
    public GetParametersForImportResponse getParametersForImport(RequestContext ctx, GetParametersForImportRequest in) {
        return imports.getParametersForImport(ctx, in);
    }

    @Override
    public ImportKeyMaterialResponse importKeyMaterial(RequestContext ctx, ImportKeyMaterialRequest in) {
        return imports.importKeyMaterial(ctx, in);
    }

    @Override
    public DeleteImportedKeyMaterialResponse deleteImportedKeyMaterial(RequestContext ctx, DeleteImportedKeyMaterialRequest in) {
        return imports.deleteImportedKeyMaterial(ctx, in);
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

    @Override
    public CreateKeyResponse createKey(RequestContext ctx, CreateKeyRequest in) {
        String specName = in.keySpecAsString();
        String cmkSpec = in.customerMasterKeySpecAsString();
        if (specName != null && cmkSpec != null) {
            throw validation("You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.");
        }
        String specMember = specName != null ? "KeySpec" : "CustomerMasterKeySpec";
        if (specName == null) specName = cmkSpec;
        KmsKeySpec spec = specName == null ? KmsKeySpec.SYMMETRIC_DEFAULT : KmsKeySpec.parse(specName);
        if (spec == null) {
            throw validation("1 validation error detected: Value '" + specName + "' at '" + KmsValidation.path(specMember)
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + KmsKeySpec.ENUM_MESSAGE_ORDER);
        }
        String usage = enumValue("KeyUsage", in.keyUsageAsString(), KEY_USAGES, "[ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC]");
        if (usage == null) {
            if (spec != KmsKeySpec.SYMMETRIC_DEFAULT) {
                throw validation("You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.");
            }
            usage = USAGE_ENCRYPT;
        }
        if (!spec.usages().contains(usage)) {
            throw validation("KeyUsage " + usage + " is not compatible with KeySpec " + spec.name());
        }
        String origin = enumValue("Origin", in.originAsString(), List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"));
        if (origin == null) origin = "AWS_KMS";
        if (!origin.equals("AWS_KMS") && !origin.equals("EXTERNAL")) {
            throw new ServiceException("UnsupportedOperationException", "Origin " + origin + " is not supported.");
        }
        String description = in.description();
        KmsValidation.stringLength("description", description, 0, 8192);
        String policy = in.policy();
        if (policy != null) KmsPolicies.validatePolicy(policy);
        // LocalStack's conventions for tests that need fixed keys: the _custom_key_material_ tag (base64) sets the
        // material and is not kept as a tag; the _custom_id_ tag sets the key id and is kept.
        List<Tag> requestTags = in.tags() == null ? null : new ArrayList<>(in.tags());
        byte[] customMaterial = requestTags == null ? null : takeCustomMaterial(requestTags);
        LinkedHashMap<String, String> tags = KmsTags.validateTags(requestTags, new LinkedHashMap<>());
        boolean multiRegion = Boolean.TRUE.equals(in.multiRegion());
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
        return CreateKeyResponse.builder().keyMetadata(metadata(key)).build();
    }

    static final String CUSTOM_ID_TAG = "_custom_id_";
    static final String CUSTOM_MATERIAL_TAG = "_custom_key_material_";

    /** Removes the _custom_key_material_ tag from {@code tags} and returns its decoded value, or null. */
    private static byte[] takeCustomMaterial(List<Tag> tags) {
        for (int i = 0; i < tags.size(); i++) {
            Tag tag = tags.get(i);
            if (tag != null && CUSTOM_MATERIAL_TAG.equals(tag.tagKey())) {
                tags.remove(i);
                try {
                    return java.util.Base64.getDecoder().decode(String.valueOf(tag.tagValue()).trim());
                } catch (IllegalArgumentException e) {
                    throw validation("The " + CUSTOM_MATERIAL_TAG + " tag must hold base64-encoded key material.");
                }
            }
        }
        return null;
    }

    private KeyMetadata metadata(KmsKey k) {
        var m = KeyMetadata.builder()
                .awsAccountId(k.accountId)
                .keyId(k.keyId)
                .arn(k.arn)
                .creationDate(Instant.ofEpochMilli(k.createdMillis))
                .enabled("Enabled".equals(k.keyState))
                .description(k.description)
                .keyUsage(k.keyUsage)
                .keyState(k.keyState);
        if ("PendingDeletion".equals(k.keyState)) m.deletionDate(Instant.ofEpochMilli(k.deletionMillis));
        m.origin(k.origin)
                .keyManager(k.keyManager)
                .customerMasterKeySpec(k.keySpec.name())
                .keySpec(k.keySpec.name())
                .encryptionAlgorithms(nonEmpty(k.keySpec.encryptionAlgorithms(k.keyUsage)))
                .signingAlgorithms(nonEmpty(k.keySpec.signingAlgorithms(k.keyUsage)))
                .keyAgreementAlgorithms(nonEmpty(k.keySpec.keyAgreementAlgorithms(k.keyUsage)))
                .macAlgorithms(nonEmpty(k.keySpec.macAlgorithms(k.keyUsage)))
                .multiRegion(k.multiRegion);
        if (k.multiRegion) m.multiRegionConfiguration(multiRegionConfiguration(k));
        if ("EXTERNAL".equals(k.origin) && k.expirationModel != null && k.hasUsableMaterial()) {
            m.expirationModel(k.expirationModel);
            if (k.validToMillis > 0) m.validTo(Instant.ofEpochMilli(k.validToMillis));
        }
        KmsKey.Material current = k.current();
        if (k.keySpec == KmsKeySpec.SYMMETRIC_DEFAULT && current != null) m.currentKeyMaterialId(current.id);
        return m.build();
    }

    /** AWS leaves out an empty algorithm list. */
    static List<String> nonEmpty(List<String> values) {
        return values.isEmpty() ? null : values;
    }

    private MultiRegionConfiguration multiRegionConfiguration(KmsKey k) {
        String partition = partitionOf(k.arn);
        List<MultiRegionKey> replicaKeys = new ArrayList<>();
        for (String r : keys.replicaRegions(k)) {
            replicaKeys.add(MultiRegionKey.builder().arn(keyArn(partition, r, k.accountId, k.keyId)).region(r).build());
        }
        return MultiRegionConfiguration.builder()
                .multiRegionKeyType(k.multiRegionType)
                .primaryKey(MultiRegionKey.builder().arn(keyArn(partition, k.primaryRegion, k.accountId, k.keyId)).region(k.primaryRegion).build())
                .replicaKeys(replicaKeys)
                .build();
    }

    @Override
    public DescribeKeyResponse describeKey(RequestContext ctx, DescribeKeyRequest in) {
        return DescribeKeyResponse.builder().keyMetadata(metadata(keys.findKey(ctx, required("KeyId", in.keyId()), true))).build();
    }

    @Override
    public ListKeysResponse listKeys(RequestContext ctx, ListKeysRequest in) {
        var page = page(in.limit(), in.marker(), keys.keysInOrder(ctx), k -> KeyListEntry.builder().keyId(k.keyId).keyArn(k.arn).build());
        return ListKeysResponse.builder().keys(page.items()).truncated(page.truncated()).nextMarker(page.nextMarker()).build();
    }

    @Override
    public void updateKeyDescription(RequestContext ctx, UpdateKeyDescriptionRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        String description = required("Description", in.description());
        KmsValidation.stringLength("description", description, 0, 8192);
        requireNotPendingDeletion(key);
        synchronized (key) {
            key.description = description;
        }
    }

    @Override
    public void enableKey(RequestContext ctx, EnableKeyRequest in) {
        setEnabled(ctx, in.keyId(), true);
    }

    @Override
    public void disableKey(RequestContext ctx, DisableKeyRequest in) {
        setEnabled(ctx, in.keyId(), false);
    }

    private void setEnabled(RequestContext ctx, String keyId, boolean enable) {
        KmsKey key = keys.findKey(ctx, required("KeyId", keyId), false);
        synchronized (key) {
            requireNotPendingDeletion(key);
            if ("PendingImport".equals(key.keyState)) throw invalidState(key.arn + " is pending import.");
            key.keyState = enable ? "Enabled" : "Disabled";
        }
    }

    @Override
    public ScheduleKeyDeletionResponse scheduleKeyDeletion(RequestContext ctx, ScheduleKeyDeletionRequest in) {
        Integer days = in.pendingWindowInDays();
        range("PendingWindowInDays", days, 7, 30);
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        int window = days == null ? 30 : days;
        synchronized (key) {
            requireNotPendingDeletion(key);
            key.keyState = "PendingDeletion";
            key.pendingWindowDays = window;
            key.deletionMillis = keys.now() + window * KmsKeyStore.DAY_MILLIS;
        }
        return ScheduleKeyDeletionResponse.builder()
                .keyId(key.arn)
                .deletionDate(Instant.ofEpochMilli(key.deletionMillis))
                .keyState("PendingDeletion")
                .pendingWindowInDays(window)
                .build();
    }

    @Override
    public CancelKeyDeletionResponse cancelKeyDeletion(RequestContext ctx, CancelKeyDeletionRequest in) {
        KmsKey key = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        synchronized (key) {
            if (!"PendingDeletion".equals(key.keyState)) throw invalidState(key.arn + " is not pending deletion.");
            key.keyState = key.hasUsableMaterial() ? "Disabled" : "PendingImport";
            key.deletionMillis = 0;
            key.pendingWindowDays = null;
        }
        return CancelKeyDeletionResponse.builder().keyId(key.arn).build();
    }

    // ======================================================================== multi-Region keys

    @Override
    public ReplicateKeyResponse replicateKey(RequestContext ctx, ReplicateKeyRequest in) {
        KmsKey primary = keys.findKey(ctx, required("KeyId", in.keyId()), false);
        String replicaRegion = required("ReplicaRegion", in.replicaRegion());
        if (!primary.multiRegion || !"PRIMARY".equals(primary.multiRegionType)) {
            throw new ServiceException("UnsupportedOperationException", primary.arn + " is not a multi-region primary key.");
        }
        if (replicaRegion.equals(primary.region)) {
            throw validation("The replica region " + replicaRegion + " must be different from the primary key region.");
        }
        String policy = in.policy();
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
        String description = in.description();
        replica.description = description == null ? "" : description;
        replica.keySpec = primary.keySpec;
        replica.keyUsage = primary.keyUsage;
        replica.origin = primary.origin;
        replica.policy = policy != null ? policy : KmsPolicies.defaultPolicy(partitionOf(primary.arn), primary.accountId);
        replica.tags = KmsTags.validateTags(in.tags(), new LinkedHashMap<>());
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
        KeyMetadata shown = metadata(replica).toBuilder().keyState("Creating").enabled(false).currentKeyMaterialId(null).build();
        return ReplicateKeyResponse.builder()
                .replicaKeyMetadata(shown)
                .replicaPolicy(replica.policy)
                // AWS answers ReplicaTags only when the request gave tags
                .replicaTags(in.tags() == null ? null : KmsTags.tagList(replica.tags))
                .build();
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
