package dev.polystack.services.lambda;

import dev.polystack.api.AccountRegionStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Layers: published versions, their permissions, and the directory a function's layers are unpacked into (what
 * AWS mounts at {@code /opt}), made once per combination of layer contents.
 */
final class Layers {
    private static final Pattern LAYER_VERSION_ARN = Pattern.compile(
            "arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\\d{12}):layer:([a-zA-Z0-9-_]+):([0-9]+)");
    private final AccountRegionStore<LambdaState> store;
    private final CodeStore code;
    private final Path optRoot;

    Layers(AccountRegionStore<LambdaState> store, CodeStore code, Path optRoot) {
        this.store = store;
        this.code = code;
        this.optRoot = optRoot;
    }

    LayerVersion publish(String account, String region, String name, byte[] zip, String description,
                         List<String> runtimes, List<String> architectures, String license) {
        if (zip == null) throw LambdaErrors.invalidParameter("Please provide a source for the layer content.");
        CodeRef content = code.store(zip);
        Map<String, TreeMap<Integer, LayerVersion>> all = store.get(account, region).layers;
        synchronized (all) {
            TreeMap<Integer, LayerVersion> versions = all.computeIfAbsent(name, k -> new TreeMap<>());
            int next = versions.isEmpty() ? 1 : versions.lastKey() + 1;
            // numbers are never reused, even after deletion: remember the highest
            Integer highest = store.get(account, region).layerHighWater.get(name);
            if (highest != null && highest >= next) next = highest + 1;
            store.get(account, region).layerHighWater.put(name, next);
            LayerVersion v = new LayerVersion(name, next, account, region, content, description == null ? "" : description,
                    runtimes == null ? List.of() : runtimes, architectures == null ? List.of() : architectures, license,
                    Instant.now(), new LinkedHashMap<>(), null);
            versions.put(next, v);
            return v;
        }
    }

    LayerVersion get(String account, String region, String name, int version) {
        Map<String, TreeMap<Integer, LayerVersion>> all = store.get(account, region).layers;
        synchronized (all) {
            TreeMap<Integer, LayerVersion> versions = all.get(name);
            LayerVersion v = versions == null ? null : versions.get(version);
            if (v == null) throw LambdaErrors.notFound("The resource you requested does not exist.");
            return v;
        }
    }

    /** A layer version by its ARN ({@code arn:aws:lambda:<region>:<account>:layer:<name>:<version>}). */
    LayerVersion byArn(String arn) {
        Matcher m = LAYER_VERSION_ARN.matcher(arn == null ? "" : arn);
        if (!m.matches()) {
            throw LambdaErrors.validation(String.valueOf(arn), "arn", "Member must satisfy regular expression pattern: "
                    + "(arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)"
                    + "|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)");
        }
        return get(m.group(3), m.group(2), m.group(4), Integer.parseInt(m.group(5)));
    }

    void delete(String account, String region, String name, int version) {
        Map<String, TreeMap<Integer, LayerVersion>> all = store.get(account, region).layers;
        synchronized (all) {
            TreeMap<Integer, LayerVersion> versions = all.get(name);
            if (versions != null) {
                versions.remove(version);
                if (versions.isEmpty()) all.remove(name);
            }
        }
    }

    List<LayerVersion> versions(String account, String region, String name) {
        Map<String, TreeMap<Integer, LayerVersion>> all = store.get(account, region).layers;
        synchronized (all) {
            TreeMap<Integer, LayerVersion> versions = all.get(name);
            return versions == null ? List.of() : new ArrayList<>(versions.descendingMap().values());
        }
    }

    /** The latest version of every layer. */
    List<LayerVersion> latest(String account, String region) {
        Map<String, TreeMap<Integer, LayerVersion>> all = store.get(account, region).layers;
        synchronized (all) {
            List<LayerVersion> out = new ArrayList<>();
            all.values().forEach(v -> out.add(v.lastEntry().getValue()));
            out.sort((a, b) -> a.name().compareTo(b.name()));
            return out;
        }
    }

    /** Replaces a layer version (its policy changed). */
    void replace(LayerVersion v) {
        Map<String, TreeMap<Integer, LayerVersion>> all = store.get(v.account(), v.region()).layers;
        synchronized (all) {
            TreeMap<Integer, LayerVersion> versions = all.get(v.name());
            if (versions != null && versions.containsKey(v.version())) versions.put(v.version(), v);
        }
    }

    // ------------------------------------------------------------------ layer version permissions

    /** Adds a statement granting {@code lambda:GetLayerVersion}; answers the statement and the policy's new revision. */
    Map<String, Object> addPermission(String account, String region, String name, int version, String statementId,
                                      String action, String principal, String organizationId, String revisionId) {
        if (!"lambda:GetLayerVersion".equals(action)) {
            throw LambdaErrors.validation(String.valueOf(action), "action",
                    "Member must satisfy regular expression pattern: lambda:GetLayerVersion");
        }
        synchronized (store.get(account, region).layers) {
            LayerVersion v = existing(account, region, name, version);
            checkRevision(v, revisionId);
            if (v.policy().containsKey(statementId)) {
                throw LambdaErrors.conflict("The statement id (" + statementId + ") provided already exists. Please provide "
                        + "a new statement id, or remove the existing statement.");
            }
            Map<String, Object> statement = new LinkedHashMap<>();
            statement.put("Sid", statementId);
            statement.put("Effect", "Allow");
            statement.put("Principal", principal != null && principal.matches("\\d{12}")
                    ? Map.of("AWS", "arn:" + FunctionRef.partition(region) + ":iam::" + principal + ":root") : principal);
            statement.put("Action", action);
            statement.put("Resource", v.arn());
            if (organizationId != null) {
                statement.put("Condition", Map.of("StringEquals", Map.of("aws:PrincipalOrgID", organizationId)));
            }
            Map<String, Map<String, Object>> policy = new LinkedHashMap<>(v.policy());
            policy.put(statementId, statement);
            LayerVersion changed = withPolicy(v, policy);
            replace(changed);
            return Map.of("Statement", statement, "RevisionId", changed.policyRevisionId());
        }
    }

    void removePermission(String account, String region, String name, int version, String statementId, String revisionId) {
        synchronized (store.get(account, region).layers) {
            LayerVersion v = existing(account, region, name, version);
            checkRevision(v, revisionId);
            if (!v.policy().containsKey(statementId)) {
                throw LambdaErrors.notFound("Statement " + statementId + " is not found in resource policy.");
            }
            Map<String, Map<String, Object>> policy = new LinkedHashMap<>(v.policy());
            policy.remove(statementId);
            replace(withPolicy(v, policy));
        }
    }

    /** The policy document and its revision; AWS answers 404 for a version without statements. */
    Map<String, Object> policy(String account, String region, String name, int version) {
        synchronized (store.get(account, region).layers) {
            LayerVersion v = existing(account, region, name, version);
            if (v.policy().isEmpty()) throw LambdaErrors.notFound("No policy is associated with the given resource.");
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("Version", "2012-10-17");
            doc.put("Id", "default");
            doc.put("Statement", new ArrayList<>(v.policy().values()));
            return Map.of("Policy", doc, "RevisionId", v.policyRevisionId());
        }
    }

    /** A layer version for the permission operations, whose not-found message names the version's ARN. */
    private LayerVersion existing(String account, String region, String name, int version) {
        TreeMap<Integer, LayerVersion> versions = store.get(account, region).layers.get(name);
        LayerVersion v = versions == null ? null : versions.get(version);
        if (v == null) {
            throw LambdaErrors.notFound("Layer version arn:" + FunctionRef.partition(region) + ":lambda:" + region + ":"
                    + account + ":layer:" + name + ":" + version + " does not exist.");
        }
        return v;
    }

    private static void checkRevision(LayerVersion v, String revisionId) {
        if (revisionId != null && !revisionId.equals(v.policyRevisionId())) {
            throw LambdaErrors.preconditionFailed("The Revision Id provided does not match the latest Revision Id. "
                    + "Call the GetLayerPolicy API to retrieve the latest Revision Id");
        }
    }

    private static LayerVersion withPolicy(LayerVersion v, Map<String, Map<String, Object>> policy) {
        return new LayerVersion(v.name(), v.version(), v.account(), v.region(), v.content(), v.description(),
                v.compatibleRuntimes(), v.compatibleArchitectures(), v.licenseInfo(), v.created(), policy,
                java.util.UUID.randomUUID().toString());
    }

    /** Checks a function's layer list: each must exist (AWS answers with the ARN it could not find). */
    void validate(List<String> arns) {
        if (arns == null) return;
        if (arns.size() > 5) throw LambdaErrors.invalidParameter("Cannot reference more than 5 layers.");
        for (String arn : arns) {
            try {
                byArn(arn);
            } catch (dev.polystack.api.ServiceException e) {
                if (e.code().equals("ValidationException")) throw e;
                throw LambdaErrors.invalidParameter("Layer version " + arn + " does not exist.");
            }
        }
    }

    /**
     * The directory holding the function's layers unpacked in order (later layers win), or null without layers.
     * Made once per combination of layer contents.
     */
    Path optDirectory(List<String> arns, String account, String region) {
        if (arns == null || arns.isEmpty()) return null;
        List<CodeRef> contents = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        for (String arn : arns) {
            CodeRef c = byArn(arn).content();
            contents.add(c);
            key.append(c.fileName());
        }
        String dirName = CodeStore.sha256(key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .replace('/', '_').replace('+', '-').replace("=", "");
        Path dir = optRoot.resolve(dirName);
        if (Files.isDirectory(dir)) return dir;
        synchronized (this) {
            if (Files.isDirectory(dir)) return dir;
            try {
                Path tmp = Files.createTempDirectory(Files.createDirectories(optRoot), "opt");
                for (CodeRef c : contents) CodeStore.unzip(code.zipFile(c), tmp);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }
}
