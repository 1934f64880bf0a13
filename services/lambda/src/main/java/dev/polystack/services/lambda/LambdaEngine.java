package dev.polystack.services.lambda;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.services.lambda.executor.ContainerEngine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Lambda's function API: functions, versions, aliases, resource policies, tags, concurrency and event invoke
 * configuration, with AWS's validation and messages. Plain Java values in and out; the provider maps the protocol.
 */
final class LambdaEngine {
    static final List<String> RUNTIMES = List.of("nodejs20.x", "python3.14", "provided.al2023", "python3.12", "python3.13",
            "nodejs24.x", "nodejs22.x", "java25", "python3.10", "python3.11", "java21", "ruby3.3", "ruby3.4", "ruby3.2",
            "python3.8", "python3.9", "java17", "nodejs16.x", "dotnet10", "dotnet8", "java11", "dotnet6", "nodejs18.x",
            "provided.al2", "java8.al2");
    private static final Set<String> LEGACY_RUNTIMES = Set.of("python3.7", "python3.6", "nodejs14.x", "nodejs12.x",
            "nodejs10.x", "java8", "go1.x", "provided", "ruby2.7", "dotnetcore3.1", "dotnet7", "python2.7");
    static final String ROLE_PATTERN = "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
    private static final Pattern ROLE = Pattern.compile(ROLE_PATTERN);
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    private static final Pattern STATEMENT_ID = Pattern.compile("([a-zA-Z0-9-_]+)");
    static final int ACCOUNT_CONCURRENCY = 1000;
    static final int MIN_UNRESERVED = 100;

    private final AccountRegionStore<LambdaState> store;
    private final CodeStore code;
    /** Told the function ARN whose environments must stop (code or configuration changed, function deleted). */
    private final Consumer<String> retire;
    /** The engine that runs image functions ({@code LAMBDA_CONTAINER_ENGINE}), or null: image functions refused. */
    private final ContainerEngine containers;

    LambdaEngine(AccountRegionStore<LambdaState> store, CodeStore code, Consumer<String> retire, ContainerEngine containers) {
        this.containers = containers;
        this.store = store;
        this.code = code;
        this.retire = retire;
    }

    /**
     * What CreateFunction asks for. {@code zip} is the package (read from S3 by the provider when given there);
     * {@code imageUri} the image of a {@code PackageType: Image} function.
     */
    record NewFunction(String name, String packageType, byte[] zip, String imageUri, FunctionConfig.Changes settings,
                       List<String> architectures, boolean publish, Map<String, String> tags) {
    }

    /** A function with one of its versions: what the Get/Update operations report. */
    record Found(LambdaFunction function, FunctionVersion version) {
    }

    // ------------------------------------------------------------------ functions

    Found createFunction(String account, String region, NewFunction in) {
        FunctionRef ref = FunctionRef.parse(in.name(), null, account, region);
        if (ref.qualifier() != null) {
            throw LambdaErrors.validation(in.name(), "functionName", "Member must satisfy regular expression pattern: "
                    + FunctionRef.NAME_PATTERN);
        }
        FunctionConfig.Changes s = in.settings();
        validateRole(s.role());
        String packageType = in.packageType() == null ? "Zip" : in.packageType();
        boolean image = packageType.equals("Image");
        if (image && containers == null) {
            throw LambdaErrors.invalidParameter("Polystack runs functions as local processes and has no container "
                    + "engine configured (LAMBDA_CONTAINER_ENGINE): PackageType Image is not supported. Deploy the "
                    + "function as a .zip archive.");
        }
        if (!image) {
            validateRuntime(s.runtime(), true);
            if (s.handler() == null) {
                throw LambdaErrors.invalidParameter("Handler is required when PackageType is Zip.");
            }
        } else if (in.imageUri() == null) {
            throw LambdaErrors.invalidParameter("ImageUri must be provided when PackageType is Image.");
        }
        validateLimits(s);
        List<String> arch = in.architectures() == null ? List.of("x86_64") : in.architectures();
        validateArchitectures(arch);
        if (!image && in.zip() == null) throw LambdaErrors.invalidParameter("Please provide a source for function code.");
        CodeRef codeRef = image ? imageCode(in.imageUri()) : code.store(in.zip());
        FunctionConfig base = new FunctionConfig(null, null, null, "", FunctionConfig.DEFAULT_TIMEOUT,
                FunctionConfig.DEFAULT_MEMORY, null, List.of(), arch, 512, "PassThrough", null, null, "Text",
                "/aws/lambda/" + ref.name(), packageType, null);
        FunctionConfig config = base.apply(s);
        LambdaState state = store.get(ref.account(), ref.region());
        LambdaFunction fn = new LambdaFunction(ref.name(), ref.account(), ref.region());
        Instant now = Instant.now();
        String revision = revision();
        // Reported as Pending (AWS's answer to CreateFunction); stored Active at once: the code is ready as soon
        // as it is stored, so waiters (function_active_v2) and invokes right after creation both work.
        FunctionVersion created = new FunctionVersion(FunctionVersion.LATEST, config, codeRef, revision, now, "Pending",
                null, executionKey(fn));
        synchronized (fn) {
            fn.latest = created.withState("Active", "Successful", revision());
            if (in.tags() != null) fn.tags.putAll(in.tags());
            if (state.functions.putIfAbsent(ref.name(), fn) != null) {
                throw LambdaErrors.conflict("Function already exist: " + ref.name());
            }
            if (in.publish()) {
                FunctionVersion v = publish(fn, null);
                return new Found(fn, new FunctionVersion(v.version(), v.config(), v.code(), v.revisionId(),
                        v.lastModified(), "Pending", null, v.executionKey()));
            }
        }
        return new Found(fn, created);
    }

    Found getFunction(FunctionRef ref) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            return new Found(fn, resolveVersion(fn, ref));
        }
    }

    /** The function's version, or its alias's target version, that {@code ref} names. */
    private FunctionVersion resolveVersion(LambdaFunction fn, FunctionRef ref) {
        String q = ref.qualifier();
        if (q == null || q.equals(FunctionVersion.LATEST)) return fn.latest;
        FunctionVersion v = fn.version(q);
        if (v != null) return v;
        Alias alias = fn.aliases.get(q);
        if (alias != null) return fn.version(alias.functionVersion());
        throw LambdaErrors.functionNotFound(ref.qualifiedArn());
    }

    Found updateConfiguration(FunctionRef ref, FunctionConfig.Changes changes, String revisionId) {
        requireUnqualified(ref);
        if (changes.role() != null) validateRole(changes.role());
        if (changes.runtime() != null) validateRuntime(changes.runtime(), false);
        validateLimits(changes);
        LambdaFunction fn = function(ref);
        FunctionVersion updated;
        synchronized (fn) {
            checkRevision(fn.latest.revisionId(), revisionId);
            FunctionConfig config = fn.latest.config().apply(changes);
            updated = new FunctionVersion(FunctionVersion.LATEST, config, fn.latest.code(), revision(), Instant.now(),
                    "Active", "InProgress", executionKey(fn));
            fn.latest = updated.withState("Active", "Successful", revision());
        }
        retire.accept(fn.arn() + ":" + FunctionVersion.LATEST + ":");
        return new Found(fn, updated);
    }

    Found updateCode(FunctionRef ref, byte[] zip, String imageUri, List<String> architectures, boolean publish,
                     String revisionId) {
        requireUnqualified(ref);
        if (architectures != null) validateArchitectures(architectures);
        LambdaFunction fn = function(ref);
        boolean image;
        synchronized (fn) {
            image = fn.latest.code().isImage();
        }
        if (image && imageUri == null) {
            throw LambdaErrors.invalidParameter("Please provide ImageUri when updating a function with packageType Image.");
        }
        if (!image && imageUri != null) {
            throw LambdaErrors.invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
        }
        if (!image && zip == null) throw LambdaErrors.invalidParameter("Please provide a source for function code.");
        CodeRef codeRef = image ? imageCode(imageUri) : code.store(zip);
        FunctionVersion updated;
        Found answer;
        synchronized (fn) {
            checkRevision(fn.latest.revisionId(), revisionId);
            FunctionConfig config = architectures == null ? fn.latest.config() : fn.latest.config().withArchitectures(architectures);
            updated = new FunctionVersion(FunctionVersion.LATEST, config, codeRef, revision(), Instant.now(), "Active",
                    "InProgress", executionKey(fn));
            fn.latest = updated.withState("Active", "Successful", revision());
            answer = new Found(fn, publish ? publish(fn, null) : updated);
        }
        retire.accept(fn.arn() + ":" + FunctionVersion.LATEST + ":");
        return answer;
    }

    /**
     * An image function's code: the image the engine holds under {@code uri}, named by its digest (AWS's CodeSha256
     * of an image function). An image the engine does not have is refused as AWS refuses one missing from ECR.
     */
    private CodeRef imageCode(String uri) {
        String digest = containers.imageDigest(uri);
        if (digest == null) {
            throw LambdaErrors.invalidParameter("Source image " + uri + " does not exist. Provide a valid source image.");
        }
        return CodeStore.image(uri, digest);
    }

    void deleteFunction(FunctionRef ref) {
        LambdaFunction fn = function(ref);
        LambdaState state = store.get(ref.account(), ref.region());
        String q = ref.qualifier();
        if (q == null) {
            state.functions.remove(fn.name, fn);
            retire.accept(fn.arn() + ":");
            return;
        }
        if (q.equals(FunctionVersion.LATEST)) {
            throw LambdaErrors.invalidParameter("$LATEST version cannot be deleted without deleting the function.");
        }
        synchronized (fn) {
            FunctionVersion v = fn.version(q);
            if (v == null) {
                if (fn.aliases.containsKey(q)) {
                    throw LambdaErrors.invalidParameter("Deletion of aliases is not supported.");
                }
                return; // AWS answers 204 for a version that does not exist
            }
            for (Alias a : fn.aliases.values()) {
                if (a.functionVersion().equals(q) || a.additionalWeights().containsKey(q)) {
                    throw LambdaErrors.conflict("Unable to delete version because the following aliases reference it: ["
                            + a.name() + "]");
                }
            }
            fn.versions.remove(Integer.parseInt(q));
        }
        retire.accept(fn.arn() + ":" + q + ":");
    }

    /** All functions of the region ($LATEST), or with {@code allVersions} every published version too. */
    List<Found> listFunctions(String account, String region, boolean allVersions) {
        List<Found> out = new ArrayList<>();
        LambdaState state = store.get(account, region);
        List<LambdaFunction> fns = new ArrayList<>(state.functions.values());
        fns.sort(Comparator.comparing(f -> f.name));
        for (LambdaFunction fn : fns) {
            synchronized (fn) {
                out.add(new Found(fn, fn.latest));
                if (allVersions) fn.versions.values().forEach(v -> out.add(new Found(fn, v)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ versions

    Found publishVersion(FunctionRef ref, String codeSha256, String description, String revisionId) {
        requireUnqualified(ref);
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            checkRevision(fn.latest.revisionId(), revisionId);
            if (codeSha256 != null && !codeSha256.equals(fn.latest.code().sha256())) {
                throw LambdaErrors.invalidParameter("CodeSHA256 (" + codeSha256 + ") is different from current CodeSHA256 in $LATEST ("
                        + fn.latest.code().sha256() + "). Please try again with the CodeSHA256 in $LATEST.");
            }
            // AWS publishes nothing new when neither code nor configuration changed since the last version
            if (!fn.versions.isEmpty()) {
                FunctionVersion last = fn.versions.lastEntry().getValue();
                if (last.code().sha256().equals(fn.latest.code().sha256()) && sameConfig(last.config(), fn.latest.config())
                        && description == null) {
                    return new Found(fn, last);
                }
            }
            return new Found(fn, publish(fn, description));
        }
    }

    /** Makes the next version from $LATEST; the caller holds the function's monitor. */
    private FunctionVersion publish(LambdaFunction fn, String description) {
        int number = ++fn.lastPublished;
        FunctionConfig config = fn.latest.config();
        if (description != null) config = config.apply(new FunctionConfig.Changes(null, null, null, description,
                null, null, null, null, null, null, null, null, null, null, null));
        FunctionVersion v = new FunctionVersion(Integer.toString(number), config, fn.latest.code(), revision(),
                Instant.now(), "Active", "Successful", fn.arn() + ":" + number + ":" + UUID.randomUUID());
        fn.versions.put(number, v);
        fn.latest = fn.latest.withState(fn.latest.state(), fn.latest.lastUpdateStatus(), revision());
        return v;
    }

    private static boolean sameConfig(FunctionConfig a, FunctionConfig b) {
        return a.equals(b);
    }

    List<FunctionVersion> listVersions(FunctionRef ref) {
        requireUnqualified(ref);
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            List<FunctionVersion> out = new ArrayList<>();
            out.add(fn.latest);
            out.addAll(fn.versions.values());
            return out;
        }
    }

    // ------------------------------------------------------------------ aliases

    Alias createAlias(FunctionRef ref, String name, String version, String description, Map<String, Double> weights) {
        requireUnqualified(ref);
        validateAliasName(name);
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            validateAliasTarget(fn, version, weights);
            if (fn.aliases.containsKey(name)) {
                throw LambdaErrors.conflict("Alias already exists: " + fn.arn() + ":" + name);
            }
            Alias alias = new Alias(name, version, description == null ? "" : description, weights, revision());
            fn.aliases.put(name, alias);
            return alias;
        }
    }

    Alias getAlias(FunctionRef ref, String name) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            Alias a = fn.aliases.get(name);
            if (a == null) throw LambdaErrors.notFound("Cannot find alias arn: " + fn.arn() + ":" + name);
            return a;
        }
    }

    Alias updateAlias(FunctionRef ref, String name, String version, String description, Map<String, Double> weights,
                      String revisionId) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            Alias a = fn.aliases.get(name);
            if (a == null) throw LambdaErrors.notFound("Alias not found: " + fn.arn() + ":" + name);
            if (revisionId != null && !revisionId.equals(a.revisionId())) {
                throw LambdaErrors.preconditionFailed("The Revision Id provided does not match the latest Revision Id. "
                        + "Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
            }
            String target = version != null ? version : a.functionVersion();
            Map<String, Double> w = weights != null ? weights : a.additionalWeights();
            validateAliasTarget(fn, target, w);
            Alias updated = new Alias(name, target, description != null ? description : a.description(), w, revision());
            fn.aliases.put(name, updated);
            return updated;
        }
    }

    void deleteAlias(FunctionRef ref, String name) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            fn.aliases.remove(name);
            fn.eventInvokeConfigs.remove(name);
            fn.policies.remove(name);
        }
    }

    List<Alias> listAliases(FunctionRef ref, String version) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            return fn.aliases.values().stream()
                    .filter(a -> version == null || a.functionVersion().equals(version) || a.additionalWeights().containsKey(version))
                    .toList();
        }
    }

    private static void validateAliasName(String name) {
        if (name == null || !ALIAS_NAME.matcher(name).matches()) {
            throw LambdaErrors.validation(name, "name", "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        }
    }

    private static void validateAliasTarget(LambdaFunction fn, String version, Map<String, Double> weights) {
        if (weights != null && !weights.isEmpty()) {
            for (Map.Entry<String, Double> e : weights.entrySet()) {
                if (!e.getKey().matches("[0-9]+")) {
                    throw LambdaErrors.validation(describe(weights), "routingConfig.additionalVersionWeights",
                            "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, "
                                    + "Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]");
                }
                if (e.getValue() == null || e.getValue() < 0 || e.getValue() > 1) {
                    throw LambdaErrors.validation(describe(weights), "routingConfig.additionalVersionWeights",
                            "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
                                    + "Member must have value greater than or equal to 0.0, Member must not be null]");
                }
            }
            if (weights.size() > 1) {
                throw LambdaErrors.invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1");
            }
            if (FunctionVersion.LATEST.equals(version)) {
                throw LambdaErrors.invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
            }
            if (weights.containsKey(version)) {
                throw LambdaErrors.invalidParameter("Invalid function version " + version + ". Function version " + version
                        + " is already included in routing configuration.");
            }
            for (String v : weights.keySet()) {
                if (fn.version(v) == null) throw LambdaErrors.functionNotFound(fn.arn() + ":" + v);
            }
        }
        if (fn.version(version) == null) throw LambdaErrors.functionNotFound(fn.arn() + ":" + version);
    }

    private static String describe(Map<String, Double> weights) {
        StringBuilder s = new StringBuilder("{");
        weights.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return s.append('}').toString();
    }

    // ------------------------------------------------------------------ invocation targets

    /** The version an invocation runs, following an alias (and its routing weights). */
    Found resolveForInvoke(FunctionRef ref) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            String q = ref.qualifier();
            if (q != null && !q.equals(FunctionVersion.LATEST) && fn.version(q) == null) {
                Alias alias = fn.aliases.get(q);
                if (alias == null) throw LambdaErrors.functionNotFound(ref.qualifiedArn());
                String target = alias.functionVersion();
                double roll = ThreadLocalRandom.current().nextDouble();
                for (Map.Entry<String, Double> w : alias.additionalWeights().entrySet()) {
                    if (roll < w.getValue()) {
                        target = w.getKey();
                        break;
                    }
                    roll -= w.getValue();
                }
                FunctionVersion v = fn.version(target);
                if (v == null) throw LambdaErrors.functionNotFound(fn.arn() + ":" + target);
                return new Found(fn, v);
            }
            return new Found(fn, resolveVersion(fn, ref));
        }
    }

    // ------------------------------------------------------------------ permissions

    Map<String, Object> addPermission(FunctionRef ref, String statementId, String action, String principal,
                                      String sourceArn, String sourceAccount, String revisionId, String principalOrgId,
                                      String urlAuthType) {
        if (statementId == null || !STATEMENT_ID.matcher(statementId).matches()) {
            throw LambdaErrors.validation(statementId, "statementId", "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)");
        }
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            String q = ref.qualifier() == null ? "" : ref.qualifier();
            if (q.equals(FunctionVersion.LATEST)) {
                throw LambdaErrors.invalidParameter("We currently do not support adding policies for $LATEST.");
            }
            if (!q.isEmpty()) resolveVersion(fn, ref);
            if (revisionId != null && !revisionId.equals(fn.policyRevisionId)) {
                throw LambdaErrors.preconditionFailed("The Revision Id provided does not match the latest Revision Id. "
                        + "Call the GetPolicy API to retrieve the latest Revision Id");
            }
            Map<String, Map<String, Object>> statements = fn.policies.computeIfAbsent(q, k -> new LinkedHashMap<>());
            if (statements.containsKey(statementId)) {
                throw LambdaErrors.conflict("The statement id (" + statementId + ") provided already exists. Please provide "
                        + "a new statement id, or remove the existing statement.");
            }
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("Sid", statementId);
            st.put("Effect", "Allow");
            st.put("Principal", principal(principal, fn.region));
            st.put("Action", action);
            st.put("Resource", q.isEmpty() ? fn.arn() : fn.arn() + ":" + q);
            Map<String, Object> condition = new LinkedHashMap<>();
            if (sourceAccount != null) condition.put("StringEquals", Map.of("AWS:SourceAccount", sourceAccount));
            if (principalOrgId != null) condition.put("StringEquals", Map.of("aws:PrincipalOrgID", principalOrgId));
            if (urlAuthType != null) condition.put("StringEquals", Map.of("lambda:FunctionUrlAuthType", urlAuthType));
            if (sourceArn != null) condition.put("ArnLike", Map.of("AWS:SourceArn", sourceArn));
            if (!condition.isEmpty()) st.put("Condition", condition);
            statements.put(statementId, st);
            fn.policyRevisionId = revision();
            return st;
        }
    }

    private static Object principal(String principal, String region) {
        if (principal == null) throw LambdaErrors.invalidParameter("The provided principal was invalid. Please check the principal and try again.");
        if (principal.equals("*")) return "*";
        if (principal.endsWith(".amazonaws.com") || principal.endsWith(".amazonaws.com.cn")) return Map.of("Service", principal);
        if (principal.matches("\\d{12}")) return Map.of("AWS", "arn:" + FunctionRef.partition(region) + ":iam::" + principal + ":root");
        if (principal.startsWith("arn:")) return Map.of("AWS", principal);
        throw LambdaErrors.invalidParameter("The provided principal was invalid. Please check the principal and try again.");
    }

    void removePermission(FunctionRef ref, String statementId, String revisionId) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            String q = ref.qualifier() == null ? "" : ref.qualifier();
            if (revisionId != null && !revisionId.equals(fn.policyRevisionId)) {
                throw LambdaErrors.preconditionFailed("The Revision Id provided does not match the latest Revision Id. "
                        + "Call the GetPolicy API to retrieve the latest Revision Id");
            }
            Map<String, Map<String, Object>> statements = fn.policies.get(q);
            if (statements == null || statements.isEmpty()) {
                throw LambdaErrors.notFound("No policy is associated with the given resource.");
            }
            if (statements.remove(statementId) == null) {
                throw LambdaErrors.notFound("Statement " + statementId + " is not found in resource policy.");
            }
            fn.policyRevisionId = revision();
        }
    }

    /** The policy document and its revision, or "not found" as AWS says it. */
    Map<String, Object> getPolicy(FunctionRef ref) {
        LambdaFunction fn;
        try {
            fn = function(ref);
        } catch (dev.polystack.api.ServiceException e) {
            throw LambdaErrors.notFound("No policy found for: " + ref.qualifiedArn());
        }
        synchronized (fn) {
            String q = ref.qualifier() == null ? "" : ref.qualifier();
            Map<String, Map<String, Object>> statements = fn.policies.get(q);
            if (statements == null || statements.isEmpty()) {
                throw LambdaErrors.notFound("The resource you requested does not exist.");
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("Version", "2012-10-17");
            doc.put("Id", "default");
            doc.put("Statement", new ArrayList<>(statements.values()));
            return Map.of("Policy", doc, "RevisionId", fn.policyRevisionId);
        }
    }

    // ------------------------------------------------------------------ tags

    /** The function a taggable resource ARN names; versions and aliases are refused as AWS does. */
    LambdaFunction taggable(String arn, String account, String region) {
        FunctionRef ref = FunctionRef.parse(arn, null, account, region);
        if (ref.qualifier() != null) {
            throw LambdaErrors.invalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }
        return function(ref);
    }

    void tag(LambdaFunction fn, Map<String, String> tags) {
        synchronized (fn) {
            fn.tags.putAll(tags);
        }
    }

    void untag(LambdaFunction fn, List<String> keys) {
        synchronized (fn) {
            keys.forEach(fn.tags::remove);
        }
    }

    Map<String, String> tags(LambdaFunction fn) {
        synchronized (fn) {
            return new LinkedHashMap<>(fn.tags);
        }
    }

    // ------------------------------------------------------------------ concurrency

    int putConcurrency(FunctionRef ref, int reserved) {
        requireUnqualifiedForConcurrency(ref);
        LambdaFunction fn = function(ref);
        synchronized (store) {
            int others = 0;
            for (LambdaFunction f : store.get(ref.account(), ref.region()).functions.values()) {
                if (f != fn && f.reservedConcurrency != null) others += f.reservedConcurrency;
            }
            if (ACCOUNT_CONCURRENCY - others - reserved < MIN_UNRESERVED) {
                throw LambdaErrors.invalidParameter("Specified ReservedConcurrentExecutions for function decreases account's "
                        + "UnreservedConcurrentExecution below its minimum value of [" + MIN_UNRESERVED + "].");
            }
            synchronized (fn) {
                fn.reservedConcurrency = reserved;
            }
        }
        retire.accept(fn.arn() + ":");
        return reserved;
    }

    Integer getConcurrency(FunctionRef ref) {
        requireUnqualifiedForConcurrency(ref);
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            return fn.reservedConcurrency;
        }
    }

    void deleteConcurrency(FunctionRef ref) {
        requireUnqualifiedForConcurrency(ref);
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            fn.reservedConcurrency = null;
        }
        retire.accept(fn.arn() + ":");
    }

    void putProvisionedConcurrency(FunctionRef ref, int value) {
        if (value < 1) {
            throw LambdaErrors.validation(Integer.toString(value), "provisionedConcurrentExecutions",
                    "Member must have value greater than or equal to 1");
        }
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            if (ref.qualifier() == null || ref.qualifier().equals(FunctionVersion.LATEST)) {
                throw LambdaErrors.invalidParameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
            }
            resolveVersion(fn, ref);
            fn.provisionedConcurrency.put(ref.qualifier(), value);
        }
    }

    Integer getProvisionedConcurrency(FunctionRef ref) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            Integer v = ref.qualifier() == null ? null : fn.provisionedConcurrency.get(ref.qualifier());
            if (v == null) {
                throw new dev.polystack.api.ServiceException("ProvisionedConcurrencyConfigNotFoundException",
                        "No Provisioned Concurrency Config found for this function", 404).with("Type", "User");
            }
            return v;
        }
    }

    /** Every qualifier's provisioned concurrency, in the order they were put; with the function's ARN. */
    record ProvisionedConcurrency(String functionArn, Map<String, Integer> byQualifier) {
    }

    ProvisionedConcurrency provisionedConcurrencies(FunctionRef ref) {
        requireUnqualified(ref);
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            return new ProvisionedConcurrency(fn.arn(), new LinkedHashMap<>(fn.provisionedConcurrency));
        }
    }

    void deleteProvisionedConcurrency(FunctionRef ref) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            if (ref.qualifier() != null) fn.provisionedConcurrency.remove(ref.qualifier());
        }
    }

    private static void requireUnqualifiedForConcurrency(FunctionRef ref) {
        if (ref.qualifier() != null) {
            throw LambdaErrors.invalidParameter("This operation is permitted on Lambda functions only. Aliases and versions do "
                    + "not support this operation. Please specify either a function name or an unqualified function ARN.");
        }
    }

    // ------------------------------------------------------------------ event invoke config

    EventInvokeConfig putEventInvokeConfig(FunctionRef ref, Integer retries, Integer maxAge, String onSuccess,
                                           String onFailure, boolean merge) {
        LambdaFunction fn = function(ref);
        if (retries == null && maxAge == null && onSuccess == null && onFailure == null && !merge) {
            throw LambdaErrors.invalidParameter("You must specify at least one of error handling or destination setting.");
        }
        for (String dest : new String[]{onSuccess, onFailure}) {
            if (dest == null) continue;
            if (dest.equals(fn.arn()) || dest.startsWith(fn.arn() + ":")) {
                throw LambdaErrors.invalidParameter("You can't specify the function as a destination for itself.");
            }
        }
        synchronized (fn) {
            String q = qualifierKey(fn, ref);
            EventInvokeConfig old = fn.eventInvokeConfigs.get(q);
            if (merge && old == null) {
                throw LambdaErrors.notFound("The function " + fn.arn() + ":" + displayQualifier(ref) + " doesn't have an EventInvokeConfig");
            }
            EventInvokeConfig c = merge
                    ? new EventInvokeConfig(retries != null ? retries : old.maximumRetryAttempts(),
                    maxAge != null ? maxAge : old.maximumEventAgeInSeconds(), onSuccess != null ? onSuccess : old.onSuccess(),
                    onFailure != null ? onFailure : old.onFailure(), Instant.now())
                    : new EventInvokeConfig(retries, maxAge, onSuccess, onFailure, Instant.now());
            fn.eventInvokeConfigs.put(q, c);
            return c;
        }
    }

    EventInvokeConfig getEventInvokeConfig(FunctionRef ref) {
        LambdaFunction fn;
        try {
            fn = function(ref);
        } catch (dev.polystack.api.ServiceException e) {
            throw LambdaErrors.notFound("The function " + ref.unqualifiedArn() + ":" + displayQualifier(ref) + " doesn't have an EventInvokeConfig");
        }
        synchronized (fn) {
            EventInvokeConfig c = fn.eventInvokeConfigs.get(ref.qualifier() == null ? "" : ref.qualifier());
            if (c == null && FunctionVersion.LATEST.equals(ref.qualifier())) c = fn.eventInvokeConfigs.get("");
            if (c == null) {
                throw LambdaErrors.notFound("The function " + fn.arn() + ":" + displayQualifier(ref) + " doesn't have an EventInvokeConfig");
            }
            return c;
        }
    }

    /** The configuration that applies to an invocation of {@code version} through {@code qualifier}, or null. */
    EventInvokeConfig eventInvokeConfigFor(LambdaFunction fn, String qualifier) {
        synchronized (fn) {
            EventInvokeConfig c = qualifier == null ? null : fn.eventInvokeConfigs.get(qualifier);
            return c != null ? c : fn.eventInvokeConfigs.get("");
        }
    }

    void deleteEventInvokeConfig(FunctionRef ref) {
        getEventInvokeConfig(ref);
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            fn.eventInvokeConfigs.remove(ref.qualifier() == null ? "" : ref.qualifier());
            if (FunctionVersion.LATEST.equals(ref.qualifier())) fn.eventInvokeConfigs.remove("");
        }
    }

    List<Map.Entry<String, EventInvokeConfig>> listEventInvokeConfigs(FunctionRef ref) {
        LambdaFunction fn = function(ref);
        synchronized (fn) {
            return new ArrayList<>(fn.eventInvokeConfigs.entrySet());
        }
    }

    private String qualifierKey(LambdaFunction fn, FunctionRef ref) {
        String q = ref.qualifier();
        if (q == null || q.equals(FunctionVersion.LATEST)) return "";
        if (fn.version(q) == null && !fn.aliases.containsKey(q)) throw LambdaErrors.functionNotFound(ref.qualifiedArn());
        return q;
    }

    private static String displayQualifier(FunctionRef ref) {
        return ref.qualifier() == null ? FunctionVersion.LATEST : ref.qualifier();
    }

    // ------------------------------------------------------------------ account

    /** [total code size, function count, unreserved concurrency] of the account in the region. */
    long[] accountUsage(String account, String region) {
        long size = 0;
        long count = 0;
        int reserved = 0;
        for (LambdaFunction fn : store.get(account, region).functions.values()) {
            synchronized (fn) {
                count++;
                size += fn.latest.code().size();
                for (FunctionVersion v : fn.versions.values()) size += v.code().size();
                if (fn.reservedConcurrency != null) reserved += fn.reservedConcurrency;
            }
        }
        return new long[]{size, count, ACCOUNT_CONCURRENCY - reserved};
    }

    // ------------------------------------------------------------------ helpers

    LambdaFunction function(FunctionRef ref) {
        LambdaFunction fn = store.get(ref.account(), ref.region()).functions.get(ref.name());
        if (fn == null) throw LambdaErrors.functionNotFound(ref.unqualifiedArn());
        return fn;
    }

    private static void requireUnqualified(FunctionRef ref) {
        if (ref.qualifier() != null) {
            throw LambdaErrors.invalidParameter("Qualifiers are not supported for this operation: " + ref.qualifier());
        }
    }

    private static void checkRevision(String current, String given) {
        if (given != null && !given.equals(current)) {
            throw LambdaErrors.preconditionFailed("The Revision Id provided does not match the latest Revision Id. "
                    + "Call the GetFunction/GetAlias API to retrieve the latest Revision Id");
        }
    }

    private static void validateRole(String role) {
        if (role == null || !ROLE.matcher(role).matches()) {
            throw LambdaErrors.validation(String.valueOf(role), "role", "Member must satisfy regular expression pattern: " + ROLE_PATTERN);
        }
    }

    private static void validateRuntime(String runtime, boolean required) {
        if (runtime == null) {
            if (required) throw LambdaErrors.invalidParameter("Runtime is required when PackageType is Zip.");
            return;
        }
        if (LEGACY_RUNTIMES.contains(runtime)) {
            throw LambdaErrors.invalidParameter("The runtime parameter of " + runtime + " is no longer supported for creating "
                    + "or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.");
        }
        if (!RUNTIMES.contains(runtime)) {
            throw LambdaErrors.invalidParameter("Value " + runtime + " at 'runtime' failed to satisfy constraint: Member must "
                    + "satisfy enum value set: [" + String.join(", ", RUNTIMES) + "] or be a valid ARN");
        }
    }

    private static void validateLimits(FunctionConfig.Changes s) {
        if (s.timeout() != null && s.timeout() < 1) {
            throw LambdaErrors.validation(s.timeout().toString(), "timeout", "Member must have value greater than or equal to 1");
        }
        if (s.timeout() != null && s.timeout() > 900) {
            throw LambdaErrors.validation(s.timeout().toString(), "timeout", "Member must have value less than or equal to 900");
        }
        if (s.memorySize() != null && s.memorySize() < 128) {
            throw LambdaErrors.validation(s.memorySize().toString(), "memorySize", "Member must have value greater than or equal to 128");
        }
        if (s.memorySize() != null && s.memorySize() > 10240) {
            throw LambdaErrors.validation(s.memorySize().toString(), "memorySize", "Member must have value less than or equal to 10240");
        }
        if (s.environment() != null) {
            int size = 0;
            for (Map.Entry<String, String> e : s.environment().entrySet()) {
                size += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
            }
            if (size > 4096) {
                throw LambdaErrors.invalidParameter("Lambda was unable to configure your environment variables because the "
                        + "environment variables you have provided exceeded the 4KB limit. String measured: "
                        + size + " characters");
            }
        }
    }

    private static void validateArchitectures(List<String> arch) {
        if (arch.size() > 1) {
            throw LambdaErrors.validation(arch.toString(), "architectures", "Member must have length less than or equal to 1");
        }
        for (String a : arch) {
            if (!a.equals("x86_64") && !a.equals("arm64")) {
                throw LambdaErrors.validation(arch.toString(), "architectures",
                        "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]");
            }
        }
    }

    private static String revision() {
        return UUID.randomUUID().toString();
    }

    /** A key unique to this configuration and code of $LATEST: {@code <arn>:$LATEST:<uuid>}. */
    private static String executionKey(LambdaFunction fn) {
        return fn.arn() + ":" + FunctionVersion.LATEST + ":" + UUID.randomUUID();
    }
}
