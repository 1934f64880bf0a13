package dev.polystack.services.secretsmanager;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.kms.api.DecryptRequest;
import dev.polystack.services.kms.api.EncryptRequest;
import dev.polystack.services.kms.api.EncryptResponse;
import dev.polystack.services.kms.api.KmsApi;
import dev.polystack.services.lambda.api.GetFunctionRequest;
import dev.polystack.services.lambda.api.InvocationRequest;
import dev.polystack.services.lambda.api.InvocationResponse;
import dev.polystack.services.lambda.api.LambdaApi;
import dev.polystack.services.secretsmanager.api.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Secrets Manager on its typed {@link SecretsManagerApi}: reads the typed request, calls {@link SecretsEngine},
 * builds the typed result. Values are encrypted by the KMS provider (default key {@code alias/aws/secretsmanager});
 * rotation functions run through the Lambda provider; both in process. Scheduled rotations run from a timer.
 */
public final class SecretsManagerProvider implements SecretsManagerApi, ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** How often due scheduled rotations are looked for (AWS's windows are hours long). */
    private static final long ROTATION_SWEEP_SECONDS = 60;

    private final ProviderEnvironment env;
    private final SecretsEngine engine;
    private final ScheduledFuture<?> rotationSweep;
    private final AtomicBoolean rotating = new AtomicBoolean();

    public SecretsManagerProvider(ProviderEnvironment env) {
        this.env = env;
        this.engine = new SecretsEngine(new KmsCrypto());
        this.rotationSweep = env.scheduler().scheduleWithFixedDelay(this::startDueRotations,
                ROTATION_SWEEP_SECONDS, ROTATION_SWEEP_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Scheduled rotations (RotationRules) run on a virtual thread: the rotation function's steps block on Lambda and
     * must not hold the shared timer thread. One sweep at a time.
     */
    private void startDueRotations() {
        if (!rotating.compareAndSet(false, true)) return;
        Thread.ofVirtual().name("secretsmanager-rotation").start(() -> {
            try {
                engine.rotateDue(new LambdaRotator(), System.currentTimeMillis());
            } catch (RuntimeException e) {
                System.getLogger("secretsmanager").log(System.Logger.Level.WARNING, "scheduled rotation failed", e);
            } finally {
                rotating.set(false);
            }
        });
    }

    @Override
    public void close() {
        rotationSweep.cancel(false);
    }

    @Override
    public String service() {
        return "secretsmanager";
    }

    /** The gateway hands over a parameter tree; the generic dispatch does the rest. */
    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    private static SecretsEngine.Scope scope(RequestContext ctx) {
        return new SecretsEngine.Scope(ctx.partition(), ctx.accountId(), ctx.region());
    }

    // ---------------------------------------------------------------- secrets and values

    @Override
    public CreateSecretResponse createSecret(RequestContext ctx, CreateSecretRequest in) {
        requireToken(ctx, in.clientRequestToken(), "InvalidRequestException");
        var w = engine.create(scope(ctx), in.name(), in.clientRequestToken(), in.description(), in.kmsKeyId(),
                value(in.secretString(), in.secretBinary()), tags(in.tags()), replicaRegions(in.addReplicaRegions()),
                Boolean.TRUE.equals(in.forceOverwriteReplicaSecret()), System.currentTimeMillis());
        return CreateSecretResponse.builder().arn(w.secret().arn).name(w.secret().name)
                .versionId(w.version() == null ? null : w.version().versionId)
                .replicationStatus(w.secret().replicas.isEmpty() ? null : replicationStatus(w.secret())).build();
    }

    @Override
    public GetSecretValueResponse getSecretValue(RequestContext ctx, GetSecretValueRequest in) {
        SecretsEngine.Read r = engine.getValue(scope(ctx), in.secretId(), in.versionId(), in.versionStage(), caller(ctx), System.currentTimeMillis());
        return GetSecretValueResponse.builder().arn(r.secret().arn).name(r.secret().name).versionId(r.version().versionId)
                .secretBinary(r.value().binary()).secretString(r.value().binary() != null ? null : r.value().string())
                .versionStages(sorted(r.version().stages)).createdDate(Instant.ofEpochMilli(r.version().created)).build();
    }

    @Override
    public BatchGetSecretValueResponse batchGetSecretValue(RequestContext ctx, BatchGetSecretValueRequest in) {
        long now = System.currentTimeMillis();
        List<String> ids = new ArrayList<>(orEmpty(in.secretIdList()));
        if (!ids.isEmpty() && in.filters() != null) {
            throw SecretsErrors.invalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
        }
        if (ids.isEmpty() && in.filters() == null && in.secretIdList() == null) {
            throw SecretsErrors.invalidParameter("Either 'SecretIdList' or 'Filters' must be provided.");
        }
        if (in.maxResults() != null && in.filters() == null) {
            throw SecretsErrors.invalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
        }
        if (ids.isEmpty()) for (Secret s : engine.list(scope(ctx), false, filters(in.filters()), now)) ids.add(s.arn);
        Page<String> page = page(ids, in.maxResults(), in.nextToken(), 20);
        List<SecretValueEntry> values = new ArrayList<>();
        List<APIErrorType> errors = new ArrayList<>();
        for (String secretId : page.items()) {
            try {
                SecretsEngine.Read r = engine.getValue(scope(ctx), secretId, null, null, caller(ctx), now);
                values.add(SecretValueEntry.builder().arn(r.secret().arn).name(r.secret().name).versionId(r.version().versionId)
                        .secretBinary(r.value().binary()).secretString(r.value().binary() != null ? null : r.value().string())
                        .versionStages(sorted(r.version().stages)).createdDate(Instant.ofEpochMilli(r.version().created)).build());
            } catch (ServiceException e) {
                errors.add(APIErrorType.builder().secretId(secretId).errorCode(e.code()).message(e.getMessage()).build());
            }
        }
        return BatchGetSecretValueResponse.builder().secretValues(values).errors(errors).nextToken(page.next()).build();
    }

    @Override
    public PutSecretValueResponse putSecretValue(RequestContext ctx, PutSecretValueRequest in) {
        requireToken(ctx, in.clientRequestToken(), "InvalidRequestException");
        var w = engine.putValue(scope(ctx), in.secretId(), in.clientRequestToken(), value(in.secretString(), in.secretBinary()),
                orEmpty(in.versionStages()), System.currentTimeMillis());
        return PutSecretValueResponse.builder().arn(w.secret().arn).name(w.secret().name).versionId(w.version().versionId)
                .versionStages(sorted(w.version().stages)).build();
    }

    @Override
    public UpdateSecretResponse updateSecret(RequestContext ctx, UpdateSecretRequest in) {
        requireToken(ctx, in.clientRequestToken(), "InvalidRequestException");
        var w = engine.update(scope(ctx), in.secretId(), in.clientRequestToken(), in.description(), in.kmsKeyId(),
                value(in.secretString(), in.secretBinary()), System.currentTimeMillis());
        return UpdateSecretResponse.builder().arn(w.secret().arn).name(w.secret().name)
                .versionId(w.version() == null ? null : w.version().versionId).build();
    }

    @Override
    public UpdateSecretVersionStageResponse updateSecretVersionStage(RequestContext ctx, UpdateSecretVersionStageRequest in) {
        Secret s = engine.updateStage(scope(ctx), in.secretId(), in.versionStage(), in.removeFromVersionId(), in.moveToVersionId(),
                System.currentTimeMillis());
        return UpdateSecretVersionStageResponse.builder().arn(s.arn).name(s.name).build();
    }

    @Override
    public DescribeSecretResponse describeSecret(RequestContext ctx, DescribeSecretRequest in) {
        Secret s = engine.describe(scope(ctx), in.secretId(), System.currentTimeMillis());
        return DescribeSecretResponse.builder().arn(s.arn).name(s.name).description(s.description).kmsKeyId(s.kmsKeyId)
                .rotationEnabled(s.rotationEnabled).rotationLambdaARN(s.rotationLambdaArn).rotationRules(rotationRules(s))
                .lastRotatedDate(date(s.lastRotated)).lastChangedDate(Instant.ofEpochMilli(s.lastChanged)).lastAccessedDate(date(s.lastAccessed))
                .deletedDate(date(s.deletedDate)).nextRotationDate(nextRotation(s)).tags(s.tags.isEmpty() && !s.tagged ? null : tagList(s.tags))
                .versionIdsToStages(stages(s)).createdDate(Instant.ofEpochMilli(s.created)).primaryRegion(s.primaryRegion)
                .replicationStatus(s.replicas.isEmpty() ? null : replicationStatus(s)).build();
    }

    @Override
    public ListSecretVersionIdsResponse listSecretVersionIds(RequestContext ctx, ListSecretVersionIdsRequest in) {
        Secret s = engine.describe(scope(ctx), in.secretId(), System.currentTimeMillis());
        boolean deprecated = Boolean.TRUE.equals(in.includeDeprecated());
        List<SecretVersionsListEntry> versions = new ArrayList<>();
        for (SecretVersion v : s.versions.values()) {
            if (v.stages.isEmpty() && !deprecated) continue;
            versions.add(SecretVersionsListEntry.builder().versionId(v.versionId).versionStages(v.stages.isEmpty() ? null : sorted(v.stages))
                    .lastAccessedDate(date(v.lastAccessed)).createdDate(Instant.ofEpochMilli(v.created))
                    .kmsKeyIds(List.of(s.kmsKeyId == null ? "DefaultEncryptionKey" : s.kmsKeyId)).build());
        }
        Page<SecretVersionsListEntry> page = page(versions, in.maxResults(), in.nextToken(), 100);
        return ListSecretVersionIdsResponse.builder().versions(page.items()).nextToken(page.next()).arn(s.arn).name(s.name).build();
    }

    @Override
    public ListSecretsResponse listSecrets(RequestContext ctx, ListSecretsRequest in) {
        List<Secret> secrets = new ArrayList<>(engine.list(scope(ctx), Boolean.TRUE.equals(in.includePlannedDeletion()), filters(in.filters()),
                System.currentTimeMillis()));
        String sortBy = in.sortByAsString();
        Comparator<Secret> order = switch (sortBy == null ? "created-date" : sortBy) {
            case "name" -> Comparator.comparing((Secret s) -> s.name);
            case "last-changed-date" -> Comparator.comparingLong((Secret s) -> s.lastChanged);
            case "last-accessed-date" -> Comparator.comparingLong((Secret s) -> s.lastAccessed);
            default -> Comparator.comparingLong((Secret s) -> s.created);
        };
        secrets.sort("desc".equals(in.sortOrderAsString()) ? order.reversed() : order);
        List<SecretListEntry> entries = new ArrayList<>();
        for (Secret s : secrets) {
            entries.add(SecretListEntry.builder().arn(s.arn).name(s.name).description(s.description).kmsKeyId(s.kmsKeyId)
                    .rotationEnabled(s.rotationEnabled).rotationLambdaARN(s.rotationLambdaArn).rotationRules(rotationRules(s))
                    .lastRotatedDate(date(s.lastRotated)).lastChangedDate(Instant.ofEpochMilli(s.lastChanged))
                    .lastAccessedDate(date(s.lastAccessed)).deletedDate(date(s.deletedDate)).nextRotationDate(nextRotation(s))
                    .tags(s.tags.isEmpty() && !s.tagged ? null : tagList(s.tags)).secretVersionsToStages(stages(s))
                    .createdDate(Instant.ofEpochMilli(s.created)).primaryRegion(s.primaryRegion).build());
        }
        Page<SecretListEntry> page = page(entries, in.maxResults(), in.nextToken(), 100);
        return ListSecretsResponse.builder().secretList(page.items()).nextToken(page.next()).build();
    }

    @Override
    public DeleteSecretResponse deleteSecret(RequestContext ctx, DeleteSecretRequest in) {
        Secret s = engine.delete(scope(ctx), in.secretId(), in.recoveryWindowInDays() == null ? null : in.recoveryWindowInDays().intValue(),
                Boolean.TRUE.equals(in.forceDeleteWithoutRecovery()), System.currentTimeMillis());
        return DeleteSecretResponse.builder().arn(s.arn).name(s.name).deletionDate(Instant.ofEpochMilli(s.deletionDate)).build();
    }

    @Override
    public RestoreSecretResponse restoreSecret(RequestContext ctx, RestoreSecretRequest in) {
        Secret s = engine.restore(scope(ctx), in.secretId(), System.currentTimeMillis());
        return RestoreSecretResponse.builder().arn(s.arn).name(s.name).build();
    }

    @Override
    public void tagResource(RequestContext ctx, TagResourceRequest in) {
        engine.tag(scope(ctx), in.secretId(), tags(in.tags()), System.currentTimeMillis());
    }

    @Override
    public void untagResource(RequestContext ctx, UntagResourceRequest in) {
        engine.untag(scope(ctx), in.secretId(), orEmpty(in.tagKeys()), System.currentTimeMillis());
    }

    // ---------------------------------------------------------------- resource policies

    @Override
    public PutResourcePolicyResponse putResourcePolicy(RequestContext ctx, PutResourcePolicyRequest in) {
        Secret s = engine.putPolicy(scope(ctx), in.secretId(), in.resourcePolicy(), System.currentTimeMillis());
        return PutResourcePolicyResponse.builder().arn(s.arn).name(s.name).build();
    }

    @Override
    public GetResourcePolicyResponse getResourcePolicy(RequestContext ctx, GetResourcePolicyRequest in) {
        Secret s = engine.describe(scope(ctx), in.secretId(), System.currentTimeMillis());
        return GetResourcePolicyResponse.builder().arn(s.arn).name(s.name).resourcePolicy(s.policy).build();
    }

    @Override
    public DeleteResourcePolicyResponse deleteResourcePolicy(RequestContext ctx, DeleteResourcePolicyRequest in) {
        Secret s = engine.deletePolicy(scope(ctx), in.secretId(), System.currentTimeMillis());
        return DeleteResourcePolicyResponse.builder().arn(s.arn).name(s.name).build();
    }

    @Override
    public ValidateResourcePolicyResponse validateResourcePolicy(RequestContext ctx, ValidateResourcePolicyRequest in) {
        Policies.check(in.resourcePolicy());
        if (in.secretId() != null) engine.describe(scope(ctx), in.secretId(), System.currentTimeMillis());
        return ValidateResourcePolicyResponse.builder().policyValidationPassed(true).validationErrors(List.of()).build();
    }

    @Override
    public GetRandomPasswordResponse getRandomPassword(RequestContext ctx, GetRandomPasswordRequest in) {
        return GetRandomPasswordResponse.builder().randomPassword(RandomPasswords.generate(
                in.passwordLength() == null ? null : in.passwordLength().intValue(), in.excludeCharacters(),
                Boolean.TRUE.equals(in.excludeNumbers()), Boolean.TRUE.equals(in.excludePunctuation()), Boolean.TRUE.equals(in.excludeUppercase()),
                Boolean.TRUE.equals(in.excludeLowercase()), Boolean.TRUE.equals(in.includeSpace()),
                !Boolean.FALSE.equals(in.requireEachIncludedType()))).build();
    }

    // ---------------------------------------------------------------- replication

    @Override
    public ReplicateSecretToRegionsResponse replicateSecretToRegions(RequestContext ctx, ReplicateSecretToRegionsRequest in) {
        Secret s = engine.replicate(scope(ctx), in.secretId(), replicaRegions(in.addReplicaRegions()),
                Boolean.TRUE.equals(in.forceOverwriteReplicaSecret()), System.currentTimeMillis());
        return ReplicateSecretToRegionsResponse.builder().arn(s.arn).replicationStatus(replicationStatus(s)).build();
    }

    @Override
    public RemoveRegionsFromReplicationResponse removeRegionsFromReplication(RequestContext ctx, RemoveRegionsFromReplicationRequest in) {
        Secret s = engine.removeReplicas(scope(ctx), in.secretId(), orEmpty(in.removeReplicaRegions()), System.currentTimeMillis());
        return RemoveRegionsFromReplicationResponse.builder().arn(s.arn).replicationStatus(replicationStatus(s)).build();
    }

    @Override
    public StopReplicationToReplicaResponse stopReplicationToReplica(RequestContext ctx, StopReplicationToReplicaRequest in) {
        return StopReplicationToReplicaResponse.builder().arn(engine.stopReplication(scope(ctx), in.secretId(), System.currentTimeMillis()).arn).build();
    }

    // ---------------------------------------------------------------- rotation

    @Override
    public RotateSecretResponse rotateSecret(RequestContext ctx, RotateSecretRequest in) {
        requireToken(ctx, in.clientRequestToken(), "InvalidParameterException");
        RotationRulesType rules = in.rotationRules();
        var w = engine.rotate(scope(ctx), in.secretId(), in.clientRequestToken(), in.rotationLambdaARN(),
                rules == null || rules.automaticallyAfterDays() == null ? null : rules.automaticallyAfterDays().intValue(),
                rules == null ? null : rules.duration(), rules == null ? null : rules.scheduleExpression(),
                !Boolean.FALSE.equals(in.rotateImmediately()), new LambdaRotator(), System.currentTimeMillis());
        return RotateSecretResponse.builder().arn(w.secret().arn).name(w.secret().name)
                .versionId(w.version() == null ? null : w.version().versionId).build();
    }

    @Override
    public CancelRotateSecretResponse cancelRotateSecret(RequestContext ctx, CancelRotateSecretRequest in) {
        var w = engine.cancelRotation(scope(ctx), in.secretId(), System.currentTimeMillis());
        return CancelRotateSecretResponse.builder().arn(w.secret().arn).name(w.secret().name)
                .versionId(w.version() == null ? null : w.version().versionId).build();
    }

    /** Clients send a ClientRequestToken (SDKs fill it in); a raw request without one is refused, as AWS does. */
    private static void requireToken(RequestContext ctx, String token, String code) {
        boolean overHttp = ctx.request() != null && ctx.request().header("X-Amz-Target") != null;
        if (overHttp && token == null) {
            throw new ServiceException(code, "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
        }
    }

    /** The caller's principal ARN, for resource policies: the IAM user or role session its key belongs to, else the account's root. */
    private static String caller(RequestContext ctx) {
        String principal = dev.polystack.api.AccessKeys.principalFor(ctx.accessKeyId());
        return principal != null ? principal : "arn:" + ctx.partition() + ":iam::" + ctx.accountId() + ":root";
    }

    // ---------------------------------------------------------------- answers

    private static List<String> sorted(List<String> stages) {
        return new ArrayList<>(new TreeSet<>(stages));
    }

    private static Instant date(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
    }

    private static Instant nextRotation(Secret s) {
        return s.nextRotation != 0 && Boolean.TRUE.equals(s.rotationEnabled) ? Instant.ofEpochMilli(s.nextRotation) : null;
    }

    private static RotationRulesType rotationRules(Secret s) {
        if (s.rotationDays == null && s.rotationDuration == null && s.rotationSchedule == null) return null;
        return RotationRulesType.builder().automaticallyAfterDays(s.rotationDays == null ? null : s.rotationDays.longValue())
                .duration(s.rotationDuration).scheduleExpression(s.rotationSchedule).build();
    }

    /** Version id → its labels, for the versions that have any (null when none has). */
    private static Map<String, List<String>> stages(Secret s) {
        Map<String, List<String>> stages = new LinkedHashMap<>();
        for (SecretVersion v : s.versions.values()) if (!v.stages.isEmpty()) stages.put(v.versionId, sorted(v.stages));
        return stages.isEmpty() ? null : stages;
    }

    private static List<ReplicationStatusType> replicationStatus(Secret s) {
        List<ReplicationStatusType> out = new ArrayList<>();
        s.replicas.forEach((region, key) -> out.add(ReplicationStatusType.builder().region(region)
                .kmsKeyId(key == null ? SecretsEngine.DEFAULT_KEY : key).status("InSync").statusMessage("Replication succeeded").build()));
        return out;
    }

    private record Page<T>(List<T> items, String next) {
    }

    /** Offset tokens over an already ordered list. */
    private static <T> Page<T> page(List<T> all, Integer maxResults, String token, int defaultMax) {
        int max = maxResults == null ? defaultMax : maxResults;
        int start = 0;
        if (token != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw SecretsErrors.invalidParameter("Invalid NextToken.");
            }
        }
        int end = Math.min(all.size(), start + max);
        List<T> items = new ArrayList<>(all.subList(Math.min(start, end), end));
        String next = end < all.size() ? Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page<>(items, next);
    }

    // ---------------------------------------------------------------- typed members to the engine's forms

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static SecretsEngine.Value value(String string, byte[] binary) {
        if (string == null && binary == null) return null;
        return new SecretsEngine.Value(string, binary);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : orEmpty(tags)) out.put(String.valueOf(t.key()), String.valueOf(t.value()));
        return out;
    }

    private static List<Tag> tagList(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    private static Map<String, String> replicaRegions(List<ReplicaRegionType> regions) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ReplicaRegionType r : orEmpty(regions)) out.put(String.valueOf(r.region()), r.kmsKeyId());
        return out;
    }

    private static List<SecretsEngine.ListFilter> filters(List<Filter> filters) {
        List<SecretsEngine.ListFilter> out = new ArrayList<>();
        for (Filter f : orEmpty(filters)) out.add(new SecretsEngine.ListFilter(f.keyAsString(), orEmpty(f.values())));
        return out;
    }

    // ---------------------------------------------------------------- other services

    /** Values are encrypted by the KMS provider of the secret's account and region. */
    private final class KmsCrypto implements SecretsEngine.Crypto {
        @Override
        public String encrypt(String account, String region, String keyId, byte[] plaintext) {
            EncryptResponse out = kms(() -> KmsApi.client(env).encrypt(RequestContext.internal(account, region, "kms"),
                    EncryptRequest.builder().keyId(keyId == null ? SecretsEngine.DEFAULT_KEY : keyId).plaintext(plaintext).build()));
            return Base64.getEncoder().encodeToString(out.ciphertextBlob());
        }

        @Override
        public byte[] decrypt(String account, String region, String ciphertext) {
            return kms(() -> KmsApi.client(env).decrypt(RequestContext.internal(account, region, "kms"),
                    DecryptRequest.builder().ciphertextBlob(Base64.getDecoder().decode(ciphertext)).build())).plaintext();
        }

        /** A KMS call; KMS's errors about the key become Secrets Manager's EncryptionFailure. */
        private <T> T kms(java.util.function.Supplier<T> call) {
            try {
                return call.get();
            } catch (ServiceException e) {
                if (e.code().equals("NotFoundException") || e.code().equals("DisabledException") || e.code().equals("KMSInvalidStateException")) {
                    throw new ServiceException("EncryptionFailure", "Access to KMS is not allowed: " + e.getMessage());
                }
                throw e;
            }
        }
    }

    /** Rotation functions run through the Lambda provider; the payload is what AWS sends them. */
    private final class LambdaRotator implements SecretsEngine.Rotator {
        @Override
        public boolean exists(String account, String region, String functionArn) {
            try {
                LambdaApi.client(env).getFunction(RequestContext.internal(account, region, "lambda"),
                        GetFunctionRequest.builder().functionName(functionArn).build());
                return true;
            } catch (ServiceException e) {
                return false;
            }
        }

        @Override
        public boolean invoke(String account, String region, String functionArn, String step, String secretArn, String token) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("Step", step);
            payload.put("SecretId", secretArn);
            payload.put("ClientRequestToken", token);
            payload.put("RotationToken", token);
            try {
                InvocationResponse out = LambdaApi.client(env).invoke(RequestContext.internal(account, region, "lambda"),
                        InvocationRequest.builder().functionName(functionArn).payload(JSON.writeValueAsBytes(payload)).build());
                return out.functionError() == null;
            } catch (IOException | ServiceException e) {
                // AWS rotates asynchronously: a failing step leaves the AWSPENDING version for the next attempt
                return false;
            }
        }
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public void saveState(OutputStream out) throws IOException {
        JSON.writeValue(out, engine.snapshot());
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported Secrets Manager state version " + version);
        engine.restore(JSON.readValue(in, new TypeReference<Map<String, Map<String, Map<String, Secret>>>>() {
        }));
    }

    @Override
    public void resetState() {
        engine.reset();
    }
}
