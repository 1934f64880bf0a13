package dev.polystack.services.secretsmanager;

import dev.polystack.api.ServiceException;

/** Secrets Manager's errors with AWS's codes and recorded texts (all status 400, {@code Message} member). */
final class SecretsErrors {
    private SecretsErrors() {
    }

    static ServiceException notFound() {
        return new ServiceException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    static ServiceException markedForDeletion() {
        return invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
    }

    static ServiceException currentlyDeleted() {
        return invalidRequest("You tried to perform the operation on a secret that's currently marked deleted.");
    }

    static ServiceException onReplica() {
        return invalidRequest("Operation not permitted on a replica secret. Call must be made in primary secret's region.");
    }

    static ServiceException invalidRequest(String message) {
        return new ServiceException("InvalidRequestException", message);
    }

    static ServiceException invalidParameter(String message) {
        return new ServiceException("InvalidParameterException", message);
    }

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message);
    }

    static ServiceException resourceNotFound(String message) {
        return new ServiceException("ResourceNotFoundException", message);
    }

    static ServiceException exists(String message) {
        return new ServiceException("ResourceExistsException", message);
    }
}
