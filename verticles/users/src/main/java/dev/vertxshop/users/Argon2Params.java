package dev.vertxshop.users;

/** Argon2id cost parameters: memory in KiB, iterations (passes) and parallelism (lanes). */
public record Argon2Params(int memoryKib, int iterations, int parallelism) {

  // Bounds on what a configuration or a stored hash may ask for: a tampered or corrupt row must not
  // make a sign-in allocate gigabytes or spin for minutes.
  static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
  static final int MAX_ITERATIONS = 100;
  static final int MAX_PARALLELISM = 64;

  /** The OWASP Password Storage Cheat Sheet's first Argon2id choice: 19 MiB, 2 iterations, 1 lane. */
  public static final Argon2Params OWASP = new Argon2Params(19 * 1024, 2, 1);

  public Argon2Params {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException("parallelism must be in [1, " + MAX_PARALLELISM + "]");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be in [1, " + MAX_ITERATIONS + "]");
    }
    // Argon2 needs at least 8 KiB per lane.
    if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException("memory must be in [8 x parallelism, " + MAX_MEMORY_KIB + "] KiB");
    }
  }
}
