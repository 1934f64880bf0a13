package dev.polystack.services.lambda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function named by the caller: a name, a full or partial ARN, with or without a qualifier (version or alias),
 * resolved against the caller's account and region.
 */
record FunctionRef(String account, String region, String name, String qualifier) {
    /** AWS's pattern for a namespaced function name (NamespacedFunctionName), quoted in its validation message. */
    static final String NAME_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
            + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    static final Pattern QUALIFIER = Pattern.compile("\\$LATEST|[0-9]+|[a-zA-Z0-9-_]+");

    /**
     * Parses {@code input} (the FunctionName member) and the separate {@code Qualifier} parameter (may be null).
     *
     * @param allowQualifier false for operations whose FunctionName must not carry one (CreateFunction ...)
     */
    static FunctionRef parse(String input, String qualifier, String account, String region) {
        if (input == null || input.isEmpty()) {
            throw LambdaErrors.validation(String.valueOf(input), "functionName", "Member must have length greater than or equal to 1");
        }
        Matcher m = NAME.matcher(input);
        if (!m.matches()) {
            throw LambdaErrors.validation(input, "functionName",
                    "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
        boolean arn = m.group(1) != null;
        String arnRegion = m.group(3) == null ? null : m.group(3).substring(0, m.group(3).length() - 1);
        String arnAccount = m.group(9) == null ? null : m.group(9).substring(0, 12);
        String name = m.group(11);
        String derived = m.group(13);
        if (!arn && arnRegion != null) {
            throw LambdaErrors.validation(input, "functionName",
                    "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
        if (name.length() > 64 || (!arn && arnAccount == null && input.length() > 64 + 1 + 128)) {
            throw LambdaErrors.validation(input, "functionName", "Member must have length less than or equal to 64");
        }
        if (derived != null && qualifier != null && !derived.equals(qualifier)) {
            throw LambdaErrors.invalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
        }
        String q = qualifier != null ? qualifier : derived;
        if (q != null && (q.length() > 128 || !QUALIFIER.matcher(q).matches())) {
            throw LambdaErrors.validation(q, "qualifier", "Member must satisfy regular expression pattern: "
                    + "(|[a-zA-Z0-9$_-]+)");
        }
        return new FunctionRef(arnAccount != null ? arnAccount : account, arnRegion != null ? arnRegion : region, name, q);
    }

    String unqualifiedArn() {
        return arn(account, region, name);
    }

    /** The ARN as AWS reports it in "not found" messages: with the qualifier when one was given. */
    String qualifiedArn() {
        return qualifier == null ? unqualifiedArn() : unqualifiedArn() + ":" + qualifier;
    }

    static String arn(String account, String region, String name) {
        return "arn:" + partition(region) + ":lambda:" + region + ":" + account + ":function:" + name;
    }

    static String partition(String region) {
        if (region.startsWith("cn-")) return "aws-cn";
        if (region.startsWith("us-gov-")) return "aws-us-gov";
        return "aws";
    }
}
