package org.wsss.crf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CrfParamsTest {
    @Test
    void defaultsArePsaCrfInference() {
        CrfParams p = CrfParams.DEFAULTS;
        assertEquals(3.0, p.gaussianSxy());
        assertEquals(3.0, p.gaussianWeight());
        assertEquals(80.0, p.bilateralSxy());
        assertEquals(13.0, p.bilateralSrgb());
        assertEquals(10.0, p.bilateralWeight());
        assertEquals(10, p.iterations());
        assertEquals(1e-5, p.probFloor());
    }

    @Test
    void invalidValuesAreRejectedByName() {
        expectNamed("gaussianSxy", () -> new CrfParams(0, 3, 80, 13, 10, 10, 1e-5));
        expectNamed("gaussianWeight", () -> new CrfParams(3, -1, 80, 13, 10, 10, 1e-5));
        expectNamed("bilateralSxy", () -> new CrfParams(3, 3, Double.NaN, 13, 10, 10, 1e-5));
        expectNamed("bilateralSrgb", () -> new CrfParams(3, 3, 80, Double.POSITIVE_INFINITY, 10, 10, 1e-5));
        expectNamed("bilateralWeight", () -> new CrfParams(3, 3, 80, 13, Double.NaN, 10, 1e-5));
        expectNamed("iterations", () -> new CrfParams(3, 3, 80, 13, 10, -2, 1e-5));
        expectNamed("probFloor", () -> new CrfParams(3, 3, 80, 13, 10, 10, 0));
        expectNamed("probFloor", () -> new CrfParams(3, 3, 80, 13, 10, 10, 1));
    }

    @Test
    void withIterationsKeepsTheOtherParameters() {
        assertEquals(new CrfParams(3, 3, 80, 13, 10, 4, 1e-5), CrfParams.DEFAULTS.withIterations(4));
    }

    private static void expectNamed(String name, Supplier<CrfParams> make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make::get);
        assertTrue(e.getMessage().startsWith(name + " "), e.getMessage());
    }
}
