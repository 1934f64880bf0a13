package dev.polystack.services.lambda;

import dev.polystack.services.lambda.api.Cors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.ServiceException;
import dev.polystack.services.lambda.executor.InvocationResult;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Function URLs: their configuration API and the HTTP endpoint, served at
 * {@code <url-id>.lambda-url.<region>.localhost.localstack.cloud:<port>} (LocalStack's convention) with AWS's
 * payload format 2.0 in and out.
 */
final class FunctionUrls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HOST = Pattern.compile("([a-z0-9]+)\\.lambda-url\\.([a-z0-9-]+)\\..*");
    private static final Pattern URL_QUALIFIER = Pattern.compile("((?!^\\d+$)^[0-9a-zA-Z-_]+$)");
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One function URL: the function, the alias or $LATEST it invokes, and its settings. */
    record UrlConfig(String urlId, String account, String region, String functionName, String qualifier, String authType,
                     Cors cors, String invokeMode, Instant created, Instant lastModified) {
    }

    private final LambdaEngine engine;
    private final Invoker invoker;
    private final String externalHost;
    private final String scheme;
    /** url id → configuration (the index the HTTP endpoint looks up). */
    final ConcurrentHashMap<String, UrlConfig> byId = new ConcurrentHashMap<>();

    FunctionUrls(LambdaEngine engine, Invoker invoker, String scheme, String externalHost) {
        this.engine = engine;
        this.invoker = invoker;
        this.scheme = scheme;
        this.externalHost = externalHost;
    }

    String url(UrlConfig c) {
        String port = externalHost.contains(":") ? externalHost.substring(externalHost.lastIndexOf(':')) : "";
        return scheme + "://" + c.urlId() + ".lambda-url." + c.region() + ".localhost.localstack.cloud" + port + "/";
    }

    UrlConfig create(FunctionRef ref, String authType, Cors cors, String invokeMode) {
        LambdaFunction fn = existing(ref);
        synchronized (fn) {
            if (find(fn, ref.qualifier()) != null) {
                throw LambdaErrors.conflict("Failed to create function url config for [functionArn = " + ref.qualifiedArn()
                        + "]. Error message:  FunctionUrlConfig exists for this Lambda function");
            }
            Instant now = Instant.now();
            UrlConfig c = new UrlConfig(newId(), fn.account, fn.region, fn.name, ref.qualifier(), authType, cors,
                    invokeMode == null ? "BUFFERED" : invokeMode, now, now);
            byId.put(c.urlId(), c);
            return c;
        }
    }

    UrlConfig get(FunctionRef ref) {
        LambdaFunction fn = existing(ref);
        UrlConfig c = find(fn, ref.qualifier());
        if (c == null) throw LambdaErrors.notFound("The resource you requested does not exist.");
        return c;
    }

    UrlConfig update(FunctionRef ref, String authType, Cors cors, String invokeMode) {
        UrlConfig old = get(ref);
        UrlConfig c = new UrlConfig(old.urlId(), old.account(), old.region(), old.functionName(), old.qualifier(),
                authType != null ? authType : old.authType(), cors != null ? cors : old.cors(),
                invokeMode != null ? invokeMode : old.invokeMode(), old.created(), Instant.now());
        byId.put(c.urlId(), c);
        return c;
    }

    void delete(FunctionRef ref) {
        byId.remove(get(ref).urlId());
    }

    List<UrlConfig> list(FunctionRef ref) {
        LambdaFunction fn = engine.function(ref);
        List<UrlConfig> out = new ArrayList<>();
        for (UrlConfig c : byId.values()) {
            if (c.account().equals(fn.account) && c.region().equals(fn.region) && c.functionName().equals(fn.name)) out.add(c);
        }
        return out;
    }

    /** Drops the URLs of a deleted function. */
    void forget(String account, String region, String functionName) {
        byId.values().removeIf(c -> c.account().equals(account) && c.region().equals(region) && c.functionName().equals(functionName));
    }

    String functionArn(UrlConfig c) {
        String arn = FunctionRef.arn(c.account(), c.region(), c.functionName());
        return c.qualifier() == null ? arn : arn + ":" + c.qualifier();
    }

    private LambdaFunction existing(FunctionRef ref) {
        if (ref.qualifier() != null && !URL_QUALIFIER.matcher(ref.qualifier()).matches()) {
            throw LambdaErrors.validation(ref.qualifier(), "qualifier", "Member must satisfy regular expression pattern: "
                    + "((?!^\\d+$)^[0-9a-zA-Z-_]+$)");
        }
        try {
            LambdaFunction fn = engine.function(ref);
            if (ref.qualifier() != null && !ref.qualifier().equals(FunctionVersion.LATEST)) engine.getFunction(ref);
            return fn;
        } catch (ServiceException e) {
            throw LambdaErrors.notFound("Function does not exist");
        }
    }

    private UrlConfig find(LambdaFunction fn, String qualifier) {
        for (UrlConfig c : byId.values()) {
            if (c.account().equals(fn.account) && c.region().equals(fn.region) && c.functionName().equals(fn.name)
                    && java.util.Objects.equals(c.qualifier(), qualifier)) {
                return c;
            }
        }
        return null;
    }

    private static String newId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(32);
        for (int i = 0; i < 32; i++) s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        return s.toString();
    }

    // ------------------------------------------------------------------ the HTTP endpoint

    /** The answer for a request to a function URL host, or null when the host is not one. */
    HttpResponseData serve(HttpRequestData request) {
        String host = request.header("Host");
        if (host == null) return null;
        Matcher m = HOST.matcher(host.toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        UrlConfig c = byId.get(m.group(1));
        if (c == null) {
            return json(404, "{\"Message\":null}");
        }
        String accessKey = null;
        if ("AWS_IAM".equals(c.authType())) {
            // AWS answers an unsigned request to an AWS_IAM URL 403; signatures are not verified (as everywhere here)
            accessKey = signingAccessKey(request);
            if (accessKey == null) return json(403, "{\"Message\":\"Forbidden\"}");
        }
        byte[] body = request.bodyBytes();
        ObjectNode event = event(request, c, body);
        if (accessKey != null) iamAuthorizer((ObjectNode) event.get("requestContext"), accessKey, c.account());
        FunctionRef ref = new FunctionRef(c.account(), c.region(), c.functionName(), c.qualifier());
        InvocationResult r;
        try {
            LambdaEngine.Found found = engine.resolveForInvoke(ref);
            r = invoker.run(found, ref, UUID.randomUUID().toString(), event.toString().getBytes(StandardCharsets.UTF_8), null, true);
        } catch (ServiceException e) {
            return json(e.status() == 429 ? 429 : 502, "{\"Message\":\"" + e.getMessage().replace("\"", "'") + "\"}");
        }
        if (r.failed()) return json(502, "{\"Message\":\"Internal Server Error\"}");
        return response(r.payload());
    }

    /** The access key of a SigV4 signature, in the Authorization header or a presigned URL's query; null if unsigned. */
    static String signingAccessKey(HttpRequestData request) {
        String auth = request.header("Authorization");
        String credential = null;
        if (auth != null && auth.startsWith("AWS4-HMAC-SHA256") && auth.contains("Credential=")) {
            credential = auth.substring(auth.indexOf("Credential=") + "Credential=".length());
        } else if (request.queryParameter("X-Amz-Credential") != null && request.queryParameter("X-Amz-Signature") != null) {
            credential = request.queryParameter("X-Amz-Credential");
        }
        if (credential == null) return null;
        int slash = credential.indexOf('/');
        return slash <= 0 ? null : credential.substring(0, slash);
    }

    /** What AWS puts in {@code requestContext.authorizer.iam} for a signed call (the caller's account by its key). */
    private static void iamAuthorizer(ObjectNode requestContext, String accessKey, String urlAccount) {
        String account = accessKey.matches("\\d{12}") ? accessKey : urlAccount;
        requestContext.put("accountId", account);
        ObjectNode iam = requestContext.putObject("authorizer").putObject("iam");
        iam.put("accessKey", accessKey);
        iam.put("accountId", account);
        iam.put("callerId", accessKey);
        iam.putNull("cognitoIdentity");
        iam.putNull("principalOrgId");
        iam.put("userArn", "arn:aws:iam::" + account + ":root");
        iam.put("userId", account);
    }

    private ObjectNode event(HttpRequestData request, UrlConfig c, byte[] body) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", request.path());
        e.put("rawQueryString", request.rawQuery());
        ObjectNode headers = e.putObject("headers");
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("cookie")) {
                for (String value : v) for (String part : value.split(";")) if (!part.isBlank()) cookies.add(part.trim());
            } else {
                headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v));
            }
        });
        if (!cookies.isEmpty()) {
            var arr = e.putArray("cookies");
            cookies.forEach(arr::add);
        }
        if (!request.rawQuery().isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            request.queryParameters().forEach((k, v) -> q.put(k, String.join(",", v)));
        }
        ObjectNode rc = e.putObject("requestContext");
        rc.put("accountId", "anonymous");
        rc.put("apiId", c.urlId());
        rc.put("domainName", request.header("Host"));
        rc.put("domainPrefix", c.urlId());
        ObjectNode http = rc.putObject("http");
        http.put("method", request.method());
        http.put("path", request.path());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", request.header("User-Agent") == null ? "" : request.header("User-Agent"));
        rc.put("requestId", UUID.randomUUID().toString());
        rc.put("routeKey", "$default");
        rc.put("stage", "$default");
        Instant now = Instant.now();
        rc.put("time", REQUEST_TIME.format(now));
        rc.put("timeEpoch", now.toEpochMilli());
        if (body.length > 0) {
            String type = request.header("Content-Type");
            boolean text = type == null || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                    || type.contains("x-www-form-urlencoded");
            e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e;
    }

    /**
     * AWS's reading of a function's answer: an object with {@code statusCode} is a full response (headers, cookies,
     * body, isBase64Encoded); anything else is the JSON body of a 200.
     */
    private static HttpResponseData response(byte[] payload) {
        JsonNode answer;
        try {
            answer = JSON.readTree(payload);
        } catch (Exception ex) {
            return json(502, "{\"Message\":\"Internal Server Error\"}");
        }
        if (answer == null || !answer.isObject() || !answer.has("statusCode")) {
            return new HttpResponseData(200).header("Content-Type", "application/json").body(payload);
        }
        HttpResponseData r = new HttpResponseData(answer.get("statusCode").asInt(200));
        JsonNode headers = answer.get("headers");
        if (headers != null && headers.isObject()) headers.fields().forEachRemaining(h -> r.header(h.getKey(), h.getValue().asText()));
        JsonNode cookies = answer.get("cookies");
        if (cookies != null && cookies.isArray()) cookies.forEach(cookie -> r.addHeader("Set-Cookie", cookie.asText()));
        JsonNode body = answer.get("body");
        if (body != null && !body.isNull()) {
            String text = body.isTextual() ? body.asText() : body.toString();
            r.body(answer.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8));
        }
        if (r.header("Content-Type") == null) r.header("Content-Type", "application/json");
        return r;
    }

    private static HttpResponseData json(int status, String body) {
        return new HttpResponseData(status).header("Content-Type", "application/json").body(body);
    }
}
