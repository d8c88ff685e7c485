package dev.vertxshop.embedded;

/** JVM shutdown hooks that embedded servers can withdraw once they are closed normally. */
final class ShutdownHooks {

  private ShutdownHooks() {
  }

  static Thread register(String name, Runnable action) {
    Thread hook = new Thread(action, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  static void remove(Thread hook) {
    if (Thread.currentThread() == hook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is already running or about to; closing twice is harmless.
    }
  }
}
