package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.data.ClassList;

/**
 * NoPeopleAllowed's separate model for an excluded class: a run trained on that class alone
 * (classifier.only-classes) supplies its CAMs to the main run, whose classifier leaves it out.
 */
class ExcludedClassModelTest {

    private static final List<String> SMALL = List.of("dataset.synthetic.count=24", "dataset.synthetic.size=48",
            "classifier.epochs=1", "classifier.input-size=48", "classifier.batch-size=8", "cam.scales=[1.0]",
            "cam.flip=false", "cam.sample-heatmaps=0");

    private static Settings settings(String... more) {
        List<String> all = new ArrayList<>(SMALL);
        all.addAll(List.of(more));
        return ConfigLoader.load(List.of(), all);
    }

    @Test
    void onlyClassesExcludesEveryOtherClassAndTheTwoKeysExcludeEachOther() {
        ClassList classes = new ClassList(List.of("a", "b", "c"));
        assertEquals(java.util.Set.of(1, 3), TrainClassifierJob.excludedClasses(settings(
                "classifier.only-classes=[b]"), classes));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TrainClassifierJob.excludedClasses(
                settings("classifier.only-classes=[b]", "classifier.exclude-classes=[a]"), classes));
        assertEquals("classifier.only-classes = [b] and classifier.exclude-classes = [a] exclude each other: set one",
                e.getMessage());
        IllegalStateException alone = assertThrows(IllegalStateException.class, () -> new MakeCamsJob().validate(
                settings("cam.excluded-class-model=/x/model.zip")));
        assertTrue(alone.getMessage().startsWith("cam.excluded-class-model = /x/model.zip supplies"), alone.getMessage());
    }

    @Test
    void theExcludedClassTakesItsMapsFromItsOwnModel(@TempDir Path dir) throws Exception {
        Path person = dir.resolve("only-disc");
        try (JobContext ctx = new JobContext(settings("classifier.only-classes=[disc]"), person.toString(),
                SparkTestSession.get())) {
            PipelineJob.run(ctx, null, TrainClassifierJob.NAME);
        }
        Path main = dir.resolve("main");
        String model = person.resolve("train-classifier/model.zip").toString();
        try (JobContext ctx = new JobContext(settings("classifier.exclude-classes=[disc]"), main.toString(),
                SparkTestSession.get())) {
            PipelineJob.run(ctx, null, MakeCamsJob.NAME);
        }
        Path withModel = dir.resolve("main-with-model");
        try (JobContext ctx = new JobContext(settings("classifier.exclude-classes=[disc]",
                "cam.excluded-class-model=" + model), withModel.toString(), SparkTestSession.get())) {
            PipelineJob.run(ctx, null, MakeCamsJob.NAME);
        }
        int tagged = 0;
        for (Path run : List.of(main, withModel)) {
            List<Row> manifest = SparkTestSession.get().read().parquet(run.resolve("ingest/manifest").toString())
                    .select("image_id", "labels").collectAsList();
            java.util.Map<String, List<Integer>> labels = new java.util.HashMap<>();
            for (Row r : manifest) {
                labels.put(r.getString(0), r.getList(1));
            }
            for (Row r : SparkTestSession.get().read().parquet(run.resolve("make-cams/cams").toString())
                    .select("image_id", "classes", "excluded_classes").collectAsList()) {
                boolean hasDisc = labels.get(r.getString(0)).contains(1);
                List<Integer> classes = r.getList(1);
                List<Integer> excluded = r.getList(2);
                if (run == main) {
                    assertTrue(!classes.contains(1), r.getString(0) + ": no disc map without its model");
                    assertEquals(hasDisc, excluded.contains(1), r.getString(0));
                    tagged += hasDisc ? 1 : 0;
                } else {
                    assertEquals(hasDisc, classes.contains(1), r.getString(0) + ": the disc map from its own model");
                    assertTrue(excluded.isEmpty(), r.getString(0) + ": nothing left without a map");
                }
            }
        }
        assertTrue(tagged > 0, "some images are tagged disc");
    }
}
