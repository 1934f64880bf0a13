package dev.polystack.services.apigateway;

import java.security.SecureRandom;

/** Identifiers shaped as AWS makes them: lowercase letters and digits (API ids 10 long, others 6). */
final class Ids {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String of(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        return new String(out);
    }

    static String apiId() {
        return of(10);
    }

    static String shortId() {
        return of(6);
    }

    /** API keys: 40 letters and digits, mixed case as AWS's. */
    static String apiKeyValue() {
        String mixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        char[] out = new char[40];
        for (int i = 0; i < out.length; i++) out[i] = mixed.charAt(RANDOM.nextInt(mixed.length()));
        return new String(out);
    }
}
