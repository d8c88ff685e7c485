package dev.vertxshop.notifications;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** A validated {@code notifications.list} request. */
record ListRequest(UUID userId, int page, int size) {

  static final int DEFAULT_SIZE = 20;
  static final int MAX_SIZE = 100;
  /** Deep OFFSET pages cost a scan each; nobody reads 100k pages of notifications. */
  static final int MAX_PAGE = 100_000;
  private static final Set<String> FIELDS = Set.of("userId", "page", "size");

  /** Reads the request; page and size default to 1 and 20, any other field is refused. */
  static ListRequest parse(Object body) {
    JsonObject json = Requests.object(body);
    Requests.rejectUnknown(json, FIELDS);
    UUID userId = Requests.uuid(json, "userId");
    Long page = Requests.integer(json, "page", 1, MAX_PAGE);
    Long size = Requests.integer(json, "size", 1, MAX_SIZE);
    if (userId == null) {
      throw ServiceException.badRequest("'userId' is required");
    }
    return new ListRequest(userId, page == null ? 1 : page.intValue(), size == null ? DEFAULT_SIZE : size.intValue());
  }

  long offset() {
    return (long) (page - 1) * size;
  }
}
