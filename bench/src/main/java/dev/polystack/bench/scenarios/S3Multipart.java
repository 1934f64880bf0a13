package dev.polystack.bench.scenarios;

import dev.polystack.bench.Scenario;
import dev.polystack.bench.Target;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * An S3 multipart upload: CreateMultipartUpload, a 5 MiB part and a 64 KiB part, CompleteMultipartUpload (which
 * computes the object's checksum and ETag from its parts). One key per worker, overwritten. (No part read: moto
 * answers GetObject with partNumber with the whole object.) The parts' ETags are their MD5s, computed here once (the helper returns bodies, not headers).
 */
public final class S3Multipart implements Scenario {
    private static final String BUCKET = "bench-s3-multipart";
    private static final byte[][] PARTS = {S3Objects.payload(5 * 1024 * 1024), S3Objects.payload(64 * 1024)};
    private static final String[] ETAGS = new String[PARTS.length];

    static {
        try {
            for (int i = 0; i < PARTS.length; i++) {
                ETAGS[i] = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(PARTS[i]));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "s3-multipart-5mib";
    }

    @Override
    public void setup(Target target) throws Exception {
        S3Objects.createBucket(target, BUCKET);
    }

    @Override
    public void iterate(Target target, int worker, long iteration) throws Exception {
        String path = "/" + BUCKET + "/w" + worker;
        String created = new String(target.rest("s3", "POST", path + "?uploads", null), java.nio.charset.StandardCharsets.UTF_8);
        String uploadId = Target.xmlValue(created, "UploadId");
        if (uploadId == null) throw new IllegalStateException("no UploadId: " + created);
        StringBuilder complete = new StringBuilder("<CompleteMultipartUpload>");
        for (int i = 0; i < PARTS.length; i++) {
            target.rest("s3", "PUT", path + "?partNumber=" + (i + 1) + "&uploadId=" + uploadId, PARTS[i]);
            complete.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>\"").append(ETAGS[i])
                    .append("\"</ETag></Part>");
        }
        complete.append("</CompleteMultipartUpload>");
        String done = new String(target.rest("s3", "POST", path + "?uploadId=" + uploadId,
                complete.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), java.nio.charset.StandardCharsets.UTF_8);
        if (Target.xmlValue(done, "ETag") == null) throw new IllegalStateException("not completed: " + done);
    }
}
