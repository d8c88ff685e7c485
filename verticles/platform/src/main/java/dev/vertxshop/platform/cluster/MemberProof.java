package dev.vertxshop.platform.cluster;

import com.hazelcast.cluster.Member;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proof a member carries that it holds the cluster secret: an HMAC-SHA256, under the secret, of the
 * cluster's name, the member's Vert.x node id and the event-bus address it serves on, published as a
 * Hazelcast member attribute. Hazelcast's open-source edition lets any process that reaches its port
 * join; a member whose proof does not verify is therefore never trusted: its consumers are never chosen
 * and no message is sent to it ({@link ShopClusterManager}).
 *
 * <p>Copying another member's proof gains nothing: it binds that member's node id and event-bus
 * address, so whatever claims it is routed to the real member.
 */
final class MemberProof {

  /** The Vert.x node id, as vertx-hazelcast names its member attribute. */
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** host:port of the member's event bus, as other nodes must connect to it. */
  static final String EVENT_BUS_ATTRIBUTE = "shop.eventbus";
  static final String PROOF_ATTRIBUTE = "shop.proof";
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final String clusterName;

  MemberProof(String secret, String clusterName) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.clusterName = clusterName;
  }

  String sign(String nodeId, String eventBus) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac("member|" + clusterName + "|" + nodeId + "|" + eventBus));
  }

  /** Whether {@code member} carries a valid proof of its own node id and event-bus address. */
  boolean verify(Member member) {
    return verify(member::getAttribute);
  }

  /** The same, given the member's attributes. */
  boolean verify(UnaryOperator<String> attributes) {
    String nodeId = attributes.apply(NODE_ID_ATTRIBUTE);
    String eventBus = attributes.apply(EVENT_BUS_ATTRIBUTE);
    String proof = attributes.apply(PROOF_ATTRIBUTE);
    if (nodeId == null || eventBus == null || proof == null) {
      return false;
    }
    // Constant time: a member guessing byte by byte learns nothing from how long the check took.
    return MessageDigest.isEqual(sign(nodeId, eventBus).getBytes(StandardCharsets.US_ASCII),
        proof.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The Hazelcast cluster name for {@code name} under {@code secret}: a process without the secret cannot
   * even name the cluster in its join request, so Hazelcast turns it away. (It travels in clear, so a
   * process that can watch the network may learn it: the member proof is what keeps such a one out.)
   */
  static String hazelcastClusterName(String name, String secret) {
    MemberProof derivation = new MemberProof(secret, name);
    return name + "-" + HexFormat.of().formatHex(derivation.mac("hazelcast-cluster-name|" + name), 0, 8);
  }

  private byte[] mac(String text) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
