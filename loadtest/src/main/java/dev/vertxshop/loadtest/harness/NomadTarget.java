package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shop on a Nomad cluster ({@code --targets nomad=http://nomad:4646}, or {@code NOMAD_ADDR}): the
 * harness stores the secrets as Nomad Variables if they are missing ({@code nomad/put-variables.sh}), runs
 * the jobs of a copy of {@code nomad/} itself ({@code nomad job run}), waits for every allocation's
 * {@code /health/ready} (at the host port Nomad gave its {@code ops} port) and the edge, measures, and
 * stops and purges the jobs. The entry point is the edge job's service ({@code nomad service info edge}),
 * or {@code --nomad-entry}.
 */
final class NomadTarget extends Target {

  /** An allocation as {@code nomad job allocs -json} shows it. */
  record Alloc(String id, String name, String group, String job, String clientStatus, String desiredStatus, String taskState,
      int restarts, Boolean healthy, String node) {

    boolean running() {
      return clientStatus.equals("running") && desiredStatus.equals("run");
    }
  }

  private final String address;
  /** Read by the metrics sampler's thread too (endpoints()), filled by refresh() on the harness's. */
  private final Map<String, String> opsUrls = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile List<Alloc> allocs = List.of();
  private Path spec;
  private String token;
  private String entry;
  private List<Limits.Service> limits = List.of();

  NomadTarget(String name, Options options, int round, String address, Cmd cmd) {
    super(name, options, round, cmd);
    this.address = address != null ? address : System.getenv().getOrDefault("NOMAD_ADDR", "http://127.0.0.1:4646");
  }

  NomadTarget(TargetSpec target, Options options, int round) {
    this(target.name(), options, round, target.argument(), Cmd.local(options.root, Map.of("NOMAD_ADDR",
        target.argument() != null ? target.argument() : System.getenv().getOrDefault("NOMAD_ADDR", "http://127.0.0.1:4646")),
        options.out().resolve(target.name()).resolve("round-" + round).resolve("commands.transcript")));
  }

  /** {@code nomad <words...> -address=ADDR <args...>}: the address after the subcommand, as the CLI wants it. */
  List<String> nomad(List<String> words, String... args) {
    List<String> command = new ArrayList<>(List.of("nomad"));
    command.addAll(words);
    command.add("-address=" + address);
    command.addAll(List.of(args));
    return command;
  }

  private List<String> jobs() {
    return options.list("nomad-jobs");
  }

  @Override
  String baseUrl() {
    if (options.has("nomad-entry")) {
      String url = options.text("nomad-entry");
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
    return entry == null ? "http://nomad-edge.invalid" : entry;
  }

  @Override
  String adminToken() {
    return token;
  }

  @Override
  Readiness start() {
    if (!cmd.run(List.of("nomad", "version"), Duration.ofSeconds(20)).ok()) {
      throw new Unavailable("no nomad CLI on this machine");
    }
    if (!cmd.run(nomad(List.of("node", "status"), "-quiet"), Duration.ofSeconds(30)).ok()) {
      throw new Unavailable("no Nomad server answers at " + address);
    }
    spec = copySpec("nomad");
    if (!cmd.run(nomad(List.of("var", "get"), "nomad/jobs/shop"), Duration.ofSeconds(30)).ok()) {
      Proc.Result put = cmd.run(List.of(spec.resolve("put-variables.sh").toString()), Duration.ofMinutes(1));
      if (!put.ok()) {
        throw new Unavailable("nomad/put-variables.sh failed: " + put.output().trim());
      }
    }
    token = cmd.runSecret(nomad(List.of("var", "get"), "-item=admin_token", "nomad/jobs/shop"), Duration.ofSeconds(30)).output().trim();
    List<String> files = new ArrayList<>();
    for (String job : jobs()) {
      try {
        files.add(Files.readString(jobFile(job)));
      } catch (IOException e) {
        throw new Unavailable("cannot read " + jobFile(job) + ": " + e.getMessage());
      }
    }
    limits = Limits.nomad(files, imageJavaOpts());

    long t0 = System.nanoTime();
    for (String job : jobs()) {
      Proc.Result run = cmd.run(nomad(List.of("job", "run"), "-detach", jobFile(job).toString()), Duration.ofMinutes(2));
      if (!run.ok()) {
        throw new IllegalStateException("nomad job run " + job + " failed:\n" + run.output());
      }
    }
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("`nomad job run` of " + String.join(", ", jobs()) + " returned", (System.nanoTime() - t0) / 1_000_000);
    Readiness readiness = awaitReady(t0, Duration.ofMinutes(10), () -> true, this::refresh, parts,
        "from the first `nomad job run` to GET /api/products 200 through the edge and every allocation's /health/ready 200");
    facts.put("processes", allocs.stream().filter(Alloc::running).count() + " allocations of the shop (+ PostgreSQL, Kafka, the edge)");
    facts.put("entry point", baseUrl());
    return readiness;
  }

  private Path jobFile(String job) {
    return spec.resolve(job + ".nomad.hcl");
  }

  /** The allocations of the shop's jobs; the ops address of each new running one; the edge's address. */
  void refresh() {
    List<Alloc> listed = new ArrayList<>();
    for (String job : List.of("shop", "payment-provider")) {
      if (!jobs().contains(job)) {
        continue;
      }
      Proc.Result result = cmd.run(nomad(List.of("job", "allocs"), "-json", job), Duration.ofSeconds(30));
      if (result.ok()) {
        listed.addAll(parseAllocs(result.output()));
      }
    }
    for (Alloc alloc : listed) {
      if (alloc.running() && !opsUrls.containsKey(alloc.id())) {
        Proc.Result status = cmd.run(nomad(List.of("alloc", "status"), "-json", alloc.id()), Duration.ofSeconds(30));
        String url = status.ok() ? opsUrl(status.output()) : null;
        if (url != null) {
          opsUrls.put(alloc.id(), url);
        }
      }
    }
    allocs = listed;
    if (entry == null && !options.has("nomad-entry")) {
      Proc.Result edge = cmd.run(nomad(List.of("service", "info"), "-json", "edge"), Duration.ofSeconds(30));
      if (edge.ok()) {
        entry = edgeUrl(edge.output());
      }
    }
  }

  static List<Alloc> parseAllocs(String json) {
    List<Alloc> allocs = new ArrayList<>();
    for (Object item : (List<?>) Json.parse(json)) {
      String group = Yaml.text(item, "TaskGroup");
      Object task = Yaml.at(item, "TaskStates", group);
      Object healthy = Yaml.at(item, "DeploymentStatus", "Healthy");
      double restarts = Yaml.number(task, "Restarts");
      allocs.add(new Alloc(Yaml.text(item, "ID"), Yaml.text(item, "Name"), group, Yaml.text(item, "JobID"),
          Yaml.text(item, "ClientStatus"), Yaml.text(item, "DesiredStatus"), task == null ? "none" : Yaml.text(task, "State"),
          Double.isNaN(restarts) ? 0 : (int) restarts, healthy instanceof Boolean b ? b : null, Yaml.text(item, "NodeID")));
    }
    allocs.sort(java.util.Comparator.comparing(Alloc::name));
    return allocs;
  }

  /** {@code http://HostIP:Value} of the port labelled "ops" ({@code AllocatedResources.Shared.Ports}); null when none. */
  static String opsUrl(String allocJson) {
    for (Object port : Yaml.list(Json.parse(allocJson), "AllocatedResources", "Shared", "Ports")) {
      if ("ops".equals(Yaml.text(port, "Label"))) {
        return "http://" + Yaml.text(port, "HostIP") + ":" + (long) Yaml.number(port, "Value");
      }
    }
    return null;
  }

  static String edgeUrl(String servicesJson) {
    List<?> registrations = (List<?>) Json.parse(servicesJson);
    if (registrations.isEmpty()) {
      return null;
    }
    return "http://" + Yaml.text(registrations.get(0), "Address") + ":" + (long) Yaml.number(registrations.get(0), "Port");
  }

  @Override
  List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Alloc alloc : allocs) {
      String url = opsUrls.get(alloc.id());
      if (alloc.running() && url != null) {
        endpoints.add(new Endpoint(alloc.group(), alloc.group() + "-" + alloc.id().substring(0, 8), alloc.id(), url));
      }
    }
    return endpoints;
  }

  @Override
  int expectedReplicas() {
    int count = 0;
    for (Limits.Service service : limits) {
      if (SERVICES.contains(service.name()) || service.name().equals("payment-provider")) {
        count += Integer.parseInt(service.replicas());
      }
    }
    return count;
  }

  private int countOf(String group) {
    return limits.stream().filter(s -> s.name().equals(group)).mapToInt(s -> Integer.parseInt(s.replicas())).findFirst().orElse(1);
  }

  @Override
  boolean ready() {
    refresh();
    return super.ready();
  }

  private Alloc alloc(String id) {
    return allocs.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
  }

  private boolean groupReady(String group, String except) {
    long ready = allocs.stream().filter(a -> a.group().equals(group) && a.running() && !a.id().equals(except))
        .filter(a -> opsUrls.containsKey(a.id()) && Http.ok(opsUrls.get(a.id()) + "/health/ready")).count();
    return ready >= countOf(group);
  }

  /** The job file with one group's image moved to {@code tag}; the rest as it is. */
  static String withImageTag(String jobFile, String group, String tag) {
    int start = jobFile.indexOf("group \"" + group + "\"");
    if (start < 0) {
      throw new IllegalArgumentException("no group \"" + group + "\" in the job file");
    }
    int image = jobFile.indexOf("image", start);
    int open = jobFile.indexOf('"', image);
    int close = jobFile.indexOf('"', open + 1);
    String current = jobFile.substring(open + 1, close);
    String repository = current.contains(":") ? current.substring(0, current.lastIndexOf(':')) : current;
    return jobFile.substring(0, open + 1) + repository + ":" + tag + jobFile.substring(close);
  }

  @Override
  Fault.Action fault(Fault fault, String service) {
    refresh();
    Alloc victim = allocs.stream().filter(a -> a.group().equals(service) && a.running()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no running allocation of group " + service));
    int count = countOf(service);
    String of = ", one of " + count + " " + service + " allocations";
    return switch (fault) {
      case KILL_9 -> new Action("`nomad alloc signal -s SIGKILL -task " + service + " " + victim.id() + "`" + of
          + " (the docker driver sends the signal to the JVM); Nomad restarts the task in place after the group's restart delay") {
        @Override
        public void begin() {
          Proc.Result result = cmd.run(nomad(List.of("alloc", "signal"), "-s", "SIGKILL", "-task", service, victim.id()), Duration.ofMinutes(1));
          mark("harness", "SIGKILL sent" + (result.ok() ? "" : " (FAILED: " + result.output().trim() + ")"));
        }

        @Override
        boolean done() {
          Alloc now = alloc(victim.id());
          return now != null && now.restarts() > victim.restarts() && "running".equals(now.taskState())
              && opsUrls.containsKey(now.id()) && Http.ok(opsUrls.get(now.id()) + "/health/ready");
        }
      };
      case GRACEFUL_STOP -> new Action("`nomad alloc stop " + victim.id() + "` (the task's kill_signal SIGTERM, kill_timeout 30 s)" + of
          + "; Nomad places a replacement") {
        @Override
        public void begin() {
          cmd.run(nomad(List.of("alloc", "stop"), "-detach", victim.id()), Duration.ofMinutes(1));
          mark("harness", "allocation stop requested");
        }

        @Override
        boolean done() {
          Alloc now = alloc(victim.id());
          return (now == null || !now.running()) && groupReady(service, victim.id());
        }
      };
      case ROLLING_UPDATE -> {
        String tag = options.has("roll-tag") ? options.text("roll-tag") : ComposeTarget.VERSION + "-roll";
        Path rolled = spec.resolve("shop.roll-" + service + ".nomad.hcl");
        yield new Action("`nomad job run` of the shop job with " + service + "'s image at the tag " + tag + ": the job's update "
            + "block (one canary, promoted once healthy for 10 s, then one allocation at a time), followed with `nomad job "
            + "deployments -latest`") {
          @Override
          public void begin() {
            try {
              Files.writeString(rolled, withImageTag(Files.readString(jobFile("shop")), service, tag));
            } catch (IOException e) {
              throw new IllegalStateException("cannot write " + rolled + ": " + e.getMessage());
            }
            Proc.Result run = cmd.run(nomad(List.of("job", "run"), "-detach", rolled.toString()), Duration.ofMinutes(2));
            mark("harness", "new job version submitted" + (run.ok() ? "" : " (FAILED: " + run.output().trim() + ")"));
          }

          private String last;

          @Override
          boolean done() {
            Proc.Result result = cmd.run(nomad(List.of("job", "deployments"), "-json", "-latest", "shop"), Duration.ofSeconds(30));
            if (!result.ok()) {
              return false;
            }
            Object deployment = Json.parse(result.output());
            if (deployment instanceof List<?> list) {
              deployment = list.isEmpty() ? null : list.get(0);
            }
            String status = Yaml.text(deployment, "Status");
            Object group = Yaml.at(deployment, "TaskGroups", service);
            String state = status + ": canaries " + Yaml.list(group, "PlacedCanaries").size() + " placed, "
                + (Boolean.TRUE.equals(Yaml.at(group, "Promoted")) ? "promoted" : "not promoted") + ", "
                + (long) Yaml.number(group, "HealthyAllocs") + " of " + (long) Yaml.number(group, "DesiredTotal") + " healthy";
            if (!state.equals(last)) {
              mark("orchestrator", "deployment " + state);
              last = state;
            }
            return "successful".equals(status) || "failed".equals(status);
          }
        };
      }
      case NODE_DRAIN -> {
        Proc.Result nodes = cmd.run(nomad(List.of("node", "status"), "-json"), Duration.ofSeconds(30));
        if (eligibleNodes(nodes.output()) < 2) {
          throw new Fault.NotApplicable("fewer than 2 eligible client nodes: a drain would leave the allocations nowhere to go");
        }
        yield new Action("`nomad node drain -enable -deadline 10m " + victim.node() + "`, the node of " + victim.name()
            + " (its allocations migrate as the group's migrate block says), then `nomad node eligibility -enable`") {
          @Override
          public void begin() {
            cmd.run(nomad(List.of("node", "drain"), "-enable", "-yes", "-detach", "-deadline", "10m", victim.node()), Duration.ofMinutes(1));
            mark("harness", "drain of node " + victim.node() + " started");
          }

          @Override
          boolean done() {
            Proc.Result node = cmd.run(nomad(List.of("node", "status"), "-json", victim.node()), Duration.ofSeconds(30));
            return node.ok() && Boolean.FALSE.equals(Yaml.at(Json.parse(node.output()), "Drain")) && groupReady(service, victim.id());
          }

          @Override
          public void end() {
            cmd.run(nomad(List.of("node", "eligibility"), "-enable", victim.node()), Duration.ofMinutes(1));
            awaitAllReady();
          }
        };
      }
    };
  }

  static int eligibleNodes(String json) {
    int count = 0;
    for (Object node : (List<?>) Json.parse(json)) {
      if ("ready".equals(Yaml.text(node, "Status")) && "eligible".equals(Yaml.text(node, "SchedulingEligibility"))) {
        count++;
      }
    }
    return count;
  }

  /** A fault whose progress is read from Nomad at each poll ({@link #done}, after a refresh). */
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
      poll(NomadTarget.this::ready, Duration.ofMinutes(5));
    }
  }

  @Override
  Map<String, String> observe(String service) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (Alloc alloc : allocs) {
      if (alloc.group().equals(service) && !alloc.clientStatus().equals("complete")) {
        facts.put(alloc.name() + " " + alloc.id().substring(0, 8), alloc.clientStatus() + "/" + alloc.desiredStatus() + ", task "
            + alloc.taskState() + ", restarts " + alloc.restarts() + (alloc.healthy() == null ? "" : alloc.healthy() ? ", healthy" : ", unhealthy"));
      }
    }
    return facts;
  }

  @Override
  String logText(long fromMillis, long toMillis) {
    StringBuilder text = new StringBuilder();
    for (Alloc alloc : allocs) {
      if (alloc.running() && SERVICES.contains(alloc.group())) {
        Proc.Result logs = cmd.run(nomad(List.of("alloc", "logs"), "-tail", "-n", "2000", alloc.id(), alloc.group()), Duration.ofMinutes(1));
        String label = alloc.group() + "-" + alloc.id().substring(0, 8);
        logs.output().lines().forEach(line -> text.append(label).append(' ').append(line).append('\n'));
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
    if (spec == null) {
      return;
    }
    List<String> reversed = new ArrayList<>(jobs());
    java.util.Collections.reverse(reversed);
    for (String job : reversed) {
      cmd.run(nomad(List.of("job", "stop"), "-purge", "-yes", job), Duration.ofMinutes(3));
    }
  }

  @Override
  String describe() {
    return "Nomad at " + address + ": the jobs " + String.join(", ", jobs()) + " of `nomad/`, run by the harness; every "
        + "allocation's ops port reached at the host port Nomad gave it; the entry point " + baseUrl() + ".";
  }
}
