package dev.polystack.services.secretsmanager;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;

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
 * Secrets Manager over JSON 1.1: unpacks parameter trees, calls {@link SecretsEngine}, packs the answers. Values
 * are encrypted by the KMS provider (default key {@code alias/aws/secretsmanager}); rotation functions run
 * through the Lambda provider; both in process.
 */
public final class SecretsManagerProvider implements ServiceProvider, Persistable {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ProviderEnvironment env;
    private final SecretsEngine engine;
    /** How often due scheduled rotations are looked for (AWS's windows are hours long). */
    private static final long ROTATION_SWEEP_SECONDS = 60;
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

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String op, Map<String, Object> in) {
        SecretsEngine.Scope scope = new SecretsEngine.Scope(ctx.partition(), ctx.accountId(), ctx.region());
        long now = System.currentTimeMillis();
        String id = str(in, "SecretId");
        return switch (op) {
            case "CreateSecret" -> {
                requireToken(ctx, in, "InvalidRequestException");
                var w = engine.create(scope, str(in, "Name"), str(in, "ClientRequestToken"), str(in, "Description"), str(in, "KmsKeyId"),
                        value(in), tags(in.get("Tags")), replicaRegions(in.get("AddReplicaRegions")),
                        Boolean.TRUE.equals(in.get("ForceOverwriteReplicaSecret")), now);
                Map<String, Object> out = arnName(w.secret());
                if (w.version() != null) out.put("VersionId", w.version().versionId);
                if (!w.secret().replicas.isEmpty()) out.put("ReplicationStatus", replicationStatus(w.secret()));
                yield out;
            }
            case "GetSecretValue" -> valueEntry(engine.getValue(scope, id, str(in, "VersionId"), str(in, "VersionStage"), caller(ctx), now));
            case "BatchGetSecretValue" -> batchGet(ctx, scope, in, now);
            case "PutSecretValue" -> {
                requireToken(ctx, in, "InvalidRequestException");
                var w = engine.putValue(scope, id, str(in, "ClientRequestToken"), value(in), strings(in.get("VersionStages")), now);
                Map<String, Object> out = arnName(w.secret());
                out.put("VersionId", w.version().versionId);
                out.put("VersionStages", sorted(w.version().stages));
                yield out;
            }
            case "UpdateSecret" -> {
                requireToken(ctx, in, "InvalidRequestException");
                var w = engine.update(scope, id, str(in, "ClientRequestToken"), str(in, "Description"), str(in, "KmsKeyId"), value(in), now);
                Map<String, Object> out = arnName(w.secret());
                if (w.version() != null) out.put("VersionId", w.version().versionId);
                yield out;
            }
            case "UpdateSecretVersionStage" -> arnName(engine.updateStage(scope, id, str(in, "VersionStage"), str(in, "RemoveFromVersionId"),
                    str(in, "MoveToVersionId"), now));
            case "DescribeSecret" -> describe(engine.describe(scope, id, now), false);
            case "ListSecretVersionIds" -> listVersions(engine.describe(scope, id, now), in);
            case "ListSecrets" -> listSecrets(scope, in, now);
            case "DeleteSecret" -> {
                Secret s = engine.delete(scope, id, integer(in.get("RecoveryWindowInDays")), Boolean.TRUE.equals(in.get("ForceDeleteWithoutRecovery")), now);
                Map<String, Object> out = arnName(s);
                out.put("DeletionDate", Instant.ofEpochMilli(s.deletionDate));
                yield out;
            }
            case "RestoreSecret" -> arnName(engine.restore(scope, id, now));
            case "TagResource" -> {
                engine.tag(scope, id, tags(in.get("Tags")), now);
                yield Map.of();
            }
            case "UntagResource" -> {
                engine.untag(scope, id, strings(in.get("TagKeys")), now);
                yield Map.of();
            }
            case "PutResourcePolicy" -> arnName(engine.putPolicy(scope, id, str(in, "ResourcePolicy"), now));
            case "GetResourcePolicy" -> {
                Secret s = engine.describe(scope, id, now);
                Map<String, Object> out = arnName(s);
                if (s.policy != null) out.put("ResourcePolicy", s.policy);
                yield out;
            }
            case "DeleteResourcePolicy" -> arnName(engine.deletePolicy(scope, id, now));
            case "ValidateResourcePolicy" -> {
                Policies.check(str(in, "ResourcePolicy"));
                if (id != null) engine.describe(scope, id, now);
                yield Map.of("PolicyValidationPassed", true, "ValidationErrors", List.of());
            }
            case "GetRandomPassword" -> Map.of("RandomPassword", RandomPasswords.generate(integer(in.get("PasswordLength")),
                    str(in, "ExcludeCharacters"), bool(in, "ExcludeNumbers"), bool(in, "ExcludePunctuation"), bool(in, "ExcludeUppercase"),
                    bool(in, "ExcludeLowercase"), bool(in, "IncludeSpace"), !Boolean.FALSE.equals(in.get("RequireEachIncludedType"))));
            case "ReplicateSecretToRegions" -> {
                Secret s = engine.replicate(scope, id, replicaRegions(in.get("AddReplicaRegions")),
                        Boolean.TRUE.equals(in.get("ForceOverwriteReplicaSecret")), now);
                yield Map.of("ARN", s.arn, "ReplicationStatus", replicationStatus(s));
            }
            case "RemoveRegionsFromReplication" -> {
                Secret s = engine.removeReplicas(scope, id, strings(in.get("RemoveReplicaRegions")), now);
                yield Map.of("ARN", s.arn, "ReplicationStatus", replicationStatus(s));
            }
            case "StopReplicationToReplica" -> Map.of("ARN", engine.stopReplication(scope, id, now).arn);
            case "RotateSecret" -> {
                requireToken(ctx, in, "InvalidParameterException");
                Map<?, ?> rules = in.get("RotationRules") instanceof Map<?, ?> m ? m : Map.of();
                var w = engine.rotate(scope, id, str(in, "ClientRequestToken"), str(in, "RotationLambdaARN"),
                        rules.get("AutomaticallyAfterDays") instanceof Number n ? n.intValue() : null,
                        rules.get("Duration") == null ? null : rules.get("Duration").toString(),
                        rules.get("ScheduleExpression") == null ? null : rules.get("ScheduleExpression").toString(),
                        !Boolean.FALSE.equals(in.get("RotateImmediately")), new LambdaRotator(), now);
                Map<String, Object> out = arnName(w.secret());
                if (w.version() != null) out.put("VersionId", w.version().versionId);
                yield out;
            }
            case "CancelRotateSecret" -> {
                var w = engine.cancelRotation(scope, id, now);
                Map<String, Object> out = arnName(w.secret());
                if (w.version() != null) out.put("VersionId", w.version().versionId);
                yield out;
            }
            default -> throw new UnsupportedOperationException(op);
        };
    }

    /** Clients send a ClientRequestToken (SDKs fill it in); a raw request without one is refused, as AWS does. */
    private static void requireToken(RequestContext ctx, Map<String, Object> in, String code) {
        boolean overHttp = ctx.request() != null && ctx.request().header("X-Amz-Target") != null;
        if (overHttp && in.get("ClientRequestToken") == null) {
            throw new ServiceException(code, "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
        }
    }

    /** The caller's principal ARN, for resource policies (root of the calling account). */
    private static String caller(RequestContext ctx) {
        return "arn:" + ctx.partition() + ":iam::" + ctx.accountId() + ":root";
    }

    // ---------------------------------------------------------------- answers

    private static Map<String, Object> arnName(Secret s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ARN", s.arn);
        out.put("Name", s.name);
        return out;
    }

    private static List<String> sorted(List<String> stages) {
        return new ArrayList<>(new TreeSet<>(stages));
    }

    private static Map<String, Object> valueEntry(SecretsEngine.Read r) {
        Map<String, Object> out = arnName(r.secret());
        out.put("VersionId", r.version().versionId);
        if (r.value().binary() != null) out.put("SecretBinary", r.value().binary());
        else out.put("SecretString", r.value().string());
        out.put("VersionStages", sorted(r.version().stages));
        out.put("CreatedDate", Instant.ofEpochMilli(r.version().created));
        return out;
    }

    private Map<String, Object> batchGet(RequestContext ctx, SecretsEngine.Scope scope, Map<String, Object> in, long now) {
        List<String> ids = strings(in.get("SecretIdList"));
        List<SecretsEngine.ListFilter> filters = filters(in.get("Filters"));
        if (!ids.isEmpty() && in.get("Filters") != null) {
            throw SecretsErrors.invalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
        }
        if (ids.isEmpty() && in.get("Filters") == null && in.get("SecretIdList") == null) {
            throw SecretsErrors.invalidParameter("Either 'SecretIdList' or 'Filters' must be provided.");
        }
        if (in.get("MaxResults") != null && in.get("Filters") == null) {
            throw SecretsErrors.invalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
        }
        if (ids.isEmpty()) for (Secret s : engine.list(scope, false, filters, now)) ids.add(s.arn);
        Page page = page(ids, in, 20);
        List<Object> values = new ArrayList<>();
        List<Object> errors = new ArrayList<>();
        for (Object secretId : page.items) {
            try {
                values.add(valueEntry(engine.getValue(scope, (String) secretId, null, null, caller(ctx), now)));
            } catch (ServiceException e) {
                errors.add(Map.of("SecretId", secretId, "ErrorCode", e.code(), "Message", e.getMessage()));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("SecretValues", values);
        out.put("Errors", errors);
        if (page.next != null) out.put("NextToken", page.next);
        return out;
    }

    private static Map<String, Object> describe(Secret s, boolean listEntry) {
        Map<String, Object> out = arnName(s);
        if (s.description != null) out.put("Description", s.description);
        if (s.kmsKeyId != null) out.put("KmsKeyId", s.kmsKeyId);
        if (s.rotationEnabled != null) out.put("RotationEnabled", s.rotationEnabled);
        if (s.rotationLambdaArn != null) out.put("RotationLambdaARN", s.rotationLambdaArn);
        if (s.rotationDays != null || s.rotationDuration != null || s.rotationSchedule != null) {
            Map<String, Object> rules = new LinkedHashMap<>();
            if (s.rotationDays != null) rules.put("AutomaticallyAfterDays", s.rotationDays.longValue());
            if (s.rotationDuration != null) rules.put("Duration", s.rotationDuration);
            if (s.rotationSchedule != null) rules.put("ScheduleExpression", s.rotationSchedule);
            out.put("RotationRules", rules);
        }
        if (s.lastRotated != 0) out.put("LastRotatedDate", Instant.ofEpochMilli(s.lastRotated));
        out.put("LastChangedDate", Instant.ofEpochMilli(s.lastChanged));
        if (s.lastAccessed != 0) out.put("LastAccessedDate", Instant.ofEpochMilli(s.lastAccessed));
        if (s.deletedDate != 0) out.put("DeletedDate", Instant.ofEpochMilli(s.deletedDate));
        if (s.nextRotation != 0 && Boolean.TRUE.equals(s.rotationEnabled)) out.put("NextRotationDate", Instant.ofEpochMilli(s.nextRotation));
        if (!s.tags.isEmpty()) out.put("Tags", tagList(s.tags));
        Map<String, Object> stages = new LinkedHashMap<>();
        for (SecretVersion v : s.versions.values()) if (!v.stages.isEmpty()) stages.put(v.versionId, sorted(v.stages));
        if (!stages.isEmpty()) out.put(listEntry ? "SecretVersionsToStages" : "VersionIdsToStages", stages);
        out.put("CreatedDate", Instant.ofEpochMilli(s.created));
        if (s.primaryRegion != null) out.put("PrimaryRegion", s.primaryRegion);
        if (!listEntry && !s.replicas.isEmpty()) out.put("ReplicationStatus", replicationStatus(s));
        return out;
    }

    private static List<Object> replicationStatus(Secret s) {
        List<Object> out = new ArrayList<>();
        s.replicas.forEach((region, key) -> {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("Region", region);
            status.put("KmsKeyId", key == null ? SecretsEngine.DEFAULT_KEY : key);
            status.put("Status", "InSync");
            status.put("StatusMessage", "Replication succeeded");
            out.add(status);
        });
        return out;
    }

    private Map<String, Object> listVersions(Secret s, Map<String, Object> in) {
        boolean deprecated = Boolean.TRUE.equals(in.get("IncludeDeprecated"));
        List<Object> versions = new ArrayList<>();
        for (SecretVersion v : s.versions.values()) {
            if (v.stages.isEmpty() && !deprecated) continue;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("VersionId", v.versionId);
            if (!v.stages.isEmpty()) entry.put("VersionStages", sorted(v.stages));
            if (v.lastAccessed != 0) entry.put("LastAccessedDate", Instant.ofEpochMilli(v.lastAccessed));
            entry.put("CreatedDate", Instant.ofEpochMilli(v.created));
            entry.put("KmsKeyIds", List.of(s.kmsKeyId == null ? "DefaultEncryptionKey" : s.kmsKeyId));
            versions.add(entry);
        }
        Page page = page(versions, in, 100);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Versions", page.items);
        if (page.next != null) out.put("NextToken", page.next);
        out.put("ARN", s.arn);
        out.put("Name", s.name);
        return out;
    }

    private Map<String, Object> listSecrets(SecretsEngine.Scope scope, Map<String, Object> in, long now) {
        List<SecretsEngine.ListFilter> filters = filters(in.get("Filters"));
        List<Secret> secrets = new ArrayList<>(engine.list(scope, Boolean.TRUE.equals(in.get("IncludePlannedDeletion")), filters, now));
        String sortBy = str(in, "SortBy");
        Comparator<Secret> order = switch (sortBy == null ? "created-date" : sortBy) {
            case "name" -> Comparator.comparing((Secret s) -> s.name);
            case "last-changed-date" -> Comparator.comparingLong((Secret s) -> s.lastChanged);
            case "last-accessed-date" -> Comparator.comparingLong((Secret s) -> s.lastAccessed);
            default -> Comparator.comparingLong((Secret s) -> s.created);
        };
        secrets.sort("desc".equals(str(in, "SortOrder")) ? order.reversed() : order);
        List<Object> entries = new ArrayList<>();
        for (Secret s : secrets) entries.add(describe(s, true));
        Page page = page(entries, in, 100);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("SecretList", page.items);
        if (page.next != null) out.put("NextToken", page.next);
        return out;
    }

    private record Page(List<Object> items, String next) {
    }

    /** Offset tokens over an already ordered list. */
    private static Page page(List<?> all, Map<String, Object> in, int defaultMax) {
        int max = in.get("MaxResults") instanceof Number n ? n.intValue() : defaultMax;
        int start = 0;
        String token = str(in, "NextToken");
        if (token != null) {
            try {
                start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw SecretsErrors.invalidParameter("Invalid NextToken.");
            }
        }
        int end = Math.min(all.size(), start + max);
        List<Object> items = new ArrayList<>(all.subList(Math.min(start, end), end));
        String next = end < all.size() ? Base64.getUrlEncoder().withoutPadding().encodeToString(String.valueOf(end).getBytes(StandardCharsets.UTF_8)) : null;
        return new Page(items, next);
    }

    // ---------------------------------------------------------------- unpacking

    private static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    private static boolean bool(Map<String, Object> in, String key) {
        return Boolean.TRUE.equals(in.get(key));
    }

    private static Integer integer(Object v) {
        return v instanceof Number n ? n.intValue() : null;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) for (Object o : list) out.add(String.valueOf(o));
        return out;
    }

    private static SecretsEngine.Value value(Map<String, Object> in) {
        Object string = in.get("SecretString");
        Object binary = in.get("SecretBinary");
        if (string == null && binary == null) return null;
        return new SecretsEngine.Value(string == null ? null : string.toString(), binary instanceof byte[] b ? b : null);
    }

    private static Map<String, String> tags(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> tag = (Map<?, ?>) o;
                out.put(String.valueOf(tag.get("Key")), String.valueOf(tag.get("Value")));
            }
        }
        return out;
    }

    private static List<Object> tagList(Map<String, String> tags) {
        List<Object> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Map.of("Key", k, "Value", v)));
        return out;
    }

    private static Map<String, String> replicaRegions(Object v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> r = (Map<?, ?>) o;
                out.put(String.valueOf(r.get("Region")), r.get("KmsKeyId") == null ? null : r.get("KmsKeyId").toString());
            }
        }
        return out;
    }

    private static List<SecretsEngine.ListFilter> filters(Object v) {
        List<SecretsEngine.ListFilter> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> f = (Map<?, ?>) o;
                out.add(new SecretsEngine.ListFilter(String.valueOf(f.get("Key")), strings(f.get("Values"))));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- other services

    /** Values are encrypted by the KMS provider of the secret's account and region. */
    private final class KmsCrypto implements SecretsEngine.Crypto {
        @Override
        public String encrypt(String account, String region, String keyId, byte[] plaintext) {
            Map<String, Object> out = kms(account, region, "Encrypt", Map.of("KeyId", keyId == null ? SecretsEngine.DEFAULT_KEY : keyId,
                    "Plaintext", plaintext));
            return Base64.getEncoder().encodeToString((byte[]) out.get("CiphertextBlob"));
        }

        @Override
        public byte[] decrypt(String account, String region, String ciphertext) {
            return (byte[]) kms(account, region, "Decrypt", Map.of("CiphertextBlob", Base64.getDecoder().decode(ciphertext))).get("Plaintext");
        }

        private Map<String, Object> kms(String account, String region, String operation, Map<String, Object> input) {
            try {
                return env.call(RequestContext.internal(account, region, "kms"), "kms", operation, input);
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
                env.call(RequestContext.internal(account, region, "lambda"), "lambda", "GetFunction", Map.of("FunctionName", functionArn));
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
                Map<String, Object> out = env.call(RequestContext.internal(account, region, "lambda"), "lambda", "Invoke",
                        Map.of("FunctionName", functionArn, "Payload", JSON.writeValueAsBytes(payload)));
                return out.get("FunctionError") == null;
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
