package dev.vertxshop.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.deploy.Repo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Kubernetes: every manifest as kustomize renders it is valid for the API and follows the shop's rules")
class KubernetesManifestsTest {

  static final List<String> SERVICES = List.of("gateway", "catalog", "users", "cart", "orders", "payments",
      "notifications", "search", "payment-provider");

  static Path specs;
  static final Map<String, List<JsonObject>> RENDERED = new HashMap<>();

  @BeforeAll
  static void render() {
    specs = Kustomize.copyOfSpecs("k8s");
    for (String overlay : List.of("dev", "prod")) {
      RENDERED.put(overlay, Kustomize.render(specs.resolve("overlays").resolve(overlay)));
    }
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("the overlay passes every check")
  void overlayPasses(String overlay) {
    assertThat(KubernetesChecks.check(RENDERED.get(overlay), "vertx-shop-" + overlay)).isEmpty();
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("the overlay has every object the design needs")
  void overlayIsComplete(String overlay) {
    List<JsonObject> docs = RENDERED.get(overlay);
    Map<String, List<String>> byKind = docs.stream().collect(Collectors.groupingBy(d -> d.getString("kind"),
        Collectors.mapping(KubernetesChecks::name, Collectors.toList())));
    assertThat(byKind.get("Deployment")).containsExactlyInAnyOrderElementsOf(SERVICES);
    assertThat(byKind.get("StatefulSet")).containsExactlyInAnyOrder("postgres", "kafka");
    assertThat(byKind.get("Service")).contains("gateway", "payment-provider", "postgres", "kafka", "shop-cluster");
    assertThat(byKind.get("HorizontalPodAutoscaler")).contains("gateway", "catalog");
    assertThat(byKind.get("PodDisruptionBudget")).contains("gateway", "catalog");
    assertThat(byKind.get("Ingress")).containsExactly("shop");
    assertThat(byKind.get("Namespace")).containsExactly("vertx-shop-" + overlay);
    assertThat(byKind.get("Secret")).singleElement().asString().startsWith("shop-secrets-");
    assertThat(byKind.get("ConfigMap")).hasSize(4);
    assertThat(byKind.get("NetworkPolicy")).contains("default-deny", "allow-dns", "gateway-from-ingress",
        "cluster-members", "postgres-from-clients", "kafka-from-clients", "payment-provider-from-payments",
        "ops-from-prometheus");
  }

  @Test
  @DisplayName("the base hard-codes no operator's choice: no ingress class, no namespace of an ingress controller or Prometheus by name")
  void baseLeavesOperatorChoicesOpen() {
    List<JsonObject> base = Kustomize.render(specs.resolve("base"));
    assertThat(doc(base, "Ingress", "shop").getJsonObject("spec").containsKey("ingressClassName")).isFalse();
    assertThat(namespacesByName(base)).containsOnly("kube-system");
    assertThat(namespacesByName(RENDERED.get("prod"))).containsOnly("kube-system");
    // The dev overlay chooses, for kind and minikube.
    assertThat(doc(RENDERED.get("dev"), "Ingress", "shop").getJsonObject("spec").getString("ingressClassName")).isEqualTo("nginx");
    assertThat(namespacesByName(RENDERED.get("dev"))).containsExactlyInAnyOrder("kube-system", "ingress-nginx", "monitoring");
  }

  /** The namespaces the NetworkPolicies select by name (kubernetes.io/metadata.name). */
  private static java.util.Set<String> namespacesByName(List<JsonObject> docs) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (JsonObject doc : docs) {
      if ("NetworkPolicy".equals(doc.getString("kind"))) {
        collectNamespaceNames(doc, names);
      }
    }
    return names;
  }

  private static void collectNamespaceNames(Object node, java.util.Set<String> names) {
    if (node instanceof JsonObject o) {
      JsonObject selector = o.getJsonObject("namespaceSelector");
      if (selector != null && selector.getJsonObject("matchLabels") != null) {
        String name = selector.getJsonObject("matchLabels").getString("kubernetes.io/metadata.name");
        if (name != null) {
          names.add(name);
        }
      }
      o.forEach(e -> collectNamespaceNames(e.getValue(), names));
    } else if (node instanceof io.vertx.core.json.JsonArray a) {
      a.forEach(e -> collectNamespaceNames(e, names));
    }
  }

  @ParameterizedTest(name = "overlay {0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("kustomize 5 renders the overlay without a warning (no deprecated field)")
  void noDeprecationWarning(String overlay) {
    assumeCurrentKustomize();
    assertThat(Kustomize.warnings(specs.resolve("overlays").resolve(overlay))).isEmpty();
  }

  @Test
  @DisplayName("a deprecated field (bases, patchesStrategicMerge) is caught by the warning check")
  void deprecatedFieldCaught() {
    assumeCurrentKustomize();
    Path copy = Kustomize.copyOfSpecs("k8s-deprecated");
    Path dev = copy.resolve("overlays").resolve("dev");
    Kustomize.toLegacySyntax(dev.resolve("kustomization.yaml"));
    assertThat(String.join("\n", Kustomize.warnings(dev))).contains("'bases' is deprecated", "'patchesStrategicMerge' is deprecated");
  }

  private static void assumeCurrentKustomize() {
    org.junit.jupiter.api.Assumptions.assumeFalse(Kustomize.legacy(),
        "kubectl's kustomize " + Kustomize.version() + " predates kustomize 4: the deprecation check needs kubectl 1.21 or later");
  }

  @Test
  @DisplayName("production runs more gateway and catalog replicas than development, with more memory")
  void productionIsBigger() {
    JsonObject devGateway = doc(RENDERED.get("dev"), "Deployment", "gateway");
    JsonObject prodGateway = doc(RENDERED.get("prod"), "Deployment", "gateway");
    assertThat(KubernetesChecks.replicas(RENDERED.get("prod"), prodGateway))
        .isGreaterThan(KubernetesChecks.replicas(RENDERED.get("dev"), devGateway));
    assertThat(container(prodGateway).getJsonObject("resources").getJsonObject("limits").getString("memory"))
        .isEqualTo("1536Mi");
  }

  /** Each check is shown to reject a manifest broken in the way it looks for. */
  @Nested
  @DisplayName("a broken manifest is rejected")
  class Rejects {

    @Test
    @DisplayName("an unknown field (the API models refuse it)")
    void unknownField() {
      assertRejected(docs -> container(doc(docs, "Deployment", "gateway")).put("resourcez", new JsonObject()),
          "The field `resourcez` in the JSON string is not defined in the `V1Container` properties");
    }

    @Test
    @DisplayName("a missing required field")
    void missingRequiredField() {
      assertRejected(docs -> container(doc(docs, "Deployment", "catalog")).remove("name"),
          "The required field `name` is not found");
    }

    @Test
    @DisplayName("a value of the wrong type")
    void wrongType() {
      assertRejected(docs -> doc(docs, "Deployment", "users").getJsonObject("spec").put("replicas", "two"),
          "NumberFormatException");
    }

    @Test
    @DisplayName("a quantity that is not one")
    void badQuantity() {
      assertRejected(docs -> container(doc(docs, "Deployment", "users")).getJsonObject("resources")
          .getJsonObject("limits").put("memory", "lots"), "quantity");
    }

    @Test
    @DisplayName("an API version that is not current")
    void oldApiVersion() {
      assertRejected(docs -> doc(docs, "HorizontalPodAutoscaler", "gateway").put("apiVersion", "autoscaling/v2beta2"),
          "autoscaling/v2beta2/HorizontalPodAutoscaler is not one of the current APIs");
    }

    @Test
    @DisplayName("a selector that does not match the pod template labels")
    void selectorMismatch() {
      assertRejected(docs -> doc(docs, "Deployment", "cart").getJsonObject("spec").getJsonObject("selector")
          .getJsonObject("matchLabels").put("app.kubernetes.io/name", "carts"),
          "Deployment/cart: selector app.kubernetes.io/name=carts does not match the pod template label");
    }

    @Test
    @DisplayName("a container without a startup probe")
    void missingProbe() {
      assertRejected(docs -> container(doc(docs, "Deployment", "orders")).remove("startupProbe"),
          "Deployment/orders: container orders: startupProbe is missing");
    }

    @Test
    @DisplayName("a probe on a port name the container does not declare")
    void unresolvedNamedPort() {
      assertRejected(docs -> container(doc(docs, "Deployment", "search")).getJsonObject("readinessProbe")
          .getJsonObject("httpGet").put("port", "opz"), "readinessProbe port 'opz' is not a named port");
    }

    @Test
    @DisplayName("an image on latest, or without a tag")
    void unpinnedImage() {
      assertRejected(docs -> container(doc(docs, "Deployment", "payments")).put("image", "vertx-shop/payments:latest"),
          "image 'vertx-shop/payments:latest' is not pinned");
      assertRejected(docs -> container(doc(docs, "StatefulSet", "kafka")).put("image", "vertx-shop/kafka"),
          "image 'vertx-shop/kafka' is not pinned");
    }

    @Test
    @DisplayName("a container that may run as root")
    void runsAsRoot() {
      assertRejected(docs -> {
        JsonObject d = doc(docs, "Deployment", "notifications");
        d.getJsonObject("spec").getJsonObject("template").getJsonObject("spec").getJsonObject("securityContext")
            .remove("runAsNonRoot");
        container(d).getJsonObject("securityContext").remove("runAsNonRoot");
      }, "Deployment/notifications: container notifications: runAsNonRoot must be true");
    }

    @Test
    @DisplayName("a writable root file system, or privilege escalation")
    void looseSecurityContext() {
      assertRejected(docs -> container(doc(docs, "Deployment", "gateway")).getJsonObject("securityContext")
          .put("readOnlyRootFilesystem", false), "readOnlyRootFilesystem must be true");
      assertRejected(docs -> container(doc(docs, "StatefulSet", "postgres")).getJsonObject("securityContext")
          .remove("allowPrivilegeEscalation"), "allowPrivilegeEscalation must be false");
    }

    @Test
    @DisplayName("a container without resource limits")
    void missingResources() {
      assertRejected(docs -> container(doc(docs, "Deployment", "payment-provider")).getJsonObject("resources")
          .remove("limits"), "resources.limits.cpu is missing");
    }

    @Test
    @DisplayName("a Deployment whose rolling update may take pods away first")
    void unsafeRollout() {
      assertRejected(docs -> doc(docs, "Deployment", "catalog").getJsonObject("spec").getJsonObject("strategy")
          .getJsonObject("rollingUpdate").put("maxUnavailable", 1), "maxUnavailable 0");
    }

    @Test
    @DisplayName("a cluster DNS name of another namespace")
    void clusterDnsNameOfAnotherNamespace() {
      assertRejected(docs -> docs.stream().filter(d -> "ConfigMap".equals(d.getString("kind"))
              && KubernetesChecks.name(d).startsWith("shop-cluster")).findFirst().orElseThrow()
              .getJsonObject("data").put("SHOP_CLUSTER_DNS_NAME", "shop-cluster.vertx-shop-prod.svc.cluster.local"),
          "SHOP_CLUSTER_DNS_NAME shop-cluster.vertx-shop-prod.svc.cluster.local is not <service>.vertx-shop-dev.svc.cluster.local");
    }

    @Test
    @DisplayName("a cluster secret given as a literal value")
    void literalClusterSecret() {
      assertRejected(docs -> {
        for (Object e : container(doc(docs, "Deployment", "cart")).getJsonArray("env")) {
          JsonObject var = (JsonObject) e;
          if ("SHOP_CLUSTER_SECRET".equals(var.getString("name"))) {
            var.remove("valueFrom");
            var.put("value", "cluster-secret-in-git");
          }
        }
      }, "SHOP_CLUSTER_SECRET must come from a Secret (secretKeyRef), is cluster-secret-in-git");
    }

    @Test
    @DisplayName("a cluster member without the Secret volume of its TLS files")
    void memberWithoutClusterTls() {
      assertRejected(docs -> container(doc(docs, "Deployment", "orders")).getJsonArray("volumeMounts").getList()
              .removeIf(m -> "cluster-tls".equals(m instanceof JsonObject j ? j.getString("name") : ((java.util.Map<?, ?>) m).get("name"))),
          "SHOP_CLUSTER_TLS_CERT must name a file of a read-only Secret volume");
    }

    @Test
    @DisplayName("a cluster discovery service that hides members which are not ready yet")
    void discoveryServiceWithoutNotReadyAddresses() {
      assertRejected(docs -> doc(docs, "Service", "shop-cluster").getJsonObject("spec").remove("publishNotReadyAddresses"),
          "must be headless with publishNotReadyAddresses: true");
    }

    @Test
    @DisplayName("a replica count in a Deployment that an autoscaler scales")
    void replicasUnderAutoscaler() {
      assertRejected(docs -> doc(docs, "Deployment", "gateway").getJsonObject("spec").put("replicas", 2),
          "Deployment/gateway sets replicas, which every apply would reset the autoscaled count to");
    }

    @Test
    @DisplayName("an autoscaler whose target does not exist")
    void autoscalerWithoutTarget() {
      assertRejected(docs -> doc(docs, "HorizontalPodAutoscaler", "catalog").getJsonObject("spec")
          .getJsonObject("scaleTargetRef").put("name", "catalogue"), "scaleTargetRef Deployment/catalogue is not in the render");
    }

    @Test
    @DisplayName("a secret reference to a key the Secret does not have")
    void missingSecretKey() {
      assertRejected(docs -> {
        JsonArray env = container(doc(docs, "Deployment", "cart")).getJsonArray("env");
        for (Object e : env) {
          JsonObject ref = ((JsonObject) e).getJsonObject("valueFrom", new JsonObject()).getJsonObject("secretKeyRef");
          if (ref != null) {
            ref.put("key", "db-password-carts");
          }
        }
      }, "has no key db-password-carts");
    }

    @Test
    @DisplayName("no default-deny NetworkPolicy")
    void noDefaultDeny() {
      assertRejected(docs -> docs.remove(doc(docs, "NetworkPolicy", "default-deny")), "no default-deny NetworkPolicy");
    }

    @Test
    @DisplayName("an Ingress to a port the Service does not have")
    void ingressToUnknownPort() {
      assertRejected(docs -> doc(docs, "Ingress", "shop").getJsonObject("spec").getJsonArray("rules").getJsonObject(0)
          .getJsonObject("http").getJsonArray("paths").getJsonObject(0).getJsonObject("backend")
          .getJsonObject("service").getJsonObject("port").put("name", "https"), "backend port 'https' is not a port of Service gateway");
    }

    @Test
    @DisplayName("a broken source file, through the whole render")
    void brokenSourceFile() {
      Path copy = Kustomize.copyOfSpecs("k8s-broken-source");
      Repo.replaceOnce(copy.resolve("base/catalog.yaml"), "          imagePullPolicy: IfNotPresent\n",
          "          imagePullPolicy: IfNotPresent\n          restartPolicyy: Always\n");
      List<String> problems = KubernetesChecks.check(Kustomize.render(copy.resolve("overlays/dev")), "vertx-shop-dev");
      assertThat(problems).anySatisfy(p -> assertThat(p).contains("Deployment/catalog").contains("restartPolicyy"));
    }

    @Test
    @DisplayName("a kustomization naming a file that does not exist")
    void brokenKustomization() {
      Path copy = Kustomize.copyOfSpecs("k8s-broken-kustomization");
      Repo.replaceOnce(copy.resolve("base/kustomization.yaml"), "  - search.yaml\n", "  - searches.yaml\n");
      assertThatThrownBy(() -> Kustomize.render(copy.resolve("overlays/dev")))
          .isInstanceOf(Kustomize.RenderException.class).hasMessageContaining("searches.yaml");
    }

    private void assertRejected(Consumer<List<JsonObject>> breakIt, String expected) {
      List<JsonObject> docs = new ArrayList<>();
      for (JsonObject d : RENDERED.get("dev")) {
        docs.add(d.copy());
      }
      breakIt.accept(docs);
      assertThat(KubernetesChecks.check(docs, "vertx-shop-dev"))
          .as("problems found in the broken copy")
          .anySatisfy(p -> assertThat(p).contains(expected));
    }
  }

  static JsonObject doc(List<JsonObject> docs, String kind, String name) {
    return docs.stream().filter(d -> kind.equals(d.getString("kind")) && name.equals(KubernetesChecks.name(d)))
        .findFirst().orElseThrow(() -> new AssertionError(kind + "/" + name + " not rendered"));
  }

  static JsonObject container(JsonObject workload) {
    return workload.getJsonObject("spec").getJsonObject("template").getJsonObject("spec")
        .getJsonArray("containers").getJsonObject(0);
  }
}
