package dev.vertxshop.embedded;

/** A JVM that owns a {@link LocalPostgres} until it is killed: the other end of a crash test. */
public final class LocalPostgresOwner {

  private LocalPostgresOwner() {}

  public static void main(String[] args) throws InterruptedException {
    LocalPostgres postgres = LocalPostgres.start(null, 0);
    System.out.println("READY " + postgres.port() + " " + postgres.dataDirectory());
    System.out.flush();
    Thread.sleep(120_000); // bounded: the test kills it long before
    postgres.close();
  }
}
