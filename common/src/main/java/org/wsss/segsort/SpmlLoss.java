package org.wsss.segsort;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.wsss.nn.ExplicitGradientLoss;
import org.wsss.seg.LossRows;

/**
 * SPML's pixel-to-segment contrastive losses (Ke et al., ICLR 2021): the SegSort embedding trained by three
 * grouping relations at once, each a contrastive term of the segment sorting form with its own concentration and
 * weight. Published defaults for tags: annotation 6 / 0.3, co-occurrence 8 / 0.3, image similarity 16 / 0.1.
 *
 * <p>Per image the unit embeddings are sorted into clusters ({@link PixelSorting}, every cell but the padding) and
 * the clusters split by semantic label and by superpixel, so a segment has one of each. Prototypes are the segments'
 * normalised mean embeddings. For a cell i, a term over a candidate set C with relation R scores
 * <pre>
 *   l = -log( N / (N + sum of s_p over the candidates p not related to i) ),  s_p = exp(kappa e_i . mu_p)
 *   N = sum of s_p over the related candidates other than i's own segment, or s_own when there is none
 * </pre>
 * (the public code's "segsort+" grouping: i's own segment counts only when no other is related). The terms:
 * <ul>
 *   <li><b>semantic annotation</b>: labelled cells against the labelled segments of the minibatch and the memory,
 *   related when of one label (the CAM-derived labels for tags, boxes, scribbles, clicks);</li>
 *   <li><b>semantic co-occurrence</b>: every cell against every segment of the minibatch and the memory, related
 *   when their images share a tag (similar context);</li>
 *   <li><b>low-level image similarity</b>: every cell against the segments of its own image, related when of one
 *   superpixel.</li>
 *   <li><b>feature affinity</b>: each unlabelled segment takes the label of the nearest labelled segment of its own
 *   image when their prototypes' cosine reaches a threshold (0.95 in the public code); its cells are then scored as
 *   the annotation term scores labelled cells, against the labelled segments of the minibatch and the memory. The
 *   nearest segment is chosen without gradient, as the public code's top-k retrieval is.</li>
 * </ul>
 * Feature affinity is off (weight 0) in every published VOC setting. SPML's image-similarity term scores embeddings
 * with their positions appended, here the embeddings alone. The loss is the sum over terms of weight x (mean of l
 * over the term's cells).
 *
 * <p>Labels per image [semantic codes of the P cells (255 unlabelled) | superpixel codes of the P cells (255:
 * padding, out of every term) | T tag flags (0 or 1)]; predictions raw embeddings [N, D*P] as for
 * {@link SegmentSortingLoss}. DL4J divides the summed score by N, so the loss reports N times the total.
 */
public class SpmlLoss extends ExplicitGradientLoss {

    private static final String NAME = "SpmlLoss";
    private static final int MAX_CODE = LossRows.IGNORE - 1;

    /** A term's concentration and weight (a weight of 0 turns it off). */
    public record Term(double concentration, double weight) implements java.io.Serializable {
        public Term {
            if (!(concentration > 0) || Double.isInfinite(concentration) || !(weight >= 0)
                    || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("SPML term: concentration must be a finite number > 0 and weight "
                        + "a finite number >= 0, got " + concentration + " and " + weight);
            }
        }
    }

    @JsonProperty("annotationConcentration")
    private double annotationConcentration = 6;
    @JsonProperty("annotationWeight")
    private double annotationWeight = 0.3;
    @JsonProperty("cooccurrenceConcentration")
    private double cooccurrenceConcentration = 8;
    @JsonProperty("cooccurrenceWeight")
    private double cooccurrenceWeight = 0.3;
    @JsonProperty("similarityConcentration")
    private double similarityConcentration = 16;
    @JsonProperty("similarityWeight")
    private double similarityWeight = 0.1;
    @JsonProperty("affinityConcentration")
    private double affinityConcentration = 12;
    @JsonProperty("affinityWeight")
    private double affinityWeight = 0;
    @JsonProperty("affinityThreshold")
    private double affinityThreshold = 0.95;
    @JsonProperty("gridSide")
    private int gridSide = 6;
    @JsonProperty("iterations")
    private int iterations = 10;
    @JsonProperty("memoryBanks")
    private int memoryBanks = 2;
    @JsonProperty("mapWidth")
    private int mapWidth;
    @JsonProperty("tags")
    private int tags = 1;

    @JsonIgnore
    private transient ThreadLocal<PrototypeMemory[]> memories;

    /** For JSON. */
    public SpmlLoss() {
    }

    /**
     * @param tags the number of tag flags per image (the classes, background excluded)
     */
    public SpmlLoss(SpmlTerms terms, PixelSorting.Params sorting, int memoryBanks, int mapWidth, int tags) {
        if (mapWidth < 0 || tags < 1) {
            throw new IllegalArgumentException(NAME + ": map width must be >= 0 and tags >= 1, got " + mapWidth + " and "
                    + tags);
        }
        this.annotationConcentration = terms.annotation().concentration();
        this.annotationWeight = terms.annotation().weight();
        this.cooccurrenceConcentration = terms.cooccurrence().concentration();
        this.cooccurrenceWeight = terms.cooccurrence().weight();
        this.similarityConcentration = terms.similarity().concentration();
        this.similarityWeight = terms.similarity().weight();
        this.affinityConcentration = terms.affinity().concentration();
        this.affinityWeight = terms.affinity().weight();
        this.affinityThreshold = terms.affinityThreshold();
        this.gridSide = sorting.gridSide();
        this.iterations = sorting.iterations();
        this.memoryBanks = new PrototypeMemory(memoryBanks).banks();
        this.mapWidth = mapWidth;
        this.tags = tags;
    }

    /** This thread's banks: [0] prototypes with their semantic labels, [1] their images' tags (as 0/1 vectors). */
    @JsonIgnore
    PrototypeMemory[] memory() {
        ThreadLocal<PrototypeMemory[]> perThread;
        synchronized (this) {
            if (memories == null) {
                memories = ThreadLocal.withInitial(() -> new PrototypeMemory[]{new PrototypeMemory(memoryBanks),
                        new PrototypeMemory(memoryBanks)});
            }
            perThread = memories;
        }
        PrototypeMemory[] m = perThread.get();
        long share = SegmentSortingLoss.currentShare();
        m[0].startShare(share);
        m[1].startShare(share);
        return m;
    }

    @Override
    protected Terms terms(INDArray labels, INDArray embeddings, INDArray mask, boolean withGradient) {
        int rows = (int) labels.size(0);
        int width = (int) labels.size(1);
        if ((width - tags) % 2 != 0 || width - tags < 2) {
            throw new IllegalArgumentException(NAME + ": labels of width " + width + " are not 2 x cells + " + tags
                    + " tags");
        }
        int cells = (width - tags) / 2;
        if (embeddings.size(0) != rows || embeddings.size(1) % cells != 0) {
            throw new IllegalArgumentException(NAME + ": embeddings " + Arrays.toString(embeddings.shape())
                    + " do not hold planes of " + cells + " cells");
        }
        int depth = (int) (embeddings.size(1) / cells);
        int mw = SegmentSortingLoss.width(NAME, cells, mapWidth);
        int mh = cells / mw;
        int[] all = LossRows.codes(NAME, labels, null, MAX_CODE);
        int[] semantic = new int[rows * cells];
        int[] region = new int[rows * cells];
        boolean[][] tagsOf = new boolean[rows][tags];
        for (int n = 0; n < rows; n++) {
            System.arraycopy(all, n * width, semantic, n * cells, cells);
            System.arraycopy(all, n * width + cells, region, n * cells, cells);
            for (int t = 0; t < tags; t++) {
                tagsOf[n][t] = all[n * width + 2 * cells + t] == 1;
            }
        }
        double[] z = LossRows.flat(embeddings);
        PixelSorting.Params sorting = new PixelSorting.Params(gridSide, iterations);

        double[] norm = new double[rows * cells];
        double[] e = SegmentSortingLoss.unitCells(z, rows, cells, depth, norm);

        // segments: clusters of the non-padding cells split by (semantic label, superpixel)
        int[] segmentOf = new int[rows * cells];
        int[] segmentBase = new int[rows + 1];
        int[] combined = new int[rows * cells];
        for (int c = 0; c < rows * cells; c++) {
            combined[c] = region[c] == LossRows.IGNORE ? LossRows.IGNORE : semantic[c] * 256 + region[c];
        }
        int[][] codeOf = new int[rows][];
        for (int n = 0; n < rows; n++) {
            int[] clusters = PixelSorting.cluster(z, n * depth * cells, depth, mh, mw, region, n * cells, sorting);
            PixelSorting.Segments s = PixelSorting.split(clusters, combined, n * cells);
            codeOf[n] = s.labelOf();
            segmentBase[n + 1] = segmentBase[n] + s.count();
            for (int c = 0; c < cells; c++) {
                segmentOf[n * cells + c] = s.segmentOf()[c] < 0 ? -1 : segmentBase[n] + s.segmentOf()[c];
            }
        }
        int batch = segmentBase[rows];
        double[] sumNorm = new double[batch];
        double[] mu = SegmentSortingLoss.prototypes(e, segmentOf, batch, depth, sumNorm);
        int[] protoLabel = new int[batch];
        int[] protoRegion = new int[batch];
        int[] protoImage = new int[batch];
        for (int n = 0; n < rows; n++) {
            for (int p = segmentBase[n]; p < segmentBase[n + 1]; p++) {
                protoLabel[p] = codeOf[n][p - segmentBase[n]] / 256;
                protoRegion[p] = codeOf[n][p - segmentBase[n]] % 256;
                protoImage[p] = n;
            }
        }

        int[] affinityLabel = affinityWeight > 0 ? nearestLabelled(mu, protoLabel, protoImage, depth)
                : null;

        PrototypeMemory[] banks = memory();
        if (withGradient) {
            banks[0].commitPending();
            banks[1].commitPending();
        }
        PrototypeMemory.Bank remembered = banks[0].contents(depth);
        PrototypeMemory.Bank rememberedTags = banks[1].contents(tags);
        int total = batch + remembered.count();
        double[] protos = Arrays.copyOf(mu, total * depth);
        System.arraycopy(remembered.vectors(), 0, protos, batch * depth, remembered.count() * depth);
        int[] labelOfProto = Arrays.copyOf(protoLabel, total);
        System.arraycopy(remembered.labels(), 0, labelOfProto, batch, remembered.count());
        boolean[][] tagsOfProto = new boolean[total][];
        for (int p = 0; p < batch; p++) {
            tagsOfProto[p] = tagsOf[protoImage[p]];
        }
        for (int p = batch; p < total; p++) {
            tagsOfProto[p] = new boolean[tags];
            for (int t = 0; t < tags; t++) {
                tagsOfProto[p][t] = rememberedTags.vectors()[(p - batch) * tags + t] > 0.5;
            }
        }

        // the cells of each term, to average over
        long annotated = 0;
        long sorted = 0;
        long propagated = 0;
        for (int cell = 0; cell < rows * cells; cell++) {
            if (segmentOf[cell] >= 0) {
                sorted++;
                annotated += semantic[cell] != LossRows.IGNORE ? 1 : 0;
                propagated += propagatedLabel(affinityLabel, semantic[cell], segmentOf[cell]) != LossRows.IGNORE
                        ? 1 : 0;
            }
        }
        double annScale = annotated == 0 ? 0 : annotationWeight * rows / annotated;
        double otherScale = sorted == 0 ? 0 : (double) rows / sorted;
        double occScale = cooccurrenceWeight * otherScale;
        double simScale = similarityWeight * otherScale;
        double affScale = propagated == 0 ? 0 : affinityWeight * rows / propagated;

        double[] rowScores = new double[rows];
        double[] dE = withGradient ? new double[e.length] : null;
        double[] dMu = withGradient ? new double[mu.length] : null;
        SegmentContrast contrast = new SegmentContrast(e, protos, depth, total, batch, dE, dMu);
        boolean[] related = new boolean[total];
        boolean[] candidate = new boolean[total];
        for (int cell = 0; cell < rows * cells; cell++) {
            int own = segmentOf[cell];
            if (own < 0) {
                continue;
            }
            int n = cell / cells;
            if (annScale > 0 && semantic[cell] != LossRows.IGNORE) {
                for (int p = 0; p < total; p++) {
                    candidate[p] = labelOfProto[p] != LossRows.IGNORE;
                    related[p] = labelOfProto[p] == semantic[cell];
                }
                rowScores[n] += annScale * contrast.cell(cell, own, candidate, related, annotationConcentration,
                        annScale);
            }
            if (occScale > 0) {
                for (int p = 0; p < total; p++) {
                    candidate[p] = true;
                    related[p] = share(tagsOf[n], tagsOfProto[p]);
                }
                rowScores[n] += occScale * contrast.cell(cell, own, candidate, related, cooccurrenceConcentration,
                        occScale);
            }
            if (simScale > 0) {
                for (int p = 0; p < total; p++) {
                    candidate[p] = p < batch && protoImage[p] == n;
                    related[p] = candidate[p] && protoRegion[p] == region[cell];
                }
                rowScores[n] += simScale * contrast.cell(cell, own, candidate, related, similarityConcentration,
                        simScale);
            }
            int propagatedLabel = propagatedLabel(affinityLabel, semantic[cell], own);
            if (affScale > 0 && propagatedLabel != LossRows.IGNORE) {
                for (int p = 0; p < total; p++) {
                    candidate[p] = labelOfProto[p] != LossRows.IGNORE;
                    related[p] = labelOfProto[p] == propagatedLabel;
                }
                rowScores[n] += affScale * contrast.cell(cell, own, candidate, related, affinityConcentration,
                        affScale);
            }
        }
        double[] gradient = null;
        if (withGradient) {
            gradient = SegmentSortingLoss.backToRaw(dE, dMu, e, mu, norm, sumNorm, segmentOf, rows, cells, depth);
            banks[0].offer(new PrototypeMemory.Bank(mu.clone(), protoLabel.clone(), depth));
            double[] tagVectors = new double[batch * tags];
            for (int p = 0; p < batch; p++) {
                for (int t = 0; t < tags; t++) {
                    tagVectors[p * tags + t] = tagsOf[protoImage[p]][t] ? 1 : 0;
                }
            }
            banks[1].offer(new PrototypeMemory.Bank(tagVectors, protoLabel.clone(), tags));
        }
        return new Terms(rowScores, gradient);
    }

    /**
     * Per minibatch segment, the label of the nearest labelled segment of its own image (largest prototype dot
     * product, the first on ties) when the segment is unlabelled and that cosine reaches the threshold; 255 otherwise.
     */
    private int[] nearestLabelled(double[] mu, int[] protoLabel, int[] protoImage, int depth) {
        int[] label = new int[protoLabel.length];
        for (int p = 0; p < protoLabel.length; p++) {
            label[p] = LossRows.IGNORE;
            if (protoLabel[p] != LossRows.IGNORE) {
                continue;
            }
            double best = Double.NEGATIVE_INFINITY;
            for (int q = 0; q < protoLabel.length; q++) {
                if (protoImage[q] != protoImage[p] || protoLabel[q] == LossRows.IGNORE) {
                    continue;
                }
                double dot = 0;
                for (int d = 0; d < depth; d++) {
                    dot += mu[p * depth + d] * mu[q * depth + d];
                }
                if (dot > best) {
                    best = dot;
                    label[p] = dot >= affinityThreshold ? protoLabel[q] : LossRows.IGNORE;
                }
            }
        }
        return label;
    }

    /** The label feature affinity gives a cell: its segment's propagated one, for cells not labelled already. */
    private static int propagatedLabel(int[] affinityLabel, int semantic, int segment) {
        return affinityLabel == null || semantic != LossRows.IGNORE ? LossRows.IGNORE : affinityLabel[segment];
    }

    private static boolean share(boolean[] a, boolean[] b) {
        for (int t = 0; t < a.length; t++) {
            if (a[t] && b[t]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return NAME;
    }

    public int getTags() {
        return tags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpmlLoss x && annotationConcentration == x.annotationConcentration
                && annotationWeight == x.annotationWeight && cooccurrenceConcentration == x.cooccurrenceConcentration
                && cooccurrenceWeight == x.cooccurrenceWeight && similarityConcentration == x.similarityConcentration
                && similarityWeight == x.similarityWeight && affinityConcentration == x.affinityConcentration
                && affinityWeight == x.affinityWeight && affinityThreshold == x.affinityThreshold
                && gridSide == x.gridSide && iterations == x.iterations
                && memoryBanks == x.memoryBanks && mapWidth == x.mapWidth && tags == x.tags;
    }

    @Override
    public int hashCode() {
        return Objects.hash(annotationConcentration, annotationWeight, cooccurrenceConcentration, cooccurrenceWeight,
                similarityConcentration, similarityWeight, affinityConcentration, affinityWeight, affinityThreshold,
                gridSide, iterations, memoryBanks, mapWidth, tags);
    }

    @Override
    public String toString() {
        return NAME + "(annotation " + annotationConcentration + "/" + annotationWeight + ", co-occurrence "
                + cooccurrenceConcentration + "/" + cooccurrenceWeight + ", image similarity " + similarityConcentration
                + "/" + similarityWeight + ", feature affinity " + affinityConcentration + "/" + affinityWeight
                + " at cosine " + affinityThreshold + ", grid " + gridSide + "x" + gridSide + ", " + memoryBanks
                + " memory banks, " + tags + " tags)";
    }
}
