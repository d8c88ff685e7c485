package dev.vertxshop.hardening.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary table of one scenario run, printed on stdout and written to
 * {@code hardening/target/faults/<id>.md}, so that the figures of the last run can be read and pasted.
 */
final class ScenarioReport {

  private final String id;
  private final String title;
  private final List<String[]> rows = new ArrayList<>();

  ScenarioReport(String id, String title) {
    this.id = id;
    this.title = title;
  }

  ScenarioReport row(String figure, Object value) {
    rows.add(new String[] {figure, String.valueOf(value).replace("|", "\\|").replace("\n", " ")});
    return this;
  }

  String markdown() {
    StringBuilder table = new StringBuilder();
    table.append("### ").append(title).append("\n\n| figure | value |\n|---|---|\n");
    for (String[] row : rows) {
      table.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n");
    }
    return table.toString();
  }

  /** Prints the table and writes it next to the processes' logs. */
  void publish(Path dir) {
    String table = markdown();
    System.out.println();
    System.out.println(table);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(id + ".md"), table, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
