package dev.vertxshop.hardening.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.vertxshop.platform.observability.ShopLogEncoder;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Everything the shop in this JVM writes while it is open: every log event as the production JSON line
 * (encoded on the logging thread, so with its correlation id and service), at the levels asked for, and
 * whatever reaches standard output and error besides. Closing restores levels and streams.
 */
final class LogCapture implements AutoCloseable {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final Map<String, Level> previousLevels = new HashMap<>();
  private final AppenderBase<ILoggingEvent> appender;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  /** Starts capturing; {@code debugLoggers} are set to DEBUG until closed. */
  LogCapture(String... debugLoggers) {
    ShopLogEncoder encoder = new ShopLogEncoder();
    encoder.setFormat("json");
    encoder.setContext(context);
    encoder.start();
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).trim());
      }
    };
    appender.setContext(context);
    appender.start();
    for (String name : debugLoggers) {
      Logger logger = context.getLogger(name);
      previousLevels.put(name, logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    System.setOut(new PrintStream(new Tee(out, console), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err, console), true, StandardCharsets.UTF_8));
  }

  /** The JSON lines so far, parsed. */
  List<JsonObject> json() {
    List<JsonObject> parsed = new ArrayList<>();
    for (String line : lines) {
      parsed.add(new JsonObject(line));
    }
    return parsed;
  }

  /** Everything so far as one text: the JSON lines and the console output. */
  String text() {
    StringBuilder all = new StringBuilder();
    lines.forEach(line -> all.append(line).append('\n'));
    synchronized (console) {
      all.append(console.toString(StandardCharsets.UTF_8));
    }
    return all.toString();
  }

  int lineCount() {
    return lines.size();
  }

  @Override
  public void close() {
    System.setOut(out);
    System.setErr(err);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
    previousLevels.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  /** Writes to the real stream and keeps a copy. */
  private static final class Tee extends OutputStream {

    private final OutputStream real;
    private final ByteArrayOutputStream copy;

    Tee(OutputStream real, ByteArrayOutputStream copy) {
      this.real = real;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      synchronized (copy) {
        copy.write(b);
      }
      try {
        real.write(b);
      } catch (java.io.IOException e) {
        // The copy is what the test reads; the real stream is a courtesy.
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      synchronized (copy) {
        copy.write(bytes, offset, length);
      }
      try {
        real.write(bytes, offset, length);
      } catch (java.io.IOException e) {
        // As above.
      }
    }
  }
}
