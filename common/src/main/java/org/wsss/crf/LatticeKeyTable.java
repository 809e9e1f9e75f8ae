package org.wsss.crf;

/**
 * Open-addressing (linear probing) hash table from integer lattice coordinates to dense entry indices
 * 0..size-1, in insertion order. Keys live in one flat int array, so lookups neither allocate nor box.
 */
final class LatticeKeyTable {
    private static final int EMPTY = -1;

    private final int dim;
    private int[] keys;
    private int[] entryHashes;
    private int[] slots;
    private int mask;
    private int size;

    LatticeKeyTable(int dim, int expectedEntries) {
        this.dim = dim;
        int capacity = Integer.highestOneBit(Math.max(16, expectedEntries * 2 - 1)) << 1;
        slots = new int[capacity];
        java.util.Arrays.fill(slots, EMPTY);
        mask = capacity - 1;
        keys = new int[Math.max(16, expectedEntries) * dim];
        entryHashes = new int[Math.max(16, expectedEntries)];
    }

    int size() {
        return size;
    }

    /** Coordinate {@code k} of entry {@code entry}. */
    int coordinate(int entry, int k) {
        return keys[entry * dim + k];
    }

    /** Index of {@code key} (its first {@code dim} values), inserting it if absent. */
    int findOrInsert(int[] key) {
        int hash = hash(key);
        int slot = hash & mask;
        while (true) {
            int entry = slots[slot];
            if (entry == EMPTY) {
                break;
            }
            if (entryHashes[entry] == hash && sameKey(entry, key)) {
                return entry;
            }
            slot = (slot + 1) & mask;
        }
        if (size == entryHashes.length) {
            keys = java.util.Arrays.copyOf(keys, keys.length * 2);
            entryHashes = java.util.Arrays.copyOf(entryHashes, entryHashes.length * 2);
        }
        int entry = size++;
        System.arraycopy(key, 0, keys, entry * dim, dim);
        entryHashes[entry] = hash;
        slots[slot] = entry;
        if (size * 2 > slots.length) {
            rehash();
        }
        return entry;
    }

    /** Index of {@code key}, or -1 when it is not in the table. */
    int find(int[] key) {
        int hash = hash(key);
        int slot = hash & mask;
        while (true) {
            int entry = slots[slot];
            if (entry == EMPTY) {
                return -1;
            }
            if (entryHashes[entry] == hash && sameKey(entry, key)) {
                return entry;
            }
            slot = (slot + 1) & mask;
        }
    }

    private boolean sameKey(int entry, int[] key) {
        int base = entry * dim;
        for (int k = 0; k < dim; k++) {
            if (keys[base + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private int hash(int[] key) {
        int h = 0;
        for (int k = 0; k < dim; k++) {
            h = (h + key[k]) * 0x9E3779B1;
        }
        // lattice keys differ in low bits of few coordinates; fold the well-mixed high bits down
        return h ^ (h >>> 15);
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        java.util.Arrays.fill(bigger, EMPTY);
        int newMask = bigger.length - 1;
        for (int entry = 0; entry < size; entry++) {
            int slot = entryHashes[entry] & newMask;
            while (bigger[slot] != EMPTY) {
                slot = (slot + 1) & newMask;
            }
            bigger[slot] = entry;
        }
        slots = bigger;
        mask = newMask;
    }
}
