package dev.vertxshop.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (Bouncy Castle) in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}, base64 without padding,
 * the format of the reference implementation. Verification reads the parameters from the stored
 * string, so raising them later only affects new hashes (and {@link #needsRehash} tells which old
 * ones to replace).
 *
 * <p>CPU- and memory-heavy by design: call it on a worker thread, never on an event loop.
 * Thread-safe.
 */
final class PasswordHasher {

  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;

  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})"
          + "\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

  private final Argon2Params params;
  private final SecureRandom random = new SecureRandom();

  PasswordHasher(Argon2Params params) {
    this.params = params;
  }

  Argon2Params params() {
    return params;
  }

  /** A new PHC string for {@code password} with a fresh random salt and this hasher's parameters. */
  String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, params, HASH_BYTES);
    try {
      return "$argon2id$v=19$m=" + params.memoryKib() + ",t=" + params.iterations() + ",p=" + params.parallelism()
          + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    } finally {
      Arrays.fill(hash, (byte) 0);
    }
  }

  /**
   * Whether {@code password} matches {@code encoded}, using the parameters, salt and length stored
   * in it; compared in constant time. A malformed string matches nothing.
   */
  boolean verify(String password, String encoded) {
    Decoded decoded = decode(encoded);
    if (decoded == null) {
      return false;
    }
    byte[] actual = derive(password, decoded.salt(), decoded.params(), decoded.hash().length);
    try {
      return MessageDigest.isEqual(actual, decoded.hash());
    } finally {
      Arrays.fill(actual, (byte) 0);
    }
  }

  /** Whether {@code encoded} was made with other parameters (or another salt size) than this hasher's. */
  boolean needsRehash(String encoded) {
    Decoded decoded = decode(encoded);
    return decoded == null || !decoded.params().equals(params)
        || decoded.salt().length != SALT_BYTES || decoded.hash().length != HASH_BYTES;
  }

  /** The parameters stored in a PHC string; fails on a malformed one. */
  static Argon2Params paramsOf(String encoded) {
    Decoded decoded = decode(encoded);
    if (decoded == null) {
      throw new IllegalArgumentException("not an Argon2id v19 PHC string within bounds");
    }
    return decoded.params();
  }

  private record Decoded(Argon2Params params, byte[] salt, byte[] hash) {
  }

  private static Decoded decode(String encoded) {
    if (encoded == null) {
      return null;
    }
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      return null;
    }
    try {
      long memory = Long.parseLong(m.group(1));
      long iterations = Long.parseLong(m.group(2));
      long parallelism = Long.parseLong(m.group(3));
      if (memory > Argon2Params.MAX_MEMORY_KIB || iterations > Argon2Params.MAX_ITERATIONS
          || parallelism > Argon2Params.MAX_PARALLELISM) {
        return null;
      }
      Argon2Params params = new Argon2Params((int) memory, (int) iterations, (int) parallelism);
      byte[] salt = B64_DECODER.decode(m.group(4));
      byte[] hash = B64_DECODER.decode(m.group(5));
      // The reference implementation's limits: salts of at least 8 bytes, tags of at least 4 (we ask 16).
      if (salt.length < 8 || hash.length < 16) {
        return null;
      }
      return new Decoded(params, salt, hash);
    } catch (IllegalArgumentException e) {
      // Bad base64 (a length no encoder produces) or parameters out of range.
      return null;
    }
  }

  private static byte[] derive(String password, byte[] salt, Argon2Params params, int length) {
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(params.memoryKib())
        .withIterations(params.iterations())
        .withParallelism(params.parallelism())
        .withSalt(salt)
        .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] secret = passwordBytes(password);
    byte[] out = new byte[length];
    try {
      generator.generateBytes(secret, out);
      return out;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * The bytes that are hashed: UTF-8 of the NFKC form, as NIST SP 800-63B suggests, so that the same
   * password typed on keyboards that compose characters differently still matches.
   */
  static byte[] passwordBytes(String password) {
    return Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8);
  }
}
