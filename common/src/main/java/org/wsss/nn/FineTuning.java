package org.wsss.nn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Fine-tuning switches applied to a built network before its training starts. */
public final class FineTuning {
    private FineTuning() {
    }

    /**
     * The same network, parameters included, with every batch norm a {@link FrozenBatchNorm}; call before training
     * starts (updater state is not carried over). A network without batch norms comes back unchanged.
     */
    public static ComputationGraph freezeBatchNorm(ComputationGraph net) {
        ComputationGraphConfiguration conf = net.getConfiguration().clone();
        int frozen = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNormalization bn
                    && !(bn instanceof FrozenBatchNorm)) {
                lv.getLayerConf().setLayer(FrozenBatchNorm.of(bn));
                frozen++;
            }
        }
        if (frozen == 0) {
            return net;
        }
        ComputationGraph out = new ComputationGraph(conf);
        out.init(net.params().dup(), false);
        return out;
    }

    /** How many batch norms of {@code net} are frozen. */
    public static int frozenBatchNorms(ComputationGraph net) {
        int n = 0;
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof FrozenBatchNorm) {
                n++;
            }
        }
        return n;
    }
}
