package dev.vertxshop.platform.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The event-bus codec of a {@link BusMessage} type: JSON between JVMs, the record itself within one
 * (records are immutable, so the receiver may hold the sender's instance). A message that does not read
 * back ({@code fromJson} refuses it) fails the receiver's {@code body()} with the reader's
 * {@code BAD_REQUEST}, which {@link Bus#serve} answers like any invalid request.
 */
final class RecordCodec<T extends BusMessage> implements MessageCodec<T, T> {

  private static final String MAP = "shop.bus";
  private static final String KEY = "codecs";

  private final Class<T> type;
  private final Function<Object, T> fromJson;

  private RecordCodec(Class<T> type, Function<Object, T> fromJson) {
    this.type = type;
    this.fromJson = fromJson;
  }

  /** Registers the codec of {@code type} on {@code vertx}'s event bus once; later calls do nothing. */
  static <T extends BusMessage> void ensure(Vertx vertx, Class<T> type, Function<Object, T> fromJson) {
    LocalMap<String, Registered> map = vertx.sharedData().getLocalMap(MAP);
    Registered registered = map.computeIfAbsent(KEY, k -> new Registered());
    if (registered.types.contains(type)) {
      return;
    }
    // Held while registering: a concurrent sender must not find the type marked but its codec missing.
    synchronized (registered) {
      if (!registered.types.contains(type)) {
        vertx.eventBus().registerDefaultCodec(type, new RecordCodec<>(type, fromJson));
        registered.types.add(type);
      }
    }
  }

  /** The types registered on one Vert.x instance. */
  private static final class Registered implements Shareable {
    final Set<Class<?>> types = ConcurrentHashMap.newKeySet();
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    Buffer json = message.toJson().toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson.apply(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)));
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return "shop:" + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
