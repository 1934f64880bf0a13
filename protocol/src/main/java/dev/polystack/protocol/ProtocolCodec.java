package dev.polystack.protocol;

import dev.polystack.api.HttpRequestData;
import dev.polystack.protocol.model.ServiceModel;

/** A {@link ServiceCodec} for one protocol of one service. */
public interface ProtocolCodec extends ServiceCodec {

    /** botocore's protocol name: {@code json}, {@code rest-json}, {@code rest-xml}, {@code query}, {@code ec2}, {@code smithy-rpc-v2-cbor}. */
    @Override
    String protocol();

    ServiceModel model();

    /**
     * Whether a request is in this protocol, for services whose specification lists several (SQS: json and
     * query): JSON by {@code X-Amz-Target}/content type, CBOR by {@code smithy-protocol}, query by its form.
     * Must be cheap: it runs on every request of such services.
     */
    boolean recognizes(HttpRequestData request);

    @Override
    default ServiceInfo info() { return model().info(); }

}
