package dev.vertxshop.platform.bus;

import io.vertx.core.json.JsonObject;

/**
 * A message of a service's contract: an immutable record that writes itself as JSON (the wire format
 * between JVMs, in logs and for other languages) and is read back by a strict {@code fromJson}. Within
 * one JVM the record itself travels, neither encoded nor copied ({@link RecordCodec}).
 */
public interface BusMessage {

  /** The message as JSON; {@code fromJson} of the type reads it back equal. */
  JsonObject toJson();
}
