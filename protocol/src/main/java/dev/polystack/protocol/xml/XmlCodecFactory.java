package dev.polystack.protocol.xml;

import dev.polystack.protocol.ProtocolCodec;
import dev.polystack.protocol.ProtocolCodecFactory;
import dev.polystack.protocol.ec2.Ec2Codec;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.query.QueryCodec;
import dev.polystack.protocol.restxml.RestXmlCodec;

import java.util.Set;

/** Codecs of the XML protocol family: query, ec2 and rest-xml. */
public final class XmlCodecFactory implements ProtocolCodecFactory {

    @Override
    public Set<String> protocols() {
        return Set.of("query", "ec2", "rest-xml");
    }

    @Override
    public ProtocolCodec create(ServiceModel model, String protocol) {
        return switch (protocol) {
            case "query" -> new QueryCodec(model);
            case "ec2" -> new Ec2Codec(model);
            case "rest-xml" -> new RestXmlCodec(model);
            default -> throw new IllegalArgumentException("not an XML protocol: " + protocol);
        };
    }
}
