package dev.polystack.gateway.routing;

import dev.polystack.api.HttpRequestData;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each routing rule on its own, then the router's order and fallbacks. */
class RoutingTest {
    private static final FakeCatalog CATALOG = new FakeCatalog();

    private static String auth(String key, String region, String service) {
        return "AWS4-HMAC-SHA256 Credential=" + key + "/20240101/" + region + "/" + service
                + "/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";
    }

    private static HttpRequestData req(String method, String pathAndQuery, String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) h.put(headers[i], headers[i + 1]);
        return HttpRequestData.of(method, pathAndQuery, h, body == null ? null : body.getBytes());
    }

    private static RouteInput input(HttpRequestData r) {
        return new RouteInput(r, Credential.of(r), CATALOG);
    }

    @Test
    void credentialFromAuthorizationHeader() {
        Credential c = Credential.of(req("POST", "/", null, "Authorization", auth("AKID", "eu-west-1", "sqs")));
        assertEquals(new Credential("AKID", "eu-west-1", "sqs"), c);
        assertEquals(new Credential("AKIA2", null, null), Credential.of(req("GET", "/", null, "Authorization", "AWS AKIA2:sig")));
        assertFalse(Credential.of(req("GET", "/", null)).signed());
    }

    @Test
    void credentialFromPresignedQuery() {
        Credential c = Credential.of(req("GET", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
                + "111122223333%2F20240101%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Signature=x", null));
        assertEquals(new Credential("111122223333", "us-west-2", "s3"), c);
        assertEquals("OLDKEY", Credential.of(req("GET", "/b/k?AWSAccessKeyId=OLDKEY&Signature=x&Expires=1", null)).accessKeyId());
    }

    @Test
    void regionFromHostNames() {
        assertEquals("eu-west-1", HostRegion.of("sqs.eu-west-1.localhost.localstack.cloud"));
        assertEquals("eu-west-2", HostRegion.of("s3.eu-west-2.amazonaws.com"));
        assertEquals("eu-central-1", HostRegion.of("my.bucket.s3.eu-central-1.amazonaws.com"));
        assertEquals("ap-south-1", HostRegion.of("s3.dualstack.ap-south-1.amazonaws.com"));
        assertEquals("eu-west-1", HostRegion.of("bucket.s3-eu-west-1.amazonaws.com"));
        assertEquals("us-west-2", HostRegion.of("bucket.s3-website-us-west-2.amazonaws.com"));
        assertEquals("us-gov-west-1", HostRegion.of("sqs.us-gov-west-1.amazonaws.com"));
        assertEquals("cn-north-1", HostRegion.of("sqs.cn-north-1.amazonaws.com.cn"));
        assertEquals("us-east-2", HostRegion.of("us-east-2.queue.localhost.localstack.cloud"));
        assertNull(HostRegion.of("s3.localhost.localstack.cloud"));
        assertNull(HostRegion.of("eu-west-1.s3.localhost.localstack.cloud"), "a bucket named like a region is no region");
        assertNull(HostRegion.of("bucket.s3-accelerate.amazonaws.com"));
        assertNull(HostRegion.of("queue.amazonaws.com"));
        assertNull(HostRegion.of("localhost"));
        assertNull(HostRegion.of("sqs.eu-west-x.amazonaws.com"));
    }

    @Test
    void aClaimedHostGoesToItsServiceAheadOfEveryOtherRuleUntilReleased() {
        ClaimedHosts claims = new ClaimedHosts();
        ServiceRouter router = new ServiceRouter(CATALOG, claims);
        HttpRequestData request = req("GET", "/v1/pets", null, "Host", "API.Example.com:4566");
        assertEquals("s3", router.route(request).service(), "unclaimed: S3, the last resort");
        claims.claim("api.example.com", "apigateway");
        assertEquals("apigateway", router.route(request).service());
        assertTrue(claims.isClaimed("api.example.COM:443"));
        claims.claim("api.example.com", null);
        assertEquals("s3", router.route(request).service());
        assertFalse(claims.isClaimed("api.example.com"));
    }

    @Test
    void routeRegionIsTheScopesElseTheHosts() {
        ServiceRouter router = new ServiceRouter(CATALOG);
        HttpRequestData unsigned = req("POST", "/", "Action=ListQueues&Version=2012-11-05",
                "Host", "sqs.eu-west-1.localhost.localstack.cloud:4566", "Content-Type", "application/x-www-form-urlencoded");
        assertEquals("eu-west-1", router.route(unsigned).region());
        HttpRequestData signed = req("POST", "/", "", "Host", "sqs.eu-west-1.localhost.localstack.cloud:4566",
                "Authorization", auth("k", "ap-northeast-1", "sqs"));
        assertEquals("ap-northeast-1", router.route(signed).region());
        HttpRequestData bucket = req("GET", "/key", null, "Host", "photos.s3.eu-central-1.amazonaws.com");
        Route route = router.route(bucket);
        assertEquals("s3", route.service());
        assertEquals("eu-central-1", route.region());
        assertNull(router.route(req("GET", "/b/k", null, "Host", "localhost:4566")).region());
    }

    @Test
    void credentialScopeRule() {
        CredentialScopeRule rule = new CredentialScopeRule(java.util.List.of(new HostRule(), new PathPrefixRule()));
        assertEquals("sqs", rule.match(input(req("POST", "/", "", "Authorization", auth("k", "us-east-1", "sqs")))));
        assertNull(rule.match(input(req("POST", "/", "", "Authorization", auth("k", "us-east-1", "nope")))));
        // s3 and s3control share the signing name: the path breaks the tie, else the namesake wins
        assertEquals("s3control", rule.match(input(req("GET", "/v20180820/configuration/publicAccessBlock", null,
                "Authorization", auth("k", "us-east-1", "s3")))));
        assertEquals("s3", rule.match(input(req("GET", "/bucket", null, "Authorization", auth("k", "us-east-1", "s3")))));
        assertEquals("ses", rule.match(input(req("POST", "/", "", "Authorization", auth("k", "us-east-1", "ses")))));
    }

    @Test
    void targetPrefixRule() {
        TargetPrefixRule rule = new TargetPrefixRule();
        assertEquals("sqs", rule.match(input(req("POST", "/", "{}", "X-Amz-Target", "AmazonSQS.ListQueues"))));
        assertEquals("dynamodb", rule.match(input(req("POST", "/", "{}", "X-Amz-Target", "DynamoDB_20120810.PutItem"))));
        assertEquals("kms", rule.match(input(req("POST", "/", "{}", "X-Amz-Target", "TrentService.Encrypt"))));
        assertNull(rule.match(input(req("POST", "/", "{}", "X-Amz-Target", "Unknown.Op"))));
        assertNull(rule.match(input(req("POST", "/", "{}"))));
    }

    @Test
    void hostRule() {
        HostRule rule = new HostRule();
        assertEquals("s3", rule.match(input(req("GET", "/k", null, "Host", "bucket.s3.localhost.localstack.cloud:4566"))));
        assertEquals("s3", rule.match(input(req("GET", "/", null, "Host", "s3.localhost.localstack.cloud"))));
        assertEquals("s3", rule.match(input(req("GET", "/b", null, "Host", "s3.eu-west-1.amazonaws.com"))));
        assertEquals("s3", rule.match(input(req("GET", "/k", null, "Host", "my.dotted.bucket.s3.us-east-1.amazonaws.com"))));
        assertEquals("sqs", rule.match(input(req("POST", "/", "", "Host", "sqs.us-east-1.localhost.localstack.cloud:4566"))));
        assertEquals("sqs", rule.match(input(req("POST", "/", "", "Host", "sqs.eu-central-1.amazonaws.com"))));
        assertEquals("sqs", rule.match(input(req("POST", "/", "", "Host", "queue.amazonaws.com"))));
        assertEquals("kms", rule.match(input(req("POST", "/", "", "Host", "kms.us-east-1.amazonaws.com"))));
        assertNull(rule.match(input(req("GET", "/", null, "Host", "localhost:4566"))));
        assertNull(rule.match(input(req("GET", "/", null, "Host", "127.0.0.1:4566"))));
    }

    @Test
    void pathPrefixRule() {
        PathPrefixRule rule = new PathPrefixRule();
        assertEquals("lambda", rule.match(input(req("GET", "/2015-03-31/functions/f", null))));
        assertEquals("sqs", rule.match(input(req("GET", "/000000000000/my-queue?Action=GetQueueAttributes", null))));
        assertEquals("sqs", rule.match(input(req("POST", "/000000000000/q", "Action=SendMessage&MessageBody=x",
                "Content-Type", "application/x-www-form-urlencoded"))));
        assertNull(rule.match(input(req("GET", "/000000000000/my-queue", null))), "a bucket named with digits");
        assertTrue(PathPrefixRule.isQueuePath("/123456789012/q"));
        assertFalse(PathPrefixRule.isQueuePath("/123456789012/q/extra"));
    }

    @Test
    void actionRule() {
        ActionRule rule = new ActionRule();
        String form = "application/x-www-form-urlencoded; charset=utf-8";
        assertEquals("sns", rule.match(input(req("POST", "/", "Action=Publish&Version=2010-03-31", "Content-Type", form))));
        assertEquals("sts", rule.match(input(req("GET", "/?Action=GetCallerIdentity&Version=2011-06-15", null))));
        assertEquals("sqs", rule.match(input(req("POST", "/", "Action=ListQueues&Version=2012-11-05", "Content-Type", form))));
        assertEquals("rds", rule.match(input(req("POST", "/", "Action=DescribeDBInstances&Version=2014-10-31", "Content-Type", form))));
        assertNull(rule.match(input(req("POST", "/", "Action=X&Version=1999-01-01", "Content-Type", form))));
        assertNull(rule.match(input(req("POST", "/", "Action=X", "Content-Type", form))));
        // SNS's SubscribeURL / UnsubscribeURL, visited as plain links
        assertEquals("sns", rule.match(input(req("GET", "/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:000000000000:t&Token=ab", null))));
        assertEquals("sns", rule.match(input(req("GET", "/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:000000000000:t:x", null))));
    }

    @Test
    void routerOrderAndFallbacks() {
        ServiceRouter router = new ServiceRouter(CATALOG);
        assertEquals("sqs", router.route(req("POST", "/", "{}", "Authorization", auth("k", "us-east-1", "sqs"),
                "X-Amz-Target", "AmazonSQS.ListQueues")).service());
        assertEquals("sns", router.route(req("POST", "/", "Action=Publish&Version=2010-03-31",
                "Content-Type", "application/x-www-form-urlencoded")).service());
        assertEquals("s3", router.route(req("GET", "/bucket/key", null)).service(), "S3 is the last resort");
        Route unknown = router.route(req("POST", "/", "{}", "Authorization", auth("k", "us-east-1", "nosuch")));
        assertFalse(unknown.known());
        assertEquals("nosuch", unknown.unknownName());
    }

    @Test
    void s3VirtualHostRequestsBecomePathStyle() {
        ServiceRouter router = new ServiceRouter(CATALOG);
        Route r = router.route(req("PUT", "/dir/a%2Fb.txt?tagging", "x", "Host", "my-bucket.s3.localhost.localstack.cloud:4566",
                "Authorization", auth("k", "us-east-1", "s3")));
        assertEquals("s3", r.service());
        assertEquals("/my-bucket/dir/a%2Fb.txt", r.request().path());
        assertEquals("tagging", r.request().rawQuery());
        assertEquals("/my-bucket", router.route(req("GET", "/", null, "Host", "my-bucket.s3.amazonaws.com")).request().path());
        assertEquals("/b/k", router.route(req("GET", "/b/k", null, "Host", "s3.localhost.localstack.cloud")).request().path());
        assertEquals("/b/k", router.route(req("GET", "/b/k", null, "Host", "localhost:4566")).request().path());
    }
}
