package dev.polystack.services.s3;

import java.util.Comparator;

/**
 * S3 lists keys in UTF-8 byte order. Comparing code points gives that order; Java's String order
 * (UTF-16 units) differs for characters above U+FFFF versus U+E000..U+FFFF.
 */
final class KeyOrder implements Comparator<String> {
    static final KeyOrder INSTANCE = new KeyOrder();

    @Override
    public int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // surrogates (U+D800..U+DFFF) stand for code points above U+FFFF: they sort after the BMP
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) return sx ? 1 : -1;
                return x - y;
            }
        }
        return a.length() - b.length();
    }
}
