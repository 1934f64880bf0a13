package dev.polystack.gateway.dispatch;

import dev.polystack.api.Config;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceException;
import dev.polystack.api.ServiceProvider;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderRegistryTest {

    /** A factory that counts creations and tags its providers with its kind. */
    static final class CountingFactory implements ProviderFactory {
        final String kind;
        final Set<String> services;
        final AtomicInteger created = new AtomicInteger();
        volatile boolean available = true;

        CountingFactory(String kind, String... services) {
            this.kind = kind;
            this.services = Set.of(services);
        }

        @Override public String kind() { return kind; }

        @Override public Set<String> services() { return services; }

        @Override public boolean available() { return available; }

        @Override
        public ServiceProvider create(String service, ProviderEnvironment environment) {
            created.incrementAndGet();
            return new ServiceProvider() {
                @Override public String service() { return service; }

                @Override
                public Map<String, Object> invoke(RequestContext context, String operation, Map<String, Object> input) {
                    return Map.of("kind", kind);
                }
            };
        }
    }

    private static ProviderRegistry registry(Map<String, String> env, ProviderFactory... factories) {
        return new ProviderRegistry(new Config(env), List.of(factories));
    }

    private static String kind(ServiceProvider p) {
        return (String) p.invoke(null, "X", Map.of()).get("kind");
    }

    @Test
    void aServiceWithoutAProviderIsNotInTheNativeOnlyImage() {
        CountingFactory nat = new CountingFactory("native", "sqs");
        ServiceException plain = assertThrows(ServiceException.class, () -> registry(Map.of(), nat).obtain("ec2"));
        assertEquals("NotImplemented", plain.code());
        assertTrue(plain.getMessage().contains("not implemented in Polystack yet"), plain.getMessage());
        ProviderRegistry image = registry(Map.of("POLYSTACK_IMAGE_VARIANT", "native"), nat);
        ServiceException e = assertThrows(ServiceException.class, () -> image.obtain("ec2"));
        assertEquals("NotImplemented", e.code());
        assertEquals(501, e.status());
        assertTrue(e.getMessage().startsWith("Service 'ec2' is not available in this image: "), e.getMessage());
        assertEquals("native", kind(image.obtain("sqs")));
    }

    @Test
    void defaultsPreferNativeThenPythonThenMoto() {
        CountingFactory moto = new CountingFactory("moto", "sqs", "s3", "dynamodb");
        CountingFactory python = new CountingFactory("python", "sqs", "dynamodb");
        CountingFactory nat = new CountingFactory("native", "sqs");
        ProviderRegistry r = registry(Map.of(), moto, python, nat);
        assertEquals("native", kind(r.obtain("sqs")));
        assertEquals("python", kind(r.obtain("dynamodb")));
        assertEquals("moto", kind(r.obtain("s3")));
    }

    @Test
    void localStacksOwnProvidersComeAfterNativeAndBeforePythonAndMoto() {
        CountingFactory moto = new CountingFactory("moto", "sqs", "stepfunctions", "route53");
        CountingFactory python = new CountingFactory("python", "stepfunctions", "cloudformation");
        CountingFactory localstack = new CountingFactory("localstack", "sqs", "stepfunctions");
        CountingFactory nat = new CountingFactory("native", "sqs");
        ProviderRegistry r = registry(Map.of(), moto, python, localstack, nat);
        assertEquals("native", kind(r.obtain("sqs")));
        assertEquals("localstack", kind(r.obtain("stepfunctions")));
        assertEquals("python", kind(r.obtain("cloudformation")));
        assertEquals("moto", kind(r.obtain("route53")));
    }

    @Test
    void overrideSelectsKindAndReportsMissingKind() {
        CountingFactory moto = new CountingFactory("moto", "sqs");
        CountingFactory nat = new CountingFactory("native", "sqs", "kms");
        ProviderRegistry r = registry(Map.of("PROVIDER_OVERRIDE_SQS", "moto", "PROVIDER_OVERRIDE_KMS", "python"), moto, nat);
        assertEquals("moto", kind(r.obtain("sqs")));
        ServiceException e = assertThrows(ServiceException.class, () -> r.obtain("kms"));
        assertTrue(e.getMessage().contains("PROVIDER_OVERRIDE_KMS=python"), e.getMessage());
        assertEquals("error", r.state("kms"));
    }

    @Test
    void unavailableFactoriesAreSkipped() {
        CountingFactory python = new CountingFactory("python", "sqs");
        python.available = false;
        CountingFactory moto = new CountingFactory("moto", "sqs");
        assertEquals("moto", kind(registry(Map.of(), python, moto).obtain("sqs")));
    }

    @Test
    void servicesSettingDisablesTheRest() {
        ProviderRegistry r = registry(Map.of("SERVICES", "sqs, sns"), new CountingFactory("native", "sqs", "sns", "s3"));
        assertEquals(Map.of("s3", "disabled", "sns", "available", "sqs", "available"), r.states());
        ServiceException e = assertThrows(ServiceException.class, () -> r.obtain("s3"));
        assertTrue(e.getMessage().contains("'SERVICES'"));
        assertEquals(501, e.status());
        assertEquals(Set.of("sqs", "sns"), r.offeredServices());
    }

    @Test
    void providersAreCreatedLazilyOnceUnderConcurrency() throws Exception {
        CountingFactory f = new CountingFactory("native", "sqs");
        ProviderRegistry r = registry(Map.of(), f);
        List<String> seen = new ArrayList<>();
        r.onCreate((service, provider) -> seen.add(service));
        assertEquals(0, f.created.get());
        assertEquals("available", r.state("sqs"));
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        ServiceProvider[] got = new ServiceProvider[16];
        for (int i = 0; i < got.length; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException ignored) {
                    return;
                }
                got[n] = r.obtain("sqs");
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertEquals(1, f.created.get());
        for (ServiceProvider p : got) assertSame(got[0], p);
        assertEquals(List.of("sqs"), seen);
        assertEquals("running", r.state("sqs"));
    }

    @Test
    void unknownServiceIsNotImplemented() {
        ProviderRegistry r = registry(Map.of(), new CountingFactory("native", "sqs"));
        ServiceException e = assertThrows(ServiceException.class, () -> r.obtain("dynamodb"));
        assertEquals("NotImplemented", e.code());
        assertEquals(501, e.status());
    }
}
