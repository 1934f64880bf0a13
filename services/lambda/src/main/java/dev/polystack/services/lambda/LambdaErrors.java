package dev.polystack.services.lambda;

import dev.polystack.api.ServiceException;

/** Lambda's errors, with AWS's codes, statuses and message texts (as recorded from AWS). */
final class LambdaErrors {
    private LambdaErrors() {
    }

    static ServiceException notFound(String message) {
        return user("ResourceNotFoundException", message, 404);
    }

    static ServiceException functionNotFound(String arn) {
        return notFound("Function not found: " + arn);
    }

    static ServiceException conflict(String message) {
        return user("ResourceConflictException", message, 409);
    }

    static ServiceException invalidParameter(String message) {
        return user("InvalidParameterValueException", message, 400);
    }

    static ServiceException preconditionFailed(String message) {
        return user("PreconditionFailedException", message, 412);
    }

    static ServiceException validation(String value, String member, String constraint) {
        return new ServiceException("ValidationException", "1 validation error detected: Value '" + value + "' at '"
                + member + "' failed to satisfy constraint: " + constraint, 400);
    }

    static ServiceException tooManyRequests(String reason) {
        return user("TooManyRequestsException", "Rate Exceeded.", 429).with("Reason", reason);
    }

    static ServiceException requestTooLarge(String message) {
        return user("RequestTooLargeException", message, 413);
    }

    /** Lambda's JSON errors carry {@code Type: User} beside the message for caller faults. */
    static ServiceException user(String code, String message, int status) {
        return new ServiceException(code, message, status).with("Type", "User");
    }
}
