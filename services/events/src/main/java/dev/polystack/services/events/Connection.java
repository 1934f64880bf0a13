package dev.polystack.services.events;

import java.util.ArrayList;
import java.util.List;

/**
 * A connection: how API destinations authorize their HTTP calls (Basic, an API key header, or OAuth client
 * credentials) and the parameters every call carries. AWS keeps the secrets in a Secrets Manager secret; here they
 * stay in the connection, never returned by Describe/List (only {@link #secretArn} names where AWS would keep them).
 */
public final class Connection {
    public String name;
    public String arn;
    public String description;
    public String authorizationType;
    public String state;
    public String secretArn;
    public long creationTime;
    public long lastModifiedTime;
    public long lastAuthorizedTime;

    public String username;
    public String password;
    public String apiKeyName;
    public String apiKeyValue;
    public String oauthEndpoint;
    public String oauthHttpMethod;
    public String clientId;
    public String clientSecret;
    public Parameters oauthParameters;

    /** Headers, query string and body members every invocation carries. */
    public Parameters invocationParameters;

    /** One key/value of a connection's HTTP parameters. */
    public record Parameter(String key, String value, boolean secret) {
    }

    /** A connection's headers, query string and body members (OAuth's or an invocation's). */
    public static final class Parameters {
        public List<Parameter> headers = new ArrayList<>();
        public List<Parameter> queryString = new ArrayList<>();
        public List<Parameter> body = new ArrayList<>();
    }
}
