package org.wsss.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.wsss.jobs.SparkTestSession;
import scala.Tuple2;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageResourcesTest {

    private static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    }

    @Test
    void aMapWithoutShuffleCountsOneTaskPerPartitionAndNoShuffleBytes() {
        JavaRDD<Integer> numbers = jsc().parallelize(IntStream.range(0, 100).boxed().toList(), 4);
        StageResources r = StageResources.start(SparkTestSession.get().sparkContext());
        List<Integer> doubled = numbers.map(x -> 2 * x).collect();
        Map<String, Object> m = r.stop();
        assertEquals(100, doubled.size());
        assertEquals(4L, m.get("tasks"), m::toString);
        assertEquals(0L, m.get("failed_tasks"));
        assertEquals(1L, m.get("spark_jobs"));
        assertEquals(0L, m.get("shuffle_bytes"));
        assertEquals(0L, m.get("shuffle_read_bytes"));
        assertFalse(m.containsKey("incomplete"));
        assertTrue(((Number) m.get("driver_peak_heap_used")).longValue() > 0, m::toString);
    }

    /** 4 map tasks write the shuffle, 2 reduce tasks read all of it back: 6 tasks, bytes read = bytes written. */
    @Test
    void aReduceByKeyShufflesWhatItsReduceTasksReadBack() {
        JavaRDD<Integer> numbers = jsc().parallelize(IntStream.range(0, 10_000).boxed().toList(), 4);
        StageResources r = StageResources.start(SparkTestSession.get().sparkContext());
        Map<Integer, Integer> sums = numbers.mapToPair(x -> new Tuple2<>(x % 3, x))
                .reduceByKey(Integer::sum, 2).collectAsMap();
        Map<String, Object> m = r.stop();
        assertEquals(3, sums.size());
        assertEquals(6L, m.get("tasks"), m::toString);
        assertEquals(1L, m.get("spark_jobs"));
        long written = (Long) m.get("shuffle_bytes");
        assertTrue(written > 0, m::toString);
        assertEquals(written, m.get("shuffle_read_bytes"));
    }

    @Test
    void liveHeapIsRecordedOnlyWhenAsked() {
        StageResources plain = StageResources.start(SparkTestSession.get().sparkContext());
        assertFalse(plain.stop().containsKey("driver_live_heap"));
        StageResources measured = StageResources.start(SparkTestSession.get().sparkContext());
        long live = ((Number) measured.stop(true).get("driver_live_heap")).longValue();
        assertTrue(live > 0 && live <= Runtime.getRuntime().maxMemory(), "live heap " + live);
    }

    @Test
    void jobsOutsideTheWatchAreNotCounted() {
        JavaRDD<Integer> numbers = jsc().parallelize(List.of(1, 2, 3), 3);
        StageResources r = StageResources.start(SparkTestSession.get().sparkContext());
        Map<String, Object> m = r.stop();
        numbers.count();
        assertEquals(0L, m.get("tasks"));
        assertEquals(0L, m.get("spark_jobs"));
        assertEquals(m, r.stop(), "stopped: later jobs add nothing");
    }
}
