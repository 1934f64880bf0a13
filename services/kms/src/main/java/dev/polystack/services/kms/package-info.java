/**
 * Native KMS provider: {@link dev.polystack.services.kms.KmsProvider} (operations, key lookup, errors),
 * {@link dev.polystack.services.kms.KmsCrypto} (the crypto engine and ciphertext format),
 * {@link dev.polystack.services.kms.KmsKeySpec} (what each key spec allows),
 * {@link dev.polystack.services.kms.KmsState} (the persisted format).
 */
package dev.polystack.services.kms;
