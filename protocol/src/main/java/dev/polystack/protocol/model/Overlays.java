package dev.polystack.protocol.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The specification overlays shipped in this jar: {@code dev/polystack/protocol/overlays/<service>.json}, listed in
 * {@code services.txt} (see {@link ModelLoader#applyOverlay}). Deliberately free of Jackson: the catalog checks
 * the overlays' {@link #fingerprint()} at start-up, and nothing JSON-related should load before the first request.
 */
public final class Overlays {
    private static final String FOLDER = "/dev/polystack/protocol/overlays/";

    private Overlays() {
    }

    /** The services that have an overlay, in {@code services.txt} order. */
    public static List<String> services() {
        List<String> out = new ArrayList<>();
        byte[] list = read("services.txt");
        if (list == null) return out;
        for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
            String name = line.trim();
            if (!name.isEmpty() && !name.startsWith("#")) out.add(name);
        }
        return out;
    }

    /** The overlay of a service, or null; the caller closes it. */
    static InputStream open(String service) {
        return Overlays.class.getResourceAsStream(FOLDER + service + ".json");
    }

    /**
     * A checksum of every overlay's bytes: the catalog index records what overlays add (SQS's query protocol),
     * so an index built with other overlays must not be reused.
     */
    public static String fingerprint() {
        CRC32 crc = new CRC32();
        byte[] list = read("services.txt");
        if (list != null) crc.update(list);
        for (String service : services()) {
            byte[] overlay = read(service + ".json");
            if (overlay != null) crc.update(overlay);
        }
        return Long.toHexString(crc.getValue());
    }

    private static byte[] read(String name) {
        try (InputStream in = Overlays.class.getResourceAsStream(FOLDER + name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read overlay " + name, e);
        }
    }
}
