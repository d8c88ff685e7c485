package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shop on a Kubernetes cluster ({@code --targets k8s=KUBECONFIG} or {@code k8s=https://api-server},
 * or the current context): the harness applies the spec itself ({@code kubectl apply -k} on a copy of
 * {@code k8s/overlays/<overlay>} with fresh secrets, or {@code helm upgrade --install} of
 * {@code --k8s-helm}), waits for every pod's {@code /health/ready} and the entry point, measures, and
 * deletes it all. Each pod's ops port is reached through its own {@code kubectl port-forward} (which
 * enters the pod's network namespace: the NetworkPolicies, which admit only Prometheus to port 9000, do
 * not stand in the way); the entry point is {@code --k8s-entry} (an Ingress or NodePort), or a
 * port-forward of the gateway Service (which pins one pod: fine for load, not for gateway faults).
 */
final class KubernetesTarget extends Target {

  private static final Pattern DEBUG_POD = Pattern.compile("debugging pod (\\S+) with container");
  private static final Pattern KILLED_AT = Pattern.compile("killed (\\d+) at (\\d{13})");

  /** A pod as {@code kubectl get pods -o json} shows it. */
  record Pod(String name, String service, String phase, boolean ready, boolean deleting, int restarts, String containerId,
      String image, String node, String ip) {
  }

  /** A port-forward to one pod's ops port. */
  private record Forward(int port, Cmd.Background process) {
  }

  private final String access;
  /** Read by the metrics sampler's thread too (endpoints()), changed by refresh() on the harness's. */
  private final Map<String, Forward> forwards = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile List<Pod> pods = List.of();
  private Path spec;
  private String token;
  private List<Limits.Service> limits = List.of();
  private Cmd.Background entryForward;
  private int nextPort = 100;

  KubernetesTarget(String name, Options options, int round, String access, Cmd cmd) {
    super(name, options, round, cmd);
    this.access = access;
  }

  KubernetesTarget(TargetSpec target, Options options, int round) {
    this(target.name(), options, round, target.argument(), null);
  }

  private String namespace() {
    return options.text("k8s-namespace");
  }

  private boolean helm() {
    return options.has("k8s-helm");
  }

  /** kubectl with the cluster's access flags: {@code --kubeconfig FILE} or {@code --server URL}. */
  List<String> kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(accessFlags("--kubeconfig", "--server"));
    command.addAll(List.of(args));
    return command;
  }

  /** kubectl in the shop's namespace. */
  List<String> kubectlNs(String... args) {
    List<String> command = kubectl("-n", namespace());
    command.addAll(List.of(args));
    return command;
  }

  private List<String> accessFlags(String kubeconfigFlag, String serverFlag) {
    if (access == null) {
      return List.of();
    }
    return access.startsWith("http://") || access.startsWith("https://") ? List.of(serverFlag, access) : List.of(kubeconfigFlag, access);
  }

  private Path overlay() {
    return spec.resolve("overlays").resolve(options.text("k8s-overlay"));
  }

  @Override
  String baseUrl() {
    if (options.has("k8s-entry")) {
      String url = options.text("k8s-entry");
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
    return "http://127.0.0.1:" + port(95);
  }

  @Override
  String adminToken() {
    return token;
  }

  @Override
  Readiness start() {
    Proc.Result client = cmd.run(List.of("kubectl", "version", "--client"), Duration.ofSeconds(20));
    if (!client.ok()) {
      throw new Unavailable("no kubectl on this machine");
    }
    Proc.Result cluster = cmd.run(kubectl("get", "nodes", "-o", "name"), Duration.ofSeconds(30));
    if (!cluster.ok()) {
      throw new Unavailable("no Kubernetes API server answers (" + cluster.output().trim().lines().findFirst().orElse("") + ")");
    }
    spec = copySpec("k8s");
    String rendered;
    if (helm()) {
      List<String> template = new ArrayList<>(List.of("helm", "template", options.text("k8s-release"), options.text("k8s-helm"),
          "-n", namespace()));
      template.addAll(accessFlags("--kubeconfig", "--kube-apiserver"));
      rendered = cmd.run(template, Duration.ofMinutes(2)).output();
      token = options.has("admin-token") ? options.text("admin-token") : null;
    } else {
      Proc.Result secrets = cmd.run(List.of(spec.resolve("make-secrets.sh").toString(), options.text("k8s-overlay")), Duration.ofMinutes(1));
      if (!secrets.ok()) {
        throw new Unavailable("k8s/make-secrets.sh failed: " + secrets.output().trim());
      }
      rendered = cmd.run(List.of("kubectl", "kustomize", overlay().toString()), Duration.ofMinutes(2)).output();
      token = readToken(overlay().resolve("secrets/admin-token"));
    }
    write("spec/rendered.yaml", rendered);
    limits = Limits.kubernetes(rendered, imageJavaOpts());

    long t0 = System.nanoTime();
    Proc.Result apply;
    if (helm()) {
      List<String> install = new ArrayList<>(List.of("helm", "upgrade", "--install", options.text("k8s-release"), options.text("k8s-helm"),
          "-n", namespace(), "--create-namespace"));
      install.addAll(accessFlags("--kubeconfig", "--kube-apiserver"));
      apply = cmd.run(install, Duration.ofMinutes(10));
    } else {
      apply = cmd.run(kubectl("apply", "-k", overlay().toString()), Duration.ofMinutes(10));
    }
    if (!apply.ok()) {
      throw new IllegalStateException((helm() ? "helm upgrade --install" : "kubectl apply -k") + " failed:\n" + apply.output());
    }
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put(helm() ? "`helm upgrade --install` returned" : "`kubectl apply -k` returned", (System.nanoTime() - t0) / 1_000_000);
    Readiness readiness = awaitReady(t0, Duration.ofMinutes(10), () -> true, this::refresh, parts,
        "from `" + (helm() ? "helm upgrade --install" : "kubectl apply -k") + "` to GET /api/products 200 through "
            + (options.has("k8s-entry") ? "the entry point " + baseUrl() : "a port-forward of the gateway Service")
            + " and every pod's /health/ready 200");
    facts.put("processes", pods.size() + " pods of the shop (+ PostgreSQL and Kafka StatefulSets)");
    facts.put("entry point", options.has("k8s-entry") ? baseUrl() : "kubectl port-forward svc/gateway (through the API server)");
    if (!options.has("k8s-entry")) {
      notes.add("entry point: a port-forward of svc/gateway, which pins one gateway pod and goes through the API server; "
          + "give --k8s-entry (Ingress or NodePort) for figures, and for gateway faults");
    }
    return readiness;
  }

  private static String readToken(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      return null;
    }
  }

  /** Lists the shop's pods; opens a port-forward to each running one, closes those of pods gone. */
  void refresh() {
    Proc.Result result = cmd.run(kubectlNs("get", "pods", "-l", "app.kubernetes.io/part-of=vertx-shop", "-o", "json"), Duration.ofSeconds(30));
    if (!result.ok()) {
      return;
    }
    List<Pod> listed = parsePods(result.output());
    pods = listed;
    List<String> alive = new ArrayList<>();
    for (Pod pod : listed) {
      if (!isNode(pod.service()) || !pod.phase().equals("Running") || pod.deleting()) {
        continue;
      }
      alive.add(pod.name());
      Forward forward = forwards.get(pod.name());
      if (forward == null || !forward.process().alive()) {
        int local = forward == null ? port(nextPort++) : forward.port();
        Cmd.Background process = cmd.start("port-forward " + pod.name(),
            kubectlNs("port-forward", "pod/" + pod.name(), local + ":9000"), dir.resolve("logs/port-forward-" + pod.name() + ".log"));
        forwards.put(pod.name(), new Forward(local, process));
      }
    }
    for (String name : new ArrayList<>(forwards.keySet())) {
      if (!alive.contains(name)) {
        forwards.remove(name).process().stop();
      }
    }
    if (!options.has("k8s-entry") && (entryForward == null || !entryForward.alive())
        && listed.stream().anyMatch(p -> p.service().equals("gateway") && p.ready())) {
      entryForward = cmd.start("port-forward svc/gateway", kubectlNs("port-forward", "svc/gateway", port(95) + ":8080"),
          dir.resolve("logs/port-forward-gateway.log"));
    }
  }

  private static boolean isNode(String service) {
    return SERVICES.contains(service) || service.equals("payment-provider");
  }

  static List<Pod> parsePods(String json) {
    List<Pod> pods = new ArrayList<>();
    for (Object item : Yaml.list(Json.parse(json), "items")) {
      String service = Yaml.text(item, "metadata", "labels", "app.kubernetes.io/name");
      if (service == null) {
        continue;
      }
      boolean ready = false;
      for (Object condition : Yaml.list(item, "status", "conditions")) {
        if ("Ready".equals(Yaml.text(condition, "type"))) {
          ready = "True".equals(Yaml.text(condition, "status"));
        }
      }
      Object status = Yaml.at(item, "status", "containerStatuses", 0);
      String containerId = Yaml.text(status, "containerID");
      pods.add(new Pod(Yaml.text(item, "metadata", "name"), service, String.valueOf(Yaml.text(item, "status", "phase")), ready,
          Yaml.at(item, "metadata", "deletionTimestamp") != null, (int) orZero(Yaml.number(status, "restartCount")),
          containerId == null ? null : containerId.replaceFirst("^[a-z]+://", ""), Yaml.text(item, "spec", "containers", 0, "image"),
          Yaml.text(item, "spec", "nodeName"), Yaml.text(item, "status", "podIP")));
    }
    pods.sort(java.util.Comparator.comparing(Pod::name));
    return pods;
  }

  private static double orZero(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  @Override
  List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Pod pod : pods) {
      Forward forward = forwards.get(pod.name());
      if (forward != null && !pod.deleting()) {
        endpoints.add(new Endpoint(pod.service(), pod.name(), pod.name(), "http://127.0.0.1:" + forward.port()));
      }
    }
    return endpoints;
  }

  @Override
  int expectedReplicas() {
    int count = 0;
    for (Limits.Service service : limits) {
      if (isNode(service.name())) {
        count += Integer.parseInt(service.replicas());
      }
    }
    return count;
  }

  private int replicasOf(String service) {
    return limits.stream().filter(s -> s.name().equals(service)).mapToInt(s -> Integer.parseInt(s.replicas())).findFirst().orElse(1);
  }

  @Override
  boolean ready() {
    refresh();
    return super.ready();
  }

  private Pod victim(String service) {
    return pods.stream().filter(p -> p.service().equals(service) && p.ready() && !p.deleting()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no ready pod of " + service + " in " + namespace()));
  }

  private Pod pod(String name) {
    return pods.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  /** Ready, not deleting pods of {@code service}, other than {@code except}. */
  private long readyPods(String service, String except) {
    return pods.stream().filter(p -> p.service().equals(service) && p.ready() && !p.deleting() && !p.name().equals(except)).count();
  }

  /**
   * SIGKILL to the container's processes from the node's PID namespace, through a node debugging pod
   * with the pod's own image (already on the node): inside the container the JVM is PID 1, which ignores
   * a SIGKILL sent from its own namespace, and a forced pod delete is a SIGTERM, not a crash. The
   * container's processes are found by the container ID in their cgroup path.
   */
  List<String> killCommand(Pod victim) {
    String script = "for p in /proc/[0-9]*; do if grep -qs " + victim.containerId() + " $p/cgroup; then kill -9 ${p#/proc/} && echo \"killed "
        + "${p#/proc/} at $(date +%s%3N)\"; fi; done";
    return kubectl("-n", options.text("k8s-debug-namespace"), "debug", "node/" + victim.node(), "--profile=sysadmin",
        "--image=" + victim.image(), "--", "bash", "-c", script);
  }

  List<String> rollCommand(String service, String image, String tag) {
    String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
    return kubectlNs("set", "image", "deployment/" + service, service + "=" + repository + ":" + tag);
  }

  @Override
  Fault.Action fault(Fault fault, String service) {
    refresh();
    Pod victim = victim(service);
    int replicas = replicasOf(service);
    String of = ", one of " + replicas + " " + service + " pods";
    return switch (fault) {
      case KILL_9 -> new Action("kill -9 of the JVM of " + victim.name() + of + ", from a node debugging pod on " + victim.node()
          + " (`kubectl debug node/... --profile=sysadmin`); the kubelet restarts the container in place") {
        private String debugPod;

        @Override
        public void begin() {
          Proc.Result result = cmd.run(killCommand(victim), Duration.ofMinutes(1));
          Matcher pod = DEBUG_POD.matcher(result.output());
          debugPod = pod.find() ? pod.group(1) : null;
          mark("harness", "node debugging pod " + (debugPod == null ? "NOT created: " + result.output().trim() : debugPod + " created"));
        }

        @Override
        boolean done() {
          if (debugPod != null && milestones.stream().noneMatch(m -> m.what().startsWith("SIGKILL"))) {
            Proc.Result logs = cmd.run(kubectl("-n", options.text("k8s-debug-namespace"), "logs", debugPod), Duration.ofSeconds(30));
            Matcher killed = KILLED_AT.matcher(logs.output());
            if (killed.find()) {
              milestones.add(new Fault.Milestone(Long.parseLong(killed.group(2)), "harness", "SIGKILL sent to pid " + killed.group(1)
                  + " on " + victim.node()));
            }
          }
          Pod now = pod(victim.name());
          return now != null && now.restarts() > victim.restarts() && now.ready();
        }

        @Override
        public void end() {
          if (debugPod != null) {
            cmd.run(kubectl("-n", options.text("k8s-debug-namespace"), "delete", "pod", debugPod, "--wait=false"), Duration.ofMinutes(1));
          }
          awaitAllReady();
        }
      };
      case GRACEFUL_STOP -> new Action("`kubectl delete pod " + victim.name() + "` (SIGTERM, the pod's 30 s grace)" + of
          + "; its ReplicaSet creates a replacement") {
        @Override
        public void begin() {
          cmd.run(kubectlNs("delete", "pod", victim.name(), "--wait=false"), Duration.ofMinutes(1));
          mark("harness", "pod " + victim.name() + " deleted");
        }

        @Override
        boolean done() {
          return pod(victim.name()) == null && readyPods(service, victim.name()) >= replicas;
        }
      };
      case ROLLING_UPDATE -> {
        String tag = options.has("roll-tag") ? options.text("roll-tag") : ComposeTarget.VERSION + "-roll";
        List<String> roll = rollCommand(service, victim.image(), tag);
        yield new Action("`" + Transcript.join(roll) + "`: the Deployment's rolling update (maxSurge 1, maxUnavailable 0), "
            + "followed with `kubectl rollout status`") {
          @Override
          public void begin() {
            Proc.Result result = cmd.run(roll, Duration.ofMinutes(1));
            mark("harness", "image set" + (result.ok() ? "" : " (FAILED: " + result.output().trim() + ")"));
          }

          @Override
          boolean done() {
            Proc.Result status = cmd.run(kubectlNs("rollout", "status", "deployment/" + service, "--watch=false"), Duration.ofSeconds(30));
            return status.ok() && status.output().contains("successfully rolled out");
          }
        };
      }
      case NODE_DRAIN -> {
        Proc.Result nodes = cmd.run(kubectl("get", "nodes", "-o", "json"), Duration.ofSeconds(30));
        if (schedulableNodes(nodes.output()) < 2) {
          throw new Fault.NotApplicable("fewer than 2 schedulable nodes: a drain would leave the pods nowhere to go");
        }
        yield new Action("`kubectl drain " + victim.node() + " --ignore-daemonsets --delete-emptydir-data`, the node of " + victim.name()
            + " (every pod on it is evicted, within the PodDisruptionBudgets), then `kubectl uncordon`") {
          private Cmd.Background drain;

          @Override
          public void begin() {
            drain = cmd.start("drain " + victim.node(), kubectl("drain", victim.node(), "--ignore-daemonsets", "--delete-emptydir-data",
                "--timeout=10m"), dir.resolve("logs/drain-" + victim.node() + ".log"));
            mark("harness", "drain of " + victim.node() + " started");
          }

          @Override
          boolean done() {
            return !drain.alive() && readyPods(service, victim.name()) >= replicas;
          }

          @Override
          public void end() {
            cmd.run(kubectl("uncordon", victim.node()), Duration.ofMinutes(1));
            awaitAllReady();
          }
        };
      }
    };
  }

  static int schedulableNodes(String json) {
    int count = 0;
    for (Object node : Yaml.list(Json.parse(json), "items")) {
      boolean ready = false;
      for (Object condition : Yaml.list(node, "status", "conditions")) {
        if ("Ready".equals(Yaml.text(condition, "type")) && "True".equals(Yaml.text(condition, "status"))) {
          ready = true;
        }
      }
      if (ready && !Boolean.TRUE.equals(Yaml.at(node, "spec", "unschedulable"))) {
        count++;
      }
    }
    return count;
  }

  /** A fault whose progress is read from the cluster at each poll ({@link #done}, after a refresh). */
  private abstract class Action implements Fault.Action {
    final List<Fault.Milestone> milestones = new ArrayList<>();
    private final String what;

    Action(String what) {
      this.what = what;
    }

    void mark(String who, String what) {
      milestones.add(new Fault.Milestone(System.currentTimeMillis(), who, what));
    }

    abstract boolean done();

    @Override
    public String what() {
      return what;
    }

    @Override
    public boolean finished() {
      refresh();
      return done();
    }

    @Override
    public List<Fault.Milestone> milestones() {
      return List.copyOf(milestones);
    }

    @Override
    public void end() {
      awaitAllReady();
    }

    void awaitAllReady() {
      poll(KubernetesTarget.this::ready, Duration.ofMinutes(5));
    }
  }

  @Override
  Map<String, String> observe(String service) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (pod.service().equals(service)) {
        facts.put(pod.name(), pod.phase() + (pod.ready() ? ", ready" : ", not ready") + (pod.deleting() ? ", terminating" : "")
            + ", restarts " + pod.restarts() + ", node " + pod.node() + ", image " + pod.image());
      }
    }
    return facts;
  }

  @Override
  String logText(long fromMillis, long toMillis) {
    StringBuilder text = new StringBuilder();
    for (Pod pod : pods) {
      if (SERVICES.contains(pod.service()) && pod.phase().equals("Running")) {
        Proc.Result logs = cmd.run(kubectlNs("logs", pod.name(), "--since-time=" + Instant.ofEpochMilli(fromMillis - 5000)),
            Duration.ofMinutes(1));
        logs.output().lines().forEach(line -> text.append(pod.name()).append(' ').append(line).append('\n'));
      }
    }
    return text.toString();
  }

  @Override
  List<Limits.Service> limits() {
    return limits;
  }

  @Override
  void stop() {
    forwards.values().forEach(f -> f.process().stop());
    forwards.clear();
    if (entryForward != null) {
      entryForward.stop();
    }
    if (spec == null) {
      return;
    }
    if (helm()) {
      List<String> uninstall = new ArrayList<>(List.of("helm", "uninstall", options.text("k8s-release"), "-n", namespace(), "--wait"));
      uninstall.addAll(accessFlags("--kubeconfig", "--kube-apiserver"));
      cmd.run(uninstall, Duration.ofMinutes(10));
    } else {
      cmd.run(kubectl("delete", "-k", overlay().toString(), "--wait=true", "--timeout=5m"), Duration.ofMinutes(6));
    }
  }

  @Override
  String describe() {
    return "Kubernetes" + (access == null ? " (current kubectl context)" : " at " + access) + ": "
        + (helm() ? "Helm chart `" + options.text("k8s-helm") + "`" : "`k8s/overlays/" + options.text("k8s-overlay") + "` applied with "
        + "`kubectl apply -k`") + " in namespace `" + namespace() + "`; every pod's ops port reached through its own `kubectl "
        + "port-forward`.";
  }
}
