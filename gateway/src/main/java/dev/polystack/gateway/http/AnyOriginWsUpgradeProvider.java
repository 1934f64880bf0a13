package dev.polystack.gateway.http;

import io.helidon.common.Weight;
import io.helidon.http.Headers;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgrader;

/**
 * Helidon's WebSocket upgrade, minus its same-origin check. Helidon refuses (403, before any handler sees it) an
 * upgrade whose {@code Origin} differs from its {@code Host} unless the origin is listed in advance; API Gateway's
 * WebSocket APIs accept any origin, and so must a local emulator (a page on {@code http://localhost:3000} connecting to
 * {@code ws://<api-id>.execute-api.localhost.localstack.cloud:4566}). Found by Helidon's service loader
 * ({@code META-INF/services}); its weight puts it before Helidon's own provider, which then goes unused.
 */
@Weight(200)
public final class AnyOriginWsUpgradeProvider implements Http1UpgradeProvider<WsConfig> {

    @Override
    public String protocolType() {
        return "websocket";
    }

    @Override
    public Class<WsConfig> protocolConfigType() {
        return WsConfig.class;
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new AnyOriginUpgrader(config);
    }

    private static final class AnyOriginUpgrader extends WsUpgrader {
        AnyOriginUpgrader(WsConfig config) {
            super(config);
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            // any origin may connect, as on AWS
        }
    }
}
