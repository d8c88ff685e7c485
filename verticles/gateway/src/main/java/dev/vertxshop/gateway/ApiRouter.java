package dev.vertxshop.gateway;

import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.notifications.NotificationsClient;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.search.SearchClient;
import dev.vertxshop.contracts.users.UsersClient;
import dev.vertxshop.gateway.auth.Authenticator;
import dev.vertxshop.gateway.cart.CartApi;
import dev.vertxshop.gateway.catalog.CatalogApi;
import dev.vertxshop.gateway.http.AdminGuard;
import dev.vertxshop.gateway.http.CorrelationHandler;
import dev.vertxshop.gateway.http.FailureHandler;
import dev.vertxshop.gateway.http.ReusedValidators;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.notifications.NotificationsApi;
import dev.vertxshop.gateway.orders.OrdersApi;
import dev.vertxshop.gateway.resilience.Breakers;
import dev.vertxshop.gateway.search.SearchApi;
import dev.vertxshop.gateway.users.UsersApi;
import dev.vertxshop.platform.observability.Correlation;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Builds the gateway's router from the OpenAPI document: one route per operation, each request
 * validated against the document before its handler runs, and every failure answered as JSON.
 */
public final class ApiRouter {

  /** The OpenAPI document, on the class path; the routes, the validation and {@code GET /api/openapi.*}. */
  public static final String CONTRACT = "openapi/shop.yaml";
  /** The security scheme of admin operations in the document. */
  public static final String ADMIN_SCHEME = "adminToken";
  /** The security scheme of operations for a signed-in user (a JWT from {@code POST /api/auth/login}). */
  public static final String USER_SCHEME = "bearerToken";

  private static final String YAML = "application/yaml; charset=utf-8";

  private ApiRouter() {
  }

  /**
   * The router for {@code contract}. Fails with an {@link IllegalStateException} when an operation of the
   * document has no handler or a handler has no operation, so that the two cannot drift apart.
   */
  public static Router create(Vertx vertx, OpenAPIContract contract, Buffer document, GatewayConfig config, Breakers breakers,
      Authenticator authenticator) {
    contract = new ReusedValidators(contract);
    CatalogApi catalog = new CatalogApi(breakers.catalog(), new CatalogClient(vertx, config.deadline()));
    UsersApi users = new UsersApi(breakers.users(), new UsersClient(vertx, config.deadline()), config.trustForwarded());
    SearchApi search = new SearchApi(breakers.search(), new SearchClient(vertx, config.deadline()));
    CartApi cart = new CartApi(breakers.cart(), new CartClient(vertx, config.deadline()));
    OrdersApi orders = new OrdersApi(breakers.orders(), new OrdersClient(vertx, config.deadline()), config.checkoutDeadline());
    NotificationsApi notifications = new NotificationsApi(breakers.notifications(),
        new NotificationsClient(vertx, config.deadline()));
    Buffer json = toJson(document);
    Map<String, Handler<RoutingContext>> handlers = Map.ofEntries(
        Map.entry("listProducts", catalog::listProducts),
        Map.entry("getProduct", catalog::getProduct),
        Map.entry("createProduct", catalog::createProduct),
        Map.entry("updateProduct", catalog::updateProduct),
        Map.entry("adjustProductStock", catalog::adjustStock),
        Map.entry("listCategories", catalog::listCategories),
        Map.entry("searchProducts", search::search),
        Map.entry("registerUser", users::register),
        Map.entry("login", users::login),
        Map.entry("getCurrentUser", users::me),
        Map.entry("getCart", cart::get),
        Map.entry("addCartItem", cart::addItem),
        Map.entry("setCartItem", cart::setItem),
        Map.entry("removeCartItem", cart::removeItem),
        Map.entry("checkout", orders::checkout),
        Map.entry("listOrders", orders::list),
        Map.entry("getOrder", orders::get),
        Map.entry("listOrdersForAdmin", orders::adminList),
        Map.entry("listNotifications", notifications::list),
        Map.entry("getOpenApiYaml", ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, YAML).end(document)),
        Map.entry("getOpenApiJson", ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, Responses.JSON).end(json)));

    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler())
        // Order matters to vertx-web: platform handlers, then security policy (CORS), then the body.
        .rootHandler(new CorrelationHandler())
        .rootHandler(cors(config))
        .rootHandler(BodyHandler.create(false).setBodyLimit(config.bodyLimit()));

    AdminGuard guard = new AdminGuard(config.adminToken());
    RequestValidator validator = RequestValidator.create(vertx, contract);
    Set<String> unused = new HashSet<>(handlers.keySet());
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      Handler<RoutingContext> handler = handlers.get(operation.getOperationId());
      if (handler == null) {
        throw new IllegalStateException("no handler for operation " + operation.getOperationId() + " of " + CONTRACT);
      }
      unused.remove(operation.getOperationId());
      if (requiresAdmin(operation)) {
        // The router builder only plugs in JWT, basic, digest, API key or OAuth2 handlers; the admin token is
        // checked here instead, and before validation, so that anonymous callers learn nothing about the schema.
        route.setDoSecurity(false).setDoValidation(false)
            .addHandler(guard)
            .addHandler(validation(validator, operation));
      } else if (requiresUser(operation)) {
        // The user's token is checked by our own handler too: RS256 only, keys that may arrive after the start.
        route.setDoSecurity(false).setDoValidation(false)
            .addHandler(authenticator)
            .addHandler(validation(validator, operation));
      } else if (!operation.getSecurityRequirements().isEmpty()) {
        throw new IllegalStateException("operation " + operation.getOperationId() + " has a security scheme the gateway does not know");
      }
      route.addHandler(handler);
    }
    if (!unused.isEmpty()) {
      throw new IllegalStateException("handlers without an operation in " + CONTRACT + ": " + unused);
    }

    Router router = builder.createRouter();
    FailureHandler failures = new FailureHandler(config.bodyLimit(), config.breakerReset());
    router.route().failureHandler(failures);
    // No route matched (404), only with another method (405), or a failure escaped every handler (500).
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    router.errorHandler(500, failures);
    return router;
  }

  /**
   * The document as JSON, converted from the YAML file itself: the contract's raw form carries the
   * parser's bookkeeping ({@code __absolute_uri__}) and is not a valid document any more.
   */
  static Buffer toJson(Buffer yaml) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.toString(StandardCharsets.UTF_8));
    if (!(tree instanceof Map<?, ?> map)) {
      throw new IllegalStateException(CONTRACT + " is not a YAML mapping");
    }
    @SuppressWarnings("unchecked")
    JsonObject json = new JsonObject((Map<String, Object>) map);
    return json.toBuffer();
  }

  /** Whether the document requires the admin token for {@code operation}. */
  static boolean requiresAdmin(Operation operation) {
    return operation.getSecurityRequirements().stream().anyMatch(requirement -> requirement.getNames().contains(ADMIN_SCHEME));
  }

  /** Whether the document requires a signed-in user's token for {@code operation}. */
  static boolean requiresUser(Operation operation) {
    return operation.getSecurityRequirements().stream().anyMatch(requirement -> requirement.getNames().contains(USER_SCHEME));
  }

  /** The same validation the router builder performs, as a handler that can run after the admin guard. */
  private static Handler<RoutingContext> validation(RequestValidator validator, Operation operation) {
    RequestExtractor extractor = RequestExtractor.withBodyHandler();
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onComplete(validated -> {
          ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          ctx.next();
        }, ctx::fail);
  }

  /**
   * CORS: with {@code *} (the default) any origin may read public data, nothing else (no {@code Authorization});
   * with explicit origins, those may also sign in, send tokens and write.
   */
  private static CorsHandler cors(GatewayConfig config) {
    CorsHandler cors = CorsHandler.create()
        .allowedHeader(Correlation.HEADER)
        .exposedHeaders(Set.of(Correlation.HEADER, HttpHeaders.ETAG.toString(), HttpHeaders.LOCATION.toString(),
            HttpHeaders.RETRY_AFTER.toString(), "WWW-Authenticate"))
        .allowedMethod(HttpMethod.GET)
        .maxAgeSeconds(600);
    if (config.corsReadOnly()) {
      return cors.addOrigin(GatewayConfig.ANY_ORIGIN);
    }
    return cors.addOrigins(config.corsOrigins())
        .allowedMethod(HttpMethod.POST)
        .allowedMethod(HttpMethod.PUT)
        .allowedMethod(HttpMethod.DELETE)
        .allowedHeader(HttpHeaders.CONTENT_TYPE.toString())
        .allowedHeader(HttpHeaders.AUTHORIZATION.toString())
        .allowedHeader(HttpHeaders.IF_MATCH.toString())
        .allowedHeader(OrdersApi.IDEMPOTENCY_KEY);
  }
}
