package org.wsss.irn;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.wsss.affinity.AffinityLoss;
import org.wsss.affinity.DiscOffsets;
import org.wsss.nn.ExplicitGradientLoss;

/**
 * IRNet's displacement-field loss. The field D points each cell to the centroid of its instance, so two cells i and
 * j = i + t of one foreground instance satisfy D_i - D_j = t, and background cells are not displaced relative to one
 * another:
 * <pre>
 *   L = 1/2 * sum over foreground-positive pairs of |D_i - D_j - t|_1 / (2 n_fg)
 *     + 1/2 * sum over background-positive pairs of |D_i - D_j|_1 / (2 n_bg)
 * </pre>
 * over the minibatch's pairs (irn's train_irn.py; negative pairs take no part). Labels are the pair codes of
 * {@link AffinityLoss} for the forward-half disc of {@code radius}, [N, P*h*w]; predictions the field [N, 2*h*w],
 * (dy plane, dx plane) each row-major, in grid cells. A subset without pairs contributes 0. DL4J divides the
 * summed score by N, so the loss reports N times L.
 */
public class DisplacementLoss extends ExplicitGradientLoss {

    private static final String NAME = "DisplacementLoss";

    @JsonProperty("radius")
    private int radius = 10;
    @JsonProperty("mapWidth")
    private int mapWidth;

    /** For JSON. */
    public DisplacementLoss() {
    }

    /** @param mapWidth the grid width (0: a square grid) */
    public DisplacementLoss(int radius, int mapWidth) {
        if (radius < 2 || mapWidth < 0) {
            throw new IllegalArgumentException(NAME + ": radius must be >= 2 and map width >= 0, got " + radius
                    + " and " + mapWidth);
        }
        this.radius = radius;
        this.mapWidth = mapWidth;
    }

    @Override
    protected Terms terms(INDArray labels, INDArray field, INDArray mask, boolean withGradient) {
        DiscOffsets offsets = DiscOffsets.forwardHalf(radius);
        int rows = (int) labels.size(0);
        int planes = offsets.size();
        if (labels.size(1) % planes != 0 || field.size(0) != rows || field.size(1) != 2 * (labels.size(1) / planes)) {
            throw new IllegalArgumentException(NAME + ": labels " + Arrays.toString(labels.shape()) + " of " + planes
                    + " pair planes and field " + Arrays.toString(field.shape()) + " of 2 planes disagree");
        }
        int cells = (int) (labels.size(1) / planes);
        int w = mapWidth > 0 ? mapWidth : (int) Math.round(Math.sqrt(cells));
        if (w * (cells / w) != cells) {
            throw new IllegalArgumentException(NAME + ": " + cells + " cells are not a grid of width " + w);
        }
        double[] code = Nd4j.toFlattened('c', labels).toDoubleVector();
        double[] d = Nd4j.toFlattened('c', field).toDoubleVector();
        long fg = 0;
        long bg = 0;
        for (double c : code) {
            fg += c == AffinityLoss.FG_POSITIVE ? 1 : 0;
            bg += c == AffinityLoss.BG_POSITIVE ? 1 : 0;
        }
        double fgScale = fg == 0 ? 0 : rows * 0.5 / (2.0 * fg);
        double bgScale = bg == 0 ? 0 : rows * 0.5 / (2.0 * bg);
        double[] rowScores = new double[rows];
        double[] grad = withGradient ? new double[d.length] : null;
        int width = planes * cells;
        for (int n = 0; n < rows; n++) {
            int base = n * 2 * cells;
            for (int o = 0; o < planes; o++) {
                int shift = offsets.dy()[o] * w + offsets.dx()[o];
                double[] target = {offsets.dy()[o], offsets.dx()[o]};
                for (int i = 0; i < cells; i++) {
                    double c = code[n * width + o * cells + i];
                    boolean isFg = c == AffinityLoss.FG_POSITIVE;
                    if (!isFg && c != AffinityLoss.BG_POSITIVE) {
                        continue;
                    }
                    double scale = isFg ? fgScale : bgScale;
                    for (int ch = 0; ch < 2; ch++) {
                        int a = base + ch * cells + i;
                        double diff = d[a] - d[a + shift] - (isFg ? target[ch] : 0);
                        rowScores[n] += scale * Math.abs(diff);
                        if (grad != null) {
                            double s = scale * Math.signum(diff);
                            grad[a] += s;
                            grad[a + shift] -= s;
                        }
                    }
                }
            }
        }
        return new Terms(rowScores, grad);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DisplacementLoss x && radius == x.radius && mapWidth == x.mapWidth;
    }

    @Override
    public int hashCode() {
        return Objects.hash(radius, mapWidth);
    }

    @Override
    public String toString() {
        return NAME + "(radius " + radius + ", map width " + mapWidth + ")";
    }
}
