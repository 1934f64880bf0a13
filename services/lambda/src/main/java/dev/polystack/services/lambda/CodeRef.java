package dev.polystack.services.lambda;

/** A deployment package kept on disk, named by its SHA-256 (base64, as AWS reports CodeSha256). */
record CodeRef(String sha256, long size, String fileName) {
}
