package dev.polystack.protocol.model;

import java.util.List;

/** A compiled operation. Immutable once {@link ModelLoader} has linked the model. */
public final class Operation {
    final String name;
    String httpMethod = "POST";
    String requestUri = "/";
    UriTemplate uriTemplate = UriTemplate.parse("/");
    int responseCode = 200;
    Shape input;
    Shape output;
    String inputLocationName;
    XmlNamespace inputXmlNamespace;
    String outputLocationName;
    String outputResultWrapper;
    List<Shape> errors = List.of();
    String hostPrefix;
    boolean httpChecksumRequired;
    boolean unsignedPayload;
    boolean deprecated;
    String authType;

    Operation(String name) {
        this.name = name;
    }

    public String name() { return name; }

    public String httpMethod() { return httpMethod; }

    public String requestUri() { return requestUri; }

    public UriTemplate uriTemplate() { return uriTemplate; }

    /** Success status (botocore {@code http.responseCode}, Smithy {@code @http(code)}), default 200. */
    public int responseCode() { return responseCode; }

    /** Input structure, or null when the operation takes none. */
    public Shape input() { return input; }

    /** Output structure, or null when the operation returns none. */
    public Shape output() { return output; }

    /** XML root element name of the input body (rest-xml), or null. */
    public String inputLocationName() { return inputLocationName; }

    public XmlNamespace inputXmlNamespace() { return inputXmlNamespace; }

    /** XML root element name of the output (botocore {@code output.locationName}), or null. */
    public String outputLocationName() { return outputLocationName; }

    /** Query protocol: the element wrapping the output ({@code SendMessageResult}), or null. */
    public String outputResultWrapper() { return outputResultWrapper; }

    public List<Shape> errors() { return errors; }

    /** Endpoint host prefix ({@code {RequestRoute}.}), or null. */
    public String hostPrefix() { return hostPrefix; }

    public boolean isHttpChecksumRequired() { return httpChecksumRequired; }

    public boolean isUnsignedPayload() { return unsignedPayload; }

    public boolean isDeprecated() { return deprecated; }

    public String authType() { return authType; }

    @Override
    public String toString() { return name + " " + httpMethod + " " + requestUri; }
}
