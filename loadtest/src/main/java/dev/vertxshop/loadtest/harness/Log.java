package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The harness's narration: to the console and to {@code harness.log} in the results directory. */
final class Log {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static Path file;

  private Log() {
  }

  static synchronized void to(Path path) {
    file = path;
  }

  static synchronized void info(String format, Object... args) {
    String line = LocalTime.now().format(TIME) + " " + String.format(Locale.ROOT, format, args);
    System.out.println(line);
    System.out.flush();
    if (file != null) {
      try {
        Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException ignored) {
        // the console has it
      }
    }
  }
}
