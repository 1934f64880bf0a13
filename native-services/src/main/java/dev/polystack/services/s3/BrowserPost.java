package dev.polystack.services.s3;

import dev.polystack.api.HttpResponseData;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.StreamingBody;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Browser-based uploads: an HTML form POSTed to the bucket URL (multipart/form-data with the object key,
 * optional headers and metadata, and the file as the last field). The policy and signature are not
 * checked (LocalStack's default: no signature validation).
 */
final class BrowserPost {
    private BrowserPost() {
    }

    static HttpResponseData handle(RequestContext ctx, String bucket, ObjectOps objects) {
        try {
            String type = ctx.request().header("Content-Type");
            String boundary = boundary(type);
            if (boundary == null) throw S3Errors.malformedXml();
            Map<String, String> fields = new LinkedHashMap<>(); // lower-case names
            byte[][] file = new byte[1][];
            String[] fileName = new String[1];
            parse(ctx.request().bodyBytes(), boundary, fields, file, fileName);
            String key = fields.get("key");
            if (key == null) {
                throw S3Errors.invalidArgument("Bucket POST must contain a field named 'key'.  If it is specified, please check the "
                        + "order of the fields.", "key", null);
            }
            if (file[0] == null) {
                throw S3Errors.invalidArgument("POST requires exactly one file upload per request.", "file", "0");
            }
            if (fileName[0] != null) key = key.replace("${filename}", fileName[0]);
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("Bucket", bucket);
            in.put("Key", key);
            in.put("Body", StreamingBody.of(file[0]));
            Map<String, Object> metadata = new LinkedHashMap<>();
            fields.forEach((name, value) -> {
                switch (name) {
                    case "content-type" -> in.put("ContentType", value);
                    case "cache-control" -> in.put("CacheControl", value);
                    case "content-disposition" -> in.put("ContentDisposition", value);
                    case "content-encoding" -> in.put("ContentEncoding", value);
                    case "content-language" -> in.put("ContentLanguage", value);
                    case "expires" -> in.put("Expires", value);
                    case "acl" -> in.put("ACL", value);
                    case "x-amz-storage-class" -> in.put("StorageClass", value);
                    case "x-amz-website-redirect-location" -> in.put("WebsiteRedirectLocation", value);
                    case "x-amz-server-side-encryption" -> in.put("ServerSideEncryption", value);
                    default -> {
                        if (name.startsWith("x-amz-meta-")) metadata.put(name.substring(11), value);
                        ChecksumAlgorithm a = ChecksumAlgorithm.fromHeader(name);
                        if (a != null) in.put(a.member, value);
                    }
                }
            });
            if (!metadata.isEmpty()) in.put("Metadata", metadata);
            Map<String, Object> out = objects.putObject(ctx, in, "Post");
            String etag = String.valueOf(out.get("ETag"));
            String location = MultipartOps.location(ctx, bucket, key);
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
            if (out.get("VersionId") != null) res.header("x-amz-version-id", out.get("VersionId").toString());
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

    /** Splits a multipart/form-data body into text fields and the file field. */
    static void parse(byte[] body, String boundary, Map<String, String> fields, byte[][] file, String[] fileName) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        while (pos >= 0) {
            int start = pos + delimiter.length;
            if (start + 2 <= body.length && body[start] == '-' && body[start + 1] == '-') break; // closing delimiter
            start = skipLine(body, start);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
            if (headersEnd < 0) throw S3Errors.malformedXml();
            String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
            int dataStart = headersEnd + 4;
            int next = indexOf(body, delimiter, dataStart);
            if (next < 0) throw S3Errors.malformedXml();
            int dataEnd = next - 2; // the CRLF before the delimiter
            if (dataEnd < dataStart) dataEnd = dataStart;
            String name = null;
            String filename = null;
            for (String line : headers.split("\r\n")) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("content-disposition")) continue;
                name = param(line, "name");
                filename = param(line, "filename");
            }
            if (name != null) {
                if (name.equalsIgnoreCase("file")) {
                    file[0] = Arrays.copyOfRange(body, dataStart, dataEnd);
                    fileName[0] = filename;
                } else {
                    fields.put(name.toLowerCase(Locale.ROOT), new String(body, dataStart, dataEnd - dataStart, StandardCharsets.UTF_8));
                }
            }
            pos = next;
        }
    }

    private static String param(String header, String name) {
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, name + "=", 0, name.length() + 1)) {
                String v = p.substring(name.length() + 1);
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) v = v.substring(1, v.length() - 1);
                return v;
            }
        }
        return null;
    }

    private static int skipLine(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i + 2;
        return b.length;
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) if (data[i + j] != pattern[j]) continue outer;
            return i;
        }
        return -1;
    }
}
