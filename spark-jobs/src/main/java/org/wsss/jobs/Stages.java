package org.wsss.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The pipeline's stages in order; `wsss pipeline`, the demo and the Airflow DAG follow this list. */
public final class Stages {
    private Stages() {
    }

    private static final Map<String, Supplier<Stage>> ORDER = new LinkedHashMap<>();

    static {
        ORDER.put(IngestJob.NAME, IngestJob::new);
        ORDER.put(TrainClassifierJob.NAME, TrainClassifierJob::new);
        ORDER.put(MakeCamsJob.NAME, MakeCamsJob::new);
        ORDER.put(EvalCamsJob.NAME, EvalCamsJob::new);
        ORDER.put(MakeAffinityLabelsJob.NAME, MakeAffinityLabelsJob::new);
        ORDER.put(TrainAffinityJob.NAME, TrainAffinityJob::new);
        ORDER.put(RandomWalkJob.NAME, RandomWalkJob::new);
        ORDER.put(EvalLabelsJob.NAME, EvalLabelsJob::new);
        ORDER.put(TrainSegmentationJob.NAME, TrainSegmentationJob::new);
        ORDER.put(PredictJob.NAME, PredictJob::new);
        ORDER.put(EvaluateJob.NAME, EvaluateJob::new);
    }

    public static List<String> names() {
        return new ArrayList<>(ORDER.keySet());
    }

    public static Stage create(String name) {
        Supplier<Stage> s = ORDER.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown stage '" + name + "'; stages: " + names());
        }
        return s.get();
    }

    /** Stage names from {@code from} to {@code until} inclusive (null = first / last). */
    public static List<String> range(String from, String until) {
        List<String> all = names();
        int a = from == null ? 0 : indexOf(all, from, "--from");
        int b = until == null ? all.size() - 1 : indexOf(all, until, "--until");
        if (a > b) {
            throw new IllegalStateException("--from " + from + " comes after --until " + until + " in " + all);
        }
        return all.subList(a, b + 1);
    }

    private static int indexOf(List<String> all, String name, String option) {
        int i = all.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(option + " " + name + ": no such stage; stages: " + all);
        }
        return i;
    }
}
