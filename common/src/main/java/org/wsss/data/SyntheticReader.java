package org.wsss.data;

import org.wsss.synthetic.Scene;
import org.wsss.synthetic.SyntheticPreset;
import org.wsss.synthetic.SyntheticScenes;
import org.wsss.synthetic.SyntheticSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in synthetic dataset as a {@link DatasetReader}: scenes are rendered on executors from their index,
 * so nothing is read from disk; images are stored as PNG (lossless, so the ground truth stays exact).
 */
public final class SyntheticReader implements DatasetReader {

    /** Bumped whenever the generator's output changes, so that committed ingests of old scenes are redone. */
    public static final int GENERATOR_VERSION = 2;

    private final SyntheticSpec spec;
    private final ClassList classes;
    private transient SyntheticScenes scenes;

    public SyntheticReader(SyntheticSpec spec) {
        this.spec = spec;
        this.classes = new ClassList(spec.preset().classNames());
    }

    private SyntheticScenes scenes() {
        if (scenes == null) {
            scenes = new SyntheticScenes(spec);
        }
        return scenes;
    }

    @Override
    public ClassList classes() {
        return classes;
    }

    @Override
    public List<SampleRef> list(DatasetFs fs, List<String> splits) {
        List<SampleRef> refs = new ArrayList<>();
        for (int i = 0; i < spec.count(); i++) {
            String split = scenes().split(i);
            if (splits.contains(split)) {
                refs.add(new SampleRef(String.format("syn_%06d", i), split, null, null, null, null, null, i));
            }
        }
        return refs;
    }

    @Override
    public List<FileEntry> inputFiles(DatasetFs fs, List<String> splits) {
        return List.of(new FileEntry(source(spec), "generator-v" + GENERATOR_VERSION, 0, 0));
    }

    /**
     * The spec as ingest's input fingerprint. A shapes spec keeps the text it had before presets existed (the
     * record's toString then), so run directories ingested earlier are still complete for the same config.
     */
    static String source(SyntheticSpec spec) {
        if (spec.preset() == SyntheticPreset.SHAPES) {
            return "synthetic:SyntheticSpec[count=" + spec.count() + ", size=" + spec.size() + ", seed="
                    + spec.seed() + ", valFraction=" + spec.valFraction() + ", maxObjects=" + spec.maxObjects() + "]";
        }
        return "synthetic:" + spec;
    }

    @Override
    public Sample load(SampleRef ref, DatasetFs fs) throws QuarantineException {
        Scene scene = scenes().render(ref.syntheticIndex());
        return new Sample(scene.imageId(), scene.split(), scene.image().width(), scene.image().height(),
                scene.labels(), scene.points(), "png", ImageCodec.encodePng(scene.image()),
                ImageCodec.encodePaletteMask(scene.mask()), "synthetic:" + ref.syntheticIndex(), new int[0],
                scene.boxes(), ImageCodec.encodePaletteMask(scene.scribble()),
                ImageCodec.encodePaletteMask(scene.instances()));
    }
}
