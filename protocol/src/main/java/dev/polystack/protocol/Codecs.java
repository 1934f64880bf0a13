package dev.polystack.protocol;

import dev.polystack.protocol.model.ServiceModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Protocol name → codec: compiles the codec(s) for a service model from the registered {@link ProtocolCodecFactory}s. */
public final class Codecs {
    private Codecs() {
    }

    private static final class Registry {
        static final Map<String, ProtocolCodecFactory> FACTORIES = load();

        private static Map<String, ProtocolCodecFactory> load() {
            Map<String, ProtocolCodecFactory> m = new HashMap<>();
            for (ProtocolCodecFactory f : ServiceLoader.load(ProtocolCodecFactory.class, Codecs.class.getClassLoader())) {
                for (String p : f.protocols()) m.putIfAbsent(p, f);
            }
            return Map.copyOf(m);
        }
    }

    /** Whether a codec is available for this protocol. */
    public static boolean supports(String protocol) {
        return Registry.FACTORIES.containsKey(protocol);
    }

    /** The codec for one protocol of a service. */
    public static ProtocolCodec create(ServiceModel model, String protocol) {
        ProtocolCodecFactory f = Registry.FACTORIES.get(protocol);
        if (f == null) throw new IllegalArgumentException("no codec for protocol " + protocol + " (service " + model.service() + ")");
        return f.create(model, protocol);
    }

    /**
     * The codec for a service: for one protocol, that protocol's codec; for several (SQS: json and query),
     * one that picks per request and answers in the request's protocol. The main protocol is the fallback.
     */
    public static ServiceCodec create(ServiceModel model) {
        List<ProtocolCodec> codecs = new ArrayList<>();
        if (supports(model.protocol())) codecs.add(create(model, model.protocol()));
        for (String p : model.protocols()) {
            if (!p.equals(model.protocol()) && supports(p)) codecs.add(create(model, p));
        }
        if (codecs.isEmpty()) throw new IllegalArgumentException("no codec for " + model.service() + " protocols " + model.protocols());
        return codecs.size() == 1 ? codecs.get(0) : new MultiProtocolCodec(codecs);
    }
}
