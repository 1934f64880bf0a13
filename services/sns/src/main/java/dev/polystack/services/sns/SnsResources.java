package dev.polystack.services.sns;

import dev.polystack.api.AccountRegionStore;
import dev.polystack.api.RequestContext;
import dev.polystack.services.sns.api.ResourceNotFoundException;

import static dev.polystack.services.sns.SnsErrors.invalid;
import static dev.polystack.services.sns.SnsErrors.notFound;

/**
 * SNS's state (per account and region) and how requests name what is in it: topic and subscription ARNs, with
 * AWS's complaints about malformed ones. Every concern class reads state through this one.
 */
final class SnsResources {
    final AccountRegionStore<SnsRegion> store = new AccountRegionStore<>((a, r) -> new SnsRegion());

    SnsRegion region(RequestContext ctx) {
        return store.get(ctx);
    }

    /** The region an ARN of this service lives in (created when absent). */
    SnsRegion regionOf(String arn) {
        String[] parts = arn.split(":", -1);
        return store.get(parts[4], parts[3]);
    }

    /** The region an ARN names, or null when nothing was ever stored there. */
    SnsRegion peekRegion(String[] arnParts) {
        return store.peek(arnParts[4], arnParts[3]);
    }

    /** Splits an ARN, with AWS's complaint when it has fewer than 6 parts. */
    static String[] arnParts(String arn, String parameter) {
        String value = arn == null ? "" : arn;
        String[] parts = value.split(":", -1);
        if (parts.length < 6) {
            throw invalid("Invalid parameter: " + parameter + " Reason: An ARN must have at least 6 elements, not " + parts.length);
        }
        return parts;
    }

    static String arn(RequestContext ctx, String resource) {
        return "arn:" + ctx.partition() + ":sns:" + ctx.region() + ":" + ctx.accountId() + ":" + resource;
    }

    /** The topic an ARN names; another region's ARN is an invalid parameter, as in AWS. */
    Topic topic(RequestContext ctx, String arn, String parameter) {
        Topic t = findTopic(ctx, arn, parameter);
        if (t == null) throw notFound("Topic does not exist");
        return t;
    }

    /** The topic an ARN names, or null; the ARN must be well formed and of the caller's region. */
    Topic findTopic(RequestContext ctx, String arn, String parameter) {
        String[] parts = arnParts(arn, parameter);
        if (!parts[3].equals(ctx.region())) throw invalid("Invalid parameter: " + parameter);
        SnsRegion region = peekRegion(parts);
        return region == null ? null : region.topics.get(arn);
    }

    /** A topic as the tagging operations name it (their own not-found error). */
    Topic taggable(RequestContext ctx, String arn) {
        String[] parts = arnParts(arn, "ResourceArn");
        SnsRegion region = parts[3].equals(ctx.region()) ? peekRegion(parts) : null;
        Topic t = region == null ? null : region.topics.get(arn);
        if (t == null) throw new ResourceNotFoundException("Resource does not exist");
        return t;
    }

    Subscription subscription(String arn) {
        String[] parts = arnParts(arn, "SubscriptionArn");
        SnsRegion region = peekRegion(parts);
        Subscription s = region == null ? null : region.subscriptions.get(arn);
        if (s == null) throw notFound("Subscription does not exist");
        return s;
    }
}
