package dev.polystack.services.ssm;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.polystack.api.AccountRegionStore;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SSM's Parameter Store over JSON 1.1. A thin layer: unpacks parameter trees, calls {@link ParameterStore} (one
 * per account and region), packs the answers. SecureString values are encrypted by the KMS provider and
 * {@code /aws/reference/secretsmanager/<secret>} is read from Secrets Manager, both in process. Operations
 * outside Parameter Store (documents, Run Command ...) answer 501 NotImplemented.
 */
public final class SsmProvider implements ServiceProvider, Persistable {
    static final String SECRET_REFERENCE = "/aws/reference/secretsmanager/";

    private final ProviderEnvironment env;
    private final AccountRegionStore<ParameterStore> stores;

    public SsmProvider(ProviderEnvironment env) {
        this.env = env;
        this.stores = new AccountRegionStore<>((account, region) -> new ParameterStore(partition(region), region, account));
    }

    private static String partition(String region) {
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        return "aws";
    }

    @Override
    public String service() {
        return "ssm";
    }

    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        ParameterStore store = stores.get(ctx);
        ParameterStore.Crypto crypto = new KmsCrypto(ctx);
        return switch (operation) {
            case "PutParameter" -> {
                ParameterVersion v = store.put(new ParameterStore.PutRequest(str(in, "Name"), str(in, "Value"), str(in, "Type"),
                        str(in, "Description"), str(in, "KeyId"), Boolean.TRUE.equals(in.get("Overwrite")), str(in, "AllowedPattern"),
                        tags(in.get("Tags")), str(in, "Tier"), str(in, "Policies"), str(in, "DataType")), crypto, System.currentTimeMillis());
                yield Map.of("Version", v.version, "Tier", v.tier);
            }
            case "GetParameter" -> getParameter(ctx, store, crypto, in);
            case "GetParameters" -> getParameters(ctx, store, crypto, in);
            case "GetParametersByPath" -> {
                var page = store.byPath(str(in, "Path"), Boolean.TRUE.equals(in.get("Recursive")), filters(in.get("ParameterFilters")),
                        Boolean.TRUE.equals(in.get("WithDecryption")), crypto, integer(in.get("MaxResults")), str(in, "NextToken"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("Parameters", page.items().stream().map(v -> parameter(store, v, null, null)).toList());
                if (page.nextToken() != null) out.put("NextToken", page.nextToken());
                yield out;
            }
            case "DescribeParameters" -> {
                var page = store.describe(filters(in.get("Filters")), filters(in.get("ParameterFilters")),
                        integer(in.get("MaxResults")), str(in, "NextToken"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("Parameters", page.items().stream().map(v -> metadata(store, v)).toList());
                if (page.nextToken() != null) out.put("NextToken", page.nextToken());
                yield out;
            }
            case "GetParameterHistory" -> {
                var page = store.history(str(in, "Name"), Boolean.TRUE.equals(in.get("WithDecryption")), crypto,
                        integer(in.get("MaxResults")), str(in, "NextToken"));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("Parameters", page.items().stream().map(this::history).toList());
                if (page.nextToken() != null) out.put("NextToken", page.nextToken());
                yield out;
            }
            case "LabelParameterVersion" -> {
                Object[] r = store.label(str(in, "Name"), in.get("ParameterVersion") == null ? null : ((Number) in.get("ParameterVersion")).longValue(),
                        strings(in.get("Labels")));
                yield Map.of("InvalidLabels", r[0], "ParameterVersion", r[1]);
            }
            case "UnlabelParameterVersion" -> {
                var r = store.unlabel(str(in, "Name"), ((Number) in.get("ParameterVersion")).longValue(), strings(in.get("Labels")));
                yield Map.of("RemovedLabels", r.get(0), "InvalidLabels", r.get(1));
            }
            case "DeleteParameter" -> {
                store.delete(str(in, "Name"));
                yield Map.of();
            }
            case "DeleteParameters" -> {
                var r = store.deleteMany(strings(in.get("Names")));
                yield Map.of("DeletedParameters", r.get(0), "InvalidParameters", r.get(1));
            }
            case "AddTagsToResource" -> {
                checkResourceType(in);
                store.addTags(str(in, "ResourceId"), tags(in.get("Tags")));
                yield Map.of();
            }
            case "RemoveTagsFromResource" -> {
                checkResourceType(in);
                store.removeTags(str(in, "ResourceId"), strings(in.get("TagKeys")));
                yield Map.of();
            }
            case "ListTagsForResource" -> {
                checkResourceType(in);
                List<Object> list = new ArrayList<>();
                store.tags(str(in, "ResourceId")).forEach((k, v) -> list.add(Map.of("Key", k, "Value", v)));
                yield Map.of("TagList", list);
            }
            default -> throw new UnsupportedOperationException(operation);
        };
    }

    private static void checkResourceType(Map<String, Object> in) {
        String type = str(in, "ResourceType");
        if (!"Parameter".equals(type)) {
            // Documents, maintenance windows ... are not served natively (501 for their own operations too).
            throw new ServiceException("InvalidResourceType", "The resource type " + type + " is not supported by Polystack's Parameter Store.");
        }
    }

    // ---------------------------------------------------------------- reads with Secrets Manager references

    private Map<String, Object> getParameter(RequestContext ctx, ParameterStore store, ParameterStore.Crypto crypto, Map<String, Object> in) {
        String name = str(in, "Name");
        boolean decrypt = Boolean.TRUE.equals(in.get("WithDecryption"));
        if (name.startsWith(SECRET_REFERENCE)) {
            if (!decrypt) throw SsmErrors.validation("WithDecryption flag must be True for retrieving a Secret Manager secret.");
            return Map.of("Parameter", secretReference(ctx, name));
        }
        ParameterStore.Selected s = store.get(name, decrypt, crypto);
        return Map.of("Parameter", parameter(store, s.version(), s.selector(), null));
    }

    private Map<String, Object> getParameters(RequestContext ctx, ParameterStore store, ParameterStore.Crypto crypto, Map<String, Object> in) {
        List<String> names = strings(in.get("Names"));
        if (names.size() > 10) {
            throw SsmErrors.validation("1 validation error detected: Value '" + names + "' at 'names' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 10");
        }
        boolean decrypt = Boolean.TRUE.equals(in.get("WithDecryption"));
        List<Object> found = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        for (String name : names) {
            if (!name.startsWith(SECRET_REFERENCE)) {
                plain.add(name);
                continue;
            }
            if (!decrypt) throw SsmErrors.validation("WithDecryption flag must be True for retrieving a Secret Manager secret.");
            try {
                found.add(secretReference(ctx, name));
            } catch (ServiceException e) {
                if (!e.code().equals("ParameterNotFound")) throw e;
                invalid.add(name);
            }
        }
        Object[] r = store.getMany(plain, decrypt, crypto);
        @SuppressWarnings("unchecked") List<ParameterStore.Selected> selected = (List<ParameterStore.Selected>) r[0];
        for (ParameterStore.Selected s : selected) found.add(parameter(store, s.version(), s.selector(), null));
        @SuppressWarnings("unchecked") List<String> missing = (List<String>) r[1];
        invalid.addAll(missing);
        return Map.of("Parameters", found, "InvalidParameters", invalid);
    }

    private Map<String, Object> secretReference(RequestContext ctx, String name) {
        String secretId = name.substring(SECRET_REFERENCE.length());
        Map<String, Object> secret;
        try {
            secret = env.call(RequestContext.internal(ctx.accountId(), ctx.region(), "secretsmanager"), "secretsmanager",
                    "GetSecretValue", Map.of("SecretId", secretId));
        } catch (ServiceException e) {
            if (e.code().equals("ResourceNotFoundException")) throw SsmErrors.notFound(name);
            throw e;
        }
        Map<String, Object> source = new LinkedHashMap<>();
        for (String key : List.of("ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate")) {
            Object value = secret.get(key);
            if (value instanceof Instant instant) value = instant.getEpochSecond();
            if (value != null) source.put(key, value);
        }
        if (secret.get("SecretBinary") instanceof byte[] b) source.put("SecretBinary", Base64.getEncoder().encodeToString(b));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Name", name);
        p.put("Type", "SecureString");
        Object value = secret.get("SecretString");
        if (value == null && secret.get("SecretBinary") instanceof byte[] b) value = Base64.getEncoder().encodeToString(b);
        p.put("Value", value == null ? "" : value);
        p.put("Version", 0);
        try {
            p.put("SourceResult", Json.MAPPER.writeValueAsString(source));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (secret.get("CreatedDate") != null) p.put("LastModifiedDate", secret.get("CreatedDate"));
        p.put("ARN", secret.get("ARN"));
        p.put("DataType", "text");
        return p;
    }

    // ---------------------------------------------------------------- answers

    private static Map<String, Object> parameter(ParameterStore store, ParameterVersion v, String selector, Object unused) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Name", v.name);
        p.put("Type", v.type);
        p.put("Value", v.value);
        p.put("Version", v.version);
        if (selector != null) p.put("Selector", selector);
        p.put("LastModifiedDate", Instant.ofEpochMilli(v.lastModified));
        p.put("ARN", store.arn(v.name));
        p.put("DataType", v.dataType);
        return p;
    }

    private static Map<String, Object> metadata(ParameterStore store, ParameterVersion v) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Name", v.name);
        p.put("ARN", store.arn(v.name));
        p.put("Type", v.type);
        if (v.keyId != null) p.put("KeyId", v.keyId);
        p.put("LastModifiedDate", Instant.ofEpochMilli(v.lastModified));
        p.put("LastModifiedUser", v.lastModifiedUser);
        if (v.description != null) p.put("Description", v.description);
        if (v.allowedPattern != null) p.put("AllowedPattern", v.allowedPattern);
        p.put("Version", v.version);
        p.put("Tier", v.tier);
        p.put("Policies", policies(v.policies));
        p.put("DataType", v.dataType);
        return p;
    }

    private Map<String, Object> history(ParameterVersion v) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Name", v.name);
        p.put("Type", v.type);
        if (v.keyId != null) p.put("KeyId", v.keyId);
        p.put("LastModifiedDate", Instant.ofEpochMilli(v.lastModified));
        p.put("LastModifiedUser", v.lastModifiedUser);
        if (v.description != null) p.put("Description", v.description);
        p.put("Value", v.value);
        if (v.allowedPattern != null) p.put("AllowedPattern", v.allowedPattern);
        p.put("Version", v.version);
        p.put("Labels", v.labels);
        p.put("Tier", v.tier);
        p.put("Policies", policies(v.policies));
        p.put("DataType", v.dataType);
        return p;
    }

    /** Stored policies as {@code ParameterInlinePolicy} entries (each pending: no scheduler acts on them). */
    private static List<Object> policies(String policies) {
        List<Object> out = new ArrayList<>();
        if (policies == null) return out;
        try {
            for (Object o : Json.MAPPER.readValue(policies, List.class)) {
                Map<?, ?> policy = (Map<?, ?>) o;
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("PolicyText", Json.MAPPER.writeValueAsString(policy));
                entry.put("PolicyType", String.valueOf(policy.get("Type")));
                entry.put("PolicyStatus", "Pending");
                out.add(entry);
            }
        } catch (IOException e) {
            // validated when stored; nothing to show otherwise
        }
        return out;
    }

    // ---------------------------------------------------------------- unpacking

    private static String str(Map<String, Object> in, String key) {
        Object v = in.get(key);
        return v == null ? null : v.toString();
    }

    private static Integer integer(Object v) {
        return v instanceof Number n ? n.intValue() : null;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) for (Object o : list) out.add(String.valueOf(o));
        return out;
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

    private static List<ParameterStore.Filter> filters(Object v) {
        List<ParameterStore.Filter> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> f = (Map<?, ?>) o;
                out.add(new ParameterStore.Filter(String.valueOf(f.get("Key")), f.get("Option") == null ? null : f.get("Option").toString(),
                        strings(f.get("Values"))));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- KMS

    /** SecureString encryption through the KMS provider, with the parameter's ARN as encryption context, as AWS does. */
    private final class KmsCrypto implements ParameterStore.Crypto {
        private final RequestContext ctx;

        KmsCrypto(RequestContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public String encrypt(String keyId, String parameterArn, String plaintext) {
            Map<String, Object> out = kms("Encrypt", Map.of("KeyId", keyId, "Plaintext", plaintext.getBytes(StandardCharsets.UTF_8),
                    "EncryptionContext", Map.of("PARAMETER_ARN", parameterArn)));
            return Base64.getEncoder().encodeToString((byte[]) out.get("CiphertextBlob"));
        }

        @Override
        public String decrypt(String parameterArn, String ciphertext) {
            Map<String, Object> out = kms("Decrypt", Map.of("CiphertextBlob", Base64.getDecoder().decode(ciphertext),
                    "EncryptionContext", Map.of("PARAMETER_ARN", parameterArn)));
            return new String((byte[]) out.get("Plaintext"), StandardCharsets.UTF_8);
        }

        private Map<String, Object> kms(String operation, Map<String, Object> input) {
            try {
                return env.call(RequestContext.internal(ctx.accountId(), ctx.region(), "kms"), "kms", operation, input);
            } catch (ServiceException e) {
                if (e.code().equals("NotFoundException") || e.code().equals("InvalidKeyUsageException")
                        || e.code().equals("DisabledException") || e.code().equals("KMSInvalidStateException")) {
                    throw new ServiceException("InvalidKeyId", e.getMessage());
                }
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public void saveState(OutputStream out) throws IOException {
        Map<String, Map<String, Map<String, StoredParameter>>> snapshot = new LinkedHashMap<>();
        stores.all().forEach((account, regions) -> regions.forEach((region, store) ->
                snapshot.computeIfAbsent(account, a -> new LinkedHashMap<>()).put(region, store.snapshot())));
        Json.MAPPER.writeValue(out, snapshot);
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported SSM state version " + version);
        Map<String, Map<String, Map<String, StoredParameter>>> snapshot = Json.MAPPER.readValue(in, new TypeReference<>() {
        });
        stores.clear();
        snapshot.forEach((account, regions) -> regions.forEach((region, parameters) -> {
            ParameterStore store = new ParameterStore(partition(region), region, account);
            store.restore(parameters);
            stores.put(account, region, store);
        }));
    }

    @Override
    public void resetState() {
        stores.clear();
    }
}
