package org.wsss.spark.train;

import scala.runtime.AbstractFunction1;

import java.io.Serializable;

/** The partitions of one averaging round, as the predicate Spark's PartitionPruningRDD takes. */
final class PartitionRange extends AbstractFunction1<Object, Object> implements Serializable {
    private final int from;
    private final int until;

    PartitionRange(int from, int until) {
        this.from = from;
        this.until = until;
    }

    @Override
    public Object apply(Object partition) {
        int p = (Integer) partition;
        return p >= from && p < until;
    }
}
