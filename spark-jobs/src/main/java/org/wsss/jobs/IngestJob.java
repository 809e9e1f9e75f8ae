package org.wsss.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wsss.config.Param;
import org.wsss.config.Params;
import org.wsss.config.SecretMask;
import org.wsss.config.Settings;
import org.wsss.data.BoxesFile;
import org.wsss.data.ClassList;
import org.wsss.data.DatasetFs;
import org.wsss.data.DatasetListing;
import org.wsss.data.DatasetReader;
import org.wsss.data.DatasetReaders;
import org.wsss.data.FileEntry;
import org.wsss.data.ImageIds;
import org.wsss.data.PointsFile;
import org.wsss.data.QuarantineException;
import org.wsss.data.QuarantineReasons;
import org.wsss.data.Sample;
import org.wsss.data.SampleRef;
import org.wsss.data.UniqueIds;
import org.wsss.metrics.MetricsJson;
import org.wsss.spark.ManifestSchema;
import org.wsss.spark.QuarantineTable;
import org.wsss.spark.PhaseAccumulator;
import org.wsss.spark.ProgressListener;
import org.wsss.spark.RowStream;
import org.wsss.metrics.PhaseClock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code wsss ingest}: lists the dataset on the driver, reads and checks every image on executors, and writes
 * the Parquet manifest, the quarantine table of unusable inputs with their reasons, and classes.json.
 */
public final class IngestJob implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
    public static final String NAME = "ingest";
    static final String DESCRIPTION = "Reads the dataset (synthetic, VOC or LID layout; any Hadoop file system) and writes the Parquet manifest to <run-dir>/ingest/manifest; unreadable or inconsistent images go to <run-dir>/ingest/quarantine with their reason; more than ingest.max-quarantined-fraction of them fails the stage.";
    /** metrics.json key: images whose XML names a class that their ground-truth mask has no pixel of. */
    public static final String NUM_XML_CLASS_ABSENT_FROM_MASK = "num_images_xml_class_absent_from_mask";

    private DatasetReader reader;
    private List<SampleRef> refs;
    private List<String[]> unmatchedPoints = List.of();
    private List<String[]> unmatchedBoxes = List.of();
    private Map<String, FileEntry> scribbleFiles = new TreeMap<>();
    /** Listed ids refused before any read: unusable as paths (ImageIds) or listed again (UniqueIds). */
    private List<String[]> rejectedIds = List.of();
    private List<String[]> unlabelledIds = List.of();
    private List<String[]> duplicateIds = List.of();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<String> configPrefixes() {
        return List.of("dataset", "ingest");
    }

    @Override
    public List<String> inputs() {
        return List.of();
    }

    /** Lists the dataset (also what the run reuses): the digest covers every file's path, size and mtime. */
    @Override
    public String inputFingerprint(JobContext ctx) throws Exception {
        Settings s = ctx.settings();
        DatasetFs fs = ctx.datasetFs();
        reader = DatasetReaders.create(s, fs);
        List<String> splits = s.get(Params.Dataset.SPLITS);
        DatasetListing listing = reader.listing(fs, splits);
        UniqueIds.Result unique = UniqueIds.of(listing.refs());
        rejectedIds = listing.rejected();
        unlabelledIds = listing.unlabelled();
        duplicateIds = unique.duplicates();
        refs = attachScribbles(s, fs, attachBoxes(s, fs, attachPoints(s, fs, unique.refs())));
        StringBuilder sb = new StringBuilder(reader.getClass().getName()).append('\n');
        for (FileEntry f : listing.files()) {
            sb.append(f.path()).append(' ').append(f.length()).append(' ').append(f.modificationTime()).append('\n');
        }
        for (Param<String> file : List.of(Params.Dataset.POINTS, Params.Dataset.BOXES)) {
            String path = s.get(file);
            if (!path.isBlank()) {
                FileEntry f = fileEntry(fs, file.key(), path);
                sb.append(f.path()).append(' ').append(f.length()).append(' ').append(f.modificationTime()).append('\n');
            }
        }
        for (FileEntry f : scribbleFiles.values()) {
            sb.append(f.path()).append(' ').append(f.length()).append(' ').append(f.modificationTime()).append('\n');
        }
        return Settings.sha256(sb.toString());
    }

    /** The listing entry of a file a setting names; a missing one is an error naming the setting. */
    static FileEntry fileEntry(DatasetFs fs, String key, String path) throws Exception {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "." : path.substring(0, Math.max(slash, 1));
        String name = path.substring(slash + 1);
        return fs.list(dir).stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(key + " = " + path + ": no such file"));
    }

    /** dataset.boxes: each listed image gets its boxes (then the VOC XML's are not read); unmatched ids reported. */
    private List<SampleRef> attachBoxes(Settings s, DatasetFs fs, List<SampleRef> listed) throws Exception {
        String path = s.get(Params.Dataset.BOXES);
        unmatchedBoxes = List.of();
        if (path.isBlank()) {
            return listed;
        }
        List<SampleRef> out = new ArrayList<>(listed.size());
        unmatchedBoxes = attach(listed, BoxesFile.read(fs, path), SampleRef::withBoxes, out, path,
                "dataset.boxes has boxes", s);
        return out;
    }

    /**
     * dataset.scribbles: the folder's {@code <image_id>.png} (ids with characters outside [A-Za-z0-9_-] escaped as
     * {@link ImageIds#fileName}) becomes the image's scribble; images without one have none.
     */
    private List<SampleRef> attachScribbles(Settings s, DatasetFs fs, List<SampleRef> listed) throws Exception {
        String dir = s.get(Params.Dataset.SCRIBBLES);
        scribbleFiles = new TreeMap<>();
        if (dir.isBlank()) {
            return listed;
        }
        if (!fs.exists(dir) || !fs.isDirectory(dir)) {
            throw new IllegalArgumentException("dataset.scribbles = " + dir + ": no such folder; give the folder of "
                    + "<image_id>.png scribbles");
        }
        Map<String, FileEntry> byName = new java.util.HashMap<>();
        for (FileEntry f : fs.list(dir)) {
            byName.put(f.name(), f);
        }
        List<SampleRef> out = new ArrayList<>(listed.size());
        for (SampleRef r : listed) {
            FileEntry f = byName.get(ImageIds.fileName(r.imageId()) + ".png");
            if (f != null) {
                scribbleFiles.put(r.imageId(), f);
            }
            out.add(f == null ? r : r.withScribble(f.path()));
        }
        return out;
    }

    private List<SampleRef> attachPoints(Settings s, DatasetFs fs, List<SampleRef> listed) throws Exception {
        String path = s.get(Params.Dataset.POINTS);
        unmatchedPoints = List.of();
        if (path.isBlank()) {
            return listed;
        }
        List<SampleRef> out = new ArrayList<>(listed.size());
        unmatchedPoints = attach(listed, PointsFile.read(fs, path), SampleRef::withPoints, out, path,
                "dataset.points has points", s);
        return out;
    }

    /**
     * Per-image annotations of a JSON-lines file attached to the listed images ({@code with}) into {@code out};
     * returns the quarantine rows of the ids the listing does not have.
     */
    private static <T> List<String[]> attach(List<SampleRef> listed, Map<String, List<T>> byId,
                                             java.util.function.BiFunction<SampleRef, List<T>, SampleRef> with,
                                             List<SampleRef> out, String path, String what, Settings s) {
        Map<String, List<T>> left = new java.util.HashMap<>(byId);
        for (SampleRef r : listed) {
            List<T> a = left.remove(r.imageId());
            out.add(a == null ? r : with.apply(r, a));
        }
        List<String[]> unmatched = new ArrayList<>();
        for (String id : new TreeMap<>(left).keySet()) {
            unmatched.add(new String[]{id, path, what + " for image '" + id + "', which is not in the listed splits "
                    + s.get(Params.Dataset.SPLITS)});
        }
        return unmatched;
    }

    @Override
    public Map<String, Object> run(JobContext ctx) throws Exception {
        if (refs == null) {
            inputFingerprint(ctx);
        }
        Settings s = ctx.settings();
        if (refs.isEmpty() && rejectedIds.isEmpty()) {
            throw new IllegalStateException("ingest: the dataset lists no images (dataset.format = "
                    + s.get(Params.Dataset.FORMAT) + ", dataset.root = '"
                    + SecretMask.maskUris(s.get(Params.Dataset.ROOT))
                    + "', dataset.splits = " + s.get(Params.Dataset.SPLITS) + "): check the root and the split lists");
        }
        SparkSession spark = ctx.spark();
        ClassList classes = reader.classes();
        DatasetReader rdr = reader;
        DatasetFs fs = ctx.datasetFs();
        int partitions = partitions(s, refs.size(), spark.sparkContext().defaultParallelism());
        LOG.info("ingest: {} images listed ({} classes), {} partitions", refs.size(), classes.size(), partitions);

        CollectionAccumulator<String[]> quarantined = spark.sparkContext().collectionAccumulator("quarantine");
        CollectionAccumulator<String> absentFromMask = spark.sparkContext().collectionAccumulator("absent-from-mask");
        PhaseAccumulator phases = PhaseAccumulator.register(spark.sparkContext(), NAME);
        JavaRDD<Row> rows = ctx.jsc().parallelize(refs, partitions).mapPartitions(it -> {
            PhaseClock clock = new PhaseClock();
            return RowStream.map(it, ref -> {
                try {
                    Sample sample;
                    try (PhaseClock.Lap lap = clock.start("read and decode")) {
                        sample = rdr.load(ref, fs);
                    }
                    Row row;
                    try (PhaseClock.Lap lap = clock.start("manifest row")) {
                        row = ManifestSchema.toRow(sample, classes);
                    }
                    if (sample.labelsAbsentFromMask().length > 0) {
                        absentFromMask.add(describeAbsent(sample, classes));
                    }
                    return row;
                } catch (QuarantineException e) {
                    quarantined.add(new String[]{ref.imageId(), sourceOf(ref), e.reason()});
                } catch (RuntimeException e) {
                    // One image must never fail a dataset-sized job: whatever breaks on it is its reason.
                    quarantined.add(new String[]{ref.imageId(), sourceOf(ref), "unexpected error: " + e});
                }
                return null;
            }, () -> phases.add(clock));
        });
        long t0 = System.nanoTime();
        Dataset<Row> manifest = spark.createDataFrame(rows, ManifestSchema.MANIFEST);
        ProgressListener progress = ProgressListener.start(spark.sparkContext(), "ingest", partitions,
                refs.size(), s.get(Params.Runtime.PROGRESS_SECONDS));
        try (progress) {
            manifest.write().parquet(ctx.stagePath(NAME, "manifest"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        // Task retries may report an image twice: one row per image, as in the table.
        Map<String, String[]> badImages = new TreeMap<>();
        quarantined.value().forEach(q -> badImages.putIfAbsent(q[0], q));
        List<String[]> reported = new ArrayList<>(badImages.values());
        reported.addAll(rejectedIds);
        reported.addAll(unlabelledIds);
        reported.addAll(duplicateIds);
        reported.addAll(unmatchedPoints);
        reported.addAll(unmatchedBoxes);
        String quarantinePath = ctx.stagePath(NAME, "quarantine");
        int numQuarantined = QuarantineTable.write(spark, NAME, quarantinePath, reported);
        ctx.writeText(new org.apache.hadoop.fs.Path(ctx.stageDir(NAME), "classes.json"),
                MetricsJson.render(Map.of("classes", classes.names())));
        // Ids unusable as paths count as broken images; a repeated listing of a good image does not.
        List<String[]> broken = new ArrayList<>(badImages.values());
        broken.addAll(rejectedIds);
        checkQuarantinedFraction(s.get(Params.Ingest.MAX_QUARANTINED_FRACTION), refs.size() + rejectedIds.size(),
                broken, quarantinePath);

        // Task retries may report an image twice; the set keeps one line per image, sorted by id.
        SortedSet<String> absent = new TreeSet<>(absentFromMask.value());
        if (!absent.isEmpty()) {
            LOG.warn("{}: {} images have an annotation naming a class of which their mask has no pixel (the label is "
                    + "kept; check the annotation or the mask), e.g. {}", NAME, absent.size(),
                    String.join("; ", absent.stream().limit(5).toList()));
        }
        Map<String, Long> perSplit = QuarantineTable.imagesPerSplit(spark, ctx.stagePath(NAME, "manifest"));
        long ingested = perSplit.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("num_images", ingested);
        metrics.put("num_quarantined", (long) numQuarantined);
        metrics.put("images_per_split", perSplit);
        metrics.put("num_classes", classes.size());
        metrics.put(NUM_XML_CLASS_ABSENT_FROM_MASK, (long) absent.size());
        Map<String, Long> unlabelled = new TreeMap<>();
        unlabelledIds.forEach(u -> unlabelled.merge(u[2], 1L, Long::sum));
        metrics.put("num_listed_without_labels", (long) unlabelledIds.size());
        metrics.put("listed_without_labels", unlabelled);
        if (!unlabelledIds.isEmpty()) {
            LOG.warn("{}: {} listed training images have no positive tag and were left out (listed in the quarantine "
                    + "table): {}", NAME, unlabelledIds.size(), unlabelled);
        }
        metrics.put("read_seconds", seconds);
        metrics.put("images_per_second", refs.size() / Math.max(seconds, 1e-9));
        metrics.putAll(phases.value().split(progress.taskSeconds(), progress.taskCpuSeconds()));
        return metrics;
    }

    /**
     * Fails the stage (no marker: later stages will not run on it) when more than {@code max} of the listed images
     * were quarantined: that many broken files means a wrong root, format or class list more often than a bad disk.
     */
    static void checkQuarantinedFraction(double max, int listed, Collection<String[]> badImages, String table) {
        // A quotient, not bad <= max * listed: 0.29 * 100 rounds to 28.999..., while 29 / 100.0 is the double 0.29.
        if (badImages.isEmpty() || (double) badImages.size() / listed <= max) {
            return;
        }
        StringBuilder reasons = new StringBuilder();
        for (QuarantineReasons.Kind k : QuarantineReasons.commonest(badImages, 3)) {
            reasons.append("\n  ").append(k.images()).append(" x ").append(k.kind())
                    .append(" (e.g. ").append(k.exampleImageId()).append(')');
        }
        throw new IllegalStateException(String.format(Locale.ROOT,
                "ingest: %d of %d listed images (%.1f%%) were quarantined, more than %s = %s; the commonest "
                        + "reasons:%s\nEvery image and its reason: %s. Check dataset.root, dataset.format and "
                        + "dataset.classes, or raise %s.",
                badImages.size(), listed, 100.0 * badImages.size() / listed,
                Params.Ingest.MAX_QUARANTINED_FRACTION.key(), max, reasons, table,
                Params.Ingest.MAX_QUARANTINED_FRACTION.key()));
    }

    /** "id (names)": the image and the classes its annotation names that its mask lacks. */
    private static String describeAbsent(Sample sample, ClassList classes) {
        List<String> names = new ArrayList<>();
        for (int k : sample.labelsAbsentFromMask()) {
            names.add(classes.name(k));
        }
        return sample.imageId() + " (" + String.join(", ", names) + ")";
    }

    private static String sourceOf(SampleRef ref) {
        return ref.imagePath() != null ? ref.imagePath() : "synthetic:" + ref.syntheticIndex();
    }

    static int partitions(Settings s, int images, int parallelism) {
        int configured = s.get(Params.Ingest.PARTITIONS);
        if (configured > 0) {
            return configured;
        }
        int byCores = Math.max(1, parallelism * 4);
        int bySize = (images + 1999) / 2000;
        return Math.max(1, Math.min(Math.max(byCores, bySize), Math.max(images, 1)));
    }

    /** Reads the class list the ingest stage recorded (later stages use it instead of re-deriving it). */
    public static ClassList classes(JobContext ctx) throws Exception {
        ctx.requireComplete(NAME);
        Map<String, Object> m = MetricsJson.parse(
                ctx.readText(new org.apache.hadoop.fs.Path(ctx.stageDir(NAME), "classes.json")));
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) m.get("classes");
        return new ClassList(names);
    }
}
