package dev.vertxshop.loadtest.support;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the harness end a run early and cleanly (reports written): once the file named by
 * {@code -DstopFile} exists, the next session to start stops the load generator. The harness uses it to
 * end a fault run as soon as the shop has been error-free for long enough.
 */
public final class StopSignal {

  private static volatile boolean requested;
  private static volatile Thread watcher;

  private StopSignal() {
  }

  /** Watches {@code path} once a second (nothing when null). */
  public static synchronized void watch(String path) {
    if (path == null || watcher != null) {
      return;
    }
    Path file = Path.of(path);
    Thread thread = new Thread(() -> {
      while (!requested && !Thread.currentThread().isInterrupted()) {
        if (Files.exists(file)) {
          requested = true;
          System.out.println("stop file " + file + " found: stopping the load generator");
          return;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "loadtest-stop-signal");
    thread.setDaemon(true);
    thread.start();
    watcher = thread;
  }

  public static boolean requested() {
    return requested;
  }
}
