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

    /** For the JSON, CBOR and rest protocols: the status from the shape's {@code error.httpStatusCode}. */
    public static ErrorDescriptor of(ServiceModel model, ServiceException e) {
        return resolve(model, e, false);
    }

    /** For the query and ec2 protocols, where {@code @awsQueryError} may give a JSON service's error another status. */
    public static ErrorDescriptor ofQuery(ServiceModel model, ServiceException e) {
        return resolve(model, e, true);
    }

    private static ErrorDescriptor resolve(ServiceModel model, ServiceException e, boolean query) {
        Shape shape = model.errorShape(e.code());
        int status = e.status() <= 0 ? 400 : e.status();
        if (shape == null) {
            return new ErrorDescriptor(null, e.code(), e.queryCode() != null ? e.queryCode() : e.code(), status, e.senderFault());
        }
        int specStatus = query ? shape.queryErrorHttpStatus() : shape.errorHttpStatus();
        // The specification's status wins over the contract's default 400.
        if (status == 400 && specStatus > 0) status = specStatus;
        boolean sender = shape.senderFault() != null ? shape.senderFault() : !shape.isFault() && status < 500;
        return new ErrorDescriptor(shape, shape.qualifiedName(), e.queryCode() != null ? e.queryCode() : shape.wireErrorCode(), status, sender);
    }

    /** {@code Sender} or {@code Receiver}. */
    public String faultType() { return senderFault ? "Sender" : "Receiver"; }
}
