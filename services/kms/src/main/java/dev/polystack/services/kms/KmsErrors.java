package dev.polystack.services.kms;

import dev.polystack.api.ServiceException;

/** AWS's KMS errors and the key-state and key-usage checks that raise them, worded as AWS words them. */
final class KmsErrors {
    private KmsErrors() {
    }

    /** Keys used for cryptography must be enabled. */
    static void requireUsable(KmsKey key) {
        switch (key.keyState) {
            case "Enabled" -> { }
            case "Disabled" -> throw disabled(key);
            case "PendingDeletion" -> throw invalidState(key.arn + " is pending deletion.");
            case "PendingImport" -> throw invalidState(key.arn + " is pending import.");
            default -> throw invalidState(key.arn + " is " + key.keyState + ".");
        }
    }

    static void requireNotPendingDeletion(KmsKey key) {
        if ("PendingDeletion".equals(key.keyState)) throw invalidState(key.arn + " is pending deletion.");
    }

    static void requireUsage(KmsKey key, String usage, String operation) {
        if (!key.keyUsage.equals(usage)) {
            throw new ServiceException("InvalidKeyUsageException",
                    key.arn + " key usage is " + key.keyUsage + " which is not valid for " + operation + ".");
        }
    }

    static ServiceException incompatible(String algorithm, KmsKey key) {
        return new ServiceException("InvalidKeyUsageException",
                "Algorithm " + algorithm + " is incompatible with key spec " + key.keySpec.name() + ".");
    }

    static ServiceException disabled(KmsKey key) {
        return new ServiceException("DisabledException", key.arn + " is disabled.");
    }

    static ServiceException notFound(String message) {
        return new ServiceException("NotFoundException", message);
    }

    static ServiceException invalidState(String message) {
        return new ServiceException("KMSInvalidStateException", message);
    }

    static ServiceException invalidCiphertext() {
        return new ServiceException("InvalidCiphertextException", null);
    }

    static ServiceException incorrectKey() {
        return new ServiceException("IncorrectKeyException",
                "The key ID in the request does not identify a CMK that can perform this operation.");
    }

    static ServiceException unsupported(String message) {
        return new ServiceException("UnsupportedOperationException", message);
    }
}
