package dev.polystack.services.sqs;

import dev.polystack.api.ServiceException;

/**
 * Every error the SQS provider raises, with AWS's codes and messages (as recorded from real AWS).
 * SQS answers in two protocols with two codes per error: the JSON protocol's {@code __type} is the
 * error shape's name ({@code QueueDoesNotExist}), the query protocol's code (also sent on JSON in
 * {@code x-amzn-query-error}) is the legacy one ({@code AWS.SimpleQueueService.NonExistentQueue}).
 * botocore's SQS specification lacks that mapping, so it lives here ({@link ServiceException#queryCode}).
 */
final class SqsErrors {
    private SqsErrors() {
    }

    private static ServiceException error(String shape, String queryCode, String message) {
        return new ServiceException(shape, message).queryCode(queryCode);
    }

    /** The query protocol phrases this one differently; the provider passes which protocol asked. */
    static ServiceException queueDoesNotExist(boolean queryProtocol) {
        return error("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                queryProtocol ? "The specified queue does not exist for this wsdl version."
                        : "The specified queue does not exist.");
    }

    static ServiceException queueNameExists(String attribute) {
        return error("QueueNameExists", "QueueAlreadyExists",
                "A queue already exists with the same name and a different value for attribute " + attribute);
    }

    static ServiceException queueDeletedRecently(String name) {
        return error("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently",
                "You must wait 60 seconds after deleting a queue before you can create another with the same name.");
    }

    /** Unmodelled in the specification: JSON type {@code InvalidParameterValueException}, query code {@code InvalidParameterValue}. */
    static ServiceException invalidParameterValue(String message) {
        return error("InvalidParameterValueException", "InvalidParameterValue", message);
    }

    static ServiceException invalidParameter(String parameter, Object value, String reason) {
        return invalidParameterValue("Value " + value + " for parameter " + parameter + " is invalid. Reason: " + reason);
    }

    static ServiceException missingParameter(String parameter) {
        return error("MissingRequiredParameterException", "MissingParameter",
                "The request must contain the parameter " + parameter + ".");
    }

    static ServiceException invalidAttributeName(String message) {
        return error("InvalidAttributeName", "InvalidAttributeName", message);
    }

    static ServiceException unknownAttribute(String name) {
        return invalidAttributeName("Unknown Attribute " + name + ".");
    }

    static ServiceException invalidAttributeValue(String message) {
        return error("InvalidAttributeValue", "InvalidAttributeValue", message);
    }

    static ServiceException invalidAttributeValueFor(String name) {
        return invalidAttributeValue("Invalid value for the parameter " + name + ".");
    }

    static ServiceException receiptHandleIsInvalid(String handle) {
        return error("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
                "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
    }

    static ServiceException receiptHandleExpired(String handle) {
        return invalidParameter("ReceiptHandle", handle, "The receipt handle has expired.");
    }

    static ServiceException messageNotInflight() {
        return error("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight",
                "The message referred to isn't in flight.");
    }

    static ServiceException invalidMessageContents(int codePoint) {
        return error("InvalidMessageContents", "InvalidMessageContents",
                "Invalid binary character '#x" + Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT)
                        + "' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | "
                        + "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
    }

    /** A String/Number message attribute value with a character SQS does not allow (InvalidParameterValue). */
    static ServiceException invalidAttributeValueCharacter(int codePoint) {
        return invalidParameterValue("Invalid binary character '#x"
                + Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT)
                + "' was found in the message attribute value, the set of allowed characters is #x9 | #xA | #xD | "
                + "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
    }

    static ServiceException emptyBatch(String entryShape) {
        return error("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
                "There should be at least one " + entryShape + " in the request.");
    }

    static ServiceException tooManyEntries(int sent) {
        return error("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                "Maximum number of entries per request are 10. You have sent " + sent + ".");
    }

    static ServiceException batchIdsNotDistinct(String id) {
        return error("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                "Id " + id + " repeated.");
    }

    static ServiceException invalidBatchEntryId() {
        return error("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                        + "It can be at most 80 letters long.");
    }

    static ServiceException batchRequestTooLong(long sent) {
        return error("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
                "Batch requests cannot be longer than " + SqsLimits.MAX_MESSAGE_SIZE + " bytes. You have sent " + sent + " bytes.");
    }

    static ServiceException purgeInProgress(String queueName) {
        return new ServiceException("PurgeQueueInProgress",
                "Only one PurgeQueue operation on " + queueName + " is allowed every 60 seconds.", 403)
                .queryCode("AWS.SimpleQueueService.PurgeQueueInProgress");
    }

    static ServiceException resourceNotFound(String message) {
        return new ServiceException("ResourceNotFoundException", message, 404).queryCode("ResourceNotFoundException");
    }

    static ServiceException overLimit(String message) {
        return new ServiceException("OverLimit", message, 403).queryCode("OverLimit");
    }
}
