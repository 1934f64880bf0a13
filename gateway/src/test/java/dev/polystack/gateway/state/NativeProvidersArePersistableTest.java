package dev.polystack.gateway.state;

import dev.polystack.api.Config;
import dev.polystack.api.Persistable;
import dev.polystack.api.ProviderEnvironment;
import dev.polystack.api.ProviderFactory;
import dev.polystack.api.RequestContext;
import dev.polystack.api.ServiceProvider;
import dev.polystack.gateway.dispatch.ProviderRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PERSISTENCE=1 covers every native service, including ones added later: each native provider the gateway
 * discovers is {@link Persistable}, and its (empty) state survives a save and a load into a fresh provider.
 * The services' own round-trip tests cover full states.
 */
class NativeProvidersArePersistableTest {
    @TempDir
    Path dir;

    @Test
    void everyNativeProviderSavesAndRestoresItsState() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ProviderEnvironment env = new ProviderEnvironment() {
            final Config config = new Config(Map.of("PERSISTENCE", "1", "DATA_DIR", dir.toString()));

            public Config config() { return config; }

            public Map<String, Object> call(RequestContext c, String service, String operation, Map<String, Object> in) {
                throw new UnsupportedOperationException("no other services here");
            }

            public ScheduledExecutorService scheduler() { return scheduler; }

            public Path dataDirectory(String service) { return dir.resolve(service); }
        };
        List<String> checked = new ArrayList<>();
        try {
            for (ProviderFactory factory : ProviderRegistry.discoverFactories()) {
                if (!factory.kind().equals("native")) continue;
                for (String service : factory.services()) {
                    ServiceProvider before = factory.create(service, env);
                    assertInstanceOf(Persistable.class, before, service + "'s native provider must be Persistable");
                    Persistable p = (Persistable) before;
                    ByteArrayOutputStream saved = new ByteArrayOutputStream();
                    p.saveState(saved);
                    ServiceProvider after = factory.create(service, env);
                    ((Persistable) after).loadState(new ByteArrayInputStream(saved.toByteArray()), p.stateVersion());
                    ByteArrayOutputStream again = new ByteArrayOutputStream();
                    ((Persistable) after).saveState(again);
                    assertTrue(again.size() > 0, service);
                    before.close();
                    after.close();
                    checked.add(service);
                }
            }
        } finally {
            scheduler.shutdownNow();
        }
        assertTrue(checked.containsAll(List.of("sqs", "s3", "sns", "kms", "sts")), "found " + checked);
    }
}
