package dev.polystack.services.s3;

import dev.polystack.api.ServiceException;

/** S3's errors with AWS's codes, statuses, messages and extra fields, in one place. */
final class S3Errors {
    private S3Errors() {
    }

    static ServiceException noSuchBucket(String bucket) {
        return new ServiceException("NoSuchBucket", "The specified bucket does not exist", 404).with("BucketName", bucket);
    }

    static ServiceException noSuchKey(String key) {
        return new ServiceException("NoSuchKey", "The specified key does not exist.", 404).with("Key", key);
    }

    static ServiceException noSuchVersion(String key, String versionId) {
        return new ServiceException("NoSuchVersion", "The specified version does not exist.", 404)
                .with("Key", key).with("VersionId", versionId);
    }

    static ServiceException noSuchUpload(String uploadId) {
        return new ServiceException("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, "
                + "or the upload may have been aborted or completed.", 404).with("UploadId", uploadId);
    }

    static ServiceException invalidBucketName(String bucket) {
        return new ServiceException("InvalidBucketName", "The specified bucket is not valid.", 400).with("BucketName", bucket);
    }

    static ServiceException preconditionFailed(String condition) {
        return new ServiceException("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412)
                .with("Condition", condition);
    }

    static ServiceException invalidRange(long size, String range) {
        return new ServiceException("InvalidRange", "The requested range is not satisfiable", 416)
                .with("ActualObjectSize", String.valueOf(size)).with("RangeRequested", range);
    }

    static ServiceException invalidArgument(String message, String name, String value) {
        ServiceException e = new ServiceException("InvalidArgument", message, 400).with("ArgumentName", name);
        if (value != null) e.with("ArgumentValue", value);
        return e;
    }

    static ServiceException malformedPost() {
        return new ServiceException("MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.", 400);
    }

    static ServiceException invalidRequest(String message) {
        return new ServiceException("InvalidRequest", message, 400);
    }

    static ServiceException malformedXml() {
        return new ServiceException("MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema", 400);
    }

    static ServiceException badDigest(ChecksumAlgorithm algorithm) {
        return new ServiceException("BadDigest", "The " + algorithm.name() + " you specified did not match the calculated checksum.", 400);
    }

    static ServiceException notFound(String code, String message, String bucket) {
        return new ServiceException(code, message, 404).with("BucketName", bucket);
    }
}
