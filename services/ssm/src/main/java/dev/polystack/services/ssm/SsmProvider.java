package dev.polystack.services.ssm;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import dev.polystack.services.kms.api.DecryptRequest;
import dev.polystack.services.kms.api.DecryptResponse;
import dev.polystack.services.kms.api.EncryptRequest;
import dev.polystack.services.kms.api.EncryptResponse;
import dev.polystack.services.kms.api.KmsApi;
import dev.polystack.services.secretsmanager.api.GetSecretValueRequest;
import dev.polystack.services.secretsmanager.api.GetSecretValueResponse;
import dev.polystack.services.secretsmanager.api.SecretsManagerApi;
import dev.polystack.services.ssm.api.*;

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
 * SSM on its typed {@link SsmApi}. Parameter Store: reads the typed request, calls {@link ParameterStore} (one per
 * account and region), builds the typed result; SecureString values are encrypted by the KMS provider,
 * {@code /aws/reference/secretsmanager/<secret>} is read from Secrets Manager, changes go to EventBridge
 * ({@link ParameterEvents}). Documents ({@link SsmDocuments}), Run Command ({@link RunCommands}) and maintenance
 * windows ({@link MaintenanceWindows}) answer as LocalStack (moto) does. Other operations answer NotImplemented.
 */
public final class SsmProvider implements SsmApi, ServiceProvider, Persistable {
    static final String SECRET_REFERENCE = "/aws/reference/secretsmanager/";

    private final ProviderEnvironment env;
    private final AccountRegionStore<ParameterStore> stores;
    private final ParameterEvents events;
    private final SsmDocuments documents = new SsmDocuments();
    private final RunCommands commands = new RunCommands();
    private final MaintenanceWindows windows = new MaintenanceWindows();

    public SsmProvider(ProviderEnvironment env) {
        this.env = env;
        this.stores = new AccountRegionStore<>((account, region) -> new ParameterStore(partition(region), region, account));
        this.events = new ParameterEvents(env);
    }

    static String partition(String region) {
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        return "aws";
    }

    @Override
    public String service() {
        return "ssm";
    }

    /** The gateway hands over a parameter tree; the generic dispatch does the rest. */
    @Override
    public Map<String, Object> invoke(RequestContext ctx, String operation, Map<String, Object> in) {
        return OPERATIONS.invoke(this, ctx, operation, in);
    }

    // ---------------------------------------------------------------- Parameter Store: writes

    @Override
    public PutParameterResult putParameter(RequestContext ctx, PutParameterRequest in) {
        ParameterStore store = stores.get(ctx);
        ParameterVersion v = store.put(new ParameterStore.PutRequest(in.name(), in.value(), in.typeAsString(), in.description(), in.keyId(),
                Boolean.TRUE.equals(in.overwrite()), in.allowedPattern(), tags(in.tags()), in.tierAsString(), in.policies(), in.dataType()),
                new KmsCrypto(ctx), System.currentTimeMillis());
        events.changed(ctx, store.arn(v.name), v.version == 1 ? "Create" : "Update", v);
        return PutParameterResult.builder().version(v.version).tier(v.tier).build();
    }

    @Override
    public DeleteParameterResult deleteParameter(RequestContext ctx, DeleteParameterRequest in) {
        ParameterStore store = stores.get(ctx);
        ParameterVersion removed = store.delete(in.name());
        events.changed(ctx, store.arn(removed.name), "Delete", removed);
        return DeleteParameterResult.builder().build();
    }

    @Override
    public DeleteParametersResult deleteParameters(RequestContext ctx, DeleteParametersRequest in) {
        ParameterStore store = stores.get(ctx);
        ParameterStore.Deleted r = store.deleteMany(orEmpty(in.names()));
        for (ParameterVersion removed : r.removed()) events.changed(ctx, store.arn(removed.name), "Delete", removed);
        return DeleteParametersResult.builder().deletedParameters(r.deleted()).invalidParameters(r.invalid()).build();
    }

    @Override
    public LabelParameterVersionResult labelParameterVersion(RequestContext ctx, LabelParameterVersionRequest in) {
        ParameterStore store = stores.get(ctx);
        ParameterStore.Labelled r = store.label(in.name(), in.parameterVersion(), orEmpty(in.labels()));
        ParameterStore.Selected labelled = store.get(in.name() + ":" + r.version(), false, null);
        events.changed(ctx, store.arn(labelled.version().name), "LabelParameterVersion", labelled.version());
        return LabelParameterVersionResult.builder().invalidLabels(r.invalid()).parameterVersion(r.version()).build();
    }

    @Override
    public UnlabelParameterVersionResult unlabelParameterVersion(RequestContext ctx, UnlabelParameterVersionRequest in) {
        ParameterStore.Unlabelled r = stores.get(ctx).unlabel(in.name(), in.parameterVersion(), orEmpty(in.labels()));
        return UnlabelParameterVersionResult.builder().removedLabels(r.removed()).invalidLabels(r.invalid()).build();
    }

    // ---------------------------------------------------------------- Parameter Store: reads

    @Override
    public GetParameterResult getParameter(RequestContext ctx, GetParameterRequest in) {
        String name = in.name();
        boolean decrypt = Boolean.TRUE.equals(in.withDecryption());
        if (name.startsWith(SECRET_REFERENCE)) {
            if (!decrypt) throw SsmErrors.validation("WithDecryption flag must be True for retrieving a Secret Manager secret.");
            return GetParameterResult.builder().parameter(secretReference(ctx, name)).build();
        }
        ParameterStore store = stores.get(ctx);
        ParameterStore.Selected s = store.get(name, decrypt, new KmsCrypto(ctx));
        return GetParameterResult.builder().parameter(parameter(store, s.version(), s.selector())).build();
    }

    @Override
    public GetParametersResult getParameters(RequestContext ctx, GetParametersRequest in) {
        List<String> names = orEmpty(in.names());
        if (names.size() > 10) {
            throw SsmErrors.validation("1 validation error detected: Value '" + names + "' at 'names' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 10");
        }
        boolean decrypt = Boolean.TRUE.equals(in.withDecryption());
        List<Parameter> found = new ArrayList<>();
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
        ParameterStore store = stores.get(ctx);
        ParameterStore.Found r = store.getMany(plain, decrypt, new KmsCrypto(ctx));
        for (ParameterStore.Selected s : r.found()) found.add(parameter(store, s.version(), s.selector()));
        invalid.addAll(r.invalid());
        return GetParametersResult.builder().parameters(found).invalidParameters(invalid).build();
    }

    @Override
    public GetParametersByPathResult getParametersByPath(RequestContext ctx, GetParametersByPathRequest in) {
        ParameterStore store = stores.get(ctx);
        var page = store.byPath(in.path(), Boolean.TRUE.equals(in.recursive()), filters(in.parameterFilters()),
                Boolean.TRUE.equals(in.withDecryption()), new KmsCrypto(ctx), in.maxResults(), in.nextToken());
        return GetParametersByPathResult.builder().parameters(page.items().stream().map(v -> parameter(store, v, null)).toList())
                .nextToken(page.nextToken()).build();
    }

    @Override
    public DescribeParametersResult describeParameters(RequestContext ctx, DescribeParametersRequest in) {
        ParameterStore store = stores.get(ctx);
        List<ParameterStore.Filter> legacy = new ArrayList<>();
        for (ParametersFilter f : orEmpty(in.filters())) legacy.add(new ParameterStore.Filter(f.keyAsString(), null, orEmpty(f.values())));
        var page = store.describe(legacy, filters(in.parameterFilters()), in.maxResults(), in.nextToken());
        return DescribeParametersResult.builder().parameters(page.items().stream().map(v -> metadata(store, v)).toList())
                .nextToken(page.nextToken()).build();
    }

    @Override
    public GetParameterHistoryResult getParameterHistory(RequestContext ctx, GetParameterHistoryRequest in) {
        var page = stores.get(ctx).history(in.name(), Boolean.TRUE.equals(in.withDecryption()), new KmsCrypto(ctx), in.maxResults(), in.nextToken());
        return GetParameterHistoryResult.builder().parameters(page.items().stream().map(SsmProvider::history).toList())
                .nextToken(page.nextToken()).build();
    }

    // ---------------------------------------------------------------- tags (parameters, documents, maintenance windows)

    @Override
    public AddTagsToResourceResult addTagsToResource(RequestContext ctx, AddTagsToResourceRequest in) {
        Map<String, String> tags = tags(in.tags());
        switch (resourceType(in.resourceTypeAsString())) {
            case "Parameter" -> stores.get(ctx).addTags(in.resourceId(), tags);
            case "Document" -> documents.addTags(ctx, in.resourceId(), tags);
            default -> windows.addTags(ctx, in.resourceId(), tags);
        }
        return AddTagsToResourceResult.builder().build();
    }

    @Override
    public RemoveTagsFromResourceResult removeTagsFromResource(RequestContext ctx, RemoveTagsFromResourceRequest in) {
        List<String> keys = orEmpty(in.tagKeys());
        switch (resourceType(in.resourceTypeAsString())) {
            case "Parameter" -> stores.get(ctx).removeTags(in.resourceId(), keys);
            case "Document" -> documents.removeTags(ctx, in.resourceId(), keys);
            default -> windows.removeTags(ctx, in.resourceId(), keys);
        }
        return RemoveTagsFromResourceResult.builder().build();
    }

    @Override
    public ListTagsForResourceResult listTagsForResource(RequestContext ctx, ListTagsForResourceRequest in) {
        Map<String, String> tags = switch (resourceType(in.resourceTypeAsString())) {
            case "Parameter" -> stores.get(ctx).tags(in.resourceId());
            case "Document" -> documents.tags(ctx, in.resourceId());
            default -> windows.tags(ctx, in.resourceId());
        };
        return ListTagsForResourceResult.builder().tagList(tagList(tags)).build();
    }

    private static String resourceType(String type) {
        if ("Parameter".equals(type) || "Document".equals(type) || "MaintenanceWindow".equals(type)) return type;
        throw new ServiceException("InvalidResourceType", "The resource type " + type + " is not supported by Polystack's SSM.");
    }

    // ---------------------------------------------------------------- documents, Run Command, maintenance windows

    @Override
    public CreateDocumentResult createDocument(RequestContext ctx, CreateDocumentRequest in) {
        return CreateDocumentResult.builder().documentDescription(documents.create(ctx, in)).build();
    }

    @Override
    public GetDocumentResult getDocument(RequestContext ctx, GetDocumentRequest in) {
        return documents.get(ctx, in);
    }

    @Override
    public DescribeDocumentResult describeDocument(RequestContext ctx, DescribeDocumentRequest in) {
        return DescribeDocumentResult.builder().document(documents.describe(ctx, in.name(), in.documentVersion(), in.versionName())).build();
    }

    @Override
    public UpdateDocumentResult updateDocument(RequestContext ctx, UpdateDocumentRequest in) {
        return UpdateDocumentResult.builder().documentDescription(documents.update(ctx, in)).build();
    }

    @Override
    public UpdateDocumentDefaultVersionResult updateDocumentDefaultVersion(RequestContext ctx, UpdateDocumentDefaultVersionRequest in) {
        return UpdateDocumentDefaultVersionResult.builder().description(documents.setDefault(ctx, in.name(), in.documentVersion())).build();
    }

    @Override
    public DeleteDocumentResult deleteDocument(RequestContext ctx, DeleteDocumentRequest in) {
        documents.delete(ctx, in.name(), in.documentVersion(), in.versionName());
        return DeleteDocumentResult.builder().build();
    }

    @Override
    public ListDocumentsResult listDocuments(RequestContext ctx, ListDocumentsRequest in) {
        return documents.list(ctx, in);
    }

    @Override
    public ListDocumentVersionsResult listDocumentVersions(RequestContext ctx, ListDocumentVersionsRequest in) {
        return ListDocumentVersionsResult.builder().documentVersions(documents.versions(ctx, in.name())).build();
    }

    @Override
    public SendCommandResult sendCommand(RequestContext ctx, SendCommandRequest in) {
        documents.requireRunnable(ctx, in.documentName());
        return SendCommandResult.builder().command(commands.send(ctx, in)).build();
    }

    @Override
    public ListCommandsResult listCommands(RequestContext ctx, ListCommandsRequest in) {
        return ListCommandsResult.builder().commands(commands.list(ctx, in.commandId(), in.instanceId())).build();
    }

    @Override
    public ListCommandInvocationsResult listCommandInvocations(RequestContext ctx, ListCommandInvocationsRequest in) {
        return ListCommandInvocationsResult.builder().commandInvocations(commands.invocations(ctx, in.commandId(), in.instanceId(),
                Boolean.TRUE.equals(in.details()))).build();
    }

    @Override
    public GetCommandInvocationResult getCommandInvocation(RequestContext ctx, GetCommandInvocationRequest in) {
        return commands.invocation(ctx, in.commandId(), in.instanceId(), in.pluginName());
    }

    @Override
    public CreateMaintenanceWindowResult createMaintenanceWindow(RequestContext ctx, CreateMaintenanceWindowRequest in) {
        return CreateMaintenanceWindowResult.builder().windowId(windows.create(ctx, in)).build();
    }

    @Override
    public GetMaintenanceWindowResult getMaintenanceWindow(RequestContext ctx, GetMaintenanceWindowRequest in) {
        return windows.get(ctx, in.windowId());
    }

    @Override
    public DescribeMaintenanceWindowsResult describeMaintenanceWindows(RequestContext ctx, DescribeMaintenanceWindowsRequest in) {
        return DescribeMaintenanceWindowsResult.builder().windowIdentities(windows.list(ctx, orEmpty(in.filters()))).build();
    }

    @Override
    public DeleteMaintenanceWindowResult deleteMaintenanceWindow(RequestContext ctx, DeleteMaintenanceWindowRequest in) {
        windows.delete(ctx, in.windowId());
        return DeleteMaintenanceWindowResult.builder().windowId(in.windowId()).build();
    }

    // ---------------------------------------------------------------- reads with Secrets Manager references

    private Parameter secretReference(RequestContext ctx, String name) {
        String secretId = name.substring(SECRET_REFERENCE.length());
        GetSecretValueResponse secret;
        try {
            secret = SecretsManagerApi.client(env).getSecretValue(RequestContext.internal(ctx.accountId(), ctx.region(), "secretsmanager"),
                    GetSecretValueRequest.builder().secretId(secretId).build());
        } catch (ServiceException e) {
            if (e.code().equals("ResourceNotFoundException")) throw SsmErrors.notFound(name);
            throw e;
        }
        // SourceResult: the secret as GetSecretValue answered it, dates in epoch seconds
        Map<String, Object> source = new LinkedHashMap<>();
        putIfPresent(source, "ARN", secret.arn());
        putIfPresent(source, "Name", secret.name());
        putIfPresent(source, "VersionId", secret.versionId());
        putIfPresent(source, "SecretString", secret.secretString());
        putIfPresent(source, "VersionStages", secret.versionStages());
        putIfPresent(source, "CreatedDate", secret.createdDate() == null ? null : secret.createdDate().getEpochSecond());
        String binary = secret.secretBinary() == null ? null : Base64.getEncoder().encodeToString(secret.secretBinary());
        putIfPresent(source, "SecretBinary", binary);
        String value = secret.secretString() != null ? secret.secretString() : binary;
        try {
            return Parameter.builder().name(name).type("SecureString").value(value == null ? "" : value).version(0L)
                    .sourceResult(Json.MAPPER.writeValueAsString(source))
                    .lastModifiedDate(secret.createdDate())
                    .arn(secret.arn()).dataType("text").build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfPresent(Map<String, Object> into, String member, Object value) {
        if (value != null) into.put(member, value);
    }

    // ---------------------------------------------------------------- answers

    private static Parameter parameter(ParameterStore store, ParameterVersion v, String selector) {
        return Parameter.builder().name(v.name).type(v.type).value(v.value).version(v.version).selector(selector)
                .lastModifiedDate(Instant.ofEpochMilli(v.lastModified)).arn(store.arn(v.name)).dataType(v.dataType).build();
    }

    private static ParameterMetadata metadata(ParameterStore store, ParameterVersion v) {
        return ParameterMetadata.builder().name(v.name).arn(store.arn(v.name)).type(v.type).keyId(v.keyId)
                .lastModifiedDate(Instant.ofEpochMilli(v.lastModified)).lastModifiedUser(v.lastModifiedUser).description(v.description)
                .allowedPattern(v.allowedPattern).version(v.version).tier(v.tier).policies(policies(v.policies)).dataType(v.dataType).build();
    }

    private static ParameterHistory history(ParameterVersion v) {
        return ParameterHistory.builder().name(v.name).type(v.type).keyId(v.keyId).lastModifiedDate(Instant.ofEpochMilli(v.lastModified))
                .lastModifiedUser(v.lastModifiedUser).description(v.description).value(v.value).allowedPattern(v.allowedPattern)
                .version(v.version).labels(v.labels).tier(v.tier).policies(policies(v.policies)).dataType(v.dataType).build();
    }

    /** Stored policies as {@code ParameterInlinePolicy} entries (each pending: no scheduler acts on them). */
    private static List<ParameterInlinePolicy> policies(String policies) {
        List<ParameterInlinePolicy> out = new ArrayList<>();
        if (policies == null) return out;
        try {
            for (Map<String, Object> policy : Json.MAPPER.readValue(policies, new TypeReference<List<Map<String, Object>>>() {
            })) {
                out.add(ParameterInlinePolicy.builder().policyText(Json.MAPPER.writeValueAsString(policy))
                        .policyType(String.valueOf(policy.get("Type"))).policyStatus("Pending").build());
            }
        } catch (IOException e) {
            // validated when stored; nothing to show otherwise
        }
        return out;
    }

    // ---------------------------------------------------------------- typed members to the engine's forms

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : orEmpty(tags)) out.put(t.key(), t.value());
        return out;
    }

    static List<Tag> tagList(Map<String, String> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    private static List<ParameterStore.Filter> filters(List<ParameterStringFilter> filters) {
        List<ParameterStore.Filter> out = new ArrayList<>();
        for (ParameterStringFilter f : orEmpty(filters)) out.add(new ParameterStore.Filter(f.key(), f.option(), orEmpty(f.values())));
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
            EncryptResponse out = kms(() -> KmsApi.client(env).encrypt(kmsContext(), EncryptRequest.builder().keyId(keyId)
                    .plaintext(plaintext.getBytes(StandardCharsets.UTF_8))
                    .encryptionContext(Map.of("PARAMETER_ARN", parameterArn)).build()));
            return Base64.getEncoder().encodeToString(out.ciphertextBlob());
        }

        @Override
        public String decrypt(String parameterArn, String ciphertext) {
            DecryptResponse out = kms(() -> KmsApi.client(env).decrypt(kmsContext(), DecryptRequest.builder()
                    .ciphertextBlob(Base64.getDecoder().decode(ciphertext))
                    .encryptionContext(Map.of("PARAMETER_ARN", parameterArn)).build()));
            return new String(out.plaintext(), StandardCharsets.UTF_8);
        }

        private RequestContext kmsContext() {
            return RequestContext.internal(ctx.accountId(), ctx.region(), "kms");
        }

        /** A KMS call; KMS's errors about the key become SSM's InvalidKeyId. */
        private <T> T kms(java.util.function.Supplier<T> call) {
            try {
                return call.get();
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

    /** Version 2 adds documents, commands and maintenance windows beside the parameters (version 1: parameters only). */
    @Override
    public int stateVersion() {
        return 2;
    }

    record Snapshot(Map<String, Map<String, Map<String, StoredParameter>>> parameters, SsmDocuments.Snapshot documents,
                    RunCommands.Snapshot commands, MaintenanceWindows.Snapshot windows) {
    }

    @Override
    public void saveState(OutputStream out) throws IOException {
        Map<String, Map<String, Map<String, StoredParameter>>> parameters = new LinkedHashMap<>();
        stores.all().forEach((account, regions) -> regions.forEach((region, store) ->
                parameters.computeIfAbsent(account, a -> new LinkedHashMap<>()).put(region, store.snapshot())));
        Json.MAPPER.writeValue(out, new Snapshot(parameters, documents.snapshot(), commands.snapshot(), windows.snapshot()));
    }

    @Override
    public void loadState(InputStream in, int version) throws IOException {
        Map<String, Map<String, Map<String, StoredParameter>>> parameters;
        if (version == 1) {
            parameters = Json.MAPPER.readValue(in, new TypeReference<>() {
            });
            resetState();
        } else if (version == 2) {
            Snapshot s = Json.MAPPER.readValue(in, Snapshot.class);
            parameters = s.parameters();
            resetState();
            documents.restore(s.documents());
            commands.restore(s.commands());
            windows.restore(s.windows());
        } else {
            throw new IOException("unsupported SSM state version " + version);
        }
        parameters.forEach((account, regions) -> regions.forEach((region, saved) -> {
            ParameterStore store = new ParameterStore(partition(region), region, account);
            store.restore(saved);
            stores.put(account, region, store);
        }));
    }

    @Override
    public void resetState() {
        stores.clear();
        documents.reset();
        commands.reset();
        windows.reset();
    }
}
