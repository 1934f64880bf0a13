package dev.polystack.services.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Passes bytes through while computing the MD5 (for the ETag) and, optionally, a flexible checksum.
 * A read fills the caller's whole buffer (or reaches the end), so large bodies are digested in large runs; a run of
 * at least {@link #PARALLEL_RUN} bytes has its checksum computed on another thread while this one computes the MD5
 * (both are serial over the bytes, and together they are most of a large PUT's CPU).
 */
final class DigestingInputStream extends FilterInputStream {
    static final int PARALLEL_RUN = 256 * 1024;
    private final MessageDigest md5;
    private final ChecksumAlgorithm.Hasher checksum;
    private long count;

    /** A second checksum, of another algorithm, that the client sent and that must be verified too; may be null. */
    private final ChecksumAlgorithm.Hasher second;

    DigestingInputStream(InputStream in, ChecksumAlgorithm algorithm) {
        this(in, algorithm, null);
    }

    DigestingInputStream(InputStream in, ChecksumAlgorithm algorithm, ChecksumAlgorithm secondAlgorithm) {
        super(in);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.checksum = algorithm == null ? null : algorithm.newHasher();
        this.second = secondAlgorithm == null ? null : secondAlgorithm.newHasher();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        int n = in.readNBytes(b, off, len);
        if (n == 0) return -1;
        digest(b, off, n);
        count += n;
        return n;
    }

    private void digest(byte[] b, int off, int n) throws IOException {
        if (checksum == null || n < PARALLEL_RUN) {
            md5.update(b, off, n);
            if (checksum != null) checksum.update(b, off, n);
            if (second != null) second.update(b, off, n);
            return;
        }
        Thread other = Thread.ofVirtual().start(() -> {
            checksum.update(b, off, n);
            if (second != null) second.update(b, off, n);
        });
        md5.update(b, off, n);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while digesting");
        }
    }

    @Override
    public long skip(long n) {
        return 0; // every byte must be digested
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    byte[] md5() {
        return md5.digest();
    }

    /** The checksum, base64; null without an algorithm. Call once, after the stream ended. */
    String checksum() {
        return checksum == null ? null : checksum.base64();
    }

    /** The second algorithm's checksum (base64), or null without one. */
    String secondChecksum() {
        return second == null ? null : second.base64();
    }

    long count() {
        return count;
    }
}
