package org.wsss.testing;

import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a gradient check with ND4J's default types set to double (GradientCheckUtil demands it), then restores them. */
public final class DoublePrecision {

    private DoublePrecision() {
    }

    public static <T> T call(Supplier<T> body) {
        DataType data = Nd4j.dataType();
        DataType floats = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return body.get();
        } finally {
            Nd4j.setDefaultDataTypes(data, floats);
        }
    }
}
