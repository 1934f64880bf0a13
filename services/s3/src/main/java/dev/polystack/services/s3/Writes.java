package dev.polystack.services.s3;

import dev.polystack.api.MalformedBodyException;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.services.s3.storage.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Turns a request body into a blob while checking its integrity: MD5 for the ETag and Content-MD5,
 * and one flexible checksum, given in a header, announced as an aws-chunked trailer (whose value the
 * gateway adds to the request headers when the body ends), or S3's default CRC64NVME.
 * A body that fails a check is deleted before anything refers to it.
 */
final class Writes {
    private Writes() {
    }

    /** The checksum a request asks for: algorithm, and the expected value when the client sent one up front. */
    record ChecksumRequest(ChecksumAlgorithm algorithm, String expected, boolean trailer, boolean explicit) {
    }

    /**
     * What was stored. {@code etag} is quoted; {@code verified} is the checksum of the other algorithm the client
     * sent and that was verified (see {@link #write(S3State, RequestContext, StreamingBody, String, ChecksumRequest, ChecksumRequest)}), else null.
     */
    record Written(BlobStore.Blob blob, String etag, byte[] md5, ChecksumAlgorithm algorithm, String checksum, boolean explicit,
                   String verified) {
    }

    /** The x-amz-checksum-* values a request sent (any may be null). */
    record ChecksumHeaders(String crc32, String crc32c, String crc64nvme, String sha1, String sha256) {
        static ChecksumHeaders of(Map<String, Object> in) {
            return new ChecksumHeaders(In.str(in, ChecksumAlgorithm.CRC32.member), In.str(in, ChecksumAlgorithm.CRC32C.member),
                    In.str(in, ChecksumAlgorithm.CRC64NVME.member), In.str(in, ChecksumAlgorithm.SHA1.member),
                    In.str(in, ChecksumAlgorithm.SHA256.member));
        }

        String value(ChecksumAlgorithm a) {
            return switch (a) {
                case CRC32 -> crc32;
                case CRC32C -> crc32c;
                case CRC64NVME -> crc64nvme;
                case SHA1 -> sha1;
                case SHA256 -> sha256;
            };
        }
    }

    static ChecksumRequest checksumRequest(RequestContext ctx, Map<String, Object> in, ChecksumAlgorithm fallback) {
        return checksumRequest(ctx, ChecksumHeaders.of(in), In.str(in, "ChecksumAlgorithm"), fallback);
    }

    /** @param sdk the SDK's ChecksumAlgorithm member (x-amz-sdk-checksum-algorithm), or null */
    static ChecksumRequest checksumRequest(RequestContext ctx, ChecksumHeaders headers, String sdk, ChecksumAlgorithm fallback) {
        ChecksumAlgorithm provided = null;
        String value = null;
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String v = headers.value(a);
            if (v == null) continue;
            if (provided != null) {
                throw S3Errors.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }
            provided = a;
            value = v.trim();
        }
        if (provided != null && !provided.wellFormed(value)) {
            throw S3Errors.invalidRequest("Value for " + provided.header + " header is invalid.");
        }
        ChecksumAlgorithm sdkAlgorithm = null;
        if (sdk != null) {
            try {
                sdkAlgorithm = ChecksumAlgorithm.parse(sdk);
            } catch (IllegalArgumentException e) {
                throw S3Errors.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid "
                        + "types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
            }
        }
        if (provided != null) return new ChecksumRequest(provided, value, false, true);
        String trailerHeader = ctx.request() == null ? null : ctx.request().header("x-amz-trailer");
        if (trailerHeader != null) {
            ChecksumAlgorithm t = ChecksumAlgorithm.fromHeader(trailerHeader);
            if (t != null) return new ChecksumRequest(t, null, true, true);
        }
        if (sdkAlgorithm != null) return new ChecksumRequest(sdkAlgorithm, null, false, true);
        return new ChecksumRequest(fallback, null, false, false);
    }

    /** Reads the body of {@code in} ("Body" member) into a blob, verifying Content-MD5 and the checksum. */
    static Written write(S3State state, RequestContext ctx, Map<String, Object> in, ChecksumRequest checksum) {
        return write(state, ctx, in, checksum, null);
    }

    /**
     * @param alsoVerify a checksum of another algorithm the client sent (an UploadPart's CRC32 for an upload whose
     *                   objects get CRC64NVME): verified while the body streams, not kept
     */
    static Written write(S3State state, RequestContext ctx, Map<String, Object> in, ChecksumRequest checksum, ChecksumRequest alsoVerify) {
        return write(state, ctx, new StreamingBody(body(in), bodyLength(in)), In.str(in, "ContentMD5"), checksum, alsoVerify);
    }

    /**
     * Reads a body into a blob, verifying Content-MD5 and the checksum.
     * @param body null for an empty body
     */
    static Written write(S3State state, RequestContext ctx, StreamingBody body, String contentMd5, ChecksumRequest checksum,
                         ChecksumRequest alsoVerify) {
        byte[] expectedMd5 = contentMd5(contentMd5);
        InputStream stream = body == null ? InputStream.nullInputStream() : body.stream();
        long length = body == null ? 0 : body.length();
        DigestingInputStream digesting = new DigestingInputStream(stream, checksum.algorithm(),
                alsoVerify == null ? null : alsoVerify.algorithm());
        BlobStore.Blob blob;
        try (InputStream ignored = stream) {
            blob = state.blobs.write(digesting, length);
        } catch (MalformedBodyException e) {
            throw e.toServiceException();
        } catch (IOException e) {
            throw new ServiceException("IncompleteBody", "The request body could not be read: " + e.getMessage(), 400);
        }
        byte[] md5 = digesting.md5();
        String computed = digesting.checksum();
        String expected = checksum.expected();
        if (checksum.trailer() && ctx.request() != null) expected = ctx.request().header(checksum.algorithm().header);
        try {
            if (expectedMd5 != null && !java.util.Arrays.equals(expectedMd5, md5)) {
                throw new ServiceException("BadDigest", "The Content-MD5 you specified did not match what we received.", 400)
                        .with("ExpectedDigest", HexFormat.of().formatHex(expectedMd5))
                        .with("CalculatedDigest", Base64.getEncoder().encodeToString(md5));
            }
            if (expected != null && !expected.trim().equals(computed)) throw S3Errors.badDigest(checksum.algorithm());
            if (alsoVerify != null) {
                String other = alsoVerify.expected();
                if (alsoVerify.trailer() && ctx.request() != null) other = ctx.request().header(alsoVerify.algorithm().header);
                if (other != null && !other.trim().equals(digesting.secondChecksum())) throw S3Errors.badDigest(alsoVerify.algorithm());
            }
        } catch (ServiceException e) {
            state.blobs.delete(blob.id());
            throw e;
        }
        return new Written(blob, quote(HexFormat.of().formatHex(md5)), md5, checksum.algorithm(), computed, checksum.explicit(),
                alsoVerify == null ? null : digesting.secondChecksum());
    }

    /** The body's declared length, or -1. */
    static long bodyLength(Map<String, Object> in) {
        Object body = in.get("Body");
        if (body instanceof StreamingBody s) return s.length();
        if (body instanceof byte[] b) return b.length;
        return -1;
    }

    static InputStream body(Map<String, Object> in) {
        Object body = in.get("Body");
        if (body instanceof StreamingBody s) return s.stream();
        if (body instanceof byte[] b) return new java.io.ByteArrayInputStream(b);
        if (body instanceof String s) return new java.io.ByteArrayInputStream(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (body instanceof InputStream s) return s;
        return InputStream.nullInputStream();
    }

    static byte[] contentMd5(String header) {
        if (header == null) return null;
        try {
            byte[] d = Base64.getDecoder().decode(header.trim());
            if (d.length == 16) return d;
        } catch (IllegalArgumentException ignored) {
            // fall through
        }
        throw new ServiceException("InvalidDigest", "The Content-MD5 you specified was invalid.", 400).with("Content-MD5", header);
    }

    /** Copies a stream into a new blob (server-side copies), digesting as it goes. */
    static Written copy(S3State state, InputStream source, ChecksumAlgorithm algorithm) {
        DigestingInputStream digesting = new DigestingInputStream(source, algorithm);
        try (InputStream ignored = source) {
            BlobStore.Blob blob = state.blobs.write(digesting);
            byte[] md5 = digesting.md5();
            return new Written(blob, quote(HexFormat.of().formatHex(md5)), md5, algorithm, digesting.checksum(), false, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quote(String etag) {
        return "\"" + etag + "\"";
    }

    static String unquote(String etag) {
        if (etag == null) return null;
        String t = etag.trim();
        if (t.startsWith("W/")) t = t.substring(2);
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) return t.substring(1, t.length() - 1);
        return t;
    }
}
