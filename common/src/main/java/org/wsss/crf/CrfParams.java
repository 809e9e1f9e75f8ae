package org.wsss.crf;

/**
 * Parameters of the fully-connected CRF (Kraehenbuehl &amp; Koltun 2011) with Potts compatibility.
 * Defaults are psa's {@code crf_inference}: gaussian sxy 3 weight 3, bilateral sxy 80 srgb 13 weight 10,
 * 10 mean-field iterations, unary = -log(clip(prob, 1e-5, 1)) as pydensecrf's {@code unary_from_softmax}.
 *
 * @param gaussianSxy     spatial standard deviation (pixels) of the appearance-free smoothness kernel
 * @param gaussianWeight  Potts weight of the smoothness kernel (0 switches it off)
 * @param bilateralSxy    spatial standard deviation (pixels) of the appearance kernel
 * @param bilateralSrgb   colour standard deviation (0..255 intensity units) of the appearance kernel
 * @param bilateralWeight Potts weight of the appearance kernel (0 switches it off)
 * @param iterations      mean-field iterations
 * @param probFloor       probabilities are clamped to [probFloor, 1] before taking -log
 */
public record CrfParams(double gaussianSxy, double gaussianWeight, double bilateralSxy, double bilateralSrgb,
                        double bilateralWeight, int iterations, double probFloor) implements java.io.Serializable {

    public static final CrfParams DEFAULTS = new CrfParams(3, 3, 80, 13, 10, 10, 1e-5);

    /**
     * SPML's dense CRF after its inference (the public code's settings): 10 iterations, positional kernel weight 3
     * at 1 px, bilateral kernel weight 4 at 67 px and 3 intensity levels.
     */
    public static final CrfParams SPML = new CrfParams(1, 3, 67, 3, 4, 10, 1e-5);

    public CrfParams {
        requirePositive("gaussianSxy", gaussianSxy);
        requireNonNegative("gaussianWeight", gaussianWeight);
        requirePositive("bilateralSxy", bilateralSxy);
        requirePositive("bilateralSrgb", bilateralSrgb);
        requireNonNegative("bilateralWeight", bilateralWeight);
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (!(probFloor > 0 && probFloor < 1)) {
            throw new IllegalArgumentException("probFloor must be in (0, 1), got " + probFloor);
        }
    }

    public CrfParams withIterations(int newIterations) {
        return new CrfParams(gaussianSxy, gaussianWeight, bilateralSxy, bilateralSrgb, bilateralWeight,
                newIterations, probFloor);
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
    }

    private static void requireNonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}
