package dev.polystack.services.lambda;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A function's code: a deployment package kept on disk, named by its SHA-256 (base64, as AWS reports CodeSha256), or
 * for {@code PackageType: Image} the container image ({@code imageUri}; no file, size 0, the SHA-256 of the URI).
 */
record CodeRef(String sha256, long size, String fileName, String imageUri) {
    CodeRef(String sha256, long size, String fileName) {
        this(sha256, size, fileName, null);
    }

    @JsonIgnore // derived: not a member of the snapshot
    boolean isImage() {
        return imageUri != null;
    }
}
