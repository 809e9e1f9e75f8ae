package org.wsss.jobs;

import java.util.List;

/** A test stand-in for a real stage under its name: reads ingest's output, takes no configuration. */
abstract class StandInStage implements Stage {
    private final String name;

    StandInStage(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "test stand-in for " + name;
    }

    @Override
    public List<String> configPrefixes() {
        return List.of();
    }

    @Override
    public List<String> inputs() {
        return List.of(IngestJob.NAME);
    }
}
