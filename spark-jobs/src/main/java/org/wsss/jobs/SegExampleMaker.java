package org.wsss.jobs;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.wsss.data.ImageCodec;
import org.wsss.data.LabelMask;
import org.wsss.data.RgbImage;
import org.wsss.nn.InputNorm;
import org.wsss.seg.SegExamples;
import org.wsss.seg.TrainingMethod;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * One worker's share of train-segmentation's epoch as single-example MultiDataSets, flips seeded by position, labelled
 * as the training method takes them.
 */
record SegExampleMaker(int inputSize, int stride, boolean triplet, double minScale, double maxScale, long seed,
                       int epoch, InputNorm norm, TrainingMethod method) implements Serializable {

    Iterator<MultiDataSet> make(Iterator<Tuple2<Long, TrainSegmentationJob.TrainingImage>> it) throws Exception {
        method.startWorkerShare();
        List<MultiDataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            Tuple2<Long, TrainSegmentationJob.TrainingImage> t = it.next();
            TrainSegmentationJob.TrainingImage item = t._2();
            RgbImage img = ImageCodec.decodeRgb(item.image());
            LabelMask pseudo = item.pseudoLabel() != null ? ImageCodec.decodeMask(item.pseudoLabel(), item.imageId())
                    : method.labelsFromImage() ? new LabelMask(img.width(), img.height(),
                    new byte[img.width() * img.height()]) : null;
            Random rnd = new Random(seed * 1_000_003L + epoch * 7_777L + t._1());
            boolean flip = rnd.nextBoolean();
            SegExamples.Rescale rescale = new SegExamples.Rescale(minScale + (maxScale - minScale) * rnd.nextDouble(),
                    rnd.nextDouble(), rnd.nextDouble());
            out.add(method.labels(SegExamples.example(img, pseudo, SegExamples.unpackPoints(item.points()),
                    item.extension(), inputSize, stride, flip, triplet, rescale, norm), item.labels()));
        }
        return out.iterator();
    }

    static byte[] extension(ComputationGraph net, InputNorm norm, TrainSegmentationJob.TrainingImage item,
                            int inputSize, double threshold, int window) {
        return SegExamples.extension(net, ImageCodec.decodeRgb(item.image()), item.labels(),
                SegExamples.unpackPoints(item.points()), inputSize, threshold, window, norm);
    }
}
