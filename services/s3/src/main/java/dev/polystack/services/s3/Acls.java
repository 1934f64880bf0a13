package dev.polystack.services.s3;

import dev.polystack.api.ServiceException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Access control lists: stored and returned (not enforced, as LocalStack), built from canned ACLs, grant headers or bodies. */
final class Acls {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
    /** The x-amz-grant-* headers of a request (any may be null), in the order their grants are listed. */
    record Grants(String fullControl, String read, String readAcp, String write, String writeAcp) {
        static Grants of(Map<String, Object> in) {
            return new Grants(In.str(in, "GrantFullControl"), In.str(in, "GrantRead"), In.str(in, "GrantReadACP"),
                    In.str(in, "GrantWrite"), In.str(in, "GrantWriteACP"));
        }

        /** {value, permission, header name} of each header given. */
        private List<String[]> given() {
            List<String[]> out = new ArrayList<>(5);
            String[][] all = {{fullControl, "FULL_CONTROL", "x-amz-grant-full-control"}, {read, "READ", "x-amz-grant-read"},
                    {readAcp, "READ_ACP", "x-amz-grant-read-acp"}, {write, "WRITE", "x-amz-grant-write"},
                    {writeAcp, "WRITE_ACP", "x-amz-grant-write-acp"}};
            for (String[] g : all) if (g[0] != null) out.add(g);
            return out;
        }
    }

    /** A canonical user id: 64 hex digits. */
    private static final java.util.regex.Pattern CANONICAL_ID = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");
    private static final java.util.Set<String> PERMISSIONS = java.util.Set.of("FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP");

    private Acls() {
    }

    /** The ACL a create/put request asks for (canned or grant headers); null when it asks for none. */
    static Map<String, Object> fromRequest(Map<String, Object> in, String ownerAccount, String bucketOwner) {
        return fromRequest(In.str(in, "ACL"), Grants.of(in), ownerAccount, bucketOwner);
    }

    /** A canned ACL or grant headers given with a write, as the policy they mean; null when neither is given. */
    static Map<String, Object> fromRequest(String canned, Grants headers, String ownerAccount, String bucketOwner) {
        List<Object> grants = grantsFromHeaders(headers);
        if (canned != null && !grants.isEmpty()) {
            throw S3Errors.invalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (canned != null) return canned(canned, ownerAccount, bucketOwner);
        if (!grants.isEmpty()) return policy(ownerAccount, grants);
        return null;
    }

    /** PutBucketAcl / PutObjectAcl: canned, headers or an AccessControlPolicy body. */
    static Map<String, Object> fromPut(Map<String, Object> in, String ownerAccount) {
        Map<String, Object> fromHeaders = fromRequest(in, ownerAccount, ownerAccount);
        Map<String, Object> body = In.map(in, "AccessControlPolicy");
        if (fromHeaders != null && body != null) {
            throw new ServiceException("UnexpectedContent", "This request does not support content", 400);
        }
        if (fromHeaders != null) return fromHeaders;
        if (body == null) {
            throw new ServiceException("MissingSecurityHeader", "Your request was missing a required header", 400)
                    .with("MissingHeaderName", "x-amz-acl");
        }
        Map<String, Object> owner = In.map(body, "Owner");
        if (owner == null) throw malformedAcl();
        String ownerId = In.str(owner, "ID");
        if (ownerId == null || !CANONICAL_ID.matcher(ownerId).matches()) {
            throw S3Errors.invalidArgument("Invalid id", "CanonicalUser/ID", ownerId);
        }
        List<Object> grants = new ArrayList<>();
        for (Object g : In.list(body, "Grants")) {
            @SuppressWarnings("unchecked") Map<String, Object> grant = (Map<String, Object>) g;
            Map<String, Object> grantee = In.map(grant, "Grantee");
            if (grantee == null || !PERMISSIONS.contains(String.valueOf(In.str(grant, "Permission")))) throw malformedAcl();
            String type = In.str(grantee, "Type");
            if ("Group".equals(type)) {
                String uri = In.str(grantee, "URI");
                if (uri == null || !uri.equals(ALL_USERS) && !uri.equals(AUTHENTICATED_USERS) && !uri.equals(LOG_DELIVERY)) {
                    throw S3Errors.invalidArgument("Invalid group uri", "Group/URI", uri);
                }
            } else if ("CanonicalUser".equals(type)) {
                String id = In.str(grantee, "ID");
                if (id == null || !CANONICAL_ID.matcher(id).matches()) throw S3Errors.invalidArgument("Invalid id", "CanonicalUser/ID", id);
            } else if (!"AmazonCustomerByEmail".equals(type)) {
                throw malformedAcl();
            }
            grants.add(grant);
        }
        Map<String, Object> acl = new LinkedHashMap<>();
        acl.put("Owner", owner != null ? owner : S3State.owner(ownerAccount));
        acl.put("Grants", grants);
        return acl;
    }

    private static ServiceException malformedAcl() {
        return new ServiceException("MalformedACLError",
                "The XML you provided was not well-formed or did not validate against our published schema", 400);
    }

    static Map<String, Object> canned(String name, String ownerAccount, String bucketOwner) {
        List<Object> grants = new ArrayList<>();
        grants.add(grant(user(ownerAccount), "FULL_CONTROL"));
        switch (name) {
            case "private" -> {
            }
            case "public-read" -> grants.add(grant(group(ALL_USERS), "READ"));
            case "public-read-write" -> {
                grants.add(grant(group(ALL_USERS), "READ"));
                grants.add(grant(group(ALL_USERS), "WRITE"));
            }
            case "aws-exec-read" -> {
            }
            case "authenticated-read" -> grants.add(grant(group(AUTHENTICATED_USERS), "READ"));
            case "bucket-owner-read" -> {
                if (!bucketOwner.equals(ownerAccount)) grants.add(grant(user(bucketOwner), "READ"));
            }
            case "bucket-owner-full-control" -> {
                if (!bucketOwner.equals(ownerAccount)) grants.add(grant(user(bucketOwner), "FULL_CONTROL"));
            }
            case "log-delivery-write" -> {
                grants.add(grant(group(LOG_DELIVERY), "WRITE"));
                grants.add(grant(group(LOG_DELIVERY), "READ_ACP"));
            }
            default -> throw new ServiceException("InvalidArgument", null, 400)
                    .with("ArgumentName", "x-amz-acl").with("ArgumentValue", name);
        }
        return policy(ownerAccount, grants);
    }

    private static List<Object> grantsFromHeaders(Grants headers) {
        List<Object> grants = new ArrayList<>();
        for (String[] g : headers.given()) {
            String value = g[0];
            for (String part : value.split(",")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0) throw S3Errors.invalidArgument("Argument format not recognized", g[2], value);
                String type = p.substring(0, eq).trim();
                String v = p.substring(eq + 1).trim().replace("\"", "");
                Map<String, Object> grantee = switch (type) {
                    case "id" -> {
                        if (!CANONICAL_ID.matcher(v).matches()) throw S3Errors.invalidArgument("Invalid id", "id", v);
                        yield userId(v);
                    }
                    case "uri" -> {
                        if (!v.equals(ALL_USERS) && !v.equals(AUTHENTICATED_USERS) && !v.equals(LOG_DELIVERY)) {
                            throw S3Errors.invalidArgument("Invalid group uri", "uri", v);
                        }
                        yield group(v);
                    }
                    case "emailAddress" -> {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("Type", "AmazonCustomerByEmail");
                        e.put("EmailAddress", v);
                        yield e;
                    }
                    default -> throw S3Errors.invalidArgument("Argument format not recognized", g[2], value);
                };
                grants.add(grant(grantee, g[1]));
            }
        }
        return grants;
    }

    private static Map<String, Object> policy(String ownerAccount, List<Object> grants) {
        Map<String, Object> acl = new LinkedHashMap<>();
        acl.put("Owner", S3State.owner(ownerAccount));
        acl.put("Grants", grants);
        return acl;
    }

    private static Map<String, Object> grant(Map<String, Object> grantee, String permission) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("Grantee", grantee);
        g.put("Permission", permission);
        return g;
    }

    private static Map<String, Object> user(String accountId) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("ID", S3State.canonicalId(accountId));
        u.put("Type", "CanonicalUser");
        return u;
    }

    private static Map<String, Object> userId(String id) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("ID", id);
        u.put("Type", "CanonicalUser");
        return u;
    }

    private static Map<String, Object> group(String uri) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("Type", "Group");
        g.put("URI", uri);
        return g;
    }
}
