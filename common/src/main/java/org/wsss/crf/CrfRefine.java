package org.wsss.crf;

import org.wsss.affinity.AffinityLabelParams;
import org.wsss.affinity.AffinityLabels;
import org.wsss.data.RgbImage;

/**
 * Where the pipeline uses the dense CRF: psa's confident-region mining (each pass's [background, CAMs]
 * scores refined at image resolution before its argmax) and the refinement of score maps into labels.
 */
public final class CrfRefine {
    private CrfRefine() {
    }

    /**
     * Per-pixel normalised scores (k, h, w) refined by the CRF, then the argmax: row 0 is label 0, row r is
     * {@code labelOfRow[r - 1]}.
     */
    public static byte[] labels(DenseCrf crf, RgbImage image, float[] scores, int k, int[] labelOfRow) {
        int n = image.width() * image.height();
        float[] probs = new float[scores.length];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.max(0f, scores[c * n + i]);
            }
            for (int c = 0; c < k; c++) {
                probs[c * n + i] = sum > 0 ? (float) (Math.max(0f, scores[c * n + i]) / sum) : 1f / k;
            }
        }
        byte[] rows = DenseCrf.argmax(crf.infer(image, probs, k), k, image.width(), image.height());
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int r = rows[i] & 0xff;
            out[i] = (byte) (r == 0 ? 0 : labelOfRow[r - 1]);
        }
        return out;
    }

    /**
     * psa's mining with CRF: for the foreground pass (background score (1 - max CAM)^fgPower) and the
     * background pass (power bgPower) the [background, CAMs] stack at image resolution is refined and
     * labelled; the two are combined by agreement ({@link AffinityLabels#combine}), 255 where they differ.
     *
     * @param camsAtImage (k, h, w) CAMs already at image resolution
     */
    public static byte[] affinityLabels(DenseCrf crf, RgbImage image, float[] camsAtImage, int[] classes,
                                        AffinityLabelParams p) {
        int n = image.width() * image.height();
        int k = classes.length;
        float[] fg = new float[(k + 1) * n];
        float[] bg = new float[(k + 1) * n];
        System.arraycopy(camsAtImage, 0, fg, n, k * n);
        System.arraycopy(camsAtImage, 0, bg, n, k * n);
        for (int i = 0; i < n; i++) {
            float max = 0;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, camsAtImage[c * n + i]);
            }
            if (p.mode() == AffinityLabelParams.Mode.PSA) {
                fg[i] = (float) Math.pow(1 - max, p.fgPass());
                bg[i] = (float) Math.pow(1 - max, p.bgPass());
            } else {
                fg[i] = (float) p.fgPass();
                bg[i] = (float) p.bgPass();
            }
        }
        return AffinityLabels.combine(labels(crf, image, fg, k + 1, classes), labels(crf, image, bg, k + 1, classes));
    }
}
