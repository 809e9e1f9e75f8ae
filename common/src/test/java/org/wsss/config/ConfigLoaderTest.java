package org.wsss.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ConfigLoaderTest {

    @Test
    void defaultsAreTheDeclaredOnes() {
        Settings s = Settings.defaults();
        assertEquals("synthetic", s.get(Params.Dataset.FORMAT));
        assertEquals(List.of("train", "val"), s.get(Params.Dataset.SPLITS));
        for (Param<?> p : Params.all()) {
            assertEquals(p.defaultValue(), s.get(p), p.key());
        }
    }

    /** The shipped overlays load and validate; the cluster one keeps label maps in Parquet only. */
    @Test
    void theShippedOverlaysLoadAndTheClusterOneWritesNoPerImageFiles() {
        Path conf = Path.of(System.getProperty("user.dir")).resolve("../conf").normalize();
        Settings local = ConfigLoader.load(List.of(conf.resolve("local.conf").toString()), List.of());
        assertTrue(local.get(Params.Walk.WRITE_PNG), "local runs keep the PNGs beside the table");
        Settings cluster = ConfigLoader.load(List.of(conf.resolve("cluster.conf").toString()), List.of());
        assertFalse(cluster.get(Params.Walk.WRITE_PNG));
        assertFalse(cluster.get(Params.Predict.WRITE_PNG));
        assertEquals("resnet50", cluster.get(Params.Classifier.NETWORK));
    }

    @Test
    void laterSourcesWin(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.conf"), "dataset.synthetic { size = 64, count = 10 }\n");
        Path b = Files.writeString(dir.resolve("b.conf"), "dataset.synthetic.count = 20\n");
        Settings s = ConfigLoader.load(List.of(a.toString(), b.toString()), List.of("dataset.synthetic.size=96"));
        assertEquals(96, s.get(Params.Synthetic.SIZE));
        assertEquals(20, s.get(Params.Synthetic.COUNT));
    }

    @Test
    void setParsesListsAndKeepsUrisVerbatim() {
        Settings s = ConfigLoader.load(List.of(), List.of("dataset.format=voc",
                "dataset.root=hdfs://namenode:8020/data/voc", "dataset.classes=[cat, dog, \"potted plant\"]"));
        assertEquals("hdfs://namenode:8020/data/voc", s.get(Params.Dataset.ROOT));
        assertEquals(List.of("cat", "dog", "potted plant"), s.get(Params.Dataset.CLASSES));
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.formt=voc")));
        assertTrue(e.getMessage().contains("'dataset.formt'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'dataset.format'"), e.getMessage());
    }

    @Test
    void unknownKeyInAFileNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.conf"), "ingest {\n  partitons = 4\n}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(f.toString()), List.of()));
        assertTrue(e.getMessage().contains("ingest.partitons"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.conf"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.synthetic.size=big")));
        assertTrue(e.getMessage().contains("'dataset.synthetic.size'"), e.getMessage());
        assertTrue(e.getMessage().contains("big"), e.getMessage());
        assertTrue(e.getMessage().contains("an integer"), e.getMessage());
    }

    @Test
    void outOfRangeNamesKeyValueAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.synthetic.val-fraction=1.5")));
        assertTrue(e.getMessage().contains("'dataset.synthetic.val-fraction'"), e.getMessage());
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertTrue(e.getMessage().contains("[0.0, 1.0]"), e.getMessage());
    }

    @Test
    void enumValueOutsideTheChoicesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.format=coco")));
        assertTrue(e.getMessage().contains("coco"), e.getMessage());
        assertTrue(e.getMessage().contains("[synthetic, voc, lid]"), e.getMessage());
    }

    @Test
    void badCombinationIsAnIllegalState() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.format=voc")));
        assertTrue(e.getMessage().contains("dataset.root"), e.getMessage());
    }

    @Test
    void missingConfFileIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of("/no/such/file.conf"), List.of()));
        assertTrue(e.getMessage().contains("/no/such/file.conf"), e.getMessage());
    }

    @Test
    void malformedSetIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(List.of(), List.of("no-equals-sign")));
        assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.classes=[unclosed")));
    }

    @Test
    void fingerprintChangesWithRelevantKeysOnly() {
        Settings a = ConfigLoader.load(List.of(), List.of("dataset.synthetic.count=10"));
        Settings b = ConfigLoader.load(List.of(), List.of("dataset.synthetic.count=11"));
        Settings c = ConfigLoader.load(List.of(), List.of("dataset.synthetic.count=10", "runtime.progress-seconds=3"));
        assertNotEquals(a.fingerprint(List.of("dataset")), b.fingerprint(List.of("dataset")));
        assertEquals(a.fingerprint(List.of("dataset")), c.fingerprint(List.of("dataset")));
    }

    @Test
    void editDistanceHandCases() {
        assertEquals(0, ConfigLoader.editDistance("abc", "abc"));
        assertEquals(1, ConfigLoader.editDistance("format", "formt"));
        assertEquals(3, ConfigLoader.editDistance("kitten", "sitting"));
    }

    @Test
    void aFractionForAnIntegerKeyIsRejectedNotTruncated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("classifier.epochs=1.5")));
        assertTrue(e.getMessage().startsWith("config key 'classifier.epochs' has value \"1.5\" (from --set classifier.epochs)"), e.getMessage());
        assertTrue(e.getMessage().contains("which is not an integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("train.seed=2.5")));
        assertTrue(e.getMessage().startsWith("config key 'train.seed' has value \"2.5\""), e.getMessage());
        assertEquals(2, (int) ConfigLoader.load(List.of(), List.of("classifier.epochs=2.0"))
                .get(Params.Classifier.EPOCHS), "an integral number is an integer");
    }

    @Test
    void anEvenExtensionWindowIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("train.extension-window=4")));
        assertTrue(e.getMessage().startsWith("config key 'train.extension-window' has value \"4\""), e.getMessage());
        assertTrue(e.getMessage().endsWith("which is out of range: must be odd, in [1, 255]"), e.getMessage());
        assertEquals(7, (int) ConfigLoader.load(List.of(), List.of("train.extension-window=7"))
                .get(Params.Train.EXTENSION_WINDOW));
    }

    @Test
    void localMasterMustBeOneSparkAccepts() {
        for (String bad : new String[]{"local[0]", "local[-1]", "local[]", "lokal[2]", "local[2,0]", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConfigLoader.load(List.of(), List.of("runtime.local-master=\"" + bad + "\"")), bad);
            assertTrue(e.getMessage().startsWith("config key 'runtime.local-master' has value \"" + bad + "\""),
                    e.getMessage());
            assertTrue(e.getMessage().contains("must be local, local[N], local[*]"), e.getMessage());
        }
        for (String good : new String[]{"local", "local[1]", "local[16]", "local[*]", "local[4,3]", "local[*,2]",
                "local-cluster[2,1,1024]", "spark://host:7077", "k8s://https://h:6443", "yarn"}) {
            assertEquals(good, ConfigLoader.load(List.of(), List.of("runtime.local-master=\"" + good + "\""))
                    .get(Params.Runtime.LOCAL_MASTER));
        }
    }

    @Test
    void aSplitListedTwiceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigLoader.load(List.of(), List.of("dataset.splits=[train, train]")));
        assertTrue(e.getMessage().startsWith("config key 'dataset.splits' has value [\"train\",\"train\"]"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("must be a non-empty list of [train, val, test], each at most once"),
                e.getMessage());
    }
}
