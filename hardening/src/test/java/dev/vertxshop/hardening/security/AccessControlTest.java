package dev.vertxshop.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.hardening.security.Shop.Request;
import dev.vertxshop.hardening.security.Shop.Response;
import dev.vertxshop.hardening.security.Shop.User;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Who may see and change what, through the public API of the whole shop: every user-owned resource is
 * its owner's only, and only a token the users service signed RS256, unexpired, for this API, lets anyone in.
 */
@DisplayName("Access control: user-owned resources are their owner's only; forged, expired and confused tokens are 401")
class AccessControlTest {

  private static Shop shop;
  private static User alice;
  private static User bob;
  private static String kid;

  @BeforeAll
  static void start() {
    shop = Shop.start(Map.of());
    alice = shop.newUser("alice");
    bob = shop.newUser("bob");
    kid = Tokens.header(alice.token()).getString("kid");
  }

  @AfterAll
  static void stop() {
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  @DisplayName("orders and notifications: another user's order is 404, never listed, never notified to them")
  void ordersAndNotifications() {
    String product = shop.createProduct(1_500, 50);
    assertThat(shop.addToCart(alice, product, 2).status()).isEqualTo(200);
    Response checkout = shop.checkout(alice, "own-" + UUID.randomUUID());
    assertThat(checkout.status()).as(checkout.text()).isIn(201, 202);
    String orderId = checkout.json().getString("id");
    Shop.eventually(Shop.WAIT, "alice's order settles", () ->
        !"PENDING".equals(shop.get("/api/orders/" + orderId, alice.token()).json().getString("status")));
    assertThat(shop.get("/api/orders/" + orderId, alice.token()).json().getString("status")).isEqualTo("CONFIRMED");

    Response bobsView = shop.get("/api/orders/" + orderId, bob.token());
    assertThat(bobsView.status()).isEqualTo(404);
    assertThat(bobsView.text()).doesNotContain(alice.id()).doesNotContain(product);
    assertThat(ids(shop.get("/api/orders?size=100", bob.token()).json())).doesNotContain(orderId);
    assertThat(ids(shop.get("/api/orders?size=100", alice.token()).json())).contains(orderId);

    // Alice is notified (so that Bob's empty list means something), Bob is not.
    Shop.eventually(Shop.WAIT, "alice's notification of her order", () ->
        orderIds(shop.get("/api/notifications?size=100", alice.token()).json()).contains(orderId));
    assertThat(orderIds(shop.get("/api/notifications?size=100", bob.token()).json())).doesNotContain(orderId);
    assertThat(shop.get("/api/notifications?size=100", bob.token()).json().getJsonArray("items"))
        .allSatisfy(item -> assertThat(((JsonObject) item).getString("userId")).isEqualTo(bob.id()));
  }

  @Test
  @DisplayName("carts: another user's lines can be neither read, changed nor removed; no field or header names another user")
  void carts() {
    String product = shop.createProduct(990, 20);
    assertThat(shop.addToCart(alice, product, 3).status()).isEqualTo(200);

    JsonObject bobsCart = shop.get("/api/cart", bob.token()).json();
    assertThat(bobsCart.getString("userId")).isEqualTo(bob.id());
    assertThat(productIds(bobsCart)).doesNotContain(product);

    assertThat(shop.send(Request.of(HttpMethod.DELETE, "/api/cart/items/" + product).bearer(bob.token())).status())
        .as("removing a line Bob does not have").isEqualTo(404);
    Response setZero = shop.send(Request.of(HttpMethod.PUT, "/api/cart/items/" + product).bearer(bob.token())
        .json(new JsonObject().put("quantity", 0)));
    assertThat(setZero.status()).isEqualTo(200);
    assertThat(productIds(setZero.json())).doesNotContain(product);
    Response setFive = shop.send(Request.of(HttpMethod.PUT, "/api/cart/items/" + product).bearer(bob.token())
        .json(new JsonObject().put("quantity", 5)));
    assertThat(setFive.json().getString("userId")).isEqualTo(bob.id());
    assertThat(quantityOf(setFive.json(), product)).as("Bob's own line").isEqualTo(5);

    Response namingAlice = shop.send(Request.of(HttpMethod.POST, "/api/cart/items").bearer(bob.token())
        .json(new JsonObject().put("productId", product).put("quantity", 1).put("userId", alice.id())));
    assertThat(namingAlice.status()).isEqualTo(400);
    assertThat(namingAlice.json().getString("message")).contains("userId");
    Response byQuery = shop.send(Request.of(HttpMethod.GET, "/api/cart?userId=" + alice.id()).bearer(bob.token())
        .header("X-User-Id", alice.id()));
    assertThat(byQuery.status()).isIn(200, 400);
    if (byQuery.status() == 200) {
      assertThat(byQuery.json().getString("userId")).isEqualTo(bob.id());
    }

    JsonObject alicesCart = shop.get("/api/cart", alice.token()).json();
    assertThat(alicesCart.getString("userId")).isEqualTo(alice.id());
    assertThat(quantityOf(alicesCart, product)).as("Alice's line untouched by all of Bob's requests").isEqualTo(3);
  }

  @Test
  @DisplayName("users/me: each token answers its own account, and no password or hash")
  void me() {
    JsonObject aliceMe = shop.get("/api/users/me", alice.token()).json();
    JsonObject bobMe = shop.get("/api/users/me", bob.token()).json();
    assertThat(aliceMe.getString("id")).isEqualTo(alice.id());
    assertThat(aliceMe.getString("email")).isEqualTo(alice.email());
    assertThat(bobMe.getString("id")).isEqualTo(bob.id());
    assertThat(aliceMe.fieldNames()).containsExactlyInAnyOrder("id", "email", "name", "createdAt");
    assertThat(aliceMe.encode()).doesNotContain(alice.password()).doesNotContain("argon2");
  }

  @Test
  @DisplayName("the token check: only an RS256 token of the users' key, unexpired, for this issuer and audience, naming a user")
  void tokens() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    KeyPair own = shop.jwtKeys;
    KeyPair other = otherKeys();
    // Control: a token the test signs with the users service's key passes, so the refusals below are about the forgery.
    assertThat(status(Tokens.rs256(own.getPrivate(), kid, Tokens.claims(alice.id(), now, now + 300)))).isEqualTo(200);

    Map<String, String> forged = new java.util.LinkedHashMap<>();
    forged.put("payload tampered (sub = bob)", Tokens.withClaims(alice.token(), Tokens.claims(alice.token()).put("sub", bob.id())));
    forged.put("signature altered", alteredSignature(alice.token()));
    forged.put("signed with another RSA key", Tokens.rs256(other.getPrivate(), kid, Tokens.claims(alice.id(), now, now + 300)));
    forged.put("another key, no kid", Tokens.rs256(other.getPrivate(), null, Tokens.claims(alice.id(), now, now + 300)));
    forged.put("expired an hour ago", Tokens.rs256(own.getPrivate(), kid, Tokens.claims(alice.id(), now - 7200, now - 3600)));
    forged.put("alg none, empty signature", Tokens.none(kid, Tokens.claims(alice.id(), now, now + 300), true));
    forged.put("alg none, no signature", Tokens.none(kid, Tokens.claims(alice.id(), now, now + 300), false));
    forged.put("HS256 keyed with the RSA public key (PEM)",
        Tokens.hs256(publicPem(own).getBytes(StandardCharsets.US_ASCII), kid, Tokens.claims(alice.id(), now, now + 300)));
    forged.put("HS256 keyed with the RSA public key (DER)",
        Tokens.hs256(own.getPublic().getEncoded(), kid, Tokens.claims(alice.id(), now, now + 300)));
    forged.put("HS256 keyed with the RSA public key (PEM), no kid",
        Tokens.hs256(publicPem(own).getBytes(StandardCharsets.US_ASCII), null, Tokens.claims(alice.id(), now, now + 300)));
    forged.put("another issuer", Tokens.rs256(own.getPrivate(), kid, Tokens.claims(alice.id(), now, now + 300).put("iss", "evil")));
    forged.put("another audience", Tokens.rs256(own.getPrivate(), kid, Tokens.claims(alice.id(), now, now + 300).put("aud", "other-api")));
    JsonObject noExpiry = Tokens.claims(alice.id(), now, now + 300);
    noExpiry.remove("exp");
    forged.put("no expiry", Tokens.rs256(own.getPrivate(), kid, noExpiry));
    forged.put("subject not a user id", Tokens.rs256(own.getPrivate(), kid, Tokens.claims("admin", now, now + 300)));
    forged.put("unknown kid", Tokens.rs256(other.getPrivate(), "made-up-" + UUID.randomUUID(), Tokens.claims(alice.id(), now, now + 300)));
    forged.put("not a JWT", "abc.def.ghi");
    forged.put("two segments", alice.token().substring(0, alice.token().lastIndexOf('.')));
    for (Map.Entry<String, String> attempt : forged.entrySet()) {
      Response response = shop.get("/api/users/me", attempt.getValue());
      assertThat(response.status()).as(attempt.getKey() + ": " + response.text()).isEqualTo(401);
      assertThat(response.headers().get("WWW-Authenticate")).as(attempt.getKey()).startsWith("Bearer");
      assertThat(response.json().getString("error")).isEqualTo("unauthorized");
      assertThat(response.text()).doesNotContain(alice.email());
    }
    Response expired = shop.get("/api/users/me", forged.get("expired an hour ago"));
    assertThat(expired.json().getString("message")).contains("expired");

    for (String header : List.of("", "Bearer", "Bearer ", "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes()),
        "bearer" + alice.token(), "Token " + alice.token())) {
      Request request = Request.of(HttpMethod.GET, "/api/users/me");
      if (!header.isEmpty()) {
        request.header("Authorization", header);
      }
      assertThat(shop.send(request).status()).as("Authorization: [%s]", header).isEqualTo(401);
    }
    // The real token still works: nothing above disturbed the key set.
    assertThat(status(alice.token())).isEqualTo(200);
    // Last: the server answers an oversize header and closes that connection, which a pooled client
    // could otherwise pick for the next request.
    Response huge = shop.get("/api/users/me", "a".repeat(20_000));
    assertThat(huge.status()).as("a 20 kB token").isBetween(400, 499);
  }

  private static int status(String token) {
    return shop.get("/api/users/me", token).status();
  }

  private static String alteredSignature(String token) {
    int at = token.lastIndexOf('.') + 10;
    char replaced = token.charAt(at) == 'A' ? 'B' : 'A';
    return token.substring(0, at) + replaced + token.substring(at + 1);
  }

  private static KeyPair otherKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static String publicPem(KeyPair keys) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static List<String> orderIds(JsonObject page) {
    return page.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("orderId")).toList();
  }

  private static List<String> productIds(JsonObject cart) {
    return cart.getJsonArray("lines").stream().map(line -> ((JsonObject) line).getString("productId")).toList();
  }

  private static int quantityOf(JsonObject cart, String productId) {
    JsonArray lines = cart.getJsonArray("lines");
    return lines.stream().map(JsonObject.class::cast).filter(line -> line.getString("productId").equals(productId))
        .mapToInt(line -> line.getInteger("quantity")).findFirst().orElse(0);
  }

}
