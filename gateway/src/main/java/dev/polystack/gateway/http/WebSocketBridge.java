package dev.polystack.gateway.http;

import dev.polystack.api.HttpRequestData;
import dev.polystack.api.HttpResponseData;
import dev.polystack.api.WebSocketHandler;
import dev.polystack.api.WebSocketPeer;
import dev.polystack.api.WebSocketUpgrade;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Header;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One WebSocket connection between Helidon and a provider's {@link WebSocketHandler} (one instance per connection).
 * The upgrade request is offered to the gateway ({@code accept}); when the provider refuses it, or serves no
 * WebSocket there, Helidon goes on to serve the same request as plain HTTP on the same thread, and
 * {@link #takeRefusal()} hands the refusal to that HTTP answer.
 */
public final class WebSocketBridge implements WsListener {
    /** A refusal waiting for the HTTP answer to the same request (same connection thread, right after the upgrade). */
    private static final ThreadLocal<HttpResponseData> REFUSAL = new ThreadLocal<>();

    private final Function<HttpRequestData, WebSocketUpgrade> accept;
    private volatile WebSocketHandler handler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    /** A frame was over the provider's limit: the connection is closing, later frames are ignored. */
    private volatile boolean refusedFrame;

    public WebSocketBridge(Function<HttpRequestData, WebSocketUpgrade> accept) {
        this.accept = accept;
    }

    /** The refusal of the upgrade this thread just tried, if any (and forgets it). */
    public static HttpResponseData takeRefusal() {
        HttpResponseData refusal = REFUSAL.get();
        if (refusal != null) REFUSAL.remove();
        return refusal;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        REFUSAL.remove();
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Header h : headers) copy.computeIfAbsent(h.name(), k -> new ArrayList<>()).addAll(h.allValues());
        HttpRequestData request = new HttpRequestData(prologue.method().text(), prologue.uriPath().rawPath(),
                prologue.query().rawValue(), copy, InputStream.nullInputStream());
        WebSocketUpgrade upgrade = accept.apply(request);
        if (upgrade == null || !upgrade.accepted()) {
            if (upgrade != null && upgrade.refusal() != null) REFUSAL.set(upgrade.refusal());
            throw new WsUpgradeException("not a WebSocket endpoint");
        }
        handler = upgrade.handler();
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        handler.onOpen(new Peer(session));
    }

    @Override
    public void onMessage(WsSession session, String part, boolean last) {
        // UTF-8 takes at most 3 bytes per char: encode only a part that might be over the limit
        int limit = handler.maxFrameBytes();
        if (limit > 0 && (long) part.length() * 3 > limit
                && frameTooBig(session, part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, limit)) {
            return;
        }
        if (refusedFrame) return;
        text.append(part);
        if (!last) return;
        String message = text.toString();
        text.setLength(0);
        handler.onText(message);
    }

    @Override
    public void onMessage(WsSession session, BufferData part, boolean last) {
        int limit = handler.maxFrameBytes();
        if (limit > 0 && frameTooBig(session, part.available(), limit) || refusedFrame) return;
        byte[] bytes = new byte[part.available()];
        part.read(bytes);
        binary.writeBytes(bytes);
        if (!last) return;
        byte[] message = binary.toByteArray();
        binary.reset();
        handler.onBinary(message);
    }

    /** A frame over the provider's limit closes the connection (1009); what was buffered, and what follows, is dropped. */
    private boolean frameTooBig(WsSession session, int bytes, int limit) {
        if (bytes <= limit) return false;
        refusedFrame = true;
        text.setLength(0);
        binary.reset();
        try {
            session.close(1009, "Message too big");
        } catch (RuntimeException e) {
            // the connection is already going: nothing more to refuse
        }
        return true;
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (closed.compareAndSet(false, true)) handler.onClose(status, reason);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        if (closed.compareAndSet(false, true)) handler.onClose(1006, String.valueOf(t.getMessage()));
    }

    /** Writes are serialized: several threads may write to one connection (its own, and management requests). */
    private final class Peer implements WebSocketPeer {
        private final WsSession session;

        Peer(WsSession session) {
            this.session = session;
        }

        @Override
        public synchronized void sendText(String message) {
            if (closed.get()) return;
            try {
                session.send(message, true);
            } catch (RuntimeException e) {
                gone(e);
            }
        }

        @Override
        public synchronized void sendBinary(byte[] data) {
            if (closed.get()) return;
            try {
                session.send(BufferData.create(data), true);
            } catch (RuntimeException e) {
                gone(e);
            }
        }

        @Override
        public synchronized void close(int code, String reason) {
            if (closed.get()) return;
            try {
                session.close(code, reason);
            } catch (RuntimeException e) {
                gone(e);
            }
        }

        private void gone(RuntimeException e) {
            if (closed.compareAndSet(false, true)) handler.onClose(1006, String.valueOf(e.getMessage()));
        }
    }

}
