package dev.vertxshop.deploy.k8s;

import dev.vertxshop.deploy.Repo;
import dev.vertxshop.deploy.Tools;
import dev.vertxshop.deploy.Yamls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders an overlay exactly as {@code kubectl apply -k} would see it, with {@code kubectl kustomize}
 * (kustomize is built into kubectl; SHOP_KUBECTL may name another binary). The tree is copied first and
 * the secret files the overlay's secretGenerator reads are filled with placeholders, as
 * k8s/make-secrets.sh would fill them with real values.
 *
 * <p>The kustomizations are written for kustomize 4 and 5 (kubectl 1.21 and later): overlays list the
 * base under {@code resources} and their patches under {@code patches}. The only kubectl Debian packages
 * (kubernetes-client 1.20, kustomize v2.0.3) reads neither; with it, the copy's kustomizations are
 * rewritten to the legacy names ({@code bases}, {@code patchesStrategicMerge}), which render the same
 * objects, so the checks of the objects still run ({@link #legacy()}).
 */
public final class Kustomize {

  private Kustomize() {
  }

  public static Path kubectl() {
    return Tools.require("kubectl", "SHOP_KUBECTL",
        "install kubectl (Debian: apt-get install kubernetes-client) or set SHOP_KUBECTL; "
            + "kustomize is not otherwise available here");
  }

  /** A copy of k8s/ in a scratch directory, ready to render (placeholder secrets written). */
  public static Path copyOfSpecs(String name) {
    Path copy = Repo.copyTree(Repo.path("k8s"), Repo.scratch(name).resolve("k8s"));
    for (String overlay : List.of("dev", "prod")) {
      fillSecrets(copy.resolve("overlays").resolve(overlay));
      if (legacy()) {
        toLegacySyntax(copy.resolve("overlays").resolve(overlay).resolve("kustomization.yaml"));
      }
    }
    return copy;
  }

  /** The version of the kustomize built into kubectl ("v5.5.0"), empty when kubectl does not say (before 1.21). */
  public static String version() {
    Tools.Result result = Tools.run(Repo.root(), Duration.ofSeconds(30), List.of(kubectl().toString(), "version", "--client"));
    Matcher m = Pattern.compile("Kustomize Version: (v[0-9][^\\s]*)").matcher(result.both());
    return m.find() ? m.group(1) : "";
  }

  /** Whether the kustomize at hand predates {@code resources} directories and {@code patches} (v2, kubectl 1.20). */
  public static boolean legacy() {
    String version = knownVersion();
    return version.isEmpty() || version.startsWith("v2.") || version.startsWith("v3.");
  }

  private static String knownVersion;

  private static synchronized String knownVersion() {
    if (knownVersion == null) {
      knownVersion = version();
    }
    return knownVersion;
  }

  /** Rewrites a kustomization to the legacy names an old kustomize reads (JSON is YAML, so written as JSON). */
  static void toLegacySyntax(Path kustomizationFile) {
    JsonObject k = Yamls.load(Repo.read(kustomizationFile));
    JsonArray resources = k.getJsonArray("resources", new JsonArray());
    JsonArray bases = new JsonArray();
    JsonArray files = new JsonArray();
    for (Object r : resources) {
      (Files.isDirectory(kustomizationFile.resolveSibling((String) r)) ? bases : files).add(r);
    }
    if (!bases.isEmpty()) {
      k.put("bases", bases).put("resources", files);
    }
    JsonArray patches = (JsonArray) k.remove("patches");
    if (patches != null) {
      JsonArray strategic = new JsonArray();
      for (Object p : patches) {
        JsonObject patch = (JsonObject) p;
        if (patch.size() != 1 || patch.getString("path") == null) {
          throw new AssertionError(kustomizationFile + ": a patch with a target cannot be rendered by kustomize v2: " + patch);
        }
        strategic.add(patch.getString("path"));
      }
      k.put("patchesStrategicMerge", strategic);
    }
    Repo.write(kustomizationFile, k.encodePrettily());
  }

  /** What kustomize wrote to standard error while rendering (its deprecation warnings among it). */
  public static List<String> warnings(Path kustomizationDir) {
    return kustomize(kustomizationDir).err().lines().filter(l -> !l.isBlank()).toList();
  }

  /** Writes a placeholder for every file a secretGenerator of this kustomization reads. */
  public static void fillSecrets(Path overlay) {
    JsonObject kustomization = Yamls.load(Repo.read(overlay.resolve("kustomization.yaml")));
    var generators = kustomization.getJsonArray("secretGenerator");
    if (generators == null) {
      return;
    }
    for (Object g : generators) {
      var files = ((JsonObject) g).getJsonArray("files");
      if (files == null) {
        continue;
      }
      for (Object f : files) {
        String entry = (String) f;
        String path = entry.contains("=") ? entry.substring(entry.indexOf('=') + 1) : entry;
        Path file = overlay.resolve(path);
        if (!Files.exists(file)) {
          Repo.write(file, "placeholder-" + file.getFileName());
        }
      }
    }
  }

  public static String renderText(Path kustomizationDir) {
    return kustomize(kustomizationDir).out();
  }

  private static Tools.Result kustomize(Path kustomizationDir) {
    Tools.Result result = Tools.run(kustomizationDir, Duration.ofSeconds(60),
        List.of(kubectl().toString(), "kustomize", kustomizationDir.toString()));
    if (!result.ok()) {
      throw new RenderException("kubectl kustomize " + kustomizationDir + " failed: " + result.err().trim());
    }
    return result;
  }

  public static List<JsonObject> render(Path kustomizationDir) {
    return Yamls.loadAll(renderText(kustomizationDir));
  }

  /** The overlay could not be rendered at all (a broken kustomization, a missing file). */
  public static final class RenderException extends RuntimeException {
    public RenderException(String message) {
      super(message);
    }
  }
}
