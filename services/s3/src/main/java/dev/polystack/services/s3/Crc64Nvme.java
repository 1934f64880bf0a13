package dev.polystack.services.s3;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and final xor all ones), the default
 * checksum of newer AWS SDKs. The JDK has no CRC64: slicing-by-16 tables, 16 bytes per step read as two
 * little-endian longs (about 1.7x the speed of byte-assembled slicing-by-8 on an 8 MiB body).
 */
final class Crc64Nvme {
    private static final long POLY = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = new long[16][256];
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            TABLES[0][i] = c;
        }
        for (int i = 0; i < 256; i++) {
            for (int t = 1; t < 16; t++) {
                long prev = TABLES[t - 1][i];
                TABLES[t][i] = (prev >>> 8) ^ TABLES[0][(int) (prev & 0xff)];
            }
        }
    }

    private long crc = ~0L;

    void update(byte[] b, int off, int len) {
        long c = crc;
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        long[] t8 = TABLES[8], t9 = TABLES[9], t10 = TABLES[10], t11 = TABLES[11];
        long[] t12 = TABLES[12], t13 = TABLES[13], t14 = TABLES[14], t15 = TABLES[15];
        while (len >= 16) {
            long a = c ^ (long) LONG_LE.get(b, off);
            long d = (long) LONG_LE.get(b, off + 8);
            c = t15[(int) (a & 0xff)] ^ t14[(int) ((a >>> 8) & 0xff)] ^ t13[(int) ((a >>> 16) & 0xff)]
                    ^ t12[(int) ((a >>> 24) & 0xff)] ^ t11[(int) ((a >>> 32) & 0xff)] ^ t10[(int) ((a >>> 40) & 0xff)]
                    ^ t9[(int) ((a >>> 48) & 0xff)] ^ t8[(int) (a >>> 56)]
                    ^ t7[(int) (d & 0xff)] ^ t6[(int) ((d >>> 8) & 0xff)] ^ t5[(int) ((d >>> 16) & 0xff)]
                    ^ t4[(int) ((d >>> 24) & 0xff)] ^ t3[(int) ((d >>> 32) & 0xff)] ^ t2[(int) ((d >>> 40) & 0xff)]
                    ^ t1[(int) ((d >>> 48) & 0xff)] ^ t0[(int) (d >>> 56)];
            off += 16;
            len -= 16;
        }
        while (len-- > 0) c = (c >>> 8) ^ t0[(int) ((c ^ b[off++]) & 0xff)];
        crc = c;
    }

    long getValue() {
        return ~crc;
    }
}
