package org.wsss.cli;

import org.wsss.config.ReferenceConf;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Validates and prints the effective configuration (--conf/--set applied), or with "
                + "--reference the documented defaults (conf/reference.conf)."})
final class ConfigCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--reference", description = "Print reference.conf: every key, documented, with its default.")
    boolean reference;

    @Override
    public Integer call() {
        System.out.print(reference ? ReferenceConf.render() : options.settings().toHocon());
        return 0;
    }
}
