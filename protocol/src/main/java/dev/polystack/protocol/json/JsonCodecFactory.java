package dev.polystack.protocol.json;

import dev.polystack.protocol.ProtocolCodec;
import dev.polystack.protocol.ProtocolCodecFactory;
import dev.polystack.protocol.model.ServiceModel;

import java.util.Set;

/** json (AWS JSON 1.0/1.1) and rest-json. */
public final class JsonCodecFactory implements ProtocolCodecFactory {
    @Override
    public Set<String> protocols() { return Set.of("json", "rest-json"); }

    @Override
    public ProtocolCodec create(ServiceModel model, String protocol) {
        return switch (protocol) {
            case "json" -> new AwsJsonCodec(model);
            case "rest-json" -> new RestJsonCodec(model);
            default -> throw new IllegalArgumentException(protocol);
        };
    }
}
