package dev.polystack.protocol.ec2;

import dev.polystack.api.RequestContext;

import dev.polystack.api.ServiceException;
import dev.polystack.protocol.ErrorDescriptor;
import dev.polystack.protocol.model.Operation;
import dev.polystack.protocol.model.ServiceModel;
import dev.polystack.protocol.query.QueryCodec;
import dev.polystack.protocol.xml.XmlNames;
import dev.polystack.protocol.xml.XmlWriter;

import java.util.Map;

/**
 * The ec2 protocol: query-style requests with EC2's naming rules ({@code queryName}, else the capitalized
 * {@code locationName}; every list as {@code Name.N}), and responses without a result wrapper:
 * <pre>
 * &lt;DescribeInstancesResponse xmlns="ns"&gt;...members...&lt;requestId&gt;id&lt;/requestId&gt;&lt;/DescribeInstancesResponse&gt;
 * &lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;&lt;Code&gt;...&lt;/Code&gt;&lt;Message&gt;...&lt;/Message&gt;&lt;/Error&gt;&lt;/Errors&gt;&lt;RequestID&gt;id&lt;/RequestID&gt;&lt;/Response&gt;
 * </pre>
 */
public final class Ec2Codec extends QueryCodec {

    public Ec2Codec(ServiceModel model) {
        super(model, new XmlNames(model), true);
    }

    @Override
    public String protocol() { return "ec2"; }

    @Override
    protected String contentType() {
        return "text/xml;charset=UTF-8";
    }

    /** EC2 answers in XML whatever the client accepts. */
    @Override
    protected boolean wantsJson(RequestContext context) {
        return false;
    }

    @Override
    protected void writeResponse(XmlWriter w, Operation op, Map<String, Object> output, String requestId) {
        String root = op.name() + "Response";
        w.start(root);
        if (names.xmlNamespace() != null) w.attribute("xmlns", names.xmlNamespace());
        if (op.output() != null) writer.writeMembers(w, op.output(), output);
        w.element("requestId", requestId == null ? "" : requestId);
        w.end(root);
    }

    @Override
    protected void writeError(XmlWriter w, ErrorDescriptor e, ServiceException error, String requestId) {
        w.start("Response").start("Errors").start("Error");
        w.element("Code", e.queryCode());
        if (error.getMessage() != null) w.element("Message", error.getMessage());
        writeErrorFields(w, e.shape(), error.fields());
        w.end("Error").end("Errors");
        // EC2 spells it RequestID in errors (botocore reads both spellings).
        w.element("RequestID", requestId == null ? "" : requestId);
        w.end("Response");
    }
}
