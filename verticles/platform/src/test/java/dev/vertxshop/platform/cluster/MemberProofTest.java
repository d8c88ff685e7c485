package dev.vertxshop.platform.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MemberProof: a member's HMAC proof that it holds the cluster secret")
class MemberProofTest {

  private static final String SECRET = "a-cluster-secret-of-32-characters";
  private final MemberProof proof = new MemberProof(SECRET, "vertx-shop-1234");

  @Test
  @DisplayName("a proof made with the secret verifies; one made with another secret, for another cluster or missing does not")
  void verifies() {
    assertThat(proof.verify(member("node-1", "10.0.0.5:5801", proof.sign("node-1", "10.0.0.5:5801")))).isTrue();
    assertThat(proof.verify(member("node-1", "10.0.0.5:5801",
        new MemberProof("another-secret-of-enough-length", "vertx-shop-1234").sign("node-1", "10.0.0.5:5801")))).isFalse();
    assertThat(proof.verify(member("node-1", "10.0.0.5:5801",
        new MemberProof(SECRET, "another-cluster").sign("node-1", "10.0.0.5:5801")))).isFalse();
    assertThat(proof.verify(member("node-1", "10.0.0.5:5801", null))).isFalse();
    assertThat(proof.verify(member("node-1", "10.0.0.5:5801", "garbage"))).isFalse();
  }

  @Test
  @DisplayName("a copied proof verifies only for the node id and event-bus address it was made for")
  void copiedProofBindsTheOriginal() {
    String copied = proof.sign("node-1", "10.0.0.5:5801");
    assertThat(proof.verify(member("rogue-node", "10.0.0.5:5801", copied))).isFalse();
    assertThat(proof.verify(member("node-1", "10.0.0.66:5801", copied))).isFalse();
  }

  @Test
  @DisplayName("the Hazelcast cluster name depends on the secret, so a process without it names another cluster")
  void clusterName() {
    String name = MemberProof.hazelcastClusterName("vertx-shop", SECRET);
    assertThat(name).startsWith("vertx-shop-").hasSize("vertx-shop-".length() + 16)
        .isEqualTo(MemberProof.hazelcastClusterName("vertx-shop", SECRET))
        .isNotEqualTo(MemberProof.hazelcastClusterName("vertx-shop", "another-secret-of-enough-length"))
        .doesNotContain(SECRET);
  }

  private static UnaryOperator<String> member(String nodeId, String eventBus, String proofValue) {
    Map<String, String> attributes = new HashMap<>();
    attributes.put(MemberProof.NODE_ID_ATTRIBUTE, nodeId);
    attributes.put(MemberProof.EVENT_BUS_ATTRIBUTE, eventBus);
    if (proofValue != null) {
      attributes.put(MemberProof.PROOF_ATTRIBUTE, proofValue);
    }
    return attributes::get;
  }
}
