package org.wsss.nn;

import java.io.Serializable;
import java.util.Locale;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * Optimiser settings baked into a network configuration when it is built (DL4J keeps the updater per
 * layer). The classifier head gets {@code learningRate * headLrMultiplier}, as in psa/irn and PDML where
 * the new layers train at 10x the backbone's rate. Plain values, so it round-trips through JSON.
 *
 * @param optimizer "sgd" (Nesterov momentum) or "adam"
 * @param learningRate base learning rate of the backbone layers
 * @param momentum Nesterov momentum for "sgd"; ignored for "adam"
 * @param weightDecay decoupled from the loss, applied to weights (not biases or batch-norm parameters)
 * @param headLrMultiplier learning-rate factor of the head layers
 */
public record TrainingHyper(String optimizer, double learningRate, double momentum, double weightDecay,
                            double headLrMultiplier) implements Serializable {

    public TrainingHyper {
        if (optimizer == null || !(optimizer.equals("sgd") || optimizer.equals("adam"))) {
            throw new IllegalArgumentException("optimizer must be \"sgd\" or \"adam\", got " + optimizer);
        }
        requirePositive("learningRate", learningRate);
        requirePositive("headLrMultiplier", headLrMultiplier);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
    }

    /** The small net trains from scratch: Adam learns the synthetic data far faster than SGD there. */
    public static TrainingHyper smallNetDefaults() {
        return new TrainingHyper("adam", 1e-3, 0.9, 1e-4, 1.0);
    }

    /** psa/irn fine-tuning defaults: SGD lr 0.01, momentum 0.9, weight decay 5e-4, head at 10x. */
    public static TrainingHyper resnetDefaults() {
        return new TrainingHyper("sgd", 0.01, 0.9, 5e-4, 10.0);
    }

    public IUpdater backboneUpdater() {
        return updater(learningRate);
    }

    public IUpdater headUpdater() {
        return updater(learningRate * headLrMultiplier);
    }

    private IUpdater updater(double lr) {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> new Adam(lr);
            default -> new Nesterovs(lr, momentum);
        };
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
        }
    }
}
