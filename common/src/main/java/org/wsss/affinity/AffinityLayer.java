package org.wsss.affinity;

import org.wsss.nn.ParamFreeLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Configuration of AffinityNet's parameter-free head: from a feature map F [N, D, h, w] (NCHW) to the affinity of
 * every forward-half disc pair (see {@link DiscOffsets#forwardHalf(int)}), flattened per image to [N, P*h*w] in
 * (offset, y, x) order: out[n, (p*h + y)*w + x] = exp(-mean_d |F[n,d,y,x] - F[n,d,y+dy_p,x+dx_p]|), 0 where the
 * target is off the grid (such pairs are always labelled dropped).
 *
 * <p>The output is flat, not [N, P, h, w], so that a {@code LossLayer} after it sees one row per image and
 * {@link AffinityLoss} can take psa's minibatch-wide subset means under DL4J's per-example score convention.
 * Forward and backward are written out ({@link AffinityLayerImpl}) rather than left to SameDiff: DL4J 1.0.0-M2.1's
 * SameDiff layers return twice the true gradient with respect to their input (measured against finite
 * differences), and the explicit form takes any grid size per minibatch.
 */
public class AffinityLayer extends ParamFreeLayer {

    @JsonProperty("radius")
    private int radius;

    /** For JSON restore; psa's radius 5. */
    public AffinityLayer() {
        this.radius = 5;
    }

    public AffinityLayer(int radius) {
        if (radius < 2) {
            throw new IllegalArgumentException("affinity radius must be >= 2 (a disc with neighbours), got " + radius);
        }
        this.radius = radius;
    }

    public int getRadius() {
        return radius;
    }

    public void setRadius(int radius) {
        this.radius = radius;
    }

    /** P, the number of forward offsets: the planes per image in the output. */
    public int offsetCount() {
        return DiscOffsets.forwardHalf(radius).size();
    }

    @Override
    protected Layer newImpl(NeuralNetConfiguration conf, DataType networkDataType) {
        return new AffinityLayerImpl(conf, networkDataType);
    }

    @Override
    protected long workingMemoryFactor() {
        return 2;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional conv = convolutional(layerIndex, inputType, "[N, D, h, w]");
        return InputType.feedForward((long) offsetCount() * conv.getHeight() * conv.getWidth());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AffinityLayer other && radius == other.radius
                && java.util.Objects.equals(getLayerName(), other.getLayerName());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(radius, getLayerName());
    }

    @Override
    public String toString() {
        return "AffinityLayer(name=" + getLayerName() + ", radius=" + radius + ")";
    }
}
