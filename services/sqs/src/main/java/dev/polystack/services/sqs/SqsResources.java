package dev.polystack.services.sqs;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.Config;
import dev.polystack.api.RequestContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where SQS's queues are found: the stores by account and region, a request's queue by URL (or bare name, or the
 * path it was posted to) or by ARN, the URL a queue is shown under, and the request details several operations read.
 */
final class SqsResources {
    final AccountRegionStore<SqsStore> stores = new AccountRegionStore<>(SqsStore::new);
    private final QueueUrls urls;

    SqsResources(Config config) {
        this.urls = new QueueUrls(config);
    }

    /** The queue a request names: its QueueUrl, or (query protocol) the path it was posted to. */
    SqsQueue queue(RequestContext ctx, String queueUrl) {
        String url = queueUrl;
        if (url == null && ctx.request() != null) url = ctx.request().path();
        QueueUrls.QueueAddress address = QueueUrls.parse(url);
        if (address == null && QueueUrls.isBareName(url)) {
            // AWS accepts a queue's bare name as its QueueUrl: the caller's own account and region.
            address = new QueueUrls.QueueAddress(ctx.region(), ctx.accountId(), url);
        }
        if (address == null) {
            if (queueUrl == null) throw SqsErrors.missingParameter("QueueUrl");
            throw SqsErrors.queueDoesNotExist(isQuery(ctx));
        }
        SqsQueue q = find(address.accountId(), address.region() != null ? address.region() : ctx.region(), address.name());
        if (q == null) throw SqsErrors.queueDoesNotExist(isQuery(ctx));
        return q;
    }

    SqsQueue find(String accountId, String region, String name) {
        SqsStore store = stores.peek(accountId, region);
        return store == null ? null : store.byName(name);
    }

    /** A queue anywhere, by ARN ({@code arn:<partition>:sqs:<region>:<account>:<name>}). */
    SqsQueue queueByArn(String arn) {
        if (arn == null) return null;
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")) return null;
        SqsStore store = stores.peek(parts[4], parts[3]);
        return store == null ? null : store.byArn(arn);
    }

    String url(RequestContext ctx, SqsQueue q) {
        return urls.url(q.region, q.accountId, q.name, ctx == null || ctx.request() == null ? null : ctx.request().header("Host"));
    }

    /** A positive integer in one of LocalStack's override headers, else null (absent or not a positive number). */
    static Integer overrideHeader(RequestContext ctx, String name) {
        String v = ctx.request() == null ? null : ctx.request().header(name);
        if (v == null) return null;
        try {
            int n = Integer.parseInt(v.trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The X-Ray trace header of the request, if it has one (it becomes the message's AWSTraceHeader). */
    static String traceHeader(RequestContext ctx) {
        return ctx.request() == null ? null : ctx.request().header("X-Amzn-Trace-Id");
    }

    /** Whether the request came in the query protocol: some messages differ. */
    static boolean isQuery(RequestContext ctx) {
        return "query".equals(ctx.protocol());
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** A string map, empty for none; a null value (JSON {@code null}) reads as the empty string. */
    static Map<String, String> orEmpty(Map<String, String> map) {
        if (map == null) return Map.of();
        boolean nulls = false;
        for (String v : map.values()) nulls |= v == null;
        if (!nulls) return map;
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, v == null ? "" : v));
        return out;
    }
}
