package dev.polystack.services.kms;

import dev.polystack.api.ServiceException;

import java.util.List;

/**
 * AWS's validation of KMS input, on the typed request's values. AWS validates the input shape before anything
 * else and words its errors like
 * {@code 1 validation error detected: Value 'X' at 'keySpec' failed to satisfy constraint: ...};
 * the member path there is the member name with a lower-case first letter.
 */
final class KmsValidation {
    private KmsValidation() {
    }

    /** {@code value}, which must be present. */
    static <T> T required(String member, T value) {
        if (value == null) throw validation("1 validation error detected: Value null at '" + path(member)
                + "' failed to satisfy constraint: Member must not be null");
        return value;
    }

    /** Checks an enum member as the client sent it; {@code allowed} is AWS's wording of the set, for example {@code [A, B]}. */
    static String enumValue(String member, String value, List<String> values, String allowed) {
        if (value != null && !values.contains(value)) {
            throw validation("1 validation error detected: Value '" + value + "' at '" + path(member)
                    + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
        }
        return value;
    }

    /** Checks an enum member whose set AWS words in {@code values}' order (the message is built only on error). */
    static String enumValue(String member, String value, List<String> values) {
        if (value != null && !values.contains(value)) enumValue(member, value, values, "[" + String.join(", ", values) + "]");
        return value;
    }

    static void range(String member, Integer value, int min, int max) {
        if (value == null) return;
        if (value < min) throw validation("1 validation error detected: Value '" + value + "' at '" + path(member)
                + "' failed to satisfy constraint: Member must have value greater than or equal to " + min);
        if (value > max) throw validation("1 validation error detected: Value '" + value + "' at '" + path(member)
                + "' failed to satisfy constraint: Member must have value less than or equal to " + max);
    }

    /** Length check of a blob member; AWS does not echo blob values. */
    static void blobLength(String member, byte[] value, int min, int max) {
        if (value == null) return;
        if (value.length < min) throw validation("1 validation error detected: Value at '" + path(member)
                + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        if (value.length > max) throw validation("1 validation error detected: Value at '" + path(member)
                + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
    }

    static void stringLength(String path, String value, int min, int max) {
        if (value == null) return;
        if (value.length() < min) throw validation("1 validation error detected: Value '" + value + "' at '" + path
                + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
        if (value.length() > max) throw validation("1 validation error detected: Value '" + value + "' at '" + path
                + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
    }

    /** With {@code DryRun}, a request that passed every check answers this instead of acting. */
    static void dryRun(Boolean dryRun) {
        if (Boolean.TRUE.equals(dryRun)) {
            throw new ServiceException("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
        }
    }

    static String path(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message);
    }
}
