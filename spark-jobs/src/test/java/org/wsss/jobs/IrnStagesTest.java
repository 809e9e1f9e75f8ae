package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;

class IrnStagesTest {

    private static Settings settings(String... overrides) {
        return ConfigLoader.load(List.of(), List.of(overrides));
    }

    @Test
    void irnReadsTheTrainedClassifierInTrainingAndInTheWalk() {
        Settings irn = settings("affinity.method=irn");
        assertEquals(List.of(IngestJob.NAME, MakeAffinityLabelsJob.NAME, TrainClassifierJob.NAME),
                new TrainAffinityJob().inputs(irn));
        assertEquals(List.of(IngestJob.NAME, MakeCamsJob.NAME, TrainAffinityJob.NAME, TrainClassifierJob.NAME),
                new RandomWalkJob().inputs(irn));
        Settings psa = settings();
        assertEquals(List.of(IngestJob.NAME, MakeAffinityLabelsJob.NAME), new TrainAffinityJob().inputs(psa));
        assertEquals(List.of(IngestJob.NAME, MakeCamsJob.NAME, TrainAffinityJob.NAME), new RandomWalkJob().inputs(psa));
    }

    @Test
    void irnNeedsItsConfidentRegionsAtStrideFour() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainAffinityJob().validate(
                settings("affinity.method=irn", "affinity.output-stride=8")));
        assertEquals("affinity.method = irn predicts at stride 4: it needs affinity.output-stride = 4 (the grid of "
                + "its confident-region labels), got 8", e.getMessage());
        new TrainAffinityJob().validate(settings("affinity.method=psa", "affinity.output-stride=8"));
    }
}
