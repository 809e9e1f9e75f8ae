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

    /**
     * Name, help text and factory per stage. The help texts are compile-time constants and the factories lambdas,
     * so listing the stages (every `wsss` call does, to build its subcommands) loads and initialises no job class,
     * and with them no Spark, logging or ND4J class: `wsss --help` and the kernels start in a fraction of a second.
     */
    private record Entry(String description, Supplier<Stage> factory) {
    }

    private static final Map<String, Entry> ORDER = new LinkedHashMap<>();

    static {
        ORDER.put(IngestJob.NAME, new Entry(IngestJob.DESCRIPTION, () -> new IngestJob()));
        ORDER.put(TrainClassifierJob.NAME, new Entry(TrainClassifierJob.DESCRIPTION, () -> new TrainClassifierJob()));
        ORDER.put(MakeCamsJob.NAME, new Entry(MakeCamsJob.DESCRIPTION, () -> new MakeCamsJob()));
        ORDER.put(EvalCamsJob.NAME, new Entry(EvalCamsJob.DESCRIPTION, () -> new EvalCamsJob()));
        ORDER.put(MakeAffinityLabelsJob.NAME,
                new Entry(MakeAffinityLabelsJob.DESCRIPTION, () -> new MakeAffinityLabelsJob()));
        ORDER.put(TrainAffinityJob.NAME, new Entry(TrainAffinityJob.DESCRIPTION, () -> new TrainAffinityJob()));
        ORDER.put(RandomWalkJob.NAME, new Entry(RandomWalkJob.DESCRIPTION, () -> new RandomWalkJob()));
        ORDER.put(EvalLabelsJob.NAME, new Entry(EvalLabelsJob.DESCRIPTION, () -> new EvalLabelsJob()));
        ORDER.put(MakeInstancesJob.NAME, new Entry(MakeInstancesJob.DESCRIPTION, () -> new MakeInstancesJob()));
        ORDER.put(TrainSegmentationJob.NAME,
                new Entry(TrainSegmentationJob.DESCRIPTION, () -> new TrainSegmentationJob()));
        ORDER.put(MakePrototypesJob.NAME, new Entry(MakePrototypesJob.DESCRIPTION, () -> new MakePrototypesJob()));
        ORDER.put(PredictJob.NAME, new Entry(PredictJob.DESCRIPTION, () -> new PredictJob()));
        ORDER.put(EvaluateJob.NAME, new Entry(EvaluateJob.DESCRIPTION, () -> new EvaluateJob()));
    }

    public static List<String> names() {
        return new ArrayList<>(ORDER.keySet());
    }

    public static Stage create(String name) {
        return entry(name).factory().get();
    }

    /** The stage's help paragraph, without creating the stage. */
    public static String description(String name) {
        return entry(name).description();
    }

    private static Entry entry(String name) {
        Entry e = ORDER.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown stage '" + name + "'; stages: " + names());
        }
        return e;
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
