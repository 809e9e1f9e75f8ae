package org.wsss.segsort;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A softmax classifier on the frozen SegSort embedding ({@code predict.method = softmax-on-embedding}, SPML's last
 * step): class scores W e + b of each pixel's unit embedding e. It is fitted to make-prototypes' table, each
 * training segment's unit prototype with its label, by full-batch Adam on the mean cross-entropy plus a small L2
 * penalty on W; every segment counts once, whatever its size. The fit starts from zero and has no randomness, so
 * the same table gives the same classifier.
 *
 * @param weights row-major [classes][depth]
 * @param bias    [classes]
 */
public record EmbeddingClassifier(double[] weights, double[] bias, int depth, int classes) implements Serializable {

    public EmbeddingClassifier {
        if (depth < 1 || classes < 1 || weights.length != depth * classes || bias.length != classes) {
            throw new IllegalArgumentException("embedding classifier: " + weights.length + " weights and "
                    + bias.length + " biases for " + classes + " classes of depth " + depth);
        }
    }

    /** Fit settings: Adam steps, learning rate, L2 weight on W. */
    public record Fit(int iterations, double learningRate, double l2) implements Serializable {
        public Fit {
            if (iterations < 1 || iterations > 100_000) {
                throw new IllegalArgumentException("predict.embedding-classifier-iterations must be in 1..100000, got "
                        + iterations);
            }
            if (!(learningRate > 0) || !(l2 >= 0)) {
                throw new IllegalArgumentException("embedding classifier: learning rate must be > 0 and L2 >= 0, got "
                        + learningRate + " and " + l2);
            }
        }
    }

    /**
     * Fits {@code classes} classes to unit vectors ({@code count} x depth, row-major) with their labels (0..classes-1;
     * a vector need not be unit length: it is normalised as pixels are at prediction).
     */
    public static EmbeddingClassifier fit(double[] vectors, int[] labels, int depth, int classes, Fit fit) {
        int count = labels.length;
        if (count == 0 || vectors.length != count * depth) {
            throw new IllegalArgumentException("embedding classifier: " + vectors.length + " values for " + count
                    + " vectors of depth " + depth);
        }
        double[] x = new double[vectors.length];
        for (int i = 0; i < count; i++) {
            unit(vectors, i * depth, depth, x, i * depth);
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("embedding classifier: label " + labels[i] + " outside 0.."
                        + (classes - 1));
            }
        }
        int params = classes * depth + classes;
        double[] theta = new double[params];
        double[] m = new double[params];
        double[] v = new double[params];
        double[] gradient = new double[params];
        double beta1 = 0.9;
        double beta2 = 0.999;
        for (int t = 1; t <= fit.iterations(); t++) {
            lossAndGradient(theta, x, labels, depth, classes, fit.l2(), gradient);
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, t);
            for (int p = 0; p < params; p++) {
                m[p] = beta1 * m[p] + (1 - beta1) * gradient[p];
                v[p] = beta2 * v[p] + (1 - beta2) * gradient[p] * gradient[p];
                theta[p] -= fit.learningRate() * (m[p] / c1) / (Math.sqrt(v[p] / c2) + 1e-8);
            }
        }
        return new EmbeddingClassifier(Arrays.copyOf(theta, classes * depth),
                Arrays.copyOfRange(theta, classes * depth, params), depth, classes);
    }

    /**
     * Mean cross-entropy of the vectors (unit, row-major) under theta = (W row-major, b) plus l2/2 |W|^2; the
     * gradient with respect to theta is written to {@code gradient}.
     */
    static double lossAndGradient(double[] theta, double[] x, int[] labels, int depth, int classes, double l2,
                                  double[] gradient) {
        int count = labels.length;
        int wSize = classes * depth;
        Arrays.fill(gradient, 0);
        double loss = 0;
        double[] z = new double[classes];
        for (int i = 0; i < count; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = theta[wSize + c];
                for (int d = 0; d < depth; d++) {
                    s += theta[c * depth + d] * x[i * depth + d];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            loss += Math.log(sum) - Math.log(z[labels[i]]);
            for (int c = 0; c < classes; c++) {
                double g = (z[c] / sum - (c == labels[i] ? 1 : 0)) / count;
                gradient[wSize + c] += g;
                for (int d = 0; d < depth; d++) {
                    gradient[c * depth + d] += g * x[i * depth + d];
                }
            }
        }
        double penalty = 0;
        for (int p = 0; p < wSize; p++) {
            penalty += theta[p] * theta[p];
            gradient[p] += l2 * theta[p];
        }
        return loss / count + l2 / 2 * penalty;
    }

    /**
     * Class scores (classes, cells) of embedding maps (depth, cells), each cell's vector normalised first (a zero
     * vector scores the bias alone).
     */
    public float[] scores(float[] maps, int cells) {
        if (maps.length != depth * cells) {
            throw new IllegalArgumentException("embedding classifier: " + maps.length + " values are not " + depth
                    + " maps of " + cells + " cells");
        }
        float[] out = new float[classes * cells];
        double[] e = new double[depth];
        for (int i = 0; i < cells; i++) {
            double sq = 0;
            for (int d = 0; d < depth; d++) {
                e[d] = maps[d * cells + i];
                sq += e[d] * e[d];
            }
            double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
            for (int c = 0; c < classes; c++) {
                double s = bias[c];
                for (int d = 0; d < depth; d++) {
                    s += weights[c * depth + d] * e[d] * inv;
                }
                out[c * cells + i] = (float) s;
            }
        }
        return out;
    }

    /** Fraction of the vectors whose highest score is their label. */
    public double accuracy(double[] vectors, int[] labels) {
        int right = 0;
        float[] one = new float[depth];
        for (int i = 0; i < labels.length; i++) {
            for (int d = 0; d < depth; d++) {
                one[d] = (float) vectors[i * depth + d];
            }
            float[] s = scores(one, 1);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (s[c] > s[best]) {
                    best = c;
                }
            }
            right += best == labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) right / labels.length;
    }

    private static void unit(double[] from, int at, int depth, double[] to, int toAt) {
        double sq = 0;
        for (int d = 0; d < depth; d++) {
            sq += from[at + d] * from[at + d];
        }
        double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
        for (int d = 0; d < depth; d++) {
            to[toAt + d] = from[at + d] * inv;
        }
    }
}
