package dev.polystack.services.s3;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The flexible checksums S3 validates, stores and returns. Values travel base64-encoded
 * (big-endian bytes for the CRCs), as in the {@code x-amz-checksum-*} headers.
 */
public enum ChecksumAlgorithm {
    CRC32("ChecksumCRC32", "x-amz-checksum-crc32", true),
    CRC32C("ChecksumCRC32C", "x-amz-checksum-crc32c", true),
    CRC64NVME("ChecksumCRC64NVME", "x-amz-checksum-crc64nvme", true),
    SHA1("ChecksumSHA1", "x-amz-checksum-sha1", false),
    SHA256("ChecksumSHA256", "x-amz-checksum-sha256", false);

    /** The member name in botocore's shapes (ChecksumCRC32 ...). */
    public final String member;
    /** The request/response header (also the aws-chunked trailer name). */
    public final String header;
    /** CRCs can describe a whole multipart object (FULL_OBJECT); digests only per part (COMPOSITE). */
    public final boolean crc;

    ChecksumAlgorithm(String member, String header, boolean crc) {
        this.member = member;
        this.header = header;
        this.crc = crc;
    }

    /** Parses CRC32, crc32, ... ; null for null; throws IllegalArgumentException for unknown names. */
    public static ChecksumAlgorithm parse(String name) {
        if (name == null) return null;
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    public static ChecksumAlgorithm fromHeader(String header) {
        for (ChecksumAlgorithm a : values()) if (a.header.equalsIgnoreCase(header.trim())) return a;
        return null;
    }

    /** Byte length of the raw checksum. */
    public int length() {
        return switch (this) {
            case CRC32, CRC32C -> 4;
            case CRC64NVME -> 8;
            case SHA1 -> 20;
            case SHA256 -> 32;
        };
    }

    public Hasher newHasher() {
        return switch (this) {
            case CRC32 -> new CrcHasher(new CRC32(), 4);
            case CRC32C -> new CrcHasher(new CRC32C(), 4);
            case CRC64NVME -> new Crc64Hasher();
            case SHA1 -> new DigestHasher("SHA-1");
            case SHA256 -> new DigestHasher("SHA-256");
        };
    }

    /** The checksum of {@code data}, base64. */
    public String of(byte[] data) {
        Hasher h = newHasher();
        h.update(data, 0, data.length);
        return h.base64();
    }

    /** Whether {@code value} is a well-formed base64 checksum of this algorithm. */
    public boolean wellFormed(String value) {
        try {
            return Base64.getDecoder().decode(value.trim()).length == length();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An incremental checksum computation. */
    public interface Hasher {
        void update(byte[] b, int off, int len);

        byte[] digest();

        default String base64() {
            return Base64.getEncoder().encodeToString(digest());
        }
    }

    private static final class CrcHasher implements Hasher {
        private final Checksum crc;
        private final int bytes;

        CrcHasher(Checksum crc, int bytes) {
            this.crc = crc;
            this.bytes = bytes;
        }

        public void update(byte[] b, int off, int len) {
            crc.update(b, off, len);
        }

        public byte[] digest() {
            return bigEndian(crc.getValue(), bytes);
        }
    }

    private static final class Crc64Hasher implements Hasher {
        private final Crc64Nvme crc = new Crc64Nvme();

        public void update(byte[] b, int off, int len) {
            crc.update(b, off, len);
        }

        public byte[] digest() {
            return bigEndian(crc.getValue(), 8);
        }
    }

    private static final class DigestHasher implements Hasher {
        private final MessageDigest md;

        DigestHasher(String name) {
            try {
                md = MessageDigest.getInstance(name);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public void update(byte[] b, int off, int len) {
            md.update(b, off, len);
        }

        public byte[] digest() {
            return md.digest();
        }
    }

    static byte[] bigEndian(long value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = bytes - 1; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }
}
