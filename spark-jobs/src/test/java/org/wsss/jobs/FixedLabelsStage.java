package org.wsss.jobs;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.wsss.spark.LabelMapSchema;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Stands in for a stage that writes label maps (random-walk, predict): its {@code labels} table holds the PNG the
 * test decides on for each manifest image (null: no row), in the documented schema.
 */
final class FixedLabelsStage extends StandInStage {
    interface MaskOf extends Function<Row, byte[]>, Serializable {
    }

    private final MaskOf maskOf;

    FixedLabelsStage(String name, MaskOf maskOf) {
        super(name);
        this.maskOf = maskOf;
    }

    @Override
    public Map<String, Object> run(JobContext ctx) {
        List<Row> rows = new ArrayList<>();
        for (Row r : ctx.spark().read().parquet(ctx.stagePath(IngestJob.NAME, "manifest")).collectAsList()) {
            byte[] mask = maskOf.apply(r);
            if (mask != null) {
                rows.add(RowFactory.create(r.getString(r.fieldIndex("image_id")), r.getString(r.fieldIndex("split")),
                        r.getInt(r.fieldIndex("width")), r.getInt(r.fieldIndex("height")), mask));
            }
        }
        ctx.spark().createDataFrame(rows, LabelMapSchema.LABELS).write().parquet(ctx.stagePath(name(), "labels"));
        return Map.of("num_images", rows.size());
    }
}
