package dev.vertxshop.deploy.k8s;

import com.google.gson.JsonElement;
import dev.vertxshop.deploy.Images;
import com.google.gson.JsonParser;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a rendered set of manifests. First strictly against the official Kubernetes API models
 * (client-java 23, Kubernetes 1.31): only current API versions; {@code validateJsonElement} rejects
 * unknown and missing required fields; the typed read rejects wrong types and bad quantities. Then the
 * shop's rules: selectors match template labels, every container has the three probes, resources,
 * a pinned image and a locked-down securityContext, named ports and references resolve, and the
 * cluster discovery name is the headless service of this namespace. Returns every problem found.
 */
public final class KubernetesChecks {

  /** apiVersion/kind → the model of the current API version; anything else is refused. */
  static final Map<String, Class<?>> MODELS = Map.ofEntries(
      Map.entry("v1/Namespace", V1Namespace.class),
      Map.entry("v1/ConfigMap", V1ConfigMap.class),
      Map.entry("v1/Secret", V1Secret.class),
      Map.entry("v1/Service", V1Service.class),
      Map.entry("apps/v1/Deployment", V1Deployment.class),
      Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
      Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
      Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
      Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
      Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class));

  private static final JSON KUBERNETES_JSON = new JSON();

  private final List<JsonObject> docs;
  private final String namespace;
  private final List<String> problems = new ArrayList<>();

  private KubernetesChecks(List<JsonObject> docs, String namespace) {
    this.docs = docs;
    this.namespace = namespace;
  }

  /** Every problem of these rendered manifests, meant for namespace {@code namespace}. */
  public static List<String> check(List<JsonObject> docs, String namespace) {
    KubernetesChecks checks = new KubernetesChecks(docs, namespace);
    checks.run();
    return checks.problems;
  }

  private void run() {
    List<JsonObject> valid = new ArrayList<>();
    for (JsonObject doc : docs) {
      if (validateAgainstModel(doc)) {
        valid.add(doc);
      }
    }
    // The shop's rules read the documents the API accepts; the others are reported already.
    for (JsonObject doc : valid) {
      String kind = doc.getString("kind", "");
      checkNamespace(doc);
      switch (kind) {
        case "Deployment", "StatefulSet" -> checkWorkload(doc);
        case "Service" -> checkService(doc);
        case "Ingress" -> checkIngress(doc);
        case "HorizontalPodAutoscaler" -> checkAutoscaler(doc);
        case "PodDisruptionBudget" -> checkDisruptionBudget(doc);
        default -> { }
      }
    }
    checkDefaultDeny();
    checkClusterDiscovery();
  }

  // ---- the official models ----------------------------------------------------------------

  private boolean validateAgainstModel(JsonObject doc) {
    String key = doc.getValue("apiVersion") + "/" + doc.getValue("kind");
    Class<?> model = MODELS.get(key);
    if (model == null) {
      problem(doc, "apiVersion/kind " + key + " is not one of the current APIs this shop uses " + MODELS.keySet());
      return false;
    }
    JsonElement json = JsonParser.parseString(doc.encode());
    try {
      model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
      KUBERNETES_JSON.getGson().fromJson(json, model);
      return true;
    } catch (InvocationTargetException e) {
      problem(doc, "invalid " + model.getSimpleName() + ": " + e.getCause().getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      problem(doc, "invalid " + model.getSimpleName() + ": " + e.getMessage());
    }
    return false;
  }

  // ---- the shop's rules --------------------------------------------------------------------

  private void checkNamespace(JsonObject doc) {
    if ("Namespace".equals(doc.getString("kind"))) {
      if (!namespace.equals(name(doc))) {
        problem(doc, "the Namespace object is not " + namespace);
      }
      return;
    }
    String ns = meta(doc).getString("namespace");
    if (!namespace.equals(ns)) {
      problem(doc, "namespace is " + ns + ", expected " + namespace);
    }
  }

  private void checkWorkload(JsonObject doc) {
    JsonObject spec = obj(doc, "spec");
    JsonObject template = obj(spec, "template");
    JsonObject labels = obj(obj(template, "metadata"), "labels");
    JsonObject selector = obj(obj(spec, "selector"), "matchLabels");
    if (selector.isEmpty()) {
      problem(doc, "selector.matchLabels is empty");
    }
    for (String k : selector.fieldNames()) {
      if (!Objects.equals(selector.getValue(k), labels.getValue(k))) {
        problem(doc, "selector " + k + "=" + selector.getValue(k) + " does not match the pod template label ("
            + labels.getValue(k) + ")");
      }
    }
    if ("Deployment".equals(doc.getString("kind"))) {
      JsonObject strategy = obj(spec, "strategy");
      Object maxUnavailable = obj(strategy, "rollingUpdate").getValue("maxUnavailable");
      if (!"RollingUpdate".equals(strategy.getString("type")) || !(Objects.equals(maxUnavailable, 0) || "0".equals(maxUnavailable) || "0%".equals(maxUnavailable))) {
        problem(doc, "strategy must be RollingUpdate with maxUnavailable 0");
      }
    } else {
      if (arr(spec, "volumeClaimTemplates").isEmpty()) {
        problem(doc, "a StatefulSet here keeps its data on volumeClaimTemplates; none declared");
      }
      JsonObject governing = find("Service", spec.getString("serviceName"));
      if (governing == null || !"None".equals(obj(governing, "spec").getString("clusterIP"))) {
        problem(doc, "serviceName " + spec.getString("serviceName") + " is not a headless Service of this render");
      }
    }
    JsonObject pod = obj(template, "spec");
    JsonObject podSecurity = obj(pod, "securityContext");
    Set<String> volumes = new HashSet<>();
    Map<String, JsonObject> volumeByName = new LinkedHashMap<>();
    for (Object v : arr(pod, "volumes")) {
      volumes.add(((JsonObject) v).getString("name"));
      volumeByName.put(((JsonObject) v).getString("name"), (JsonObject) v);
    }
    for (Object v : arr(spec, "volumeClaimTemplates")) {
      volumes.add(obj((JsonObject) v, "metadata").getString("name"));
    }
    if (!"RuntimeDefault".equals(obj(podSecurity, "seccompProfile").getString("type"))) {
      problem(doc, "pod securityContext.seccompProfile.type must be RuntimeDefault");
    }
    for (Object c : arr(pod, "containers")) {
      checkContainer(doc, (JsonObject) c, podSecurity, volumes, volumeByName);
    }
    for (JsonObject v : volumeByName.values()) {
      JsonObject secretVolume = v.getJsonObject("secret");
      if (secretVolume != null && find("Secret", secretVolume.getString("secretName")) == null) {
        problem(doc, "volume " + v.getString("name") + ": secret " + secretVolume.getString("secretName") + " is not in the render");
      }
    }
  }

  private void checkContainer(JsonObject doc, JsonObject c, JsonObject podSecurity, Set<String> volumes,
      Map<String, JsonObject> volumeByName) {
    String where = "container " + c.getString("name") + ": ";
    String image = c.getString("image", "");
    if (!Images.pinned(image)) {
      problem(doc, where + "image '" + image + "' is not pinned to a version tag (no tag, or latest)");
    }
    Set<String> ports = new HashSet<>();
    for (Object p : arr(c, "ports")) {
      String n = ((JsonObject) p).getString("name");
      if (n == null) {
        problem(doc, where + "every container port is named (probes and Services refer to names)");
      } else {
        ports.add(n);
      }
    }
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      JsonObject p = c.getJsonObject(probe);
      if (p == null) {
        problem(doc, where + probe + " is missing");
        continue;
      }
      for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
        JsonObject h = p.getJsonObject(handler);
        if (h != null && h.getValue("port") instanceof String named && !ports.contains(named)) {
          problem(doc, where + probe + " port '" + named + "' is not a named port of the container " + ports);
        }
      }
    }
    JsonObject resources = obj(c, "resources");
    for (String bound : List.of("requests", "limits")) {
      for (String r : List.of("cpu", "memory")) {
        String q = obj(resources, bound).getString(r);
        if (q == null) {
          problem(doc, where + "resources." + bound + "." + r + " is missing");
        } else {
          try {
            new Quantity(q);
          } catch (RuntimeException e) {
            problem(doc, where + "resources." + bound + "." + r + " '" + q + "' is not a quantity");
          }
        }
      }
    }
    JsonObject sc = obj(c, "securityContext");
    boolean nonRoot = Boolean.TRUE.equals(sc.getBoolean("runAsNonRoot", podSecurity.getBoolean("runAsNonRoot")));
    Object uid = sc.getValue("runAsUser", podSecurity.getValue("runAsUser"));
    if (!nonRoot) {
      problem(doc, where + "runAsNonRoot must be true");
    }
    if (!(uid instanceof Number n) || n.longValue() <= 0) {
      problem(doc, where + "runAsUser must be a numeric non-root uid");
    }
    if (!Boolean.TRUE.equals(sc.getBoolean("readOnlyRootFilesystem"))) {
      problem(doc, where + "readOnlyRootFilesystem must be true");
    }
    if (!Boolean.FALSE.equals(sc.getBoolean("allowPrivilegeEscalation"))) {
      problem(doc, where + "allowPrivilegeEscalation must be false");
    }
    if (!obj(sc, "capabilities").getJsonArray("drop", new JsonArray()).contains("ALL")) {
      problem(doc, where + "capabilities.drop must contain ALL");
    }
    boolean tmp = false;
    for (Object m : arr(c, "volumeMounts")) {
      JsonObject mount = (JsonObject) m;
      if (!volumes.contains(mount.getString("name"))) {
        problem(doc, where + "volumeMount " + mount.getString("name") + " names no volume");
      }
      JsonObject volume = volumeByName.get(mount.getString("name"));
      if ("/tmp".equals(mount.getString("mountPath")) && volume != null && volume.containsKey("emptyDir")) {
        tmp = true;
      }
    }
    if (!tmp) {
      problem(doc, where + "a read-only root file system needs an emptyDir on /tmp");
    }
    for (Object e : arr(c, "envFrom")) {
      JsonObject ref = ((JsonObject) e).getJsonObject("configMapRef");
      if (ref != null && find("ConfigMap", ref.getString("name")) == null) {
        problem(doc, where + "envFrom ConfigMap " + ref.getString("name") + " is not in the render");
      }
    }
    for (Object e : arr(c, "env")) {
      JsonObject from = obj((JsonObject) e, "valueFrom");
      JsonObject secretRef = from.getJsonObject("secretKeyRef");
      if (secretRef != null) {
        JsonObject secret = find("Secret", secretRef.getString("name"));
        if (secret == null) {
          problem(doc, where + "secretKeyRef " + secretRef.getString("name") + " is not in the render");
        } else if (!obj(secret, "data").containsKey(secretRef.getString("key"))) {
          problem(doc, where + "secret " + secretRef.getString("name") + " has no key " + secretRef.getString("key"));
        }
      }
    }
  }

  private void checkService(JsonObject doc) {
    JsonObject spec = obj(doc, "spec");
    JsonObject selector = obj(spec, "selector");
    List<JsonObject> pods = podsSelectedBy(selector);
    if (pods.isEmpty()) {
      problem(doc, "selector " + selector.encode() + " selects no pod template of this render");
      return;
    }
    for (Object p : arr(spec, "ports")) {
      Object target = ((JsonObject) p).getValue("targetPort");
      if (target instanceof String named) {
        for (JsonObject pod : pods) {
          boolean found = false;
          for (Object c : arr(pod, "containers")) {
            for (Object port : arr((JsonObject) c, "ports")) {
              found |= named.equals(((JsonObject) port).getString("name"));
            }
          }
          if (!found) {
            problem(doc, "targetPort '" + named + "' is not a named port of every selected pod");
          }
        }
      }
    }
  }

  private void checkIngress(JsonObject doc) {
    for (Object r : arr(obj(doc, "spec"), "rules")) {
      for (Object p : arr(obj((JsonObject) r, "http"), "paths")) {
        JsonObject backend = obj(obj((JsonObject) p, "backend"), "service");
        JsonObject service = find("Service", backend.getString("name"));
        if (service == null) {
          problem(doc, "backend Service " + backend.getString("name") + " is not in the render");
          continue;
        }
        String portName = obj(backend, "port").getString("name");
        boolean found = portName == null;
        for (Object sp : arr(obj(service, "spec"), "ports")) {
          found |= Objects.equals(portName, ((JsonObject) sp).getString("name"));
        }
        if (!found) {
          problem(doc, "backend port '" + portName + "' is not a port of Service " + backend.getString("name"));
        }
      }
    }
  }

  private void checkAutoscaler(JsonObject doc) {
    JsonObject target = obj(obj(doc, "spec"), "scaleTargetRef");
    JsonObject workload = find(target.getString("kind"), target.getString("name"));
    if (workload == null) {
      problem(doc, "scaleTargetRef " + target.getString("kind") + "/" + target.getString("name") + " is not in the render");
      return;
    }
    if (obj(workload, "spec").containsKey("replicas")) {
      problem(doc, target.getString("kind") + "/" + target.getString("name")
          + " sets replicas, which every apply would reset the autoscaled count to: leave the count to the autoscaler");
    }
  }

  /** The replicas of a workload at rest: its own count, or its autoscaler's minimum (1 when neither says). */
  public static int replicas(List<JsonObject> docs, JsonObject workload) {
    JsonObject spec = workload.getJsonObject("spec");
    if (spec.containsKey("replicas")) {
      return spec.getInteger("replicas");
    }
    String kind = workload.getString("kind");
    String name = workload.getJsonObject("metadata").getString("name");
    for (JsonObject doc : docs) {
      if ("HorizontalPodAutoscaler".equals(doc.getString("kind"))) {
        JsonObject target = doc.getJsonObject("spec").getJsonObject("scaleTargetRef");
        if (kind.equals(target.getString("kind")) && name.equals(target.getString("name"))) {
          return doc.getJsonObject("spec").getInteger("minReplicas", 1);
        }
      }
    }
    return 1;
  }

  private void checkDisruptionBudget(JsonObject doc) {
    JsonObject selector = obj(obj(obj(doc, "spec"), "selector"), "matchLabels");
    if (podsSelectedBy(selector).isEmpty()) {
      problem(doc, "selector " + selector.encode() + " selects no pod template of this render");
    }
  }

  private void checkDefaultDeny() {
    boolean found = false;
    for (JsonObject doc : docs) {
      if ("NetworkPolicy".equals(doc.getString("kind"))) {
        JsonObject spec = obj(doc, "spec");
        JsonArray types = spec.getJsonArray("policyTypes", new JsonArray());
        found |= obj(spec, "podSelector").isEmpty() && types.contains("Ingress") && types.contains("Egress")
            && !spec.containsKey("ingress") && !spec.containsKey("egress");
      }
    }
    if (!found) {
      problems.add("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)");
    }
  }

  /**
   * The cluster is closed: SHOP_CLUSTER_SECRET from a Secret, each SHOP_CLUSTER_TLS_* file on a read-only
   * mount of a Secret volume that holds it, and never SHOP_CLUSTER_INSECURE=true.
   */
  private void checkClusterSecurity(JsonObject doc, JsonObject pod, JsonObject container, Map<String, Object> env) {
    if (!(env.get("SHOP_CLUSTER_SECRET") instanceof String secret) || !secret.startsWith("secret:")) {
      problem(doc, "SHOP_CLUSTER_SECRET must come from a Secret (secretKeyRef), is " + env.get("SHOP_CLUSTER_SECRET"));
    }
    if ("true".equals(env.get("SHOP_CLUSTER_INSECURE"))) {
      problem(doc, "a cluster member must not set SHOP_CLUSTER_INSECURE=true");
    }
    for (String tls : List.of("SHOP_CLUSTER_TLS_CERT", "SHOP_CLUSTER_TLS_KEY", "SHOP_CLUSTER_TLS_CA")) {
      Object path = env.get(tls);
      boolean onSecret = false;
      for (Object m : arr(container, "volumeMounts")) {
        JsonObject mount = (JsonObject) m;
        String dir = mount.getString("mountPath") + "/";
        if (path instanceof String p && p.startsWith(dir) && Boolean.TRUE.equals(mount.getBoolean("readOnly"))) {
          String file = p.substring(dir.length());
          for (Object v : arr(obj(pod, "spec"), "volumes")) {
            JsonObject volume = (JsonObject) v;
            JsonObject secretVolume = volume.getJsonObject("secret");
            if (mount.getString("name").equals(volume.getString("name")) && secretVolume != null) {
              onSecret |= arr(secretVolume, "items").stream().anyMatch(i -> file.equals(((JsonObject) i).getString("path")));
            }
          }
        }
      }
      if (!onSecret) {
        problem(doc, tls + " must name a file of a read-only Secret volume, is " + path);
      }
    }
  }

  /** Clustered pods advertise their pod IP and discover each other through one headless service. */
  private void checkClusterDiscovery() {
    for (JsonObject doc : docs) {
      String kind = doc.getString("kind");
      if (!"Deployment".equals(kind) && !"StatefulSet".equals(kind)) {
        continue;
      }
      JsonObject pod = obj(obj(doc, "spec"), "template");
      if (!"true".equals(obj(obj(pod, "metadata"), "labels").getString("shop.dev/cluster-member"))) {
        continue;
      }
      for (Object c : arr(obj(pod, "spec"), "containers")) {
        Map<String, Object> env = environment((JsonObject) c);
        Object publicHost = env.get("SHOP_CLUSTER_PUBLIC_HOST");
        if (!"fieldRef:status.podIP".equals(publicHost)) {
          problem(doc, "SHOP_CLUSTER_PUBLIC_HOST must come from the downward API (status.podIP), is " + publicHost);
        }
        if (!"dns".equals(env.get("SHOP_CLUSTER_DISCOVERY"))) {
          problem(doc, "SHOP_CLUSTER_DISCOVERY must be dns");
        }
        checkClusterSecurity(doc, pod, (JsonObject) c, env);
        Object dnsName = env.get("SHOP_CLUSTER_DNS_NAME");
        String expectedSuffix = "." + namespace + ".svc.cluster.local";
        JsonObject headless = dnsName instanceof String s && s.endsWith(expectedSuffix)
            ? find("Service", s.substring(0, s.length() - expectedSuffix.length())) : null;
        if (headless == null) {
          problem(doc, "SHOP_CLUSTER_DNS_NAME " + dnsName + " is not <service>" + expectedSuffix + " of a Service in this render");
          continue;
        }
        JsonObject hs = obj(headless, "spec");
        if (!"None".equals(hs.getString("clusterIP")) || !Boolean.TRUE.equals(hs.getBoolean("publishNotReadyAddresses"))) {
          problem(doc, "cluster discovery Service " + name(headless) + " must be headless with publishNotReadyAddresses: true");
        }
        if (!selects(obj(hs, "selector"), obj(obj(pod, "metadata"), "labels"))) {
          problem(doc, "cluster discovery Service " + name(headless) + " does not select this workload's pods");
        }
      }
    }
  }

  /**
   * The container's environment as the pod would see it: envFrom ConfigMaps expanded, then env. A
   * literal value stays a string; a reference becomes "fieldRef:&lt;path&gt;" or "secret:&lt;name&gt;/&lt;key&gt;".
   */
  public static Map<String, Object> environment(JsonObject container, List<JsonObject> docs) {
    return new KubernetesChecks(docs, "").environment(container);
  }

  private Map<String, Object> environment(JsonObject container) {
    Map<String, Object> env = new LinkedHashMap<>();
    for (Object e : arr(container, "envFrom")) {
      JsonObject ref = ((JsonObject) e).getJsonObject("configMapRef");
      JsonObject cm = ref == null ? null : find("ConfigMap", ref.getString("name"));
      if (cm != null) {
        env.putAll(obj(cm, "data").getMap());
      }
    }
    for (Object e : arr(container, "env")) {
      JsonObject var = (JsonObject) e;
      JsonObject from = var.getJsonObject("valueFrom");
      if (from == null) {
        env.put(var.getString("name"), var.getValue("value"));
      } else if (from.containsKey("fieldRef")) {
        env.put(var.getString("name"), "fieldRef:" + obj(from, "fieldRef").getString("fieldPath"));
      } else if (from.containsKey("secretKeyRef")) {
        JsonObject ref = obj(from, "secretKeyRef");
        env.put(var.getString("name"), "secret:" + ref.getString("name") + "/" + ref.getString("key"));
      } else {
        env.put(var.getString("name"), "ref:" + from.encode());
      }
    }
    return env;
  }

  // ---- helpers -----------------------------------------------------------------------------

  private List<JsonObject> podsSelectedBy(JsonObject selector) {
    List<JsonObject> pods = new ArrayList<>();
    for (JsonObject doc : docs) {
      String kind = doc.getString("kind");
      if ("Deployment".equals(kind) || "StatefulSet".equals(kind)) {
        JsonObject template = obj(obj(doc, "spec"), "template");
        if (!selector.isEmpty() && selects(selector, obj(obj(template, "metadata"), "labels"))) {
          pods.add(obj(template, "spec"));
        }
      }
    }
    return pods;
  }

  private static boolean selects(JsonObject selector, JsonObject labels) {
    for (String k : selector.fieldNames()) {
      if (!Objects.equals(selector.getValue(k), labels.getValue(k))) {
        return false;
      }
    }
    return true;
  }

  private JsonObject find(String kind, String name) {
    for (JsonObject doc : docs) {
      if (Objects.equals(kind, doc.getString("kind")) && Objects.equals(name, name(doc))) {
        return doc;
      }
    }
    return null;
  }

  private void problem(JsonObject doc, String message) {
    problems.add(doc.getValue("kind") + "/" + name(doc) + ": " + message);
  }

  static String name(JsonObject doc) {
    return String.valueOf(meta(doc).getValue("name"));
  }

  private static JsonObject meta(JsonObject doc) {
    return obj(doc, "metadata");
  }

  static JsonObject obj(JsonObject parent, String key) {
    Object value = parent == null ? null : parent.getValue(key);
    return value instanceof JsonObject o ? o : new JsonObject();
  }

  static JsonArray arr(JsonObject parent, String key) {
    Object value = parent == null ? null : parent.getValue(key);
    return value instanceof JsonArray a ? a : new JsonArray();
  }
}
