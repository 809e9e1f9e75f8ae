package org.wsss.data;

import org.wsss.config.Params;
import org.wsss.config.Settings;

import java.io.Serializable;

/**
 * What ingest admits and keeps of an image's size: {@code maxPixels} bounds the size an image or mask may declare
 * (checked on the header, before decoding); {@code maxLongSide} > 0 downscales larger images on ingest.
 */
public record ImageLimits(long maxPixels, int maxLongSide) implements Serializable {
    /** No bound and no downscaling (readers built directly, for data that is known to be good). */
    public static final ImageLimits NONE = new ImageLimits(Long.MAX_VALUE, 0);

    public static ImageLimits of(Settings s) {
        return new ImageLimits(s.get(Params.Ingest.MAX_PIXELS), s.get(Params.Ingest.MAX_LONG_SIDE));
    }

    /** Whether an image of this size is downscaled on ingest. */
    public boolean downscales(int width, int height) {
        return maxLongSide > 0 && Math.max(width, height) > maxLongSide;
    }
}
