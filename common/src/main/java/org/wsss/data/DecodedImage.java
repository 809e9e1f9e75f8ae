package org.wsss.data;

/**
 * An image as decoded from its file: the container format, its size and the pixels as 8-bit RGB.
 *
 * @param format "jpeg" or "png"
 */
public record DecodedImage(String format, int width, int height, RgbImage image) {
}
