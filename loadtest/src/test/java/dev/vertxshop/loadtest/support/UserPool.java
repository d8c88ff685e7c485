package dev.vertxshop.loadtest.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signed-in shoppers for the cart and checkout flows of the mixed load: registered and logged in once
 * before the load (a password hash costs tens of milliseconds of CPU on purpose, and a returning
 * customer does not register again), then leased to one virtual user at a time so that two sessions
 * never edit the same cart. Tokens older than {@link #REFRESH_AFTER} are renewed on lease (soak runs
 * outlive the token's lifetime).
 */
public final class UserPool {

  /** Below the shop's default token lifetime (SHOP_JWT_TTL, 60 minutes). */
  static final Duration REFRESH_AFTER = Duration.ofMinutes(45);
  private static final String PASSWORD = "load-test-password";

  /** A registered shopper. */
  static final class Account {
    final String email;
    volatile String token;
    volatile Instant tokenAt;

    Account(String email, String token) {
      this.email = email;
      this.token = token;
      this.tokenAt = Instant.now();
    }
  }

  private final ShopClient client;
  private final List<Account> all;
  private final Map<String, Account> byEmail = new HashMap<>();
  private final ConcurrentLinkedQueue<Account> idle;
  private final AtomicInteger leases = new AtomicInteger();
  private final AtomicInteger contended = new AtomicInteger();

  private UserPool(ShopClient client, List<Account> accounts) {
    this.client = client;
    this.all = List.copyOf(accounts);
    this.idle = new ConcurrentLinkedQueue<>(accounts);
    accounts.forEach(account -> byEmail.put(account.email, account));
  }

  /** Registers and logs in {@code size} shoppers, four at a time (the users service queues password hashes). */
  public static UserPool create(ShopClient client, int size, String runTag) {
    if (size < 1) {
      throw new IllegalArgumentException("users (the pool size) must be >= 1");
    }
    long start = System.nanoTime();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Account>> futures = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String email = "pool-" + runTag + "-" + i + "@loadtest.example";
        futures.add(workers.submit(() -> signUp(client, email)));
      }
      List<Account> accounts = new ArrayList<>();
      for (Future<Account> future : futures) {
        accounts.add(future.get());
      }
      System.out.printf("user pool: %d shoppers registered and signed in in %d ms%n", size, (System.nanoTime() - start) / 1_000_000);
      return new UserPool(client, accounts);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot build the user pool: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      workers.shutdownNow();
    }
  }

  private static Account signUp(ShopClient client, String email) {
    var body = ShopClient.object().put("email", email).put("password", PASSWORD).put("name", "Pooled Shopper");
    ShopClient.Answer registered = retryBusy(() -> client.post("/api/users", body, null));
    // 409: registered by an earlier run against the same database; the password is the same.
    if (registered.status() != 201 && registered.status() != 409) {
      throw new IllegalStateException("POST /api/users answered " + registered.status() + " " + ShopClient.abbreviate(registered.raw()));
    }
    return new Account(email, login(client, email));
  }

  private static String login(ShopClient client, String email) {
    var body = ShopClient.object().put("email", email).put("password", PASSWORD);
    ShopClient.Answer answer = retryBusy(() -> client.post("/api/auth/login", body, null));
    String token = answer.body().path("token").asText("");
    if (answer.status() != 200 || token.isEmpty()) {
      throw new IllegalStateException("POST /api/auth/login answered " + answer.status() + " " + ShopClient.abbreviate(answer.raw()));
    }
    return token;
  }

  /** 503 with a busy users service (hash queue full) or 429 is worth another try during setup. */
  private static ShopClient.Answer retryBusy(java.util.function.Supplier<ShopClient.Answer> call) {
    ShopClient.Answer answer = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      answer = call.get();
      if (answer.status() != 503 && answer.status() != 429 && answer.status() != 504) {
        return answer;
      }
      ShopClient.sleep(Duration.ofMillis(250L * (attempt + 1)));
    }
    return answer;
  }

  /**
   * {@code email} and {@code token} of a shopper no other virtual user holds; when every shopper is
   * busy (a pool smaller than the concurrent cart sessions), one is shared and counted.
   */
  public Iterator<Map<String, Object>> feeder() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Map<String, Object> next() {
        Account account = idle.poll();
        boolean exclusive = account != null;
        if (!exclusive) {
          contended.incrementAndGet();
          account = all.get(ThreadLocalRandom.current().nextInt(all.size()));
        }
        if (Duration.between(account.tokenAt, Instant.now()).compareTo(REFRESH_AFTER) > 0) {
          refresh(account);
        }
        Map<String, Object> values = new HashMap<>();
        values.put("email", account.email);
        values.put("token", account.token);
        values.put("leased", exclusive);
        leases.incrementAndGet();
        return values;
      }
    };
  }

  /** Gives the session's shopper back (call at the end of the flow). */
  public void release(String email, boolean leased) {
    if (!leased) {
      return;
    }
    Account account = byEmail.get(email);
    if (account == null) {
      throw new NoSuchElementException(email);
    }
    idle.add(account);
  }

  /** Leases that found every shopper busy; worth a bigger pool (-Dusers) when not near zero. */
  public int contended() {
    return contended.get();
  }

  public int leases() {
    return leases.get();
  }

  private synchronized void refresh(Account account) {
    if (Duration.between(account.tokenAt, Instant.now()).compareTo(REFRESH_AFTER) > 0) {
      account.token = login(client, account.email);
      account.tokenAt = Instant.now();
    }
  }
}
