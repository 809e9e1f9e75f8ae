package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.data.LabelMask;
import org.wsss.metrics.InstanceAp;
import org.wsss.metrics.MetricsJson;

class IrnInstancesTest {

    @Test
    void groundTruthInstancesTakeTheirPixelsCommonestClass() {
        // a 1x6 image: instance 1 on pixels 0-1 (class 2), instance 2 on 3-5 (class 3, one pixel marked 1),
        // pixel 2 ignore
        LabelMask instances = new LabelMask(6, 1, new byte[]{1, 1, (byte) 255, 2, 2, 2});
        LabelMask classes = new LabelMask(6, 1, new byte[]{2, 2, (byte) 255, 3, 1, 3});
        List<InstanceAp.Instance> truth = MakeInstancesJob.groundTruth(instances, classes);
        assertEquals(2, truth.size());
        assertEquals(2, truth.get(0).classIndex());
        assertArrayEquals(new boolean[]{true, true, false, false, false, false}, truth.get(0).mask());
        assertEquals(3, truth.get(1).classIndex());
        assertArrayEquals(new boolean[]{false, false, false, true, true, true}, truth.get(1).mask());
    }

    @Test
    void irnetsInstanceMasksAreScoredAgainstTheSyntheticInstances(@TempDir Path run) throws Exception {
        Settings s = ConfigLoader.load(List.of(), List.of("dataset.synthetic.count=24", "dataset.synthetic.size=48",
                "classifier.epochs=1", "classifier.input-size=48", "classifier.batch-size=8", "cam.scales=[1.0]",
                "cam.flip=false", "cam.sample-heatmaps=0", "affinity.method=irn", "affinity.input-size=48",
                "affinity.batch-size=4", "irn.epochs=1", "irn.steps=8", "walk.write-png=false"));
        try (JobContext ctx = new JobContext(s, run.toString(), SparkTestSession.get())) {
            PipelineJob.run(ctx, null, MakeInstancesJob.NAME);
        }
        Map<String, Object> m = MetricsJson.parse(Files.readString(run.resolve("make-instances/metrics.json")));
        assertEquals(24L, ((Number) m.get("num_images")).longValue());
        assertEquals(24L, ((Number) m.get("num_images_with_instance_ground_truth")).longValue(),
                "every synthetic scene carries its instances");
        double ap = ((Number) m.get("instance_ap50")).doubleValue();
        assertTrue(ap >= 0 && ap <= 1, "AP " + ap);
        List<Row> rows = SparkTestSession.get().read().parquet(run.resolve("make-instances/instances").toString())
                .collectAsList();
        long truePositives = 0;
        long truth = 0;
        for (Row r : rows) {
            truth += r.getList(r.fieldIndex("gt_instances")).size();
            for (Row i : r.<Row>getList(r.fieldIndex("instances"))) {
                truePositives += i.getBoolean(i.fieldIndex("true_positive")) ? 1 : 0;
            }
        }
        assertTrue(truth > 0 && truePositives <= truth, truePositives + " matches of " + truth + " instances");
        System.out.printf("IrnInstancesTest: %d instances found, %d of %d ground-truth instances matched, AP50 %.3f%n",
                ((Number) m.get("num_instances")).longValue(), truePositives, truth, ap);
    }
}
