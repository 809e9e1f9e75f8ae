package org.wsss.affinity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LabelCoverageTest {

    private static byte[] cells(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void aTagCountsAsCoveredOnlyWhenOneOfItsCellsIsConfident() {
        // tags 3, 7 and 200: 3 has a cell, 7 appears nowhere, 200 has one (as an unsigned byte); 255 is ignore
        LabelCoverage c = LabelCoverage.of(cells(0, 3, 255, 200, 0), new int[] {3, 7, 200});
        assertEquals(3, c.taggedClasses());
        assertEquals(1, c.taggedClassesWithoutCells());
        assertEquals(1.0 / 3, c.missingFraction(), 1e-12);
    }

    @Test
    void sumsOverImagesAndWarnsOnlyOverTheAllowedFraction() {
        LabelCoverage a = LabelCoverage.of(cells(0, 0, 255), new int[] {1, 2}); // both tags lost
        LabelCoverage b = LabelCoverage.of(cells(1, 2), new int[] {1, 2});       // both kept
        LabelCoverage sum = a.plus(b);
        assertEquals(new LabelCoverage(4, 2), sum);
        assertFalse(sum.collapsed(0.5), "2 of 4 is not over half");
        assertTrue(sum.collapsed(0.49));
        assertTrue(sum.message(0.49).startsWith("affinity.labels-collapse: 2 of 4 tagged classes (50.0%"),
                sum.message(0.49));
        assertEquals(Boolean.TRUE, sum.toMap(0.49).get("collapsed"));
    }

    @Test
    void noTagsIsNoCollapseAndBadIndicesAreRefused() {
        assertEquals(0.0, LabelCoverage.NONE.missingFraction());
        assertFalse(LabelCoverage.NONE.collapsed(0.0));
        assertThrows(IllegalArgumentException.class, () -> LabelCoverage.of(cells(0), new int[] {255}));
        assertThrows(IllegalArgumentException.class, () -> new LabelCoverage(1, 2));
    }
}
