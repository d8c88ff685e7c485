package dev.vertxshop.deploy;

import java.util.regex.Pattern;

/** Image references: pinned means a version tag (never latest, never none) or a digest. */
public final class Images {

  private static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private Images() {
  }

  public static boolean pinned(String image) {
    if (image == null || image.isBlank()) {
      return false;
    }
    if (DIGEST.matcher(image).matches()) {
      return true;
    }
    String last = image.substring(image.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    String tag = last.substring(colon + 1);
    return TAG.matcher(tag).matches() && !tag.equals("latest");
  }
}
