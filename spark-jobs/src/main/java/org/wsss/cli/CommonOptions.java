package org.wsss.cli;

import org.wsss.config.ConfigLoader;
import org.wsss.config.Settings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** --conf and --set, shared by every command that reads the configuration. */
public final class CommonOptions {

    @Option(names = "--conf", paramLabel = "FILE",
            description = "HOCON config file (repeatable; later files win). Every key: conf/reference.conf.")
    List<String> confFiles = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one key, e.g. --set dataset.format=voc (repeatable; wins over --conf).")
    List<String> overrides = new ArrayList<>();

    public Settings settings() {
        return ConfigLoader.load(confFiles, overrides);
    }
}
