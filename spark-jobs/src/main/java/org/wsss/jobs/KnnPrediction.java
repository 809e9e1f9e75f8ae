package org.wsss.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;
import org.wsss.metrics.PhaseClock;
import org.wsss.seg.SegNets;
import org.wsss.seg.SegPredictor;
import org.wsss.segsort.NearestSegments;
import org.wsss.segsort.PixelSorting;
import org.wsss.segsort.SegSortNets;
import org.wsss.segsort.SegmentPrototypes;
import org.wsss.segsort.SegmentRuns;
import org.wsss.segsort.Segmenter;
import org.wsss.spark.LabelMapSchema;
import org.wsss.spark.ModelStore;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.spark.RowStream;
import org.wsss.spark.SerializableHadoopConf;
import org.wsss.spark.SmallFiles;
import scala.Tuple2;

/**
 * predict with predict.method = knn (SegSort's inference by retrieval): each image's embedding at its own size is
 * sorted into segments (no labels), each segment's prototype searched among make-prototypes' table, and the
 * segment labelled by the majority of its k nearest. The table is searched one of two ways, by its size against
 * predict.knn-broadcast-mb: broadcast whole to every task, or split into Spark partitions, every image's segments
 * searched against every part (a cartesian product) and the k best merged per image. Both give the same labels:
 * prototypes keep one global order (by image_id, then segment) that breaks ties alike.
 */
final class KnnPrediction {

    /** What the tasks need besides their rows. */
    record Plan(PixelSorting.Params sorting, int k, String modelPath, String pngDir, SerializableHadoopConf conf)
            implements Serializable {
    }

    /**
     * One image's segments: per pixel its segment (as {@link SegmentRuns}: a partition holds every image's map while
     * the table is searched), and the segments' unit prototypes (the queries).
     */
    record ImageSegments(String imageId, String split, int width, int height, int[] segmentRuns, double[] queries,
                         int depth) implements Serializable {
        int[] segmentOf() {
            return SegmentRuns.decode(segmentRuns, width * height);
        }
    }

    /** What the search needs of an image: its queries, without its segment map. */
    record Queries(String imageId, double[] queries, int depth) implements Serializable {
    }

    /** A contiguous run of the prototype table, its first prototype's global index. */
    record Part(long firstIndex, double[] vectors, int[] labels, int depth) implements Serializable {
    }

    private KnnPrediction() {
    }

    /** The table's rows in their global order (image_id), persisted so both passes over them see one split. */
    static Dataset<Row> table(JobContext ctx) {
        return ctx.spark().read().parquet(ctx.stagePath(MakePrototypesJob.NAME, "prototypes")).orderBy("image_id")
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }

    /** The whole table in one piece, in its global order. */
    static Segmenter.Prototypes collect(Dataset<Row> table) {
        List<Part> parts = Parts.of(table.javaRDD().collect().iterator(), 0);
        Part all = parts.isEmpty() ? new Part(0, new double[0], new int[0], 1) : parts.get(0);
        return new Segmenter.Prototypes(all.vectors(), all.labels(), all.depth());
    }

    /** Label rows ({@link LabelMapSchema#LABELS}) with the table broadcast. */
    static JavaRDD<Row> withBroadcast(JavaRDD<Row> images, Broadcast<byte[]> model,
                                      Broadcast<Segmenter.Prototypes> table, Plan plan,
                                      CollectionAccumulator<String[]> quarantined, PhaseAccumulator phases) {
        return images.mapPartitions(it -> {
            if (!it.hasNext()) {
                return Collections.<Row>emptyIterator();
            }
            PhaseClock clock = new PhaseClock();
            ModelStore.Loaded net = load(model.value(), plan, clock);
            FileSystem fs = plan.pngDir() == null ? null : new Path(plan.pngDir()).getFileSystem(plan.conf().get());
            return RowStream.map(it, r -> {
                ImageSegments seg = segments(net, r, plan, quarantined, clock);
                if (seg == null) {
                    return null;
                }
                int[] votes;
                try (PhaseClock.Lap lap = clock.start("knn")) {
                    Segmenter.Prototypes t = table.value();
                    requireDepth(t.depth(), seg.depth(), plan);
                    votes = NearestSegments.search(seg.queries(), seg.depth(), t.vectors(), t.labels(), 0, plan.k())
                            .vote();
                }
                return labelRow(seg, votes, fs, plan, clock);
            }, () -> phases.add(clock));
        });
    }

    /** Label rows with the table searched partition by partition. */
    static JavaRDD<Row> partitionwise(JavaRDD<Row> images, Broadcast<byte[]> model, Dataset<Row> table, Plan plan,
                                      CollectionAccumulator<String[]> quarantined, PhaseAccumulator phases) {
        JavaRDD<ImageSegments> segments = images.mapPartitions(it -> {
            if (!it.hasNext()) {
                return Collections.<ImageSegments>emptyIterator();
            }
            PhaseClock clock = new PhaseClock();
            ModelStore.Loaded net = load(model.value(), plan, clock);
            return RowStream.map(it, r -> segments(net, r, plan, quarantined, clock), () -> phases.add(clock));
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        JavaRDD<Row> rows = table.javaRDD();
        List<Long> counts = rows.mapPartitions(it -> {
            long n = 0;
            while (it.hasNext()) {
                n += it.next().getList(2).size();
            }
            return List.of(n).iterator();
        }).collect();
        long[] first = new long[counts.size()];
        for (int p = 1; p < first.length; p++) {
            first[p] = first[p - 1] + counts.get(p - 1);
        }
        JavaRDD<Part> parts = rows.mapPartitionsWithIndex((p, it) -> Parts.of(it, first[p]).iterator(), true);
        JavaRDD<Queries> queries = segments.map(seg -> new Queries(seg.imageId(), seg.queries(), seg.depth()));
        JavaPairRDD<String, NearestSegments.Candidates> best = queries.cartesian(parts).mapToPair(pair -> {
            Queries seg = pair._1();
            Part part = pair._2();
            requireDepth(part.depth(), seg.depth(), plan);
            return new Tuple2<>(seg.imageId(), NearestSegments.search(seg.queries(), seg.depth(), part.vectors(),
                    part.labels(), part.firstIndex(), plan.k()));
        }).reduceByKey(NearestSegments.Candidates::merge);
        return segments.mapToPair(seg -> new Tuple2<>(seg.imageId(), seg)).join(best).values().mapPartitions(it -> {
            PhaseClock clock = new PhaseClock();
            FileSystem fs = plan.pngDir() == null ? null : new Path(plan.pngDir()).getFileSystem(plan.conf().get());
            return RowStream.map(it, t -> labelRow(t._1(), t._2().vote(), fs, plan, clock), () -> phases.add(clock));
        });
    }

    private static ModelStore.Loaded load(byte[] modelBytes, Plan plan, PhaseClock clock) {
        ModelStore.Loaded net = ModelStore.load(modelBytes, clock);
        if (!SegSortNets.sortsSegments(net.net())) {
            throw new IllegalStateException("predict.method = knn: the model " + plan.modelPath() + " was not trained "
                    + "with train.method = segsort or spml");
        }
        return net;
    }

    private static void requireDepth(int table, int image, Plan plan) {
        if (table != image) {
            throw new IllegalStateException("predict.method = knn: make-prototypes' table has " + table
                    + "-dimensional prototypes but the model " + plan.modelPath() + " embeds in " + image
                    + "; rerun make-prototypes");
        }
    }

    /** The image decoded, embedded and sorted into segments; null (quarantined) when it cannot be decoded. */
    private static ImageSegments segments(ModelStore.Loaded model, Row r, Plan plan,
                                          CollectionAccumulator<String[]> quarantined, PhaseClock clock) {
        RgbImage img = PredictJob.decodeOrQuarantine(r, quarantined, clock);
        if (img == null) {
            return null;
        }
        double[] emb;
        try (PhaseClock.Lap lap = clock.start("network")) {
            emb = MakePrototypesJob.toDouble(SegPredictor.embeddings(model.net(), img, model.norm()));
        }
        int depth = SegNets.embeddingDim(model.net());
        try (PhaseClock.Lap lap = clock.start("sorting")) {
            PixelSorting.Segments s = Segmenter.testSegments(emb, 0, depth, img.height(), img.width(),
                    plan.sorting());
            double[] queries = SegmentPrototypes.of(emb, 0, depth, s.segmentOf(), s.count());
            return new ImageSegments(r.getString(0), r.getString(1), img.width(), img.height(),
                    SegmentRuns.encode(s.segmentOf()), queries, depth);
        }
    }

    private static Row labelRow(ImageSegments seg, int[] votes, FileSystem fs, Plan plan, PhaseClock clock)
            throws Exception {
        int[] segmentOf = seg.segmentOf();
        byte[] labels = new byte[segmentOf.length];
        for (int c = 0; c < labels.length; c++) {
            // a table without a prototype gives no vote (-1): background
            labels[c] = (byte) Math.max(0, votes[segmentOf[c]]);
        }
        byte[] mask;
        try (PhaseClock.Lap lap = clock.start("png")) {
            mask = ImageCodec.encodePaletteMask(new LabelMask(seg.width(), seg.height(), labels));
            if (fs != null) {
                SmallFiles.write(fs, new Path(plan.pngDir(), LabelMapSchema.pngName(seg.imageId())), mask);
            }
        }
        return RowFactory.create(seg.imageId(), seg.split(), seg.width(), seg.height(), mask);
    }

    /** Rows of the prototype table as parts. */
    static final class Parts {
        private Parts() {
        }

        /** The rows as one part (an empty list for no rows). */
        static List<Part> of(Iterator<Row> it, long first) {
            List<double[]> vectors = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            int depth = -1;
            int count = 0;
            while (it.hasNext()) {
                Row r = it.next();
                if (depth >= 0 && r.getInt(1) != depth) {
                    throw new IllegalStateException("make-prototypes row " + r.getString(0) + " has depth "
                            + r.getInt(1) + " after rows of depth " + depth);
                }
                depth = r.getInt(1);
                List<Integer> l = r.getList(2);
                List<Float> v = r.getList(3);
                if (v.size() != (long) l.size() * depth) {
                    throw new IllegalStateException("make-prototypes row " + r.getString(0) + " has " + v.size()
                            + " vector values for " + l.size() + " labels of depth " + depth);
                }
                int[] li = new int[l.size()];
                double[] vi = new double[v.size()];
                for (int i = 0; i < li.length; i++) {
                    li[i] = l.get(i);
                }
                for (int i = 0; i < vi.length; i++) {
                    vi[i] = v.get(i);
                }
                labels.add(li);
                vectors.add(vi);
                count += li.length;
            }
            if (depth < 0) {
                return List.of();
            }
            double[] vs = new double[count * depth];
            int[] ls = new int[count];
            int at = 0;
            for (int i = 0; i < labels.size(); i++) {
                System.arraycopy(vectors.get(i), 0, vs, at * depth, labels.get(i).length * depth);
                System.arraycopy(labels.get(i), 0, ls, at, labels.get(i).length);
                at += labels.get(i).length;
            }
            return List.of(new Part(first, vs, ls, depth));
        }
    }
}
