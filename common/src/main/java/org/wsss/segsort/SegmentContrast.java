package org.wsss.segsort;

/**
 * One cell's pixel-to-segment contrastive term, the form SegSort's and SPML's losses share: over a candidate set of
 * prototypes, with s_p = exp(kappa e . mu_p),
 * <pre>
 *   l = -log( N / (N + sum of s_p over the candidates not related to the cell) )
 *   N = sum of s_p over the related candidates other than the cell's own segment, or s_own when there is none
 * </pre>
 * Its gradient (times a scale) is accumulated into the cells' dE and into dMu for the minibatch's prototypes (the
 * first {@code batch}; the rest, the memory's, are constants).
 */
final class SegmentContrast {
    private final double[] e;
    private final double[] protos;
    private final int depth;
    private final int total;
    private final int batch;
    private final double[] dE;
    private final double[] dMu;
    private final double[] s;

    SegmentContrast(double[] e, double[] protos, int depth, int total, int batch, double[] dE, double[] dMu) {
        this.e = e;
        this.protos = protos;
        this.depth = depth;
        this.total = total;
        this.batch = batch;
        this.dE = dE;
        this.dMu = dMu;
        this.s = new double[total];
    }

    /** The cell's l (see the class comment); its gradient times {@code scale} accumulated when asked for. */
    double cell(int cell, int own, boolean[] candidate, boolean[] related, double kappa, double scale) {
        int others = 0;
        for (int p = 0; p < total; p++) {
            others += candidate[p] && related[p] && p != own ? 1 : 0;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < total; p++) {
            if (candidate[p] || p == own) {
                double dot = 0;
                for (int d = 0; d < depth; d++) {
                    dot += e[cell * depth + d] * protos[p * depth + d];
                }
                s[p] = kappa * dot;
                max = Math.max(max, s[p]);
            }
        }
        double num = 0;
        double rest = 0;
        for (int p = 0; p < total; p++) {
            if (!(candidate[p] || p == own)) {
                continue;
            }
            s[p] = Math.exp(s[p] - max);
            if (positive(p, own, others, candidate, related)) {
                num += s[p];
            } else if (candidate[p] && !related[p]) {
                rest += s[p];
            }
        }
        double den = num + rest;
        if (dE != null) {
            for (int p = 0; p < total; p++) {
                if (!(candidate[p] || p == own)) {
                    continue;
                }
                double w;
                if (positive(p, own, others, candidate, related)) {
                    w = s[p] / den - s[p] / num;
                } else if (candidate[p] && !related[p]) {
                    w = s[p] / den;
                } else {
                    continue;
                }
                double g = kappa * w * scale;
                for (int d = 0; d < depth; d++) {
                    dE[cell * depth + d] += g * protos[p * depth + d];
                }
                if (p < batch) {
                    for (int d = 0; d < depth; d++) {
                        dMu[p * depth + d] += g * e[cell * depth + d];
                    }
                }
            }
        }
        return Math.log(den) - Math.log(num);
    }

    private static boolean positive(int p, int own, int others, boolean[] candidate, boolean[] related) {
        return others > 0 ? candidate[p] && related[p] && p != own : p == own;
    }
}
