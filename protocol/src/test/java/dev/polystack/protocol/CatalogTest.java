package dev.polystack.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CatalogTest {
    @Test
    void indexesInstalledServices() {
        BotocoreCatalog.fromEnvironment(); // warm: builds the index once if missing
        long t0 = System.nanoTime();
        BotocoreCatalog c = BotocoreCatalog.fromEnvironment();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("catalog load (index present): " + ms + " ms, " + c.all().size() + " services");
        assertTrue(c.all().size() > 400);
        ServiceInfo sqs = c.get("sqs");
        assertEquals("AmazonSQS", sqs.targetPrefix());
        assertSame(sqs, c.byTargetPrefix("AmazonSQS"));
        assertEquals(java.util.List.of("json", "query"), sqs.protocols());
        assertEquals("DynamoDB_20120810", c.get("dynamodb").targetPrefix());
        assertEquals("rest-xml", c.get("s3").protocol());
        assertEquals("ec2", c.get("ec2").protocol());
        assertTrue(c.bySigningName("s3").stream().anyMatch(i -> i.service().equals("s3")));
        assertTrue(c.byEndpointPrefix("sqs").stream().anyMatch(i -> i.service().equals("sqs")));
        assertNull(c.get("nope"));
        long b0 = System.nanoTime();
        assertEquals(c.all().size(), BotocoreCatalog.buildIndex(c.dataDir()).size());
        System.out.println("index build (first run for a botocore version): " + (System.nanoTime() - b0) / 1_000_000 + " ms");
        assertNull(c.codec("nope"));
    }
}
