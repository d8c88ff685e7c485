package dev.vertxshop.deploy.k8s;

import dev.vertxshop.deploy.Repo;
import dev.vertxshop.deploy.Tools;
import dev.vertxshop.deploy.Yamls;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Renders an overlay exactly as {@code kubectl apply -k} would see it, with {@code kubectl kustomize}
 * (kustomize is built into kubectl; Debian's kubernetes-client package is enough; SHOP_KUBECTL may
 * name another binary). The tree is copied first and the secret files the overlay's secretGenerator
 * reads are filled with placeholders, as k8s/make-secrets.sh would fill them with real values.
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
    }
    return copy;
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
    Tools.Result result = Tools.run(kustomizationDir, Duration.ofSeconds(60),
        List.of(kubectl().toString(), "kustomize", kustomizationDir.toString()));
    if (!result.ok()) {
      throw new RenderException("kubectl kustomize " + kustomizationDir + " failed: " + result.err().trim());
    }
    return result.out();
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
