package dev.polystack.services.s3;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;
import dev.polystack.services.s3.api.PutObjectOutput;
import dev.polystack.services.s3.api.PutObjectRequest;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Browser-based uploads: an HTML form POSTed to the bucket URL (multipart/form-data with the object key,
 * optional headers and metadata, and the file as the last field). The form is read as a stream: fields
 * first, then the file goes straight to the blob store. A policy's expiration and conditions are enforced
 * ({@link PostPolicy}); its signature is not verified (LocalStack's default: no signature validation).
 */
final class BrowserPost {
    private BrowserPost() {
    }

    /** Form fields larger than this are refused (they are small in practice; the file part is streamed). */
    private static final int MAX_FIELD = 1024 * 1024;

    static HttpResponseData handle(RequestContext ctx, String bucket, ObjectOps objects, S3State state) {
        try {
            String type = ctx.request().header("Content-Type");
            String boundary = boundary(type);
            if (boundary == null) throw S3Errors.malformedXml();
            FormDataReader form = new FormDataReader(ctx.request().body(), boundary);
            Map<String, String> fields = new LinkedHashMap<>(); // lower-case names
            FormDataReader.Part file = null;
            try {
                // fields come first; the file is the last field S3 reads (anything after it is ignored)
                for (FormDataReader.Part part = form.next(); part != null; part = form.next()) {
                    if (part.name() == null) continue;
                    if (part.name().equalsIgnoreCase("file")) {
                        file = part;
                        break;
                    }
                    fields.put(part.name().toLowerCase(Locale.ROOT), form.text(MAX_FIELD));
                }
            } catch (java.io.IOException e) {
                throw S3Errors.malformedPost();
            }
            String key = fields.get("key");
            if (key == null) {
                throw S3Errors.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the "
                        + "order of the fields.", "key", null);
            }
            PostPolicy policy = null;
            if (fields.containsKey("policy")) {
                requireSignatureFields(fields);
                policy = PostPolicy.check(fields.get("policy"), fields, bucket, state.clock.instant());
            }
            if (file == null) {
                throw S3Errors.invalidArgument("POST requires exactly one file upload per request.", "file", "0");
            }
            java.io.InputStream data = form.partBody();
            if (policy != null) data = policy.limit(data);
            if (file.filename() != null) key = key.replace("${filename}", file.filename());
            PutObjectRequest.Builder in = PutObjectRequest.builder().bucket(bucket).key(key).body(new StreamingBody(data, -1));
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<ChecksumAlgorithm, String> checksums = new java.util.EnumMap<>(ChecksumAlgorithm.class);
            fields.forEach((name, value) -> {
                switch (name) {
                    case "content-type" -> in.contentType(value);
                    case "cache-control" -> in.cacheControl(value);
                    case "content-disposition" -> in.contentDisposition(value);
                    case "content-encoding" -> in.contentEncoding(value);
                    case "content-language" -> in.contentLanguage(value);
                    case "expires" -> in.expires(value);
                    case "acl" -> in.acl(value);
                    case "x-amz-storage-class" -> in.storageClass(value);
                    case "x-amz-website-redirect-location" -> in.websiteRedirectLocation(value);
                    case "x-amz-server-side-encryption" -> in.serverSideEncryption(value);
                    default -> {
                        if (name.startsWith("x-amz-meta-")) metadata.put(name.substring(11), UserMetadata.asHeader(value));
                        ChecksumAlgorithm a = ChecksumAlgorithm.fromHeader(name);
                        if (a != null) checksums.put(a, value);
                    }
                }
            });
            if (!metadata.isEmpty()) in.metadata(metadata);
            in.checksumCRC32(checksums.get(ChecksumAlgorithm.CRC32)).checksumCRC32C(checksums.get(ChecksumAlgorithm.CRC32C))
                    .checksumCRC64NVME(checksums.get(ChecksumAlgorithm.CRC64NVME)).checksumSHA1(checksums.get(ChecksumAlgorithm.SHA1))
                    .checksumSHA256(checksums.get(ChecksumAlgorithm.SHA256));
            PutObjectOutput out = objects.putObject(ctx, in.build(), "Post");
            String etag = out.eTag();
            String location = MultipartOps.location(state, ctx, bucket, key);
            String redirect = fields.containsKey("success_action_redirect") ? fields.get("success_action_redirect") : fields.get("redirect");
            HttpResponseData res;
            if (redirect != null && (redirect.startsWith("http://") || redirect.startsWith("https://"))) {
                String sep = redirect.contains("?") ? "&" : "?";
                res = new HttpResponseData(303);
                res.header("Location", redirect + sep + "bucket=" + S3Http.urlEncode(bucket) + "&key=" + S3Http.urlEncode(key)
                        + "&etag=" + S3Http.urlEncode(etag));
            } else {
                String status = fields.getOrDefault("success_action_status", "204");
                switch (status) {
                    case "200" -> res = new HttpResponseData(200);
                    case "201" -> {
                        res = new HttpResponseData(201);
                        res.header("Content-Type", "application/xml");
                        res.body("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse><Location>" + Xml.escape(location)
                                + "</Location><Bucket>" + Xml.escape(bucket) + "</Bucket><Key>" + Xml.escape(key) + "</Key><ETag>"
                                + Xml.escape(etag) + "</ETag></PostResponse>");
                    }
                    default -> res = new HttpResponseData(204);
                }
                res.header("Location", location);
            }
            res.header("ETag", etag);
            if (out.versionId() != null) res.header("x-amz-version-id", out.versionId());
            return res;
        } catch (ServiceException e) {
            return S3Http.error(ctx, e);
        }
    }

    static String boundary(String contentType) {
        for (String part : contentType.split(";")) {
            String p = part.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                if (b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2) b = b.substring(1, b.length() - 1);
                return b;
            }
        }
        return null;
    }

    /** With a policy, S3 wants the signature fields of its signature version (they are not verified here). */
    private static void requireSignatureFields(Map<String, String> fields) {
        boolean v4 = fields.containsKey("x-amz-algorithm") || fields.containsKey("x-amz-credential")
                || fields.containsKey("x-amz-signature") || fields.containsKey("x-amz-date");
        List<String> required = v4 ? List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature")
                : List.of("AWSAccessKeyId", "Signature");
        for (String name : required) {
            if (!fields.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw S3Errors.invalidArgument("Bucket POST must contain a field named '" + name + "'.  If it is specified, please "
                        + "check the order of the fields.", name, null);
            }
        }
    }
}
