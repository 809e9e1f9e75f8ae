package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import org.wsss.segsort.SpmlLoss;
import org.wsss.segsort.SpmlTerms;

class SpmlPresetTest {

    private static Settings settings(String... overrides) {
        return ConfigLoader.load(List.of(), List.of(overrides));
    }

    private static SpmlTerms terms(double annK, double annW, double occK, double occW, double simK, double simW) {
        return new SpmlTerms(new SpmlLoss.Term(annK, annW), new SpmlLoss.Term(occK, occW),
                new SpmlLoss.Term(simK, simW), new SpmlLoss.Term(12, 0), 0.95);
    }

    @Test
    void eachLabelFormTakesThePublicCodesVocSettings() {
        // bashscripts/voc12/train_spml_{tag,box,scribble,point}.sh of twke18/SPML
        SpmlTerms tags = terms(6, 0.3, 8, 0.3, 16, 0.1);
        assertEquals(tags, TrainSegmentationJob.spmlTerms(settings("train.method=spml")));
        assertEquals(tags, TrainSegmentationJob.spmlTerms(settings("train.method=spml", "train.supervision=tags")));
        assertEquals(tags, TrainSegmentationJob.spmlTerms(settings("train.method=spml", "train.supervision=boxes")));
        assertEquals(terms(6, 1.0, 12, 0.5, 16, 0.1),
                TrainSegmentationJob.spmlTerms(settings("train.method=spml", "train.supervision=scribbles")));
        assertEquals(terms(6, 0.1, 8, 0.1, 16, 0.1),
                TrainSegmentationJob.spmlTerms(settings("train.method=spml", "train.supervision=points")));
        assertEquals(terms(6, 1.0, 12, 0.5, 16, 0.1), TrainSegmentationJob.spmlTerms(
                settings("train.method=spml", "train.supervision=points", "spml.preset=scribbles")));
    }

    @Test
    void theTermKeysAreReadOnlyUnderTheKeysPreset() {
        Settings keys = settings("train.method=spml", "spml.preset=keys", "spml.affinity-weight=0.5",
                "spml.affinity-threshold=0.9", "spml.annotation-weight=2");
        assertEquals(new SpmlTerms(new SpmlLoss.Term(6, 2), new SpmlLoss.Term(8, 0.3), new SpmlLoss.Term(16, 0.1),
                new SpmlLoss.Term(12, 0.5), 0.9), TrainSegmentationJob.spmlTerms(keys));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainSegmentationJob().validate(
                settings("train.method=spml", "train.supervision=scribbles", "spml.affinity-weight=0.5")));
        assertEquals("spml.affinity-weight = 0.5 is read only with spml.preset = keys, but spml.preset = "
                + "by-supervision", e.getMessage());
    }
}
