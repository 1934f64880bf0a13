package dev.polystack.services.firehose;

import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.RequestContext;
import dev.polystack.api.StreamingBody;
import dev.polystack.services.s3.api.PutObjectRequest;
import dev.polystack.services.s3.api.S3Api;

import org.xerial.snappy.SnappyFramedOutputStream;
import org.xerial.snappy.SnappyHadoopCompatibleOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a buffer to S3 as AWS names its objects: {@code <Prefix>YYYY/MM/DD/HH/<stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid>}
 * (the UTC hour folders are added to a prefix without {@code !{...}} expressions), records concatenated as sent
 * (Firehose adds no delimiter), compressed as {@code CompressionFormat} asks (GZIP, ZIP, Snappy's framing format and
 * Hadoop-compatible Snappy, with AWS's default file extensions {@code .gz}, {@code .zip} and {@code .snappy} unless
 * {@code FileExtension} names another). A write S3 refuses (no such bucket) throws; the caller keeps the buffer and retries,
 * as Firehose retries S3 delivery.
 */
final class S3Delivery {
    private static final DateTimeFormatter HOUR_FOLDERS = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

    private S3Delivery() {
    }

    static String key(DeliveryStream s, String prefix, long now) {
        Instant t = Instant.ofEpochMilli(now);
        String p = prefix == null ? "" : expand(prefix, t);
        if (prefix == null || !prefix.contains("!{")) p += HOUR_FOLDERS.format(t);
        return p + s.name + "-" + s.versionId + "-" + STAMP.format(t) + "-" + UUID.randomUUID() + extension(s);
    }

    static String compression(DeliveryStream s) {
        Object c = s.s3 == null ? null : s.s3.get("CompressionFormat");
        return c == null ? "UNCOMPRESSED" : c.toString();
    }

    private static String extension(DeliveryStream s) {
        if (s.s3.get("FileExtension") instanceof String custom && !custom.isEmpty()) return custom;
        return switch (compression(s)) {
            case "GZIP" -> ".gz";
            case "ZIP" -> ".zip";
            case "Snappy", "HADOOP_SNAPPY" -> ".snappy";
            default -> "";
        };
    }

    /** The object body in the stream's compression format (ZIP: one entry named after the object, as one file). */
    static byte[] compress(DeliveryStream s, byte[] data, String key) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
            switch (compression(s)) {
                case "GZIP" -> {
                    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                        gz.write(data);
                    }
                }
                case "ZIP" -> {
                    try (ZipOutputStream zip = new ZipOutputStream(out)) {
                        String file = key.substring(key.lastIndexOf('/') + 1);
                        zip.putNextEntry(new ZipEntry(file.endsWith(".zip") ? file.substring(0, file.length() - 4) : file));
                        zip.write(data);
                        zip.closeEntry();
                    }
                }
                case "Snappy" -> {
                    try (SnappyFramedOutputStream snappy = new SnappyFramedOutputStream(out)) {
                        snappy.write(data);
                    }
                }
                case "HADOOP_SNAPPY" -> {
                    try (SnappyHadoopCompatibleOutputStream snappy = new SnappyHadoopCompatibleOutputStream(out)) {
                        snappy.write(data);
                    }
                }
                default -> {
                    return data;
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in-memory streams do not fail
        }
    }

    /** The timestamp namespace of custom prefixes: {@code !{timestamp:yyyy}} and friends. */
    private static String expand(String prefix, Instant t) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < prefix.length()) {
            int open = prefix.indexOf("!{timestamp:", i);
            if (open < 0) {
                out.append(prefix, i, prefix.length());
                break;
            }
            int close = prefix.indexOf('}', open);
            if (close < 0) {
                out.append(prefix, i, prefix.length());
                break;
            }
            out.append(prefix, i, open);
            String pattern = prefix.substring(open + 12, close);
            try {
                out.append(DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(t));
            } catch (IllegalArgumentException e) {
                out.append(prefix, open, close + 1);
            }
            i = close + 1;
        }
        return out.toString();
    }

    static String bucket(DeliveryStream s) {
        Object arn = s.s3 == null ? null : s.s3.get("BucketARN");
        String a = arn == null ? "" : arn.toString();
        int i = a.indexOf(":::");
        return i >= 0 ? a.substring(i + 3) : a;
    }

    /** Delivers one buffer as one object; throws the S3 error when S3 refuses it. */
    static void deliver(ProviderEnvironment env, String account, String region, DeliveryStream s, byte[] data, long now) {
        deliver(env, account, region, s, data, now, (String) s.s3.get("Prefix"));
    }

    /** The same with another prefix (an HTTP endpoint's backups and failed records). */
    static void deliver(ProviderEnvironment env, String account, String region, DeliveryStream s, byte[] data, long now, String prefix) {
        String key = key(s, prefix, now);
        S3Api.client(env).putObject(RequestContext.internal(account, region, "s3"), PutObjectRequest.builder().bucket(bucket(s))
                .key(key).body(StreamingBody.of(compress(s, data, key))).build());
    }
}
