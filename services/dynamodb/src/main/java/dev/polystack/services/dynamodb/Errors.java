package dev.polystack.services.dynamodb;

import dev.polystack.api.ServiceException;

/** DynamoDB's error shapes, with AWS's texts, in one place. */
final class Errors {
    private Errors() {
    }

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message);
    }

    static ServiceException invalidParams(String detail) {
        return validation("One or more parameter values were invalid: " + detail);
    }

    static ServiceException tableNotFound(String name) {
        return new ServiceException("ResourceNotFoundException", "Requested resource not found: Table: " + name + " not found");
    }

    /** The text data-plane operations (GetItem, PutItem, Query ...) use for a missing table. */
    static ServiceException resourceNotFound() {
        return new ServiceException("ResourceNotFoundException", "Requested resource not found");
    }

    static ServiceException resourceNotFound(String message) {
        return new ServiceException("ResourceNotFoundException", message);
    }

    static ServiceException inUse(String message) {
        return new ServiceException("ResourceInUseException", message);
    }

    static ServiceException conditionFailed() {
        return new ServiceException("ConditionalCheckFailedException", "The conditional request failed");
    }

    static ServiceException keyMismatch() {
        return validation("The provided key element does not match the schema");
    }
}
