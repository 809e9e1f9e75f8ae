package org.wsss.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** ingest.max-pixels: an image or mask is refused from the size its header declares, before any pixel is decoded. */
class PixelBombTest {

    @Test
    void pngDeclaring30000x30000IsRefusedFromItsHeaderNamingSizeAndKey() {
        // 30000 x 30000 x 3 bytes does not fit a Java array: decoding it would fail with some other error or OOM.
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decode(TestImages.pngDeclaring(30000, 30000, true), "/d/bomb.png", 100_000_000L));
        assertEquals("image PNG declares 30000x30000 = 900000000 pixels, more than ingest.max-pixels = 100000000 "
                + "(not decoded): /d/bomb.png", e.reason());
    }

    @Test
    void jpegIsCheckedOnItsFrameHeader() {
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decode(TestImages.jpegDeclaring(12000, 10000), "/d/big.jpg", 100_000_000L));
        assertEquals("image JPEG declares 12000x10000 = 120000000 pixels, more than ingest.max-pixels = 100000000 "
                + "(not decoded): /d/big.jpg", e.reason());
    }

    @Test
    void maskIsCheckedToo() {
        // 8-bit grey: 900 MB if decoded, which a test JVM would try to allocate.
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decodeMask(TestImages.pngDeclaring(30000, 30000, false), "/d/m.png", 100_000_000L));
        assertEquals("mask PNG declares 30000x30000 = 900000000 pixels, more than ingest.max-pixels = 100000000 "
                + "(not decoded): /d/m.png", e.reason());
    }

    @Test
    void theBoundIsInclusive() throws Exception {
        assertEquals(40, ImageCodec.decode(TestImages.jpeg(40, 30), "a.jpg", 1200).width());
        QuarantineException e = assertThrows(QuarantineException.class,
                () -> ImageCodec.decode(TestImages.jpeg(40, 30), "a.jpg", 1199));
        assertEquals("image JPEG declares 40x30 = 1200 pixels, more than ingest.max-pixels = 1199 (not decoded): "
                + "a.jpg", e.reason());
    }
}
