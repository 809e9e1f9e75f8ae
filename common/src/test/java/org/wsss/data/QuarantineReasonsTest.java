package org.wsss.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuarantineReasonsTest {

    @Test
    void kindDropsPathsImageIdsAndNumbersButKeepsLabels() {
        assertEquals("truncated JPEG (no end-of-image marker): <path>",
                QuarantineReasons.kindOf("a", "truncated JPEG (no end-of-image marker): file:/data/JPEGImages/a.jpg"));
        assertEquals("mask NxN vs image NxN: <path>",
                QuarantineReasons.kindOf("b", "mask 41x30 vs image 40x30: hdfs://nn/voc/SegmentationClass/b.png"));
        assertEquals("label 'zebra' in <path> is not in dataset.classes",
                QuarantineReasons.kindOf("z", "label 'zebra' in /d/Annotations/z.xml is not in dataset.classes"));
        assertEquals("point (N,N) of image <image> in dataset.points is outside the NxN image <path>",
                QuarantineReasons.kindOf("2007_000032", "point (120,88) of image 2007_000032 in dataset.points is "
                        + "outside the 100x80 image s3a://b/JPEGImages/2007_000032.jpg"));
        assertEquals("cannot decode JPEG <path>: Unsupported Image Type",
                QuarantineReasons.kindOf("c", "cannot decode JPEG /d/c.jpg: Unsupported Image Type"));
    }

    @Test
    void commonestCountsImagesPerKindMostFirstTiesByKind() {
        List<String[]> rows = List.of(
                new String[]{"m2", "s", "listed image is missing: /d/m2.jpg"},
                new String[]{"t1", "s", "truncated PNG (no IEND chunk): /d/t1.png"},
                new String[]{"m1", "s", "listed image is missing: /d/m1.jpg"},
                new String[]{"t2", "s", "truncated PNG (no IEND chunk): /d/t2.png"},
                new String[]{"m3", "s", "listed image is missing: /d/m3.jpg"},
                new String[]{"e1", "s", "empty file: /d/e1.jpg"},
                new String[]{"x1", "s", "not a JPEG or PNG image: /d/x1.gif"});
        assertEquals(List.of(
                        new QuarantineReasons.Kind("listed image is missing: <path>", 3, "m1"),
                        new QuarantineReasons.Kind("truncated PNG (no IEND chunk): <path>", 2, "t1"),
                        new QuarantineReasons.Kind("empty file: <path>", 1, "e1")),
                QuarantineReasons.commonest(rows, 3));
        assertEquals(List.of(), QuarantineReasons.commonest(List.of(), 3));
        assertEquals(1, QuarantineReasons.commonest(rows, 1).size());
    }
}
