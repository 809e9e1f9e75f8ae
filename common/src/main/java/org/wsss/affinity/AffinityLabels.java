package org.wsss.affinity;

/**
 * Confident per-cell labels for AffinityNet training, mined from CAMs on the feature grid:
 * 0 background, the class index 1..C, or 255 (ignored) where the two passes of {@link AffinityLabelParams}
 * disagree.
 */
public final class AffinityLabels {

    public static final int IGNORE = 255;

    private AffinityLabels() {
    }

    /**
     * @param cams         (K, height, width) row-major CAMs of the image's K classes, each normalised to [0, 1]
     * @param classIndices the class index (1..254) of each CAM plane
     */
    public static byte[] fromCams(float[] cams, int[] classIndices, int height, int width,
                                  AffinityLabelParams params) {
        int n = checkShape(cams, classIndices, height, width);
        int k = classIndices.length;
        // scores are compared in float, as psa/irn compare float32 arrays (0.30f vs a CAM of 0.30f is a tie)
        float[] fgScore = new float[n];
        float[] bgScore = new float[n];
        for (int i = 0; i < n; i++) {
            if (params.mode() == AffinityLabelParams.Mode.PSA) {
                double rest = 1.0 - maxOver(cams, k, n, i);
                fgScore[i] = (float) Math.pow(rest, params.fgPass());
                bgScore[i] = (float) Math.pow(rest, params.bgPass());
            } else {
                fgScore[i] = (float) params.fgPass();
                bgScore[i] = (float) params.bgPass();
            }
        }
        return combine(argmaxPass(cams, classIndices, n, fgScore), argmaxPass(cams, classIndices, n, bgScore));
    }

    /**
     * The agreement rule: background where both passes say background, class c where both say c, else 255.
     * Without CRF between mining and combining this equals psa's and irn's rule (take the foreground pass's
     * class, 255 where it says background, 0 where the background pass says background), since a larger
     * background score can only turn class cells into background; with a CRF in between it is the stricter one.
     */
    public static byte[] combine(byte[] fgPassLabels, byte[] bgPassLabels) {
        if (fgPassLabels.length != bgPassLabels.length) {
            throw new IllegalArgumentException("foreground pass has " + fgPassLabels.length
                    + " labels but background pass has " + bgPassLabels.length);
        }
        byte[] out = new byte[fgPassLabels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = fgPassLabels[i] == bgPassLabels[i] ? fgPassLabels[i] : (byte) IGNORE;
        }
        return out;
    }

    /** Argmax over [background score, CAMs]; ties go to the earlier plane (background first), as numpy's argmax. */
    private static byte[] argmaxPass(float[] cams, int[] classIndices, int n, float[] bgScore) {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            float best = bgScore[i];
            int label = 0;
            for (int c = 0; c < classIndices.length; c++) {
                float v = cams[c * n + i];
                if (v > best) {
                    best = v;
                    label = classIndices[c];
                }
            }
            labels[i] = (byte) label;
        }
        return labels;
    }

    private static double maxOver(float[] cams, int k, int n, int i) {
        double m = 0;
        for (int c = 0; c < k; c++) {
            m = Math.max(m, cams[c * n + i]);
        }
        return m;
    }

    private static int checkShape(float[] cams, int[] classIndices, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("CAM grid must be at least 1x1, got " + height + "x" + width);
        }
        int n = height * width;
        if (cams.length != classIndices.length * n) {
            throw new IllegalArgumentException("cams has " + cams.length + " values, expected "
                    + classIndices.length + " classes x " + height + "x" + width);
        }
        for (int c : classIndices) {
            if (c < 1 || c >= IGNORE) {
                throw new IllegalArgumentException("class index must be in 1..254, got " + c);
            }
        }
        return n;
    }
}
