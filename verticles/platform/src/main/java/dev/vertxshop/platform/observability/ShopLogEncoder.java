package dev.vertxshop.platform.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Log lines as one JSON object each (containers, log shippers) or as plain text (a terminal), chosen
 * by {@code -Dshop.log.format} or {@code SHOP_LOG_FORMAT} ({@code json} by default), or fixed by the
 * encoder's {@code format} property. Every line carries the correlation id of the request it belongs
 * to and, in JSON, the service it was logged for.
 */
public final class ShopLogEncoder extends EncoderBase<ILoggingEvent> {

  private static final DateTimeFormatter TEXT_TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private boolean json = true;
  private String format;

  /** {@code json} or {@code text}, whatever the environment says (a configuration or a test that needs one). */
  public void setFormat(String format) {
    this.format = format;
  }

  @Override
  public void start() {
    String chosen = format != null ? format : System.getProperty("shop.log.format", System.getenv("SHOP_LOG_FORMAT"));
    json = chosen == null || !"text".equals(chosen.trim().toLowerCase(Locale.ROOT));
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String correlationId = Correlation.current();
    String text = json ? json(event, correlationId, ServiceTag.current()) : text(event, correlationId);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String json(ILoggingEvent event, String correlationId, String service) {
    StringBuilder sb = new StringBuilder(256).append('{');
    field(sb, "ts", Instant.ofEpochMilli(event.getTimeStamp()).toString()).append(',');
    field(sb, "level", event.getLevel().toString()).append(',');
    field(sb, "logger", event.getLoggerName()).append(',');
    field(sb, "thread", event.getThreadName()).append(',');
    if (service != null) {
      field(sb, "service", service).append(',');
    }
    if (correlationId != null) {
      field(sb, "correlationId", correlationId).append(',');
    }
    field(sb, "message", event.getFormattedMessage());
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      sb.append(',');
      field(sb, "error", ThrowableProxyUtil.asString(error));
    }
    return sb.append("}\n").toString();
  }

  private static String text(ILoggingEvent event, String correlationId) {
    StringBuilder sb = new StringBuilder(160)
        .append(TEXT_TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ')
        .append(String.format("%-5s", event.getLevel())).append(' ')
        .append(shortName(event.getLoggerName()));
    if (correlationId != null) {
      sb.append(" [").append(correlationId).append(']');
    }
    sb.append(" - ").append(event.getFormattedMessage()).append('\n');
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      sb.append(ThrowableProxyUtil.asString(error)).append('\n');
    }
    return sb.toString();
  }

  private static String shortName(String logger) {
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }

  private static StringBuilder field(StringBuilder sb, String name, String value) {
    sb.append('"').append(name).append("\":\"");
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"': sb.append("\\\""); break;
          case '\\': sb.append("\\\\"); break;
          case '\n': sb.append("\\n"); break;
          case '\r': sb.append("\\r"); break;
          case '\t': sb.append("\\t"); break;
          default:
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
        }
      }
    }
    return sb.append('"');
  }
}
