package dev.polystack.services.sns;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.polystack.api.ServiceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry schedule of each backoff function and phase, and which policy wins. */
class DeliveryPolicyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Double> delays(int retries, int noDelay, int minDelay, int maxDelay, int min, int max, String fn) {
        return new DeliveryPolicy.Retry(retries, noDelay, minDelay, maxDelay, min, max, fn).delays();
    }

    @Test
    void defaultIsThreeRetriesTwentySecondsApart() {
        assertEquals(List.of(20.0, 20.0, 20.0), DeliveryPolicy.Retry.DEFAULT.delays());
    }

    @Test
    void phasesRunInOrderNoDelayMinBackoffMax() {
        // 2 immediate, 1 at min, 3 in backoff (linear 2 → 4 → 6... climbing to max 10), 2 at max
        List<Double> d = delays(8, 2, 1, 2, 2, 10, "linear");
        assertEquals(List.of(0.0, 0.0, 2.0, 2.0, 6.0, 10.0, 10.0, 10.0), d);
    }

    @Test
    void everyBackoffFunctionClimbsFromMinToMax() {
        for (String fn : List.of("linear", "arithmetic", "geometric", "exponential")) {
            List<Double> d = delays(6, 0, 0, 0, 1, 32, fn);
            assertEquals(6, d.size(), fn);
            assertEquals(1.0, d.get(0), 1e-9, fn);
            assertEquals(32.0, d.get(5), 1e-9, fn);
            for (int i = 1; i < d.size(); i++) assertTrue(d.get(i) > d.get(i - 1), fn + " rises: " + d);
        }
        // the curves differ: exponential starts slowest, linear fastest
        double linear = delays(6, 0, 0, 0, 1, 32, "linear").get(2);
        double arithmetic = delays(6, 0, 0, 0, 1, 32, "arithmetic").get(2);
        double geometric = delays(6, 0, 0, 0, 1, 32, "geometric").get(2);
        double exponential = delays(6, 0, 0, 0, 1, 32, "exponential").get(2);
        assertTrue(linear > arithmetic && arithmetic > geometric && geometric >= exponential,
                linear + " " + arithmetic + " " + geometric + " " + exponential);
        assertEquals(4.0, geometric, 1e-9);   // 1, 2, 4, 8, 16, 32
    }

    @Test
    void subscriptionOverridesTopicUnlessDisabled() throws Exception {
        String topic = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"numRetries\":5,\"minDelayTarget\":1,\"maxDelayTarget\":1},"
                + "\"defaultThrottlePolicy\":{\"maxReceivesPerSecond\":7}}}";
        String own = DeliveryPolicy.normalizeSubscription("{\"healthyRetryPolicy\":{\"numRetries\":1},"
                + "\"requestPolicy\":{\"headerContentType\":\"application/xml\"}}", "");
        DeliveryPolicy.Http http = DeliveryPolicy.forDelivery(topic, own);
        assertEquals(1, http.retry().numRetries());
        assertEquals(1, http.retry().minDelayTarget(), "unset fields come from the topic");
        assertEquals(7, http.maxReceivesPerSecond());
        assertEquals("application/xml", http.contentType());

        String locked = DeliveryPolicy.normalizeTopic(topic.replace("}}}", "}, \"disableSubscriptionOverrides\":true}}"), "");
        http = DeliveryPolicy.forDelivery(locked, own);
        assertEquals(5, http.retry().numRetries());
        assertEquals(DeliveryPolicy.DEFAULT_CONTENT_TYPE, http.contentType());
    }

    @Test
    void normalisedFormsAreStableAndAwsShaped() throws Exception {
        String once = DeliveryPolicy.normalizeTopic("{\"http\":{\"defaultRequestPolicy\":{\"headerContentType\":\"text/csv\"},"
                + "\"defaultHealthyRetryPolicy\":null}}", "");
        assertEquals("{\"http\":{\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":{\"headerContentType\":\"text/csv\"}}}", once);
        assertEquals(once, DeliveryPolicy.normalizeTopic(once, ""));
        String sub = DeliveryPolicy.normalizeSubscription("{\"throttlePolicy\":{\"maxReceivesPerSecond\":3}}", "");
        assertEquals(JSON.readTree("{\"healthyRetryPolicy\":null,\"sicklyRetryPolicy\":null,\"throttlePolicy\":{\"maxReceivesPerSecond\":3},"
                + "\"requestPolicy\":null,\"guaranteed\":false}"), JSON.readTree(sub));
        assertEquals(sub, DeliveryPolicy.normalizeSubscription(sub, ""));
    }

    @Test
    void invalidValuesAreInvalidParameter() {
        ServiceException e = assertThrows(ServiceException.class, () ->
                DeliveryPolicy.normalizeSubscription("{\"healthyRetryPolicy\":{\"numRetries\":1.5}}", "Attributes Reason: "));
        assertEquals("InvalidParameterException", e.code());
        assertEquals("Invalid parameter: Attributes Reason: DeliveryPolicy: healthyRetryPolicy.numRetries must be an integer", e.getMessage());
        assertThrows(ServiceException.class, () -> DeliveryPolicy.normalizeSubscription("[]", ""));
        assertThrows(ServiceException.class, () -> DeliveryPolicy.normalizeTopic("{\"http\":{\"disableSubscriptionOverrides\":\"yes\"}}", ""));
        // 100 retries of 36 s each is exactly the 3,600 s limit
        DeliveryPolicy.normalizeSubscription("{\"healthyRetryPolicy\":{\"numRetries\":100,\"minDelayTarget\":36,\"maxDelayTarget\":36}}", "");
        assertThrows(ServiceException.class, () -> DeliveryPolicy.normalizeSubscription(
                "{\"healthyRetryPolicy\":{\"numRetries\":100,\"minDelayTarget\":37,\"maxDelayTarget\":37}}", ""));
    }
}
