package dev.polystack.services.iam;

import dev.polystack.api.ServiceException;

/** IAM's errors: the specification's shape names (the query protocol sends their codes) and AWS's statuses and texts. */
final class IamErrors {
    private IamErrors() {
    }

    static ServiceException noSuchEntity(String message) {
        return new ServiceException("NoSuchEntityException", message, 404);
    }

    static ServiceException exists(String message) {
        return new ServiceException("EntityAlreadyExistsException", message, 409);
    }

    static ServiceException malformed(String message) {
        return new ServiceException("MalformedPolicyDocumentException", message, 400);
    }

    static ServiceException deleteConflict(String message) {
        return new ServiceException("DeleteConflictException", message, 409);
    }

    static ServiceException limit(String message) {
        return new ServiceException("LimitExceededException", message, 409);
    }

    static ServiceException invalidInput(String message) {
        return new ServiceException("InvalidInputException", message, 400);
    }

    static ServiceException validation(String message) {
        return new ServiceException("ValidationError", message, 400).queryCode("ValidationError");
    }
}
