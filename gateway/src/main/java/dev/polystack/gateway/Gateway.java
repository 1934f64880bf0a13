package dev.polystack.gateway;

import dev.polystack.api.AccessKeys;
import dev.polystack.api.Config;
import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.MalformedBodyException;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.WebSocketUpgrade;
import dev.polystack.gateway.dispatch.FallbackErrors;
import dev.polystack.gateway.dispatch.GatewayErrors;
import dev.polystack.gateway.dispatch.MemoryGuard;
import dev.polystack.gateway.dispatch.ServiceDispatcher;
import dev.polystack.gateway.http.ContentDecoding;
import dev.polystack.gateway.platform.Cors;
import dev.polystack.gateway.platform.InternalRoutes;
import dev.polystack.gateway.platform.PlatformRoute;
import dev.polystack.gateway.routing.Route;
import dev.polystack.gateway.routing.ServiceRouter;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One request through the gateway, independent of the web server:
 * aws-chunked decoding → platform endpoints → routing → CORS → gzip decoding → context → dispatch,
 * then CORS and request-id headers on whatever comes back.
 */
public final class Gateway {
    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    private final ServiceRouter router;
    private final ServiceDispatcher dispatcher;
    private final List<PlatformRoute> platformRoutes;
    private final Cors cors;
    private final List<GatewayHooks> hooks;

    public Gateway(ServiceRouter router, ServiceDispatcher dispatcher, List<PlatformRoute> platformRoutes,
                   Cors cors, List<GatewayHooks> hooks) {
        this.router = router;
        this.dispatcher = dispatcher;
        this.platformRoutes = List.copyOf(platformRoutes);
        this.cors = cors;
        this.hooks = List.copyOf(hooks);
    }

    public HttpResponseData handle(HttpRequestData raw) {
        String requestId = RequestIds.next();
        HttpRequestData request = raw;
        HttpResponseData response;
        String service = null;
        try {
            request = ContentDecoding.decodeAwsChunked(raw);
            response = platform(request);
            if (response == null) {
                Route route = router.route(request);
                service = route.service();
                response = serve(route, requestId);
            }
        } catch (RuntimeException | LinkageError e) {
            // A body that fails to decode while routing (form parameters) or in gzip decoding: the client's error.
            MalformedBodyException malformed = MalformedBodyException.in(e);
            if (malformed == null) LOG.log(Level.SEVERE, "request " + requestId + " " + raw.method() + " " + raw.path() + " failed", e);
            ServiceException error = malformed != null ? malformed.toServiceException() : GatewayErrors.internalError();
            response = FallbackErrors.render(request, service, error, requestId);
        } catch (OutOfMemoryError e) {
            // Decoding or routing a request ran out of heap: the request fails, the server stays up.
            MemoryGuard memory = MemoryGuard.get();
            memory.outOfMemory(raw.method() + " " + raw.path(), e);
            response = FallbackErrors.render(request, service, memory.refusal(), requestId);
        }
        if (service == null || !servesOwnCors(service, request, router)) cors.decorate(request, response);
        if ("s3".equals(service)) {
            // S3 names itself and identifies requests with x-amz-request-id / x-amz-id-2 only
            if (response.header("Server") == null) response.header("Server", "AmazonS3");
            if (response.header("x-amz-id-2") == null) {
                response.header("x-amz-id-2", dev.polystack.protocol.restxml.S3Quirks.hostId(requestId));
            }
        } else if (response.header("x-amzn-RequestId") == null) {
            response.header("x-amzn-RequestId", requestId);
        }
        if (response.header("x-amz-request-id") == null) response.header("x-amz-request-id", requestId);
        return response;
    }

    /**
     * A WebSocket upgrade request: routed as an HTTP request would be ({@code /_aws/<service>/...} to that service),
     * then offered to the provider. Null when no provider serves a WebSocket there: the request is then served as
     * plain HTTP.
     */
    public WebSocketUpgrade acceptWebSocket(HttpRequestData request) {
        try {
            String service = InternalRoutes.awsPathService(request.path());
            Route route = router.route(request);
            if (service == null) {
                if (!route.known()) return null;
                service = route.service();
            }
            String accessKey = route.credential().accessKeyId();
            String region = route.region() != null ? route.region() : Config.DEFAULT_REGION;
            RequestContext context = new RequestContext(AccessKeys.accountFor(accessKey), region, service,
                    RequestIds.next(), accessKey, route.request());
            return dispatcher.acceptWebSocket(context);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "WebSocket upgrade " + request.path() + " failed", e);
            return null;
        }
    }

    private HttpResponseData platform(HttpRequestData request) {
        String path = request.path();
        if (!path.startsWith("/_localstack") && !path.startsWith("/_aws/") && !path.startsWith("/_extension")) return null;
        if (Cors.isPreflight(request)) return cors.preflight(request);
        if (cors.refuses(request)) return cors.forbidden();
        for (PlatformRoute route : platformRoutes) {
            HttpResponseData response = route.handle(request);
            if (response != null) return response;
        }
        return null;
    }

    /**
     * Whether the service answers CORS itself instead of LocalStack's gateway-wide rules: S3 (bucket CORS rules) and
     * requests to deployed API Gateway APIs (their OPTIONS methods and CORS configuration), as on AWS.
     */
    private static boolean servesOwnCors(String service, HttpRequestData request, ServiceRouter router) {
        if (service.equals("s3")) return true;
        if (!service.equals("apigateway")) return false;
        String host = request.header("Host");
        return host != null && host.contains(".execute-api.") || request.path().contains("/_user_request_")
                || router.claimedHosts().isClaimed(host);
    }

    private HttpResponseData serve(Route route, String requestId) {
        HttpRequestData request = route.request();
        if (!route.known()) {
            return FallbackErrors.render(request, null, GatewayErrors.unknownService(route.unknownName()), requestId);
        }
        String service = route.service();
        boolean ownCors = servesOwnCors(service, request, router);
        if (!ownCors) {
            if (Cors.isPreflight(request)) return cors.preflight(request);
            if (cors.refuses(request)) return cors.forbidden();
        }
        if (!service.equals("s3")) request = ContentDecoding.decodeGzip(request);
        String accessKey = route.credential().accessKeyId();
        String region = route.region() != null ? route.region() : Config.DEFAULT_REGION;
        RequestContext context = new RequestContext(AccessKeys.accountFor(accessKey), region, service, requestId,
                accessKey, request);
        if (ownCors && Cors.isPreflight(request)) {
            // S3 answers preflights from the bucket's CORS rules, a deployed API from its own OPTIONS method or CORS
            // configuration, both in handleHttp; without an answer, LocalStack's default.
            HttpResponseData answer = dispatcher.rawAnswer(context);
            return answer != null ? answer : cors.preflight(request);
        }
        HttpResponseData response = dispatcher.dispatch(context);
        for (GatewayHooks hook : hooks) {
            try {
                hook.afterRequest(context, response);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "after-request hook failed", e);
            }
        }
        return response;
    }
}
