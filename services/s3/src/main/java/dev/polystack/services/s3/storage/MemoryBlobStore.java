package dev.polystack.services.s3.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default, ephemeral store: small blobs live on the heap; a blob larger than
 * {@code maxObjectInMemory}, or one that would push the heap share past {@code heapBudget}, spills to a
 * temporary on-disk store (as LocalStack's spooled files do), so a 1 GiB object never needs 1 GiB of heap.
 * Nothing survives a restart: the spill directory is wiped on start and on {@link #clear()}.
 */
public final class MemoryBlobStore implements BlobStore {
    private static final String SPILLED = "d";
    private static final String HEAP = "m";
    private final ConcurrentHashMap<String, byte[]> heap = new ConcurrentHashMap<>();
    private final AtomicLong heapBytes = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final int maxObjectInMemory;
    private final long heapBudget;
    private final Path spillDir;
    private volatile DiskBlobStore spill;

    public MemoryBlobStore(Path spillDir, int maxObjectInMemory, long heapBudget) {
        this.spillDir = spillDir;
        this.maxObjectInMemory = maxObjectInMemory;
        this.heapBudget = heapBudget;
    }

    @Override
    public Blob write(InputStream in) throws IOException {
        return write(in, -1);
    }

    @Override
    public Blob write(InputStream in, long sizeHint) throws IOException {
        if (sizeHint > maxObjectInMemory) return spill(new byte[0], 0, in);
        // A known small size gets a buffer of exactly that (+1 to see the end without growing): zeroing a 64 KiB
        // buffer for a 1 KiB object was the largest single cost of a small PUT.
        int initial = sizeHint >= 0 ? (int) sizeHint + 1 : Math.min(maxObjectInMemory + 1, 64 * 1024);
        byte[] buf = new byte[initial];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len > maxObjectInMemory) return spill(buf, len, in);
                buf = Arrays.copyOf(buf, Math.min(maxObjectInMemory + 1, Math.max(buf.length * 2, 64 * 1024)));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) break;
            len += n;
        }
        if (heapBytes.addAndGet(len) > heapBudget) {
            heapBytes.addAndGet(-len);
            return spill(buf, len, InputStream.nullInputStream());
        }
        String id = HEAP + ids.incrementAndGet();
        heap.put(id, len == buf.length ? buf : Arrays.copyOf(buf, len));
        return new Blob(id, len);
    }

    private Blob spill(byte[] head, int len, InputStream rest) throws IOException {
        InputStream all = len == 0 ? rest : new SequenceInputStream(new ByteArrayInputStream(head, 0, len), rest);
        Blob b = spillStore().write(all);
        return new Blob(SPILLED + b.id(), b.size());
    }

    @Override
    public InputStream open(String id, long offset, long length) throws IOException {
        if (id.startsWith(SPILLED)) return spillStore().open(id.substring(1), offset, length);
        byte[] data = heap.get(id);
        if (data == null) throw new NoSuchFileException(id);
        return new ByteArrayInputStream(data, (int) offset, (int) Math.min(length, data.length - offset));
    }

    @Override
    public void delete(String id) {
        if (id.startsWith(SPILLED)) {
            spillStore().delete(id.substring(1));
            return;
        }
        byte[] data = heap.remove(id);
        if (data != null) heapBytes.addAndGet(-data.length);
    }

    @Override
    public void clear() {
        heap.clear();
        heapBytes.set(0);
        if (spill != null) spill.clear();
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public boolean exists(String id) {
        return id.startsWith(SPILLED) ? spillStore().exists(id.substring(1)) : heap.containsKey(id);
    }

    /** Bytes held on the heap now (tests, diagnostics). */
    public long heapBytes() {
        return heapBytes.get();
    }

    private DiskBlobStore spillStore() {
        DiskBlobStore s = spill;
        if (s == null) {
            synchronized (this) {
                if (spill == null) spill = new DiskBlobStore(spillDir);
                s = spill;
            }
        }
        return s;
    }
}
