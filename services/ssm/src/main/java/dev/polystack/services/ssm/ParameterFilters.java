package dev.polystack.services.ssm;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** DescribeParameters' and GetParametersByPath's filters: AWS's validation texts and matching. */
final class ParameterFilters {
    private static final Pattern KEY = Pattern.compile("tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType");
    private static final Set<String> TIERS = Set.of("Standard", "Advanced", "Intelligent-Tiering");
    private static final Set<String> TYPES = Set.of("String", "StringList", "SecureString");

    private ParameterFilters() {
    }

    static void checkLegacy(List<ParameterStore.Filter> filters) {
        for (ParameterStore.Filter f : filters) {
            if (!Set.of("Name", "Type", "KeyId").contains(f.key())) {
                throw SsmErrors.validation("1 validation error detected: Value '" + f.key() + "' at 'filters.1.member.key' failed "
                        + "to satisfy constraint: Member must satisfy enum value set: [Name, Type, KeyId]");
            }
        }
    }

    static void check(List<ParameterStore.Filter> filters, boolean byPath) {
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (ParameterStore.Filter f : filters) {
            index++;
            String key = f.key();
            if (!KEY.matcher(key).matches()) {
                throw SsmErrors.validation("1 validation error detected: Value \"" + key + "\" at \"parameterFilters." + index
                        + ".member.key\" failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + "tag:.+|Name|Type|KeyId|Path|Label|Tier");
            }
            if (!byPath && key.equals("Label")) {
                throw SsmErrors.of("InvalidFilterKey", "The following filter key is not valid: Label. Valid filter keys include: "
                        + "[Path, Name, Type, KeyId, Tier].");
            }
            if (byPath && (key.equals("Name") || key.equals("Path") || key.equals("Tier"))) {
                throw SsmErrors.of("InvalidFilterKey", "The following filter key is not valid: " + key
                        + ". Valid filter keys include: [Type, KeyId].");
            }
            if (!key.startsWith("tag:") && f.values().isEmpty()) {
                throw SsmErrors.of("InvalidFilterValue", "The following filter values are missing : null for filter key " + key + ".");
            }
            if (!seen.add(key)) {
                throw SsmErrors.of("InvalidFilterKey", "The following filter is duplicated in the request: " + key
                        + ". A request can contain only one occurrence of a specific filter.");
            }
            String option = option(f);
            if (key.equals("Path")) {
                if (!option.equals("Recursive") && !option.equals("OneLevel")) {
                    throw SsmErrors.of("InvalidFilterOption", "The following filter option is not valid: " + option
                            + ". Valid options include: [Recursive, OneLevel].");
                }
                for (String v : f.values()) {
                    String lower = v.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("/aws") || lower.startsWith("/ssm")) {
                        throw SsmErrors.validation("Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" "
                                + "(case-insensitive). When using global parameters, please specify within a global namespace.");
                    }
                    if (v.contains("//") || !v.startsWith("/") || !v.matches("[a-zA-Z0-9_.\\-/]*")) {
                        throw SsmErrors.validation(SsmErrors.INVALID_PATH);
                    }
                }
                continue;
            }
            if (key.equals("Tier")) {
                for (String v : f.values()) {
                    if (!TIERS.contains(v)) {
                        throw SsmErrors.of("InvalidFilterOption", "The following filter value is not valid: " + v
                                + ". Valid values include: [Standard, Advanced, Intelligent-Tiering].");
                    }
                }
            }
            if (key.equals("Type")) {
                for (String v : f.values()) {
                    if (!TYPES.contains(v)) {
                        throw SsmErrors.of("InvalidFilterOption", "The following filter value is not valid: " + v
                                + ". Valid values include: [String, StringList, SecureString].");
                    }
                }
            }
            boolean contains = key.equals("Name") && option.equals("Contains");
            if (!contains && !option.equals("Equals") && !option.equals("BeginsWith")) {
                throw SsmErrors.of("InvalidFilterOption", "The following filter option is not valid: " + option
                        + ". Valid options include: [BeginsWith, Equals].");
            }
        }
    }

    private static String option(ParameterStore.Filter f) {
        if (f.option() != null) return f.option();
        return f.key().equals("Path") ? "OneLevel" : "Equals";
    }

    /** Whether the parameter's latest version passes every filter. */
    static boolean matches(List<ParameterStore.Filter> filters, StoredParameter p) {
        ParameterVersion v = p.latest();
        for (ParameterStore.Filter f : filters) {
            String option = option(f);
            String key = f.key();
            boolean ok;
            if (key.startsWith("tag:")) {
                String value = p.tags.get(key.substring(4));
                ok = value != null && (f.values().isEmpty() || compare(option, value, f.values()));
            } else {
                ok = switch (key) {
                    case "Name" -> compare(option, ParameterNames.asPath(v.name), f.values().stream().map(ParameterFilters::nameForm).toList())
                            || compare(option, v.name, f.values());
                    case "Type" -> compare(option, v.type, f.values());
                    case "KeyId" -> v.keyId != null && compare(option, v.keyId, f.values());
                    case "Tier" -> compare(option, v.tier, f.values());
                    case "DataType" -> compare(option, v.dataType, f.values());
                    case "Label" -> p.versions.stream().anyMatch(x -> x.labels.stream().anyMatch(l -> compare(option, l, f.values())));
                    case "Path" -> underPath(ParameterNames.asPath(v.name), option.equals("Recursive"), f.values());
                    default -> false;
                };
            }
            if (!ok) return false;
        }
        return true;
    }

    private static String nameForm(String value) {
        return value.startsWith("/") ? value : "/" + value;
    }

    private static boolean compare(String option, String actual, List<String> values) {
        for (String value : values) {
            boolean hit = switch (option) {
                case "BeginsWith" -> actual.startsWith(value);
                case "Contains" -> actual.contains(value);
                default -> actual.equals(value);
            };
            if (hit) return true;
        }
        return false;
    }

    private static boolean underPath(String name, boolean recursive, List<String> paths) {
        for (String path : paths) {
            String prefix = path.endsWith("/") ? path : path + "/";
            if (!name.startsWith(prefix)) continue;
            if (recursive || ParameterNames.depth(name) == ParameterNames.depth(prefix + "x")) return true;
        }
        return false;
    }
}
