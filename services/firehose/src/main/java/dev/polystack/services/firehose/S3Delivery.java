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

    /** The values of a prefix's {@code !{namespace:name}} expressions other than the timestamp's, for one object. */
    record PrefixValues(Map<String, String> fromQuery, Map<String, String> fromLambda, String errorOutputType) {
        static final PrefixValues NONE = new PrefixValues(Map.of(), Map.of(), null);

        static PrefixValues error(String type) {
            return new PrefixValues(Map.of(), Map.of(), type);
        }
    }

    /** A prefix expression names a partition key the record does not carry. */
    static final class MissingPartitionKey extends IllegalArgumentException {
        MissingPartitionKey(String message) {
            super(message);
        }
    }

    static String key(DeliveryStream s, String prefix, long now) {
        return key(s, prefix, now, PrefixValues.NONE);
    }

    static String key(DeliveryStream s, String prefix, long now, PrefixValues values) {
        return evaluatePrefix(prefix, now, values) + objectName(s, now);
    }

    /** A prefix with its expressions evaluated; the UTC hour folders follow a prefix without expressions. */
    static String evaluatePrefix(String prefix, long now, PrefixValues values) {
        Instant t = Instant.ofEpochMilli(now);
        String p = prefix == null ? "" : expand(prefix, t, values);
        if (prefix == null || !prefix.contains("!{")) p += HOUR_FOLDERS.format(t);
        return p;
    }

    static String objectName(DeliveryStream s, long now) {
        return s.name + "-" + s.versionId + "-" + STAMP.format(Instant.ofEpochMilli(now)) + "-" + UUID.randomUUID() + extension(s);
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

    /**
     * Evaluates {@code !{timestamp:<java pattern>}}, {@code !{partitionKeyFromQuery:k}}, {@code !{partitionKeyFromLambda:k}},
     * {@code !{firehose:error-output-type}} and {@code !{firehose:random-string}}; throws {@link MissingPartitionKey} when
     * a partition key has no value. An expression of another namespace is left as written.
     */
    private static String expand(String prefix, Instant t, PrefixValues values) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < prefix.length()) {
            int open = prefix.indexOf("!{", i);
            int close = open < 0 ? -1 : prefix.indexOf('}', open);
            if (close < 0) {
                out.append(prefix, i, prefix.length());
                break;
            }
            out.append(prefix, i, open);
            String expression = prefix.substring(open + 2, close);
            int colon = expression.indexOf(':');
            String namespace = colon < 0 ? expression : expression.substring(0, colon);
            String name = colon < 0 ? "" : expression.substring(colon + 1);
            String value = switch (namespace) {
                case "timestamp" -> {
                    try {
                        yield DateTimeFormatter.ofPattern(name).withZone(ZoneOffset.UTC).format(t);
                    } catch (IllegalArgumentException e) {
                        yield null;
                    }
                }
                case "partitionKeyFromQuery" -> partitionKey(values.fromQuery(), name, namespace);
                case "partitionKeyFromLambda" -> partitionKey(values.fromLambda(), name, namespace);
                case "firehose" -> switch (name) {
                    case "error-output-type" -> values.errorOutputType();
                    case "random-string" -> Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000_000_000L, 36);
                    default -> null;
                };
                default -> null;
            };
            out.append(value != null ? value : prefix.substring(open, close + 1));
            i = close + 1;
        }
        return out.toString();
    }

    private static String partitionKey(Map<String, String> keys, String name, String namespace) {
        String v = keys.get(name);
        if (v == null) throw new MissingPartitionKey("The record has no " + name + " key for !{" + namespace + ":" + name + "} in the prefix.");
        return v;
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
        deliver(env, account, region, s, data, now, prefix, PrefixValues.NONE);
    }

    /** The same with the prefix's partition keys or error type given. */
    static void deliver(ProviderEnvironment env, String account, String region, DeliveryStream s, byte[] data, long now, String prefix,
                        PrefixValues values) {
        put(env, account, region, s, key(s, prefix, now, values), data);
    }

    /** The same under a prefix already evaluated (a dynamic partition's). */
    static void deliverLiteral(ProviderEnvironment env, String account, String region, DeliveryStream s, byte[] data, long now,
                               String evaluatedPrefix) {
        put(env, account, region, s, evaluatedPrefix + objectName(s, now), data);
    }

    private static void put(ProviderEnvironment env, String account, String region, DeliveryStream s, String key, byte[] data) {
        S3Api.client(env).putObject(RequestContext.internal(account, region, "s3"), PutObjectRequest.builder().bucket(bucket(s))
                .key(key).body(StreamingBody.of(compress(s, data, key))).build());
    }

    /**
     * Failed records (JSON lines) to the backup bucket under {@code ErrorOutputPrefix}, its
     * {@code !{firehose:error-output-type}} being {@code type}; without one, under {@code <type>/} and the hour folders.
     */
    static void deliverFailed(ProviderEnvironment env, String account, String region, DeliveryStream s, byte[] lines, long now, String type) {
        String prefix = s.s3.get("ErrorOutputPrefix") instanceof String p && !p.isEmpty() ? p : type + "/";
        deliver(env, account, region, s, lines, now, prefix, PrefixValues.error(type));
    }
}
