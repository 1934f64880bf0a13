package dev.polystack.protocol;

import dev.polystack.api.ServiceException;
import dev.polystack.protocol.model.Shape;
import dev.polystack.protocol.model.ServiceModel;

/**
 * What the specification says about a thrown {@link ServiceException}: the modelled error shape (if any),
 * its names on the wire and its status. Shared by all protocol serializers.
 *
 * @param shape       the error shape, or null for an unmodelled error
 * @param typeName    the error's shape name, namespace-qualified when known (JSON {@code __type}); {@code shape.name()} is the bare name
 * @param queryCode   the query protocol's code: {@link ServiceException#queryCode()}, else the spec's
 *                    ({@code awsQueryError}/{@code error.code}), else the shape name
 * @param status      HTTP status: the provider's, or the specification's when the provider left the default 400
 * @param senderFault sender (client) or receiver (server) fault
 */
public record ErrorDescriptor(Shape shape, String typeName, String queryCode, int status, boolean senderFault) {

    public static ErrorDescriptor of(ServiceModel model, ServiceException e) {
        Shape shape = model.errorShape(e.code());
        if (shape == null) {
            return new ErrorDescriptor(null, e.code(), e.queryCode() != null ? e.queryCode() : e.code(), e.status(), e.senderFault());
        }
        int status = e.status();
        if (status == 400 && shape.errorHttpStatus() > 0) status = shape.errorHttpStatus();
        boolean sender = shape.senderFault() != null ? shape.senderFault() : !shape.isFault() && status < 500;
        return new ErrorDescriptor(shape, shape.qualifiedName(), e.queryCode() != null ? e.queryCode() : shape.wireErrorCode(), status, sender);
    }

    /** {@code Sender} or {@code Receiver}. */
    public String faultType() { return senderFault ? "Sender" : "Receiver"; }
}
