package io.rowstream.plan;

/**
 * A 64-bit fingerprint of a row's JSON text. The planner compares fingerprints instead of whole
 * rows, so it reads two narrow columns of the delivered state rather than every row's text.
 */
public final class RowHash {
  private RowHash() {}

  /** FNV-1a over the UTF-16 chars, then MurmurHash3's finaliser to spread the bits. */
  public static long of(String text) {
    long h = 0xcbf29ce484222325L ^ text.length();
    for (int i = 0; i < text.length(); i++) {
      h = (h ^ text.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
