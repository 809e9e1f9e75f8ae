package org.wsss.affinity;

/**
 * How confident foreground and background are mined from CAMs. Each mode runs two argmax passes over
 * [background score, CAMs]: a foreground pass with a large background score (only confident foreground beats
 * it) and a background pass with a small one (background wins only where it is confident).
 *
 * @param mode       PSA: background score (1 - max_c CAM_c)^alpha; IRN: a constant background score
 * @param fgPass     PSA: alpha of the foreground pass (psa: 4); IRN: the constant of the foreground pass (0.30)
 * @param bgPass     PSA: alpha of the background pass (psa: 24); IRN: the constant of the background pass (0.05)
 */
public record AffinityLabelParams(Mode mode, double fgPass, double bgPass) implements java.io.Serializable {

    public enum Mode { PSA, IRN }

    public AffinityLabelParams {
        if (mode == null) {
            throw new IllegalArgumentException("affinity label mode must be PSA or IRN, got null");
        }
        if (mode == Mode.PSA && !(fgPass > 0 && bgPass > fgPass)) {
            throw new IllegalArgumentException("psa alphas must satisfy 0 < alpha_fg < alpha_bg, got alpha_fg="
                    + fgPass + " alpha_bg=" + bgPass);
        }
        if (mode == Mode.IRN && !(bgPass >= 0 && fgPass > bgPass && fgPass <= 1)) {
            throw new IllegalArgumentException("irn thresholds must satisfy 0 <= bg < fg <= 1, got fg="
                    + fgPass + " bg=" + bgPass);
        }
    }

    public static AffinityLabelParams psa() {
        return new AffinityLabelParams(Mode.PSA, 4, 24);
    }

    public static AffinityLabelParams irn() {
        return new AffinityLabelParams(Mode.IRN, 0.30, 0.05);
    }
}
