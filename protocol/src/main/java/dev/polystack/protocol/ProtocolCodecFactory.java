package dev.polystack.protocol;

import dev.polystack.protocol.model.ServiceModel;

import java.util.Set;

/**
 * The extension point for a protocol family: found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.polystack.protocol.ProtocolCodecFactory}), asked by {@link Codecs}.
 * json/rest-json and rpc-v2-cbor live in {@code .json} and {@code .cbor}; query, ec2 and rest-xml plug in here too.
 */
public interface ProtocolCodecFactory {

    /** The botocore protocol names this factory compiles codecs for. */
    Set<String> protocols();

    /** Compiles a codec for {@code model} speaking {@code protocol} (one of {@link #protocols()}); thread-safe result. */
    ProtocolCodec create(ServiceModel model, String protocol);
}
