package org.wsss.nn;

import java.util.Locale;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/**
 * Where the network factories get their convolution builders, so one switch ({@code runtime.conv}) picks the
 * implementation of every conv layer built afterwards: {@code native} ({@link NativeConvolution}: libnd4j's
 * conv2d ops) or {@code dl4j} (DL4J's ConvolutionLayer: im2col + GEMM). Both have the same builder, parameters
 * and output shapes, so weights copy between them by name. A saved model keeps the layers it was built with.
 * Jobs set the switch once at start; it is process-wide because the factories take no runtime options.
 */
public final class Convs {
    /** The implementations {@code runtime.conv} names. */
    public enum Impl {
        NATIVE, DL4J;

        public static Impl parse(String name) {
            for (Impl i : values()) {
                if (i.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("runtime.conv must be \"native\" or \"dl4j\", got \"" + name + "\"");
        }
    }

    public static final Impl DEFAULT = Impl.NATIVE;

    private static volatile Impl impl = DEFAULT;

    private Convs() {
    }

    public static void use(Impl implementation) {
        if (implementation == null) {
            throw new IllegalArgumentException("runtime.conv must be \"native\" or \"dl4j\", got null");
        }
        impl = implementation;
    }

    public static Impl current() {
        return impl;
    }

    /** A builder of the current implementation, to be used as {@code new ConvolutionLayer.Builder(kernel)}. */
    public static ConvolutionLayer.Builder builder(int... kernelSize) {
        return impl == Impl.NATIVE ? new NativeConvolution.Builder(kernelSize)
                : new ConvolutionLayer.Builder(kernelSize);
    }
}
