package org.wsss.segsort;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.wsss.nn.ExplicitGradientLoss;
import org.wsss.seg.LossRows;

/**
 * SegSort's segment sorting loss: the maximum-likelihood loss of a mixture of von Mises-Fisher distributions, one
 * per segment, over the minibatch's pixel embeddings.
 *
 * <p>Per image the embeddings are normalised to unit length, sorted into segments ({@link PixelSorting}: spherical
 * k-means with positions, then split by label so each segment has one label), and each segment's prototype is the
 * normalised mean of its cells' unit embeddings. Every labelled cell i of the minibatch is scored against all
 * prototypes p of the minibatch (every image's) and of the memory banks, with s_p = exp(kappa e_i . mu_p):
 * <pre>
 *   l_i = -log( N_i / (N_i + sum of s_p over the prototypes of another label) )
 *   N_i = sum of s_p over the other prototypes of i's label, or s_own when there is none
 * </pre>
 * (the public code's neighbourhood-component form: a cell is pulled towards every segment of its label, its own
 * segment only when no other has that label). The loss is the mean of l_i over the labelled cells; the gradient
 * flows through the cell's embedding and through the minibatch's prototypes (the clustering itself is a constant
 * assignment; memory prototypes are constants). Cells labelled {@link LossRows#IGNORE} take no part. With labels
 * from points ({@code fromPoints}) every cell is sorted and a cluster's cells all take the label of the clicks in it;
 * the cells of a cluster without a click take no part.
 *
 * <p>Predictions are raw embeddings [N, D*P] (D planes of P = h*w cells, see {@code FlattenMapsLayer}; identity
 * activation: the loss normalises), labels [N, P]. Maps are square unless {@code mapWidth} is set. As DL4J divides
 * the summed score by N, the loss reports N times the mean, each cell's share booked to its image.
 *
 * <p>The memory banks live in this object, one per thread (see {@link #memory()}), and a gradient computation
 * updates them (see {@link PrototypeMemory}).
 */
public class SegmentSortingLoss extends ExplicitGradientLoss {

    private static final String NAME = "SegmentSortingLoss";
    private static final int MAX_CODE = LossRows.IGNORE - 1;

    @JsonProperty("concentration")
    private double concentration = 10;
    @JsonProperty("gridSide")
    private int gridSide = 5;
    @JsonProperty("iterations")
    private int iterations = 10;
    @JsonProperty("memoryBanks")
    private int memoryBanks = 2;
    @JsonProperty("mapWidth")
    private int mapWidth;
    @JsonProperty("fromPoints")
    private boolean fromPoints;
    @JsonProperty("fromRegions")
    private boolean fromRegions;

    @JsonIgnore
    private transient ThreadLocal<PrototypeMemory> memories;

    /** The worker share the current thread is fitting, counted by {@link #startWorkerShare()}. */
    private static final ThreadLocal<long[]> SHARE = ThreadLocal.withInitial(() -> new long[1]);

    /** The public code's defaults: concentration 10, a 5x5 starting grid, 10 iterations, 2 memory banks. */
    public SegmentSortingLoss() {
    }

    public SegmentSortingLoss(double concentration, PixelSorting.Params sorting, int memoryBanks, int mapWidth) {
        this(concentration, sorting, memoryBanks, mapWidth, false);
    }

    /**
     * @param fromPoints the labels are clicks: every cell is sorted and each cluster takes the label of the clicks
     *                   inside it ({@link PixelSorting#labelByClicks}); clusters without a click take no part
     */
    public SegmentSortingLoss(double concentration, PixelSorting.Params sorting, int memoryBanks, int mapWidth,
                              boolean fromPoints) {
        this(concentration, sorting, memoryBanks, mapWidth, fromPoints ? Labels.CLICKS : Labels.CLASSES);
    }

    /** What the label rows hold. */
    public enum Labels {
        /** dense class labels (255 ignored) */
        CLASSES,
        /** clicks: a class at clicked cells, 255 elsewhere; each cluster takes its clicks' label */
        CLICKS,
        /**
         * SegSort's unsupervised mode: each image's over-segmentation (a region number per cell, 255 ignored); a
         * cell's positives are the other segments of its region in its image, else its own segment, and every
         * other segment (other regions, other images, the memory) is a negative
         */
        REGIONS
    }

    public SegmentSortingLoss(double concentration, PixelSorting.Params sorting, int memoryBanks, int mapWidth,
                              Labels labels) {
        if (!(concentration > 0) || Double.isInfinite(concentration)) {
            throw new IllegalArgumentException("segsort.concentration must be a finite number > 0, got "
                    + concentration);
        }
        if (mapWidth < 0) {
            throw new IllegalArgumentException("segment sorting loss: map width must be >= 0 (0: square), got "
                    + mapWidth);
        }
        this.concentration = concentration;
        this.gridSide = sorting.gridSide();
        this.iterations = sorting.iterations();
        this.memoryBanks = new PrototypeMemory(memoryBanks).banks();
        this.mapWidth = mapWidth;
        this.fromPoints = labels == Labels.CLICKS;
        this.fromRegions = labels == Labels.REGIONS;
    }

    /**
     * A worker starts fitting its share of an averaging round on this thread: the banks start empty. Called by the
     * worker's example maker, which runs on the thread that fits.
     */
    public static void startWorkerShare() {
        SHARE.get()[0]++;
    }

    /**
     * This worker's memory banks (created on first use; not part of the configuration), one per thread and worker
     * share. DL4J's parameter averaging clones each worker's configuration shallowly, so the workers of one
     * executor share this loss object (under a local master, every round too: the broadcast is the driver's own
     * object), while each worker's task runs on one thread. Banks shared so would mix minibatches in the order
     * threads happen to run; kept per thread and share they hold the worker's own earlier minibatches of the
     * round, the same whatever thread runs it.
     */
    @JsonIgnore
    public PrototypeMemory memory() {
        ThreadLocal<PrototypeMemory> perThread;
        synchronized (this) {
            if (memories == null) {
                memories = ThreadLocal.withInitial(() -> new PrototypeMemory(memoryBanks));
            }
            perThread = memories;
        }
        PrototypeMemory m = perThread.get();
        m.startShare(SHARE.get()[0]);
        return m;
    }

    @Override
    protected Terms terms(INDArray labels, INDArray embeddings, INDArray mask, boolean withGradient) {
        int depth = LossRows.planes(NAME, labels, embeddings);
        int rows = (int) labels.size(0);
        int cells = (int) labels.size(1);
        int width = width(cells);
        int height = cells / width;
        int[] codes = LossRows.codes(NAME, labels, mask, MAX_CODE);
        double[] z = LossRows.flat(embeddings);
        PixelSorting.Params sorting = new PixelSorting.Params(gridSide, iterations);

        double[] norm = new double[rows * cells];
        double[] e = unitCells(z, rows, cells, depth, norm);

        // segments of every image, numbered across the minibatch
        int[] segmentOf = new int[rows * cells];
        int[] segmentBase = new int[rows + 1];
        int[][] labelsOf = new int[rows][];
        for (int n = 0; n < rows; n++) {
            PixelSorting.Segments s;
            if (fromPoints) {
                int[] clusters = PixelSorting.cluster(z, n * depth * cells, depth, height, width, null, 0, sorting);
                s = PixelSorting.split(clusters, PixelSorting.labelByClicks(clusters, codes, n * cells), 0);
            } else {
                int[] clusters = PixelSorting.cluster(z, n * depth * cells, depth, height, width, codes, n * cells,
                        sorting);
                s = PixelSorting.split(clusters, codes, n * cells);
            }
            labelsOf[n] = s.labelOf();
            segmentBase[n + 1] = segmentBase[n] + s.count();
            for (int c = 0; c < cells; c++) {
                segmentOf[n * cells + c] = s.segmentOf()[c] < 0 ? -1 : segmentBase[n] + s.segmentOf()[c];
            }
        }
        int batchSegments = segmentBase[rows];
        double[] sumNorm = new double[batchSegments];
        double[] mu = prototypes(e, segmentOf, batchSegments, depth, sumNorm);
        int[] protoLabel = new int[batchSegments];
        for (int n = 0; n < rows; n++) {
            System.arraycopy(labelsOf[n], 0, protoLabel, segmentBase[n], labelsOf[n].length);
        }

        PrototypeMemory banks = memory();
        if (withGradient) {
            banks.commitPending();
        }
        PrototypeMemory.Bank remembered = banks.contents(depth);
        int total = batchSegments + remembered.count();
        double[] all = Arrays.copyOf(mu, total * depth);
        System.arraycopy(remembered.vectors(), 0, all, batchSegments * depth, remembered.count() * depth);
        int[] allLabels = Arrays.copyOf(protoLabel, total);
        System.arraycopy(remembered.labels(), 0, allLabels, batchSegments, remembered.count());
        // prototypes alike for the loss: of one label, or (regions) of one region of one image; memory's are never
        // alike a cell's region
        int[] group = new int[total];
        for (int n = 0; n < rows; n++) {
            for (int p = segmentBase[n]; p < segmentBase[n + 1]; p++) {
                group[p] = fromRegions ? n * (MAX_CODE + 1) + protoLabel[p] : protoLabel[p];
            }
        }
        for (int p = batchSegments; p < total; p++) {
            group[p] = fromRegions ? -1 : allLabels[p];
        }
        double[] rowSums = new double[rows];
        double[] dE = withGradient ? new double[e.length] : null;
        double[] dMu = withGradient ? new double[mu.length] : null;
        SegmentContrast contrast = new SegmentContrast(e, all, depth, total, batchSegments, dE, dMu);
        boolean[] candidate = new boolean[total];
        Arrays.fill(candidate, true);
        boolean[] related = new boolean[total];
        long labelled = 0;
        for (int cell = 0; cell < rows * cells; cell++) {
            int own = segmentOf[cell];
            if (own < 0) {
                continue;
            }
            labelled++;
            for (int p = 0; p < total; p++) {
                related[p] = group[p] == group[own];
            }
            // scaled below, once the labelled cells are counted
            rowSums[cell / cells] += contrast.cell(cell, own, candidate, related, concentration, 1);
        }
        double scale = labelled == 0 ? 0 : (double) rows / labelled;
        double[] rowScores = new double[rows];
        for (int n = 0; n < rows; n++) {
            rowScores[n] = rowSums[n] * scale;
        }
        double[] gradient = null;
        if (withGradient) {
            for (int i = 0; i < dE.length; i++) {
                dE[i] *= scale;
            }
            for (int i = 0; i < dMu.length; i++) {
                dMu[i] *= scale;
            }
            gradient = backToRaw(dE, dMu, e, mu, norm, sumNorm, segmentOf, rows, cells, depth);
            banks.offer(new PrototypeMemory.Bank(mu.clone(), protoLabel.clone(), depth));
        }
        return new Terms(rowScores, gradient);
    }

    /** The share counter of the current thread (see {@link #startWorkerShare()}). */
    static long currentShare() {
        return SHARE.get()[0];
    }

    /** Unit embeddings cell-major [rows * cells][depth] of the NCHW-flattened z; each cell's length into norm. */
    static double[] unitCells(double[] z, int rows, int cells, int depth, double[] norm) {
        double[] e = new double[rows * cells * depth];
        for (int n = 0; n < rows; n++) {
            for (int c = 0; c < cells; c++) {
                int cell = n * cells + c;
                double sq = 0;
                for (int d = 0; d < depth; d++) {
                    double v = z[n * depth * cells + d * cells + c];
                    sq += v * v;
                }
                norm[cell] = Math.sqrt(sq);
                double inv = norm[cell] > 0 ? 1 / norm[cell] : 0;
                for (int d = 0; d < depth; d++) {
                    e[cell * depth + d] = z[n * depth * cells + d * cells + c] * inv;
                }
            }
        }
        return e;
    }

    /**
     * Each segment's prototype: the normalised sum of its cells' unit embeddings e (cell-major), the sum's length
     * into lengths; cells of segment -1 belong to none.
     */
    static double[] prototypes(double[] e, int[] segmentOf, int count, int depth, double[] lengths) {
        double[] sums = new double[count * depth];
        for (int cell = 0; cell < segmentOf.length; cell++) {
            int p = segmentOf[cell];
            if (p >= 0) {
                for (int d = 0; d < depth; d++) {
                    sums[p * depth + d] += e[cell * depth + d];
                }
            }
        }
        return normalisedRows(sums, count, depth, lengths);
    }

    /** The rows of sums [count][depth] normalised (a zero row stays zero); each row's length into lengths. */
    static double[] normalisedRows(double[] sums, int count, int depth, double[] lengths) {
        double[] mu = new double[count * depth];
        for (int p = 0; p < count; p++) {
            double sq = 0;
            for (int d = 0; d < depth; d++) {
                sq += sums[p * depth + d] * sums[p * depth + d];
            }
            lengths[p] = Math.sqrt(sq);
            double inv = lengths[p] > 0 ? 1 / lengths[p] : 0;
            for (int d = 0; d < depth; d++) {
                mu[p * depth + d] = sums[p * depth + d] * inv;
            }
        }
        return mu;
    }

    /**
     * The gradient with respect to the raw embeddings z (NCHW-flattened) from those with respect to the unit cell
     * embeddings (dE) and the prototypes (dMu): through mu_p = m_p / |m_p|, m_p the sum of the segment's unit
     * embeddings, then through e_i = z_i / |z_i|. dE and dMu are used up.
     */
    static double[] backToRaw(double[] dE, double[] dMu, double[] e, double[] mu, double[] norm, double[] sumNorm,
                              int[] segmentOf, int rows, int cells, int depth) {
        for (int p = 0; p < sumNorm.length; p++) {
            projectOut(dMu, mu, p * depth, depth, sumNorm[p]);
        }
        for (int cell = 0; cell < rows * cells; cell++) {
            int p = segmentOf[cell];
            if (p >= 0) {
                for (int d = 0; d < depth; d++) {
                    dE[cell * depth + d] += dMu[p * depth + d];
                }
            }
        }
        double[] gradient = new double[rows * cells * depth];
        for (int cell = 0; cell < rows * cells; cell++) {
            projectOut(dE, e, cell * depth, depth, norm[cell]);
            int n = cell / cells;
            int c = cell % cells;
            for (int d = 0; d < depth; d++) {
                gradient[n * depth * cells + d * cells + c] = dE[cell * depth + d];
            }
        }
        return gradient;
    }

    /** g := (g - u (u . g)) / length for the unit vector u = x / length at {@code at}; 0 when length is 0. */
    private static void projectOut(double[] g, double[] u, int at, int depth, double length) {
        if (length == 0) {
            Arrays.fill(g, at, at + depth, 0);
            return;
        }
        double dot = 0;
        for (int d = 0; d < depth; d++) {
            dot += u[at + d] * g[at + d];
        }
        for (int d = 0; d < depth; d++) {
            g[at + d] = (g[at + d] - u[at + d] * dot) / length;
        }
    }

    private int width(int cells) {
        return width(NAME, cells, mapWidth);
    }

    /** The map's width: {@code mapWidth}, or the side of a square map of {@code cells} when it is 0. */
    static int width(String loss, int cells, int mapWidth) {
        if (mapWidth > 0) {
            if (cells % mapWidth != 0) {
                throw new IllegalArgumentException(loss + ": " + cells + " cells per image are not rows of width "
                        + mapWidth);
            }
            return mapWidth;
        }
        int side = (int) Math.round(Math.sqrt(cells));
        if (side * side != cells) {
            throw new IllegalArgumentException(loss + ": " + cells + " cells per image is not a square map; "
                    + "give the map width");
        }
        return side;
    }

    @Override
    public String name() {
        return NAME;
    }

    public double getConcentration() {
        return concentration;
    }

    public int getGridSide() {
        return gridSide;
    }

    public int getIterations() {
        return iterations;
    }

    public int getMemoryBanks() {
        return memoryBanks;
    }

    public int getMapWidth() {
        return mapWidth;
    }

    public boolean isFromPoints() {
        return fromPoints;
    }

    public boolean isFromRegions() {
        return fromRegions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentSortingLoss other && concentration == other.concentration
                && gridSide == other.gridSide && iterations == other.iterations && memoryBanks == other.memoryBanks
                && mapWidth == other.mapWidth && fromPoints == other.fromPoints && fromRegions == other.fromRegions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(concentration, gridSide, iterations, memoryBanks, mapWidth, fromPoints, fromRegions);
    }

    @Override
    public String toString() {
        return NAME + "(concentration " + concentration + ", grid " + gridSide + "x" + gridSide + ", " + iterations
                + " iterations, " + memoryBanks + " memory banks" + (fromPoints ? ", labels from clicks" : "")
                + (fromRegions ? ", unsupervised: positives within a cell's region" : "") + ")";
    }
}
