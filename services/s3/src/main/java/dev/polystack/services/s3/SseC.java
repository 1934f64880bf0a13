package dev.polystack.services.s3;

import dev.polystack.api.ServiceException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Server-side encryption with customer-provided keys (SSE-C). S3 keeps only the key's MD5: an object written
 * with a key is read, headed and copied only with that key (400 without one, 403 with another), and answers
 * echo the algorithm and the key MD5. Validation messages are AWS's (recorded).
 */
final class SseC {
    static final String ALGORITHM = "SSECustomerAlgorithm";
    static final String KEY_MD5 = "SSECustomerKeyMD5";
    private static final String ARGUMENT = "x-amz-server-side-encryption";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SseC() {
    }

    /**
     * The {SSECustomerAlgorithm, SSECustomerKeyMD5} a request's SSE-C headers ask for, validated; null without them.
     * @param prefix "" for the object written or read, "CopySource" for a copy's source
     */
    static Map<String, String> fromRequest(Map<String, Object> in, String prefix) {
        return fromRequest(In.str(in, prefix + "SSECustomerAlgorithm"), In.str(in, prefix + "SSECustomerKey"),
                In.str(in, prefix + "SSECustomerKeyMD5"));
    }

    /** As {@link #fromRequest(Map, String)}, from the three SSE-C headers (any may be null). */
    static Map<String, String> fromRequest(String algorithm, String key, String md5) {
        if (algorithm == null && key == null && md5 == null) return null;
        if (algorithm == null) {
            throw invalid("Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.");
        }
        if (!algorithm.equals("AES256")) {
            throw new ServiceException("InvalidEncryptionAlgorithmError",
                    "The Encryption request you specified is not valid. Supported value: AES256.", 400)
                    .with("ArgumentName", ARGUMENT).with("ArgumentValue", algorithm);
        }
        if (key == null) {
            throw invalid("Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw invalid("The secret key was invalid for the specified algorithm.");
        }
        if (raw.length != 32 || md5 == null) throw invalid("The secret key was invalid for the specified algorithm.");
        String actual = Base64.getEncoder().encodeToString(md5(raw));
        if (!actual.equals(md5.trim())) throw invalid("The calculated MD5 hash of the key did not match the hash that was provided.");
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ALGORITHM, algorithm);
        out.put(KEY_MD5, actual);
        return out;
    }

    /** Refuses to read (or copy from) a version stored with a customer key unless the request brings that key. */
    static void checkRead(ObjectVersion v, Map<String, Object> in, String prefix) {
        checkRead(v, fromRequest(in, prefix));
    }

    /** @param given the request's validated SSE-C headers ({@link #fromRequest}), null without them */
    static void checkRead(ObjectVersion v, Map<String, String> given) {
        String stored = v.encryption.get(KEY_MD5);
        if (stored == null) return;
        if (given == null) {
            throw S3Errors.invalidRequest("The object was stored using a form of Server Side Encryption. The correct parameters "
                    + "must be provided to retrieve the object.");
        }
        if (!stored.equals(given.get(KEY_MD5))) {
            throw new ServiceException("AccessDenied", "Requests specifying Server Side Encryption with Customer provided keys must "
                    + "provide the correct secret key.", 403);
        }
    }

    /**
     * The ETag of bytes stored with a customer key: S3 does not reveal their MD5, it answers an opaque value that is
     * new for every write, even of the same bytes (recorded for PutObject, UploadPart and CopyObject).
     */
    static String etag(Map<String, String> encryption, String plainEtag) {
        if (!encryption.containsKey(KEY_MD5)) return plainEtag;
        byte[] opaque = new byte[16];
        RANDOM.nextBytes(opaque);
        return "\"" + HexFormat.of().formatHex(opaque) + "\"";
    }

    /**
     * UploadPart must bring the customer key its upload was created with, and only then (AWS's messages). The
     * key's validity itself is checked by {@link #fromRequest}.
     */
    static void checkPart(Map<String, String> uploadEncryption, Map<String, Object> in) {
        Map<String, String> given = fromRequest(in, "");
        String expected = uploadEncryption.get(KEY_MD5);
        if ((expected == null) != (given == null)) {
            throw S3Errors.invalidRequest("The multipart upload initiate requested encryption. Subsequent part requests must "
                    + "include the appropriate encryption parameters.");
        }
        if (expected != null && !expected.equals(given.get(KEY_MD5))) {
            throw S3Errors.invalidRequest("The provided encryption parameters did not match the ones used originally.");
        }
    }

    static ServiceException incompatible(String sse) {
        return new ServiceException("InvalidArgument", "Server Side Encryption with Customer provided key is incompatible with "
                + "the encryption method specified", 400).with("ArgumentName", ARGUMENT).with("ArgumentValue", sse);
    }

    private static ServiceException invalid(String message) {
        return new ServiceException("InvalidArgument", message, 400).with("ArgumentName", ARGUMENT);
    }

    private static byte[] md5(byte[] b) {
        try {
            return MessageDigest.getInstance("MD5").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
