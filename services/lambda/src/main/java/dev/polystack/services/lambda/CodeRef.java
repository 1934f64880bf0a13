package dev.polystack.services.lambda;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A function's code: a deployment package kept on disk, named by its SHA-256 (base64, as AWS reports CodeSha256), or
 * for {@code PackageType: Image} the container image ({@code imageUri}; no file, size 0, the image's digest in hex
 * as AWS reports it).
 */
record CodeRef(String sha256, long size, String fileName, String imageUri) {
    CodeRef(String sha256, long size, String fileName) {
        this(sha256, size, fileName, null);
    }

    @JsonIgnore // derived: not a member of the snapshot
    boolean isImage() {
        return imageUri != null;
    }

    /**
     * An image function's image named by its digest, as GetFunction's ResolvedImageUri reports it: the repository
     * (the URI without its tag or digest) then {@code @sha256:} and the digest.
     */
    @JsonIgnore
    String resolvedImageUri() {
        String repository = imageUri;
        int at = repository.indexOf('@');
        if (at >= 0) repository = repository.substring(0, at);
        int colon = repository.lastIndexOf(':');
        if (colon > repository.lastIndexOf('/')) repository = repository.substring(0, colon);
        return repository + "@sha256:" + sha256;
    }
}
