package dev.polystack.services.ssm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Parameter Store of one account and region: every semantic of PutParameter, reads by name, ARN, version
 * and label, hierarchies, filters, history, labels and tags. Takes and returns plain values; the provider only
 * unpacks requests. Names are kept sorted (listings and their tokens follow that order). One read-write lock:
 * writes are rare and must never interleave (a put racing a delete must not resurrect or lose a version).
 */
public final class ParameterStore {
    static final int MAX_VERSIONS = 100;
    static final int STANDARD_MAX_VALUE = 4096;
    static final int ADVANCED_MAX_VALUE = 8192;
    static final int MAX_LABELS = 10;
    static final String DEFAULT_KEY = "alias/aws/ssm";
    private static final Set<String> TYPES = Set.of("String", "StringList", "SecureString");
    private static final Set<String> TIERS = Set.of("Standard", "Advanced", "Intelligent-Tiering");
    private static final Set<String> POLICY_TYPES = Set.of("Expiration", "ExpirationNotification", "NoChangeNotification");
    private static final Pattern AMI = Pattern.compile("ami-[0-9a-f]{8}([0-9a-f]{9})?");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9_.\\-]{1,100}");

    /** SecureString encryption (the KMS provider in the server). */
    public interface Crypto {
        /** @return the ciphertext, base64 */
        String encrypt(String keyId, String parameterArn, String plaintext);

        String decrypt(String parameterArn, String ciphertext);
    }

    /** PutParameter's input. Null means absent. */
    public record PutRequest(String name, String value, String type, String description, String keyId, boolean overwrite,
                             String allowedPattern, Map<String, String> tags, String tier, String policies, String dataType) {
    }

    /** One filter of DescribeParameters / GetParametersByPath ({@code ParameterStringFilter}). */
    public record Filter(String key, String option, List<String> values) {
    }

    /** A page of a listing. */
    public record Page<T>(List<T> items, String nextToken) {
    }

    private final String partition;
    private final String region;
    private final String account;
    private final ConcurrentSkipListMap<String, StoredParameter> parameters = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public ParameterStore(String partition, String region, String account) {
        this.partition = partition;
        this.region = region;
        this.account = account;
    }

    public String arn(String name) {
        return ParameterNames.arn(partition, region, account, name);
    }

    // ---------------------------------------------------------------- writes

    /** @return the version written (its {@code version} and {@code tier} answer PutParameter) */
    public ParameterVersion put(PutRequest r, Crypto crypto, long now) {
        ParameterNames.checkForPut(r.name());
        if (r.overwrite() && r.tags() != null && !r.tags().isEmpty()) {
            throw SsmErrors.validation("Invalid request: tags and overwrite can't be used together. To create a parameter "
                    + "with tags, please remove overwrite flag. To update tags for an existing parameter, please use "
                    + "AddTagsToResource or RemoveTagsFromResource.");
        }
        if (r.type() != null && !TYPES.contains(r.type())) {
            throw SsmErrors.validation("1 validation error detected: Value '" + r.type() + "' at 'type' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [SecureString, StringList, String]");
        }
        if (r.tier() != null && !TIERS.contains(r.tier())) {
            throw SsmErrors.validation("1 validation error detected: Value '" + r.tier() + "' at 'tier' failed to satisfy "
                    + "constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]");
        }
        lock.writeLock().lock();
        try {
            StoredParameter existing = parameters.get(r.name());
            ParameterVersion previous = existing == null ? null : existing.latest();
            if (previous != null && !r.overwrite()) throw SsmErrors.alreadyExists();
            if (previous == null && r.type() == null) {
                throw SsmErrors.validation("A parameter type is required when you create a parameter.");
            }
            ParameterVersion v = new ParameterVersion();
            v.name = r.name();
            v.type = r.type() != null ? r.type() : previous.type;
            v.description = r.description() != null ? r.description() : previous == null ? null : previous.description;
            v.allowedPattern = r.allowedPattern() != null ? r.allowedPattern() : previous == null ? null : previous.allowedPattern;
            v.dataType = r.dataType() != null ? r.dataType() : previous == null ? "text" : previous.dataType;
            v.policies = r.policies() != null ? r.policies() : previous == null ? null : previous.policies;
            v.version = previous == null ? 1 : previous.version + 1;
            v.lastModified = now;
            v.lastModifiedUser = "arn:" + partition + ":iam::" + account + ":root";
            checkDataType(v.dataType, v.type, r.value());
            checkAllowedPattern(v.allowedPattern, r.value());
            checkPolicies(v.policies);
            v.tier = tier(r.tier(), previous, r.value(), v.policies);
            if ("SecureString".equals(v.type)) {
                v.keyId = r.keyId() != null ? r.keyId()
                        : previous != null && "SecureString".equals(previous.type) && previous.keyId != null ? previous.keyId : DEFAULT_KEY;
                v.value = crypto.encrypt(v.keyId, arn(v.name), r.value());
            } else {
                if (r.keyId() != null) {
                    throw SsmErrors.validation("KeyId is required for SecureString type parameter only.");
                }
                v.value = r.value();
            }
            StoredParameter target = existing != null ? existing : new StoredParameter();
            if (target.versions.size() >= MAX_VERSIONS) {
                ParameterVersion oldest = target.versions.get(0);
                if (!oldest.labels.isEmpty()) {
                    throw SsmErrors.of("ParameterMaxVersionLimitExceeded", "You attempted to create a new version of " + r.name()
                            + " by calling the PutParameter API with the overwrite flag. Version " + oldest.version
                            + ", the oldest version, can't be deleted because it has a label associated with it. Move the label "
                            + "to another version of the parameter, and try again.");
                }
                target.versions.remove(0);
            }
            target.versions.add(v);
            if (existing == null) {
                if (r.tags() != null) target.tags.putAll(r.tags());
                parameters.put(r.name(), target);
            }
            return v.copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void checkDataType(String dataType, String type, String value) {
        switch (dataType) {
            case "text", "aws:ssm:integration" -> { }
            case "aws:ec2:image" -> {
                if (!"String".equals(type) || !AMI.matcher(value).matches()) {
                    throw SsmErrors.validation("Parameter value, " + value + ", is not a valid image ID. "
                            + "Image IDs must be in the format ami-12345678 or ami-1234567890abcdef0.");
                }
            }
            default -> throw SsmErrors.validation("The following data type is not supported: " + dataType
                    + " (Data type names are all lowercase.)");
        }
    }

    private static void checkAllowedPattern(String pattern, String value) {
        if (pattern == null) return;
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw SsmErrors.of("InvalidAllowedPatternException", "The request includes an invalid regular expression: " + pattern + ".");
        }
        if (!compiled.matcher(value).matches()) {
            throw SsmErrors.of("ParameterPatternMismatchException", "Parameter value, cannot be validated against allowedPattern: " + pattern);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkPolicies(String policies) {
        if (policies == null) return;
        Object parsed;
        try {
            parsed = Json.MAPPER.readValue(policies, Object.class);
        } catch (Exception e) {
            throw SsmErrors.of("InvalidPolicyAttributeException", "The policies are not valid JSON: " + policies);
        }
        if (!(parsed instanceof List<?> list)) {
            throw SsmErrors.of("InvalidPolicyAttributeException", "The policies must be a JSON array.");
        }
        if (list.size() > 10) throw SsmErrors.of("PoliciesLimitExceededException", "You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.");
        for (Object o : list) {
            Object type = o instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("Type") : null;
            if (type == null || !POLICY_TYPES.contains(type.toString())) {
                throw SsmErrors.of("InvalidPolicyTypeException", "The policy type is not supported. Parameter Store supports the "
                        + "following policy types: Expiration, ExpirationNotification, and NoChangeNotification.");
            }
        }
    }

    /** The tier a version gets: Intelligent-Tiering picks the cheapest that fits; Advanced never goes back. */
    private static String tier(String requested, ParameterVersion previous, String value, String policies) {
        boolean wasAdvanced = previous != null && "Advanced".equals(previous.tier);
        boolean needsAdvanced = value.length() > STANDARD_MAX_VALUE || policies != null;
        String tier;
        if (requested == null) tier = previous != null ? previous.tier : "Standard";
        else if (requested.equals("Intelligent-Tiering")) tier = wasAdvanced || needsAdvanced ? "Advanced" : "Standard";
        else tier = requested;
        if (tier.equals("Standard") && wasAdvanced) {
            throw SsmErrors.validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the "
                    + "advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter "
                    + "and recreate it as a standard parameter.");
        }
        if (tier.equals("Standard") && value.length() > STANDARD_MAX_VALUE) {
            throw SsmErrors.validation("Standard tier parameters support a maximum parameter value of 4096 characters. To create a "
                    + "larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see "
                    + "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html");
        }
        if (tier.equals("Standard") && policies != null) {
            throw SsmErrors.of("InvalidPolicyTypeException", "Parameter policies are supported only for parameters in the "
                    + "advanced-parameter tier. Choose the Advanced or Intelligent-Tiering tier and try again.");
        }
        if (value.length() > ADVANCED_MAX_VALUE) {
            throw SsmErrors.validation("1 validation error detected: Value at 'value' failed to satisfy constraint: "
                    + "Member must have length less than or equal to 8192");
        }
        return tier;
    }

    /** @return the latest version of the parameter deleted (a copy) */
    public ParameterVersion delete(String nameOrArn) {
        lock.writeLock().lock();
        try {
            String name = resolve(nameOrArn);
            StoredParameter removed = name == null ? null : parameters.remove(name);
            if (removed == null) throw SsmErrors.notFound(nameOrArn);
            return removed.latest().copy();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** DeleteParameters' answer: names deleted and invalid, in request order, and the latest versions removed. */
    public record Deleted(List<String> deleted, List<String> invalid, List<ParameterVersion> removed) {
    }

    public Deleted deleteMany(List<String> names) {
        List<String> deleted = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        List<ParameterVersion> removed = new ArrayList<>();
        lock.writeLock().lock();
        try {
            for (String n : names) {
                String name = resolve(n);
                StoredParameter p = name == null ? null : parameters.remove(name);
                if (p != null) {
                    deleted.add(n);
                    removed.add(p.latest().copy());
                } else {
                    invalid.add(n);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        return new Deleted(deleted, invalid, removed);
    }

    /** LabelParameterVersion's answer: the labels refused and the version labelled. */
    public record Labelled(List<String> invalid, long version) {
    }

    public Labelled label(String nameOrArn, Long version, List<String> labels) {
        lock.writeLock().lock();
        try {
            StoredParameter p = existing(nameOrArn);
            ParameterVersion target = version == null ? p.latest() : p.version(version);
            if (target == null) throw SsmErrors.versionNotFound(ParameterNames.fromArn(nameOrArn), version);
            List<String> invalid = new ArrayList<>();
            List<String> valid = new ArrayList<>();
            for (String label : labels) {
                String lower = label.toLowerCase(Locale.ROOT);
                if (lower.startsWith("aws") || lower.startsWith("ssm") || Character.isDigit(label.charAt(0))
                        || !LABEL.matcher(label).matches()) {
                    invalid.add(label);
                } else if (!valid.contains(label)) {
                    valid.add(label);
                }
            }
            long adding = valid.stream().filter(l -> !target.labels.contains(l)).count();
            if (target.labels.size() + adding > MAX_LABELS) {
                throw SsmErrors.of("ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels."
                        + "Move one or more labels to another version and try again.");
            }
            for (ParameterVersion other : p.versions) if (other != target) other.labels.removeAll(valid);
            for (String l : valid) if (!target.labels.contains(l)) target.labels.add(l);
            return new Labelled(invalid, target.version);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** UnlabelParameterVersion's answer: the labels removed and those the version did not have. */
    public record Unlabelled(List<String> removed, List<String> invalid) {
    }

    public Unlabelled unlabel(String nameOrArn, long version, List<String> labels) {
        lock.writeLock().lock();
        try {
            StoredParameter p = existing(nameOrArn);
            ParameterVersion target = p.version(version);
            if (target == null) throw SsmErrors.versionNotFound(ParameterNames.fromArn(nameOrArn), version);
            List<String> removed = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            for (String l : labels) {
                if (target.labels.remove(l)) removed.add(l);
                else invalid.add(l);
            }
            return new Unlabelled(removed, invalid);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void addTags(String nameOrArn, Map<String, String> tags) {
        lock.writeLock().lock();
        try {
            StoredParameter p = taggable(nameOrArn);
            Map<String, String> merged = new LinkedHashMap<>(p.tags);
            merged.putAll(tags);
            if (merged.size() > 50) {
                throw SsmErrors.of("TooManyTagsError", "The Tags parameter contains more than 50 tags for the resource.");
            }
            p.tags = merged;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void removeTags(String nameOrArn, List<String> keys) {
        lock.writeLock().lock();
        try {
            taggable(nameOrArn).tags.keySet().removeAll(keys);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Map<String, String> tags(String nameOrArn) {
        lock.readLock().lock();
        try {
            return new LinkedHashMap<>(taggable(nameOrArn).tags);
        } finally {
            lock.readLock().unlock();
        }
    }

    private StoredParameter taggable(String nameOrArn) {
        String name = resolve(nameOrArn);
        StoredParameter p = name == null ? null : parameters.get(name);
        if (p == null) throw SsmErrors.of("InvalidResourceId", "The resource ID \"" + nameOrArn + "\" is not valid. Verify the ID and try again.");
        return p;
    }

    // ---------------------------------------------------------------- reads

    /** The stored name an ARN or name refers to, or null. */
    private String resolve(String nameOrArn) {
        String name = ParameterNames.fromArn(nameOrArn);
        if (parameters.containsKey(name)) return name;
        String alternative = ParameterNames.arnAlternative(nameOrArn);
        if (alternative != null && parameters.containsKey(alternative)) return alternative;
        return null;
    }

    private StoredParameter existing(String nameOrArn) {
        String name = resolve(nameOrArn);
        StoredParameter p = name == null ? null : parameters.get(name);
        if (p == null) throw SsmErrors.notFound(ParameterNames.fromArn(nameOrArn));
        return p;
    }

    /**
     * GetParameter: by name or ARN, with {@code :version} or {@code :label}. The copy returned carries the plain
     * value when {@code decrypt} is set (SecureString), and the selector as asked.
     */
    public Selected get(String requested, boolean decrypt, Crypto crypto) {
        ParameterNames.Selected sel = ParameterNames.select(requested);
        if (!sel.name().startsWith("arn:")) ParameterNames.checkForRead(sel.name());
        ParameterVersion v;
        lock.readLock().lock();
        try {
            String name = resolve(sel.name());
            StoredParameter p = name == null ? null : parameters.get(name);
            if (p == null) throw SsmErrors.notFound(requested);
            if (sel.selector() == null) {
                v = p.latest();
            } else if (sel.byVersion()) {
                v = p.version(Long.parseLong(sel.selector().substring(1)));
                if (v == null) throw SsmErrors.versionNotFound(name, sel.selector().substring(1));
            } else {
                v = p.labelled(sel.selector().substring(1));
                if (v == null) throw SsmErrors.notFound(requested);
            }
            v = v.copy();
        } finally {
            lock.readLock().unlock();
        }
        return new Selected(reveal(v, decrypt, crypto), sel.selector());
    }

    /** A version as answered, with the selector it was asked by (null without one). */
    public record Selected(ParameterVersion version, String selector) {
    }

    /** GetParameters' answer: found (request order, no duplicates) and invalid names. */
    public record Found(List<Selected> found, List<String> invalid) {
    }

    public Found getMany(List<String> names, boolean decrypt, Crypto crypto) {
        List<Selected> found = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String n : new java.util.LinkedHashSet<>(names)) {
            try {
                found.add(get(n, decrypt, crypto));
            } catch (dev.polystack.api.ServiceException e) {
                if (!e.code().equals("ParameterNotFound") && !e.code().equals("ParameterVersionNotFound")) throw e;
                invalid.add(n);
            }
        }
        return new Found(found, invalid);
    }

    private ParameterVersion reveal(ParameterVersion v, boolean decrypt, Crypto crypto) {
        if (decrypt && "SecureString".equals(v.type)) v.value = crypto.decrypt(arn(v.name), v.value);
        return v;
    }

    public Page<ParameterVersion> byPath(String path, boolean recursive, List<Filter> filters, boolean decrypt, Crypto crypto,
                                        Integer maxResults, String nextToken) {
        int max = maxResults == null ? 10 : maxResults;
        if (max < 1 || max > 10) {
            throw SsmErrors.validation("1 validation error detected: Value '" + max + "' at 'maxResults' failed to satisfy "
                    + "constraint: Member must have value " + (max < 1 ? "greater than or equal to 1" : "less than or equal to 10"));
        }
        if (!path.startsWith("/") || path.contains("//") || !path.matches("[a-zA-Z0-9_.\\-/]*")
                || ParameterNames.depth(path) > ParameterNames.MAX_DEPTH) {
            throw SsmErrors.validation(SsmErrors.INVALID_PATH);
        }
        ParameterFilters.check(filters, true);
        String prefix = path.endsWith("/") ? path : path + "/";
        int depth = ParameterNames.depth(prefix + "x");
        List<ParameterVersion> page = new ArrayList<>();
        String after = decodeToken(nextToken);
        String last = null;
        boolean more = false;
        lock.readLock().lock();
        try {
            for (var e : (after == null ? parameters : parameters.tailMap(after, false)).entrySet()) {
                String asPath = ParameterNames.asPath(e.getKey());
                if (!asPath.startsWith(prefix)) continue;
                if (!recursive && ParameterNames.depth(asPath) != depth) continue;
                if (!ParameterFilters.matches(filters, e.getValue())) continue;
                if (page.size() == max) {
                    more = true;
                    break;
                }
                page.add(e.getValue().latest().copy());
                last = e.getKey();
            }
        } finally {
            lock.readLock().unlock();
        }
        for (ParameterVersion v : page) reveal(v, decrypt, crypto);
        return new Page<>(page, more ? encodeToken(last) : null);
    }

    public Page<ParameterVersion> describe(List<Filter> legacy, List<Filter> filters, Integer maxResults, String nextToken) {
        if (!legacy.isEmpty() && !filters.isEmpty()) {
            throw SsmErrors.validation("You can use either Filters or ParameterFilters in a single request.");
        }
        int max = maxResults == null ? 10 : maxResults;
        if (max < 1 || max > 50) {
            throw SsmErrors.validation("1 validation error detected: Value '" + max + "' at 'maxResults' failed to satisfy "
                    + "constraint: Member must have value " + (max < 1 ? "greater than or equal to 1" : "less than or equal to 50"));
        }
        ParameterFilters.checkLegacy(legacy);
        ParameterFilters.check(filters, false);
        List<Filter> all = new ArrayList<>(filters);
        for (Filter f : legacy) all.add(new Filter(f.key(), f.key().equals("Name") ? "BeginsWith" : "Equals", f.values()));
        List<ParameterVersion> page = new ArrayList<>();
        String after = decodeToken(nextToken);
        String last = null;
        boolean more = false;
        lock.readLock().lock();
        try {
            for (var e : (after == null ? parameters : parameters.tailMap(after, false)).entrySet()) {
                if (!ParameterFilters.matches(all, e.getValue())) continue;
                if (page.size() == max) {
                    more = true;
                    break;
                }
                page.add(e.getValue().latest().copy());
                last = e.getKey();
            }
        } finally {
            lock.readLock().unlock();
        }
        return new Page<>(page, more ? encodeToken(last) : null);
    }

    public Page<ParameterVersion> history(String nameOrArn, boolean decrypt, Crypto crypto, Integer maxResults, String nextToken) {
        int max = maxResults == null ? 50 : maxResults;
        if (max < 1 || max > 50) {
            throw SsmErrors.validation("1 validation error detected: Value '" + max + "' at 'maxResults' failed to satisfy "
                    + "constraint: Member must have value " + (max < 1 ? "greater than or equal to 1" : "less than or equal to 50"));
        }
        List<ParameterVersion> versions = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (ParameterVersion v : existing(nameOrArn).versions) versions.add(v.copy());
        } finally {
            lock.readLock().unlock();
        }
        int start = 0;
        if (nextToken != null) {
            try {
                start = Integer.parseInt(decodeToken(nextToken));
            } catch (NumberFormatException e) {
                throw invalidToken();
            }
        }
        int end = Math.min(versions.size(), start + max);
        List<ParameterVersion> page = new ArrayList<>(versions.subList(Math.min(start, end), end));
        for (ParameterVersion v : page) reveal(v, decrypt, crypto);
        return new Page<>(page, end < versions.size() ? encodeToken(Integer.toString(end)) : null);
    }

    private static String encodeToken(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        if (token == null) return null;
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
    }

    private static dev.polystack.api.ServiceException invalidToken() {
        return SsmErrors.of("InvalidNextToken", "The specified token is not valid.");
    }

    // ---------------------------------------------------------------- persistence

    /** A consistent copy of every parameter (name → parameter). */
    public Map<String, StoredParameter> snapshot() {
        lock.readLock().lock();
        try {
            Map<String, StoredParameter> copy = new LinkedHashMap<>();
            for (var e : parameters.entrySet()) {
                StoredParameter p = new StoredParameter();
                for (ParameterVersion v : e.getValue().versions) p.versions.add(v.copy());
                p.tags = new LinkedHashMap<>(e.getValue().tags);
                copy.put(e.getKey(), p);
            }
            return copy;
        } finally {
            lock.readLock().unlock();
        }
    }

    public void restore(Map<String, StoredParameter> saved) {
        lock.writeLock().lock();
        try {
            parameters.clear();
            parameters.putAll(saved);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
