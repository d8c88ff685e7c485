package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statistics table of a Gatling report ({@code index.html}): one row for all requests, one per
 * request name, with counts, throughput and response-time percentiles.
 *
 * <p>Gatling 3.14 writes neither {@code js/stats.json} nor a text {@code simulation.log} any more (the
 * log is binary); the numbers live in the report's HTML table only. Columns are found by their header
 * text, so a change of the configured percentiles ({@code gatling.conf}) does not shift them.
 */
record GatlingStats(Row all, List<Row> requests) {

  /** One line of the table; times in milliseconds, NaN when absent. */
  record Row(String name, long total, long ok, long ko, double koPercent, double perSecond,
      double min, double p50, double p95, double p99, double max, double mean) {
  }

  private static final Pattern HEADER = Pattern.compile("<th id=\"col-(\\d+)\"[^>]*>\\s*<span>(?:<abbr[^>]*>)?([^<]+)");
  private static final Pattern ROW = Pattern.compile("<tr id=\"([^\"]+)\"[^>]*>(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern NAME = Pattern.compile("class=\"ellipsed-name\">([^<]*)</span>");
  private static final Pattern CELL = Pattern.compile("<td class=\"value [^\"]*col-(\\d+)\">([^<]*)</td>");

  static GatlingStats parse(Path indexHtml) throws IOException {
    return parse(Files.readString(indexHtml, StandardCharsets.UTF_8));
  }

  static GatlingStats parse(String html) {
    Map<String, Integer> columns = new HashMap<>();
    Matcher header = HEADER.matcher(html);
    while (header.find()) {
      columns.putIfAbsent(header.group(2).trim(), Integer.parseInt(header.group(1)));
    }
    if (!columns.containsKey("Total") || !columns.containsKey("99th pct")) {
      throw new IllegalArgumentException("not a Gatling 3.14 report: no statistics table with Total and 99th pct columns");
    }
    Row all = null;
    Map<String, Row> requests = new LinkedHashMap<>();
    Matcher rows = ROW.matcher(html);
    while (rows.find()) {
      Matcher name = NAME.matcher(rows.group(2));
      if (!name.find()) {
        continue;
      }
      Map<Integer, String> cells = new HashMap<>();
      Matcher cell = CELL.matcher(rows.group(2));
      while (cell.find()) {
        cells.put(Integer.parseInt(cell.group(1)), cell.group(2).trim());
      }
      if (cells.isEmpty()) {
        continue;
      }
      Row row = new Row(unescape(name.group(1)),
          (long) number(cells, columns, "Total"),
          (long) number(cells, columns, "OK"),
          (long) number(cells, columns, "KO"),
          number(cells, columns, "% KO"),
          number(cells, columns, "Cnt/s"),
          number(cells, columns, "Min"),
          number(cells, columns, "50th pct"),
          number(cells, columns, "95th pct"),
          number(cells, columns, "99th pct"),
          number(cells, columns, "Max"),
          number(cells, columns, "Mean"));
      if ("ROOT".equals(rows.group(1))) {
        all = row;
      } else {
        requests.putIfAbsent(row.name(), row);
      }
    }
    if (all == null) {
      throw new IllegalArgumentException("the Gatling report has no All Requests row");
    }
    return new GatlingStats(all, new ArrayList<>(requests.values()));
  }

  private static double number(Map<Integer, String> cells, Map<String, Integer> columns, String header) {
    Integer column = columns.get(header);
    String value = column == null ? null : cells.get(column);
    if (value == null || value.isEmpty() || value.equals("-")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(value.replace(",", ""));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String unescape(String text) {
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#x27;", "'");
  }
}
