package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * CMYK and YCCK JPEGs made by PIL and ImageMagick (resources org/wsss/data/cmyk, see make-fixtures.sh there, which
 * also checks that PIL decodes them to these colours): four solid 16x16 patches of known ink values, whose RGB is
 * (255 - C)(255 - K)/255 per channel, computed by hand.
 */
class CmykJpegTest {
    /** Patch centres and their colours: CMYK (0,255,255,0), (255,0,255,0), (0,0,0,128), (64,128,192,32). */
    private static final int[][] CENTRES = {{8, 8}, {24, 8}, {8, 24}, {24, 24}};
    private static final int[][] RGB = {{255, 0, 0}, {0, 255, 0}, {127, 127, 127}, {167, 111, 55}};

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = CmykJpegTest.class.getResourceAsStream("cmyk/" + name)) {
            return in.readAllBytes();
        }
    }

    private static void assertPatches(String name, int tolerance) throws Exception {
        DecodedImage d = ImageCodec.decode(fixture(name), name);
        assertEquals("jpeg", d.format());
        assertEquals(32, d.width());
        assertEquals(32, d.height());
        RgbImage img = d.image();
        for (int i = 0; i < CENTRES.length; i++) {
            int x = CENTRES[i][0];
            int y = CENTRES[i][1];
            int[] got = {img.r(x, y), img.g(x, y), img.b(x, y)};
            for (int c = 0; c < 3; c++) {
                assertTrue(Math.abs(got[c] - RGB[i][c]) <= tolerance, name + " patch " + i + " channel " + c
                        + ": got " + got[c] + ", want " + RGB[i][c]);
            }
        }
    }

    @Test
    void adobeInvertedCmykDecodesToTheInkColours() throws Exception {
        // javax.imageio's own conversion gives (187,187,187) for the 50% black patch.
        assertPatches("cmyk.jpg", 2);
    }

    @Test
    void ycckDecodesToTheInkColours() throws Exception {
        assertPatches("ycck.jpg", 2);
    }

    @Test
    void ycckWithSubsampledChromaDecodesToTheInkColours() throws Exception {
        assertPatches("ycck-2x2.jpg", 3);
    }

    @Test
    void aFourComponentJpegWithTheYCbCrTransformIsQuarantined() throws Exception {
        byte[] jpeg = fixture("cmyk.jpg");
        int adobe = new String(jpeg, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("Adobe");
        jpeg[adobe + 11] = 1; // "Adobe", version, flags0, flags1, transform
        QuarantineException e = assertThrows(QuarantineException.class, () -> ImageCodec.decode(jpeg, "t1.jpg"));
        assertEquals("four-component JPEG with Adobe transform 1 is neither CMYK (0) nor YCCK (2): t1.jpg",
                e.reason());
    }
}
