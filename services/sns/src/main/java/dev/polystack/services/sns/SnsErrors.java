package dev.polystack.services.sns;

import dev.polystack.api.ServiceException;
import dev.polystack.services.sns.api.InvalidParameterException;
import dev.polystack.services.sns.api.InvalidParameterValueException;
import dev.polystack.services.sns.api.NotFoundException;

/**
 * SNS's errors as AWS words them. Most are the generated exceptions of the modelled errors (their query codes,
 * {@code InvalidParameter}, {@code ParameterValueInvalid}, {@code NotFound}, come from the specification); a
 * missing or malformed member of the input shape is Coral's {@code ValidationError}, which SNS does not model.
 */
final class SnsErrors {
    private SnsErrors() {
    }

    /** {@code InvalidParameter}: the message starts with AWS's "Invalid parameter: ..." where AWS says it. */
    static InvalidParameterException invalid(String message) {
        return new InvalidParameterException(message);
    }

    /** {@code ParameterValueInvalid}: message attribute values. */
    static InvalidParameterValueException invalidValue(String message) {
        return new InvalidParameterValueException(message);
    }

    static NotFoundException notFound(String message) {
        return new NotFoundException(message);
    }

    /** A required member sent empty or not at all, where SNS answers InvalidParameter rather than ValidationError. */
    static InvalidParameterException required(String parameter) {
        return invalid("Invalid parameter: " + parameter + " Reason: no value for required parameter");
    }

    /** Coral's answer to a member the input shape requires (path as AWS writes it, e.g. {@code attributes}). */
    static ServiceException mustNotBeNull(String path) {
        return new ServiceException("ValidationError", "1 validation error detected: Value null at '" + path
                + "' failed to satisfy constraint: Member must not be null", 400);
    }
}
