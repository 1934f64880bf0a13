package dev.polystack.services.s3;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.ServiceException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The expiry of presigned URLs, checked as S3 does before anything else: SigV4 (X-Amz-Date + X-Amz-Expires,
 * at most a week) and SigV2 (Expires, epoch seconds). Signatures themselves are not checked (LocalStack's
 * default), only whether the URL is still valid.
 */
final class PresignedExpiry {
    static final long MAX_EXPIRES_SECONDS = 604_800;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private PresignedExpiry() {
    }

    static void check(HttpRequestData req, Instant now) {
        if (req == null) return;
        String query = req.rawQuery();
        // the common case, a request signed in its headers, costs one scan of the query string
        if (query.isEmpty() || (!query.contains("X-Amz-") && !query.contains("Expires="))) return;
        if (req.queryParameter("X-Amz-Algorithm") != null || req.queryParameter("X-Amz-Credential") != null) {
            checkSigV4(req, now);
        } else if (req.queryParameter("AWSAccessKeyId") != null && req.queryParameter("Signature") != null) {
            checkSigV2(req, now);
        }
    }

    private static void checkSigV4(HttpRequestData req, Instant now) {
        String date = req.queryParameter("X-Amz-Date");
        String expires = req.queryParameter("X-Amz-Expires");
        if (date == null || expires == null) {
            throw queryError("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                    + "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        }
        long seconds;
        try {
            seconds = Long.parseLong(expires.trim());
        } catch (NumberFormatException e) {
            throw queryError("X-Amz-Expires should be a number");
        }
        if (seconds < 0) throw queryError("X-Amz-Expires must be non-negative");
        if (seconds > MAX_EXPIRES_SECONDS) {
            throw queryError("X-Amz-Expires must be less than a week (in seconds) that is " + MAX_EXPIRES_SECONDS);
        }
        Instant signed;
        try {
            signed = LocalDateTime.parse(date.trim(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw queryError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
        }
        Instant expiry = signed.plusSeconds(seconds);
        if (now.isAfter(expiry)) throw expired(expiry, now).with("X-Amz-Expires", expires.trim());
    }

    private static void checkSigV2(HttpRequestData req, Instant now) {
        String expires = req.queryParameter("Expires");
        if (expires == null) return;
        long epoch;
        try {
            epoch = Long.parseLong(expires.trim());
        } catch (NumberFormatException e) {
            throw new ServiceException("AccessDenied", "Invalid date (should be seconds since epoch): " + expires, 403);
        }
        Instant expiry = Instant.ofEpochSecond(epoch);
        if (now.isAfter(expiry)) throw expired(expiry, now);
    }

    private static ServiceException expired(Instant expiry, Instant now) {
        return new ServiceException("AccessDenied", "Request has expired", 403)
                .with("Expires", expiry.toString())
                .with("ServerTime", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }

    private static ServiceException queryError(String message) {
        return new ServiceException("AuthorizationQueryParametersError", message, 400);
    }
}
