package dev.polystack.services.s3;

import java.util.Base64;

/**
 * Combines CRCs of consecutive byte runs into the CRC of their concatenation (zlib's crc32_combine
 * method, over GF(2) matrices), for the FULL_OBJECT checksum of a multipart upload without re-reading
 * the parts. Valid for reflected CRCs with all-ones init and final xor: CRC32, CRC32C, CRC64NVME.
 */
final class CrcCombine {
    private CrcCombine() {
    }

    static long polynomial(ChecksumAlgorithm a) {
        return switch (a) {
            case CRC32 -> 0xEDB88320L;
            case CRC32C -> 0x82F63B78L;
            case CRC64NVME -> 0x9a6c9329ac4bc9b5L;
            default -> throw new IllegalArgumentException(a + " is not a CRC");
        };
    }

    static long combine(ChecksumAlgorithm a, long crc1, long crc2, long len2) {
        if (len2 <= 0) return crc1;
        int width = a.length() * 8;
        long[] even = new long[width];
        long[] odd = new long[width];
        odd[0] = polynomial(a);
        long row = 1;
        for (int n = 1; n < width; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd, width);
        square(odd, even, width);
        do {
            square(even, odd, width);
            if ((len2 & 1) != 0) crc1 = times(even, crc1);
            len2 >>>= 1;
            if (len2 == 0) break;
            square(odd, even, width);
            if ((len2 & 1) != 0) crc1 = times(odd, crc1);
            len2 >>>= 1;
        } while (len2 != 0);
        return crc1 ^ crc2;
    }

    /** Combines base64 checksums of consecutive parts with the given sizes into the whole object's, base64. */
    static String combineBase64(ChecksumAlgorithm a, String[] parts, long[] sizes) {
        long crc = 0;
        boolean first = true;
        for (int i = 0; i < parts.length; i++) {
            long v = toLong(Base64.getDecoder().decode(parts[i]));
            crc = first ? v : combine(a, crc, v, sizes[i]);
            first = false;
        }
        return Base64.getEncoder().encodeToString(ChecksumAlgorithm.bigEndian(crc, a.length()));
    }

    private static long toLong(byte[] b) {
        long v = 0;
        for (byte x : b) v = (v << 8) | (x & 0xff);
        return v;
    }

    private static long times(long[] mat, long vec) {
        long sum = 0;
        int i = 0;
        while (vec != 0) {
            if ((vec & 1) != 0) sum ^= mat[i];
            vec >>>= 1;
            i++;
        }
        return sum;
    }

    private static void square(long[] square, long[] mat, int width) {
        for (int n = 0; n < width; n++) square[n] = times(mat, mat[n]);
    }
}
