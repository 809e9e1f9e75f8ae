package org.wsss.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.wsss.config.ConfigLoader;
import org.wsss.crf.CrfParams;

class PredictCrfPresetTest {

    @Test
    void theSpmlPresetIsSpmlsPublishedCrfAndPsasFollowsTheCrfKeys() {
        assertEquals(new CrfParams(1, 3, 67, 3, 4, 10, 1e-5),
                PredictJob.crfParams(ConfigLoader.load(List.of(), List.of("predict.crf-preset=spml"))));
        assertEquals(new CrfParams(2, 3, 50, 13, 10, 5, CrfParams.DEFAULTS.probFloor()),
                PredictJob.crfParams(ConfigLoader.load(List.of(), List.of("crf.gaussian-sxy=2",
                        "crf.bilateral-sxy=50", "crf.iterations=5"))));
    }
}
