package dev.polystack.services.firehose;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import dev.polystack.services.firehose.api.HttpEndpointCommonAttribute;
import dev.polystack.services.firehose.api.HttpEndpointConfiguration;
import dev.polystack.services.firehose.api.HttpEndpointDestinationConfiguration;
import dev.polystack.services.firehose.api.HttpEndpointRequestConfiguration;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Delivery to an HTTP endpoint as Firehose's HTTP endpoint delivery specification describes it: one POST per buffer
 * with a JSON body {@code {"requestId", "timestamp", "records": [{"data": base64}]}} and the
 * {@code X-Amz-Firehose-*} headers (protocol version, request id, source ARN, access key, common attributes),
 * gzipped when {@code RequestConfiguration.ContentEncoding} is GZIP. The endpoint must answer 200 with the same
 * {@code requestId}; anything else is a failure the caller retries.
 *
 * <p>AWS requires https URLs (botocore's pattern, enforced by the protocol layer). Endpoints a test or a developer
 * runs locally have self-signed certificates, so this emulator does not verify the endpoint's certificate.
 */
final class HttpEndpointDelivery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .sslContext(trustingContext()).build();

    private HttpEndpointDelivery() {
    }

    /** Thrown when the endpoint refuses or does not answer as the specification requires. */
    static final class Failure extends Exception {
        final String code;

        Failure(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static void deliver(DeliveryStream s, List<byte[]> records, long now) throws Failure {
        HttpEndpointDestinationConfiguration http = s.httpConfiguration();
        HttpEndpointConfiguration endpoint = http.endpointConfiguration() == null
                ? HttpEndpointConfiguration.builder().build() : http.endpointConfiguration();
        HttpEndpointRequestConfiguration request = http.requestConfiguration() == null
                ? HttpEndpointRequestConfiguration.builder().build() : http.requestConfiguration();
        String requestId = UUID.randomUUID().toString();
        ObjectNode body = JSON.createObjectNode().put("requestId", requestId).put("timestamp", now);
        ArrayNode list = body.putArray("records");
        for (byte[] r : records) list.addObject().put("data", Base64.getEncoder().encodeToString(r));

        boolean gzip = "GZIP".equals(request.contentEncodingAsString());
        byte[] bytes = gzip ? gzip(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(String.valueOf(endpoint.url())))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-Amz-Firehose-Protocol-Version", "1.0")
                .header("X-Amz-Firehose-Request-Id", requestId)
                .header("X-Amz-Firehose-Source-Arn", s.arn)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (gzip) post.header("Content-Encoding", "gzip");
        if (endpoint.accessKey() != null) post.header("X-Amz-Firehose-Access-Key", endpoint.accessKey());
        ObjectNode attributes = JSON.createObjectNode();
        ObjectNode common = attributes.putObject("commonAttributes");
        if (request.commonAttributes() != null) {
            for (HttpEndpointCommonAttribute a : request.commonAttributes()) common.put(a.attributeName(), a.attributeValue());
        }
        post.header("X-Amz-Firehose-Common-Attributes", attributes.toString());

        HttpResponse<String> response;
        try {
            response = CLIENT.send(post.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("HttpEndpoint.RequestFailed", "The request to the endpoint failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("HttpEndpoint.RequestFailed", "Interrupted");
        }
        if (response.statusCode() != 200) {
            throw new Failure("HttpEndpoint.InvalidResponseFromDestination",
                    "Received response code " + response.statusCode() + " from the endpoint.");
        }
        String answeredId;
        try {
            answeredId = JSON.readTree(response.body()).path("requestId").asText(null);
        } catch (IOException e) {
            answeredId = null;
        }
        if (!requestId.equals(answeredId)) {
            throw new Failure("HttpEndpoint.InvalidResponseFromDestination",
                    "The response from the endpoint does not carry the request's requestId.");
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static SSLContext trustingContext() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{trustAll}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
