package dev.polystack.services.apigateway;

import dev.polystack.api.ServiceException;

/** API Gateway's errors, with the texts AWS sends (see the recorded answers). */
final class ApiGatewayErrors {
    private ApiGatewayErrors() {
    }

    static ServiceException notFound(String message) {
        return new ServiceException("NotFoundException", message, 404);
    }

    static ServiceException badRequest(String message) {
        return new ServiceException("BadRequestException", message, 400);
    }

    static ServiceException conflict(String message) {
        return new ServiceException("ConflictException", message, 409);
    }

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message, 400);
    }

    static ServiceException apiNotFound(String accountId, String apiId) {
        return notFound("Invalid API identifier specified " + accountId + ":" + apiId);
    }

    static ServiceException resourceNotFound() {
        return notFound("Invalid Resource identifier specified");
    }

    static ServiceException methodNotFound() {
        return notFound("Invalid Method identifier specified");
    }

    static ServiceException integrationNotFound() {
        return notFound("Invalid Integration identifier specified");
    }

    static ServiceException statusCodeNotFound() {
        return notFound("Invalid Response status code specified");
    }

    static ServiceException stageNotFound() {
        return notFound("Invalid Stage identifier specified");
    }

    static ServiceException deploymentNotFound() {
        return notFound("Invalid Deployment identifier specified");
    }

    /** AWS's single-constraint validation message. */
    static ServiceException enumValue(String value, String where, String allowed) {
        return validation("1 validation error detected: Value '" + value + "' at '" + where
                + "' failed to satisfy constraint: Member must satisfy enum value set: [" + allowed + "]");
    }
}
