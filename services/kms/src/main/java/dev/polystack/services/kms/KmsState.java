package dev.polystack.services.kms;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.polystack.api.AccountRegionStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The persisted KMS state, format version 1 (JSON):
 * <pre>
 * { "format": "polystack-kms", "version": 1,
 *   "accounts": { "&lt;account&gt;": { "&lt;region&gt;": {
 *       "keys":    { "&lt;key id&gt;": KmsKey },   // metadata, tags, policy, rotations, and
 *                                          // "materials": [{id, secret (base64), publicKey, createdMillis}]
 *       "aliases": { "alias/x": {name, targetKeyId, createdMillis, updatedMillis} },
 *       "grants":  { "&lt;grant id&gt;": Grant },
 *       "sequence": n } } } }
 * </pre>
 * Key material is included (secrets in base64): a restored server decrypts what the old one encrypted.
 * Readers ignore unknown fields so later versions may add some without a version bump.
 */
final class KmsState {
    static final String FORMAT = "polystack-kms";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private KmsState() {
    }

    static void write(AccountRegionStore<KmsRegion> store, OutputStream out) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", KmsProvider.STATE_VERSION);
        ObjectNode accounts = root.putObject("accounts");
        store.all().forEach((account, regions) -> regions.forEach((region, state) -> {
            ObjectNode r = accounts.withObjectProperty(account).putObject(region);
            ObjectNode keys = r.putObject("keys");
            for (KmsKey k : state.keysInOrder()) {
                synchronized (k) { // keys change under their own monitor: each is copied consistently
                    keys.set(k.keyId, MAPPER.valueToTree(k));
                }
            }
            r.set("aliases", MAPPER.valueToTree(state.aliases));
            r.set("grants", MAPPER.valueToTree(state.grants));
            r.put("sequence", state.sequence.get());
        }));
        MAPPER.writeValue(out, root);
    }

    static void read(AccountRegionStore<KmsRegion> store, InputStream in, int version) throws IOException {
        if (version != 1) throw new IOException("unsupported KMS state version " + version);
        JsonNode root = MAPPER.readTree(in);
        if (root == null || !FORMAT.equals(root.path("format").asText())) throw new IOException("not a KMS state file");
        Map<String, Map<String, KmsRegion>> accounts = MAPPER.convertValue(root.path("accounts"),
                new TypeReference<LinkedHashMap<String, Map<String, KmsRegion>>>() { });
        store.clear();
        if (accounts == null) return;
        accounts.forEach((account, regions) -> regions.forEach((region, state) -> store.put(account, region, state)));
        relinkReplicaMaterial(store);
    }

    /** Replicas share their primary's material list in memory; after a load, point them at it again. */
    private static void relinkReplicaMaterial(AccountRegionStore<KmsRegion> store) {
        store.all().forEach((account, regions) -> regions.forEach((region, state) -> state.keys.values().forEach(k -> {
            if (!"REPLICA".equals(k.multiRegionType)) return;
            KmsRegion primaryState = store.peek(account, k.primaryRegion);
            KmsKey primary = primaryState == null ? null : primaryState.keys.get(k.keyId);
            if (primary != null) k.materials = primary.materials;
        })));
    }
}
