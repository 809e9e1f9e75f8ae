package org.wsss.irn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.wsss.nn.ParamFreeLayer;

/**
 * IRNet's affinity head: from a class-boundary map B [N, 1, h, w] (after its sigmoid) to the affinity of every
 * forward-half disc pair, flattened per image to [N, P*h*w] in (offset, y, x) order as {@code AffinityLayer} orders
 * psa's, so the same {@code AffinityLoss} trains it: a = 1 - max of B over the pair's path ({@link BoundaryPaths}).
 * The gradient of a pair reaches only the path cell holding the maximum.
 */
public class BoundaryAffinityLayer extends ParamFreeLayer {

    @JsonProperty("radius")
    private int radius;

    /** For JSON restore; irn's training radius 10. */
    public BoundaryAffinityLayer() {
        this.radius = 10;
    }

    public BoundaryAffinityLayer(int radius) {
        if (radius < 2) {
            throw new IllegalArgumentException("boundary affinity radius must be >= 2, got " + radius);
        }
        this.radius = radius;
    }

    public int getRadius() {
        return radius;
    }

    public void setRadius(int radius) {
        this.radius = radius;
    }

    @Override
    protected Layer newImpl(NeuralNetConfiguration conf, DataType networkDataType) {
        return new BoundaryAffinityLayerImpl(conf, networkDataType);
    }

    @Override
    protected long workingMemoryFactor() {
        return 2;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional conv = convolutional(layerIndex, inputType, "[N, 1, h, w]");
        return InputType.feedForward((long) BoundaryPaths.of(radius).size() * conv.getHeight() * conv.getWidth());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundaryAffinityLayer other && radius == other.radius
                && java.util.Objects.equals(getLayerName(), other.getLayerName());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(radius, getLayerName());
    }

    @Override
    public String toString() {
        return "BoundaryAffinityLayer(name=" + getLayerName() + ", radius=" + radius + ")";
    }
}
