package dev.polystack.services.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** KMS state of one account in one region: keys, aliases and grants. Public fields are the persisted format. */
public final class KmsRegion {
    public ConcurrentHashMap<String, KmsKey> keys = new ConcurrentHashMap<>();
    /** Alias name (alias/...) → alias. */
    public ConcurrentHashMap<String, Alias> aliases = new ConcurrentHashMap<>();
    /** Grant id → grant. */
    public ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();
    public AtomicLong sequence = new AtomicLong();

    public static final class Alias {
        public String name;
        public String targetKeyId;
        public long createdMillis;
        public long updatedMillis;
    }

    public static final class Grant {
        public String grantId;
        public String grantToken;
        public String keyId;
        public String name;
        public long createdMillis;
        public String granteePrincipal;
        public String retiringPrincipal;
        public String issuingAccount;
        public List<String> operations = new ArrayList<>();
        /** The grant's constraints as given, or null. */
        public Constraints constraints;
    }

    /** A grant's encryption context constraints (persisted under AWS's member names). */
    public static final class Constraints {
        @com.fasterxml.jackson.annotation.JsonProperty("EncryptionContextSubset")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        public Map<String, String> encryptionContextSubset;
        @com.fasterxml.jackson.annotation.JsonProperty("EncryptionContextEquals")
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        public Map<String, String> encryptionContextEquals;

        static Constraints of(dev.polystack.services.kms.api.GrantConstraints given) {
            if (given == null) return null;
            Constraints c = new Constraints();
            c.encryptionContextSubset = given.encryptionContextSubset();
            c.encryptionContextEquals = given.encryptionContextEquals();
            return c;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Constraints c && java.util.Objects.equals(encryptionContextSubset, c.encryptionContextSubset)
                    && java.util.Objects.equals(encryptionContextEquals, c.encryptionContextEquals);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(encryptionContextSubset, encryptionContextEquals);
        }
    }

    /** Keys in creation order. */
    public List<KmsKey> keysInOrder() {
        List<KmsKey> list = new ArrayList<>(keys.values());
        list.sort((a, b) -> Long.compare(a.sequence, b.sequence));
        return list;
    }
}
