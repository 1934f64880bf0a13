package dev.polystack.services.ssm;

import java.util.Locale;
import java.util.regex.Pattern;

/** Parameter names: AWS's hierarchy rules, ARNs and the {@code name:version} / {@code name:label} selectors. */
final class ParameterNames {
    static final int MAX_DEPTH = 15;
    private static final Pattern NAME_CHARS = Pattern.compile("[a-zA-Z0-9_.\\-/]+");
    private static final Pattern ARN = Pattern.compile("arn:[^:]+:ssm:[^:]*:[^:]*:parameter(/.*)");

    private ParameterNames() {
    }

    /** A name with an optional selector: {@code name:3} → ("name", ":3"). */
    record Selected(String name, String selector) {
        boolean byVersion() {
            return selector != null && selector.length() > 1 && selector.substring(1).chars().allMatch(Character::isDigit);
        }
    }

    /** The parameter's name for an ARN, else the name itself (a hierarchy ARN {@code parameter/a/b} is {@code /a/b}). */
    static String fromArn(String nameOrArn) {
        var m = ARN.matcher(nameOrArn);
        if (!m.matches()) return nameOrArn;
        String resource = m.group(1).substring(1);
        return resource.contains("/") ? "/" + resource : resource;
    }

    /** The alternative spelling an ARN may mean: {@code parameter/x} is either {@code x} or {@code /x}. */
    static String arnAlternative(String nameOrArn) {
        var m = ARN.matcher(nameOrArn);
        if (!m.matches()) return null;
        String resource = m.group(1).substring(1);
        return resource.contains("/") ? null : "/" + resource;
    }

    static Selected select(String nameOrArn) {
        String name = nameOrArn;
        String selector = null;
        if (!name.startsWith("arn:")) {
            int colon = name.indexOf(':');
            if (colon >= 0) {
                selector = name.substring(colon);
                name = name.substring(0, colon);
            }
        } else {
            // arn:aws:ssm:region:account:parameter/name:3 — the selector follows the sixth colon
            int count = 0;
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) == ':' && ++count == 6) {
                    selector = name.substring(i);
                    name = name.substring(0, i);
                    break;
                }
            }
        }
        return new Selected(name, selector);
    }

    static String arn(String partition, String region, String account, String name) {
        return "arn:" + partition + ":ssm:" + region + ":" + account + ":parameter" + (name.startsWith("/") ? name : "/" + name);
    }

    /** Checks a name for PutParameter as AWS does; throws ValidationException & co. */
    static void checkForPut(String name) {
        if (name.length() > 2048) {
            throw SsmErrors.validation("1 validation error detected: Value '" + name
                    + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 2048");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String bare = lower.startsWith("/") ? lower.substring(1) : lower;
        boolean path = name.indexOf('/', 1) > 0;
        if (bare.startsWith("aws") || bare.startsWith("ssm")) {
            if (lower.startsWith("/aws") && path) {
                throw SsmErrors.of("AccessDeniedException", "No access to reserved parameter name: " + name + ".");
            }
            throw SsmErrors.validation(path ? SsmErrors.INVALID_NAME
                    : "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
        }
        if (!NAME_CHARS.matcher(name).matches() || name.contains("//") || (path && name.endsWith("/"))) {
            throw SsmErrors.validation(SsmErrors.INVALID_NAME);
        }
        if (name.contains("/") && !name.startsWith("/")) {
            throw SsmErrors.validation("Parameter name must be a fully qualified name.");
        }
        if (depth(name) > MAX_DEPTH) {
            throw SsmErrors.of("HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels. "
                    + "For more information, see Requirements and constraints for parameter names in the "
                    + "Amazon Web Services Systems Manager User Guide.");
        }
    }

    /** Checks a name used for reading (GetParameter ...): {@code a//b} and {@code a/b} are refused. */
    static void checkForRead(String name) {
        if (name.contains("//") || (name.contains("/") && !name.startsWith("/"))) {
            throw SsmErrors.validation(SsmErrors.INVALID_NAME);
        }
    }

    /** Levels below the root: {@code /a/b} is 2, {@code x} is 1. */
    static int depth(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        return n.isEmpty() ? 0 : n.split("/", -1).length;
    }

    /** The path-form of a name ({@code x} sits at the root, as {@code /x}). */
    static String asPath(String name) {
        return name.startsWith("/") ? name : "/" + name;
    }
}
