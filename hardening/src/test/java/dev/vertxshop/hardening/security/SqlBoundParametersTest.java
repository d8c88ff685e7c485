package dev.vertxshop.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.hardening.security.SqlConcatenationScanner.Allowed;
import dev.vertxshop.hardening.security.SqlConcatenationScanner.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "SQL only with bound parameters", checked on the sources: no SQL text in any service's main code is
 * joined with a value (only with literals and constants), nor used as a format template. The scanner is
 * itself checked on planted examples, so that a scan finding nothing means something.
 */
@DisplayName("SQL is built from constants only: no value concatenated into SQL text in any main source")
class SqlBoundParametersTest {

  /** Operands a reviewer checked: each comes from a fixed set in the same file, never from a request. */
  static final List<Allowed> REVIEWED = List.of(
      new Allowed("catalog/CatalogQueries.java", "orderBy",
          "a value of the constant ORDER_BY map, iterated when the class loads; the request's sort only picks a prepared query"));

  private final SqlConcatenationScanner scanner = new SqlConcatenationScanner(REVIEWED);

  @Test
  @DisplayName("every main source of every module: no SQL joined to a value, no SQL format template")
  void mainSources() throws IOException {
    Path verticles = repositoryRoot().resolve("verticles");
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(verticles)) {
      sources = walk.filter(path -> path.toString().endsWith(".java"))
          .filter(path -> path.toString().contains("/src/main/java/"))
          .sorted()
          .toList();
    }
    List<Finding> findings = new ArrayList<>();
    List<Finding> unreviewed = new ArrayList<>();
    SqlConcatenationScanner strict = new SqlConcatenationScanner(List.of());
    long queryHolders = 0;
    long stores = 0;
    for (Path source : sources) {
      String name = verticles.relativize(source).toString();
      queryHolders += name.endsWith("Queries.java") ? 1 : 0;
      stores += name.endsWith("Store.java") ? 1 : 0;
      String text = Files.readString(source);
      findings.addAll(scanner.scan(name, text));
      unreviewed.addAll(strict.scan(name, text));
    }
    System.out.printf("SQL scan: %d main sources (%d query holders, %d stores), %d findings, %d reviewed exceptions%n",
        sources.size(), queryHolders, stores, findings.size(), unreviewed.size() - findings.size());
    assertThat(queryHolders).as("the services' query holders were scanned").isGreaterThanOrEqualTo(6);
    assertThat(findings).as("SQL joined to values").isEmpty();
    // Every allow-list entry is still needed: a stale one would quietly allow a future concatenation.
    assertThat(unreviewed).extracting(Finding::operand).containsExactlyInAnyOrderElementsOf(
        REVIEWED.stream().map(Allowed::operand).toList());
  }

  @Test
  @DisplayName("planted examples: a value joined to SQL, a format template and a builder are found; constants are not")
  void plantedExamples() {
    String planted = """
        final class Planted {
          static final String COLUMNS = "id, email";
          static final String GOOD = "SELECT " + COLUMNS + " FROM users WHERE id = $1";
          static final String ALSO_GOOD = "SELECT id FROM t" + (FLAG ? " WHERE a = $1" : "") + " LIMIT $2";
          String byEmail(String email) {
            return "SELECT " + COLUMNS + " FROM users WHERE email = '" + email + "'";
          }
          String sorted(String sort) {
            return "SELECT id FROM products ORDER BY " + sort;
          }
          String left(String table) {
            return table + " WHERE id = $1";
          }
          String template(String id) {
            return String.format("DELETE FROM carts WHERE user_id = '%s'", id);
          }
          String formatted(String id) {
            return "UPDATE orders SET status = 'X' WHERE id = %s".formatted(id);
          }
          String built(long id) {
            return new StringBuilder().append("SELECT * FROM payments WHERE id = ").append(id).toString();
          }
          String message(String name) {
            return "unknown category " + name + "; choose one from the list";
          }
          String textBlock(String id) {
            return \"""
                SELECT * FROM t WHERE id =\""" + id;
          }
        }
        """;
    List<Finding> findings = scanner.scan("Planted.java", planted);
    assertThat(findings).extracting(Finding::operand)
        .containsExactlyInAnyOrder("email", "sort", "table", "String.format", ".formatted", "id", "id");
    assertThat(findings).noneMatch(finding -> finding.operand().contains("COLUMNS") || finding.operand().contains("name"));
  }

  @Test
  @DisplayName("the allow-list is exact: the reviewed operand in another file, or another operand in that file, is found")
  void allowListIsNarrow() {
    String other = "class X { String q(String orderBy) { return \"SELECT id FROM t ORDER BY \" + orderBy; } }";
    assertThat(scanner.scan("orders/OrdersQueries.java", other)).hasSize(1);
    String sameFile = "class X { String q(String sort) { return \"SELECT id FROM t ORDER BY \" + sort; } }";
    assertThat(scanner.scan("catalog/CatalogQueries.java", sameFile)).hasSize(1);
    assertThat(scanner.scan("catalog/CatalogQueries.java", other)).isEmpty();
  }

  static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path dir = here; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("verticles")) && Files.exists(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no repository root above " + here);
  }
}
