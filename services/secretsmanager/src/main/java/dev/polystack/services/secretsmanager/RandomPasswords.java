package dev.polystack.services.secretsmanager;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** GetRandomPassword: AWS's character classes, exclusions and "one of each included type". */
final class RandomPasswords {
    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String DIGITS = "0123456789";
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomPasswords() {
    }

    static String generate(Integer length, String exclude, boolean noNumbers, boolean noPunctuation, boolean noUpper,
                           boolean noLower, boolean space, boolean eachType) {
        int n = length == null ? 32 : length;
        if (n < 1 || n > 4096) {
            throw SecretsErrors.validation("1 validation error detected: Value '" + n + "' at 'passwordLength' failed to satisfy "
                    + "constraint: Member must have value " + (n < 1 ? "greater than or equal to 1" : "less than or equal to 4096"));
        }
        String excluded = exclude == null ? "" : exclude;
        List<String> classes = new ArrayList<>();
        if (!noLower) classes.add(LOWER);
        if (!noUpper) classes.add(UPPER);
        if (!noNumbers) classes.add(DIGITS);
        if (!noPunctuation) classes.add(PUNCTUATION);
        if (space) classes.add(" ");
        List<String> usable = new ArrayList<>();
        for (String c : classes) {
            StringBuilder kept = new StringBuilder();
            for (char ch : c.toCharArray()) if (excluded.indexOf(ch) < 0) kept.append(ch);
            if (!kept.isEmpty()) usable.add(kept.toString());
        }
        if (usable.isEmpty() || (eachType && n < usable.size())) {
            throw SecretsErrors.invalidParameter("Password length is too short based on the required types.");
        }
        String all = String.join("", usable);
        List<Character> chars = new ArrayList<>(n);
        if (eachType) for (String c : usable) chars.add(c.charAt(RANDOM.nextInt(c.length())));
        while (chars.size() < n) chars.add(all.charAt(RANDOM.nextInt(all.length())));
        Collections.shuffle(chars, RANDOM);
        StringBuilder out = new StringBuilder(n);
        for (char c : chars) out.append(c);
        return out.toString();
    }
}
