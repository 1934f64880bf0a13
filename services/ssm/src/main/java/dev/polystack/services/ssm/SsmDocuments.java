package dev.polystack.services.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.services.ssm.api.CreateDocumentRequest;
import dev.polystack.services.ssm.api.DocumentAlreadyExistsException;
import dev.polystack.services.ssm.api.DocumentDefaultVersionDescription;
import dev.polystack.services.ssm.api.DocumentDescription;
import dev.polystack.services.ssm.api.DocumentIdentifier;
import dev.polystack.services.ssm.api.DocumentKeyValuesFilter;
import dev.polystack.services.ssm.api.DocumentParameter;
import dev.polystack.services.ssm.api.DocumentVersionInfo;
import dev.polystack.services.ssm.api.DuplicateDocumentContentException;
import dev.polystack.services.ssm.api.GetDocumentRequest;
import dev.polystack.services.ssm.api.GetDocumentResult;
import dev.polystack.services.ssm.api.InvalidDocumentContentException;
import dev.polystack.services.ssm.api.InvalidDocumentException;
import dev.polystack.services.ssm.api.InvalidDocumentOperationException;
import dev.polystack.services.ssm.api.InvalidDocumentVersionException;
import dev.polystack.services.ssm.api.ListDocumentsRequest;
import dev.polystack.services.ssm.api.ListDocumentsResult;
import dev.polystack.services.ssm.api.UpdateDocumentRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * SSM documents of each account and region: versions ($LATEST, $DEFAULT, numbers, version names), default version,
 * tags. JSON and YAML content is read for its description, parameters and schema version, and GetDocument converts
 * between the two when asked for the other format (TEXT content is stored as given).
 * AWS's own documents ({@code AWS-...}) are not listed, but Run Command accepts their names.
 */
final class SsmDocuments {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_\\-.]{3,128}");

    /** One document (persisted as is; guarded by this object's monitor). */
    public static final class Document {
        public String name;
        public String owner;
        public String documentType = "Command";
        public String targetType;
        public Map<String, String> tags = new LinkedHashMap<>();
        public int defaultVersion = 1;
        public long created;
        public List<Version> versions = new ArrayList<>();

        Version latest() {
            return versions.get(versions.size() - 1);
        }
    }

    /** One version of a document's content. */
    public static final class Version {
        public String version;
        public String versionName;
        public String content;
        public String format;
        public long created;
    }

    record Snapshot(Map<String, Map<String, Map<String, Document>>> documents) {
    }

    private final AccountRegionStore<Map<String, Document>> stores = new AccountRegionStore<>((a, r) -> new ConcurrentHashMap<>());

    synchronized DocumentDescription create(RequestContext ctx, CreateDocumentRequest in) {
        String name = in.name();
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (name == null || !NAME.matcher(name).matches() || lower.startsWith("aws") || lower.startsWith("amazon") || lower.startsWith("amzn")) {
            throw SsmErrors.validation("Invalid document name " + name);
        }
        Map<String, Document> docs = stores.get(ctx);
        if (docs.containsKey(name)) throw new DocumentAlreadyExistsException("Document with same name " + name + " already exists");
        String format = in.documentFormatAsString() == null ? "JSON" : in.documentFormatAsString();
        checkContent(in.content(), format);
        Document d = new Document();
        d.name = name;
        d.owner = ctx.accountId();
        if (in.documentTypeAsString() != null) d.documentType = in.documentTypeAsString();
        d.targetType = in.targetType();
        d.tags = SsmProvider.tags(in.tags());
        d.created = System.currentTimeMillis();
        d.versions.add(version("1", in.versionName(), in.content(), format, d.created));
        docs.put(name, d);
        return description(d, d.latest());
    }

    synchronized GetDocumentResult get(RequestContext ctx, GetDocumentRequest in) {
        Document d = existing(ctx, in.name());
        Version v = select(d, in.documentVersion(), in.versionName());
        String format = in.documentFormatAsString() == null ? v.format : in.documentFormatAsString();
        return GetDocumentResult.builder().name(d.name).createdDate(Instant.ofEpochMilli(v.created)).versionName(v.versionName)
                .documentVersion(v.version).status("Active").content(converted(v, format)).documentType(d.documentType)
                .documentFormat(format).build();
    }

    /** A version's content in {@code format}: JSON and YAML convert into each other (pretty JSON, block YAML). */
    private static String converted(Version v, String format) {
        if (format.equals(v.format)) return v.content;
        if (!format.equals("JSON") && !format.equals("YAML")) throw SsmErrors.validation("Invalid document format " + format);
        JsonNode content = parsed(v.content, v.format);
        if (content == null) {
            throw new InvalidDocumentContentException("The content of the document cannot be converted to " + format + ".");
        }
        try {
            return format.equals("JSON") ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(content)
                    : Json.YAML.writeValueAsString(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized DocumentDescription describe(RequestContext ctx, String name, String documentVersion, String versionName) {
        Document d = existing(ctx, name);
        return description(d, select(d, documentVersion, versionName));
    }

    synchronized DocumentDescription update(RequestContext ctx, UpdateDocumentRequest in) {
        Document d = existing(ctx, in.name());
        String requested = in.documentVersion();
        if (requested != null && !requested.equals("$LATEST") && !requested.equals(d.latest().version)) {
            throw new InvalidDocumentVersionException("The document version is not valid or does not exist.");
        }
        String format = in.documentFormatAsString() == null ? d.latest().format : in.documentFormatAsString();
        checkContent(in.content(), format);
        for (Version v : d.versions) {
            if (v.content.equals(in.content())) {
                throw new DuplicateDocumentContentException("The content of the association document matches another document. "
                        + "Change the content of the document and try again.");
            }
        }
        Version v = version(String.valueOf(Integer.parseInt(d.latest().version) + 1), in.versionName(), in.content(), format,
                System.currentTimeMillis());
        d.versions.add(v);
        if (in.targetType() != null) d.targetType = in.targetType();
        return description(d, v);
    }

    synchronized DocumentDefaultVersionDescription setDefault(RequestContext ctx, String name, String documentVersion) {
        Document d = existing(ctx, name);
        Version v = select(d, documentVersion, null);
        d.defaultVersion = Integer.parseInt(v.version);
        return DocumentDefaultVersionDescription.builder().name(d.name).defaultVersion(v.version).defaultVersionName(v.versionName).build();
    }

    synchronized void delete(RequestContext ctx, String name, String documentVersion, String versionName) {
        Document d = existing(ctx, name);
        if (documentVersion == null && versionName == null) {
            stores.get(ctx).remove(name);
            return;
        }
        Version v = select(d, documentVersion, versionName);
        if (Integer.parseInt(v.version) == d.defaultVersion) {
            throw new InvalidDocumentOperationException("Default version of the document can't be deleted.");
        }
        d.versions.remove(v);
    }

    synchronized ListDocumentsResult list(RequestContext ctx, ListDocumentsRequest in) {
        List<DocumentIdentifier> out = new ArrayList<>();
        for (Document d : stores.get(ctx).values()) {
            if (matches(d, in.filters())) {
                Version v = d.versions.stream().filter(x -> Integer.parseInt(x.version) == d.defaultVersion).findFirst().orElse(d.latest());
                out.add(DocumentIdentifier.builder().name(d.name).createdDate(Instant.ofEpochMilli(d.created)).owner(d.owner)
                        .versionName(v.versionName).platformTypes(platforms(v)).documentVersion(v.version).documentType(d.documentType)
                        .schemaVersion(schemaVersion(v)).documentFormat(v.format).targetType(d.targetType)
                        .tags(SsmProvider.tagList(d.tags)).build());
            }
        }
        return ListDocumentsResult.builder().documentIdentifiers(out).build();
    }

    synchronized List<DocumentVersionInfo> versions(RequestContext ctx, String name) {
        Document d = existing(ctx, name);
        List<DocumentVersionInfo> out = new ArrayList<>();
        for (Version v : d.versions) {
            out.add(DocumentVersionInfo.builder().name(d.name).documentVersion(v.version).versionName(v.versionName)
                    .createdDate(Instant.ofEpochMilli(v.created)).isDefaultVersion(Integer.parseInt(v.version) == d.defaultVersion)
                    .documentFormat(v.format).status("Active").build());
        }
        return out;
    }

    /** Run Command's document: AWS's own ({@code AWS-...}) or one of the account's. */
    synchronized void requireRunnable(RequestContext ctx, String name) {
        if (name != null && (name.startsWith("AWS-") || name.startsWith("AWSSupport-") || name.startsWith("AmazonCloudWatch-"))) return;
        existing(ctx, name);
    }

    synchronized void addTags(RequestContext ctx, String name, Map<String, String> tags) {
        existing(ctx, name).tags.putAll(tags);
    }

    synchronized void removeTags(RequestContext ctx, String name, List<String> keys) {
        existing(ctx, name).tags.keySet().removeAll(keys);
    }

    synchronized Map<String, String> tags(RequestContext ctx, String name) {
        return new LinkedHashMap<>(existing(ctx, name).tags);
    }

    // ---------------------------------------------------------------- helpers

    private Document existing(RequestContext ctx, String name) {
        Document d = name == null ? null : stores.get(ctx).get(name);
        if (d == null) throw new InvalidDocumentException("The specified document does not exist.");
        return d;
    }

    private static Version select(Document d, String documentVersion, String versionName) {
        for (Version v : d.versions) {
            boolean byNumber = documentVersion == null
                    || documentVersion.equals(v.version)
                    || documentVersion.equals("$LATEST") && v == d.latest()
                    || documentVersion.equals("$DEFAULT") && Integer.parseInt(v.version) == d.defaultVersion;
            boolean byName = versionName == null || versionName.equals(v.versionName);
            if (documentVersion == null && versionName == null) {
                if (Integer.parseInt(v.version) == d.defaultVersion) return v;
            } else if (byNumber && byName) {
                return v;
            }
        }
        throw new InvalidDocumentVersionException("The document version is not valid or does not exist.");
    }

    private static boolean matches(Document d, List<DocumentKeyValuesFilter> filters) {
        for (DocumentKeyValuesFilter f : SsmProvider.orEmpty(filters)) {
            List<String> values = SsmProvider.orEmpty(f.values());
            boolean ok = switch (f.key() == null ? "" : f.key()) {
                case "DocumentType" -> values.contains(d.documentType);
                case "Name" -> values.stream().anyMatch(d.name::startsWith);
                case "Owner" -> values.contains("Self") || values.contains(d.owner);
                case "TargetType" -> values.contains(d.targetType);
                default -> f.key().startsWith("tag:") ? values.contains(d.tags.get(f.key().substring(4))) : true;
            };
            if (!ok) return false;
        }
        return true;
    }

    private static Version version(String number, String versionName, String content, String format, long now) {
        Version v = new Version();
        v.version = number;
        v.versionName = versionName;
        v.content = content;
        v.format = format;
        v.created = now;
        return v;
    }

    private static void checkContent(String content, String format) {
        if (content == null || content.isBlank()) throw SsmErrors.validation("Content is required");
        if (!format.equals("JSON") && !format.equals("YAML") && !format.equals("TEXT")) {
            throw SsmErrors.validation("Invalid document format " + format);
        }
        if (!format.equals("TEXT") && parsed(content, format) == null) {
            throw new InvalidDocumentContentException("The content for the document is not valid.");
        }
    }

    /** JSON or YAML content as a tree; null when it is not an object (or the format is TEXT). */
    private static JsonNode parsed(String content, String format) {
        try {
            JsonNode node = switch (format) {
                case "JSON" -> Json.MAPPER.readTree(content);
                case "YAML" -> Json.YAML.readTree(content);
                default -> null;
            };
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null; // SnakeYAML reports some malformed input with unchecked exceptions
        }
    }

    private DocumentDescription description(Document d, Version v) {
        JsonNode content = parsed(v.content, v.format);
        List<DocumentParameter> parameters = new ArrayList<>();
        if (content != null && content.get("parameters") instanceof JsonNode params && params.isObject()) {
            params.properties().forEach(e -> {
                JsonNode p = e.getValue();
                parameters.add(DocumentParameter.builder().name(e.getKey()).type(p.path("type").asText("String"))
                        .description(p.has("description") ? p.get("description").asText() : null)
                        .defaultValue(p.has("default") ? (p.get("default").isTextual() ? p.get("default").asText() : p.get("default").toString()) : null)
                        .build());
            });
        }
        return DocumentDescription.builder().sha1(null).hash(sha256(v.content)).hashType("Sha256").name(d.name).versionName(v.versionName)
                .owner(d.owner).createdDate(Instant.ofEpochMilli(v.created)).status("Active").documentVersion(v.version)
                .description(content != null && content.has("description") ? content.get("description").asText() : null)
                .parameters(parameters).platformTypes(platforms(v)).documentType(d.documentType).schemaVersion(schemaVersion(v))
                .latestVersion(d.latest().version).defaultVersion(String.valueOf(d.defaultVersion)).documentFormat(v.format)
                .targetType(d.targetType).tags(SsmProvider.tagList(d.tags)).build();
    }

    private static String schemaVersion(Version v) {
        JsonNode content = parsed(v.content, v.format);
        return content != null && content.has("schemaVersion") ? content.get("schemaVersion").asText() : null;
    }

    /** Command documents run on Linux and macOS (shell steps) or Windows (PowerShell steps), as AWS derives it. */
    private static List<String> platforms(Version v) {
        String c = v.content;
        List<String> out = new ArrayList<>();
        if (c.contains("aws:runPowerShellScript")) out.add("Windows");
        if (c.contains("aws:runShellScript") || out.isEmpty()) {
            out.add("Linux");
            out.add("MacOS");
        }
        return out;
    }

    private static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- persistence

    synchronized Snapshot snapshot() {
        Map<String, Map<String, Map<String, Document>>> out = new LinkedHashMap<>();
        stores.all().forEach((account, regions) -> regions.forEach((region, docs) ->
                out.computeIfAbsent(account, a -> new LinkedHashMap<>()).put(region, new LinkedHashMap<>(docs))));
        return new Snapshot(out);
    }

    synchronized void restore(Snapshot s) {
        stores.clear();
        if (s == null || s.documents() == null) return;
        s.documents().forEach((account, regions) -> regions.forEach((region, docs) ->
                stores.put(account, region, new ConcurrentHashMap<>(docs))));
    }

    synchronized void reset() {
        stores.clear();
    }
}
